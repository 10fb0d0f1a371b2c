"""Card entry as a buyer types it (issue 19, point 2), server side: the expiry forms a phone
keypad without "/" produces, brands by IIN range and the CVC length each brand prints. The
page's script formats as typed (tests/test_card_entry_browser.py); without it these decide."""

from datetime import date

import pytest

from payments.cards import InvalidCard, card_brand, cvc_length, parse_card, parse_expiry

TODAY = date(2030, 6, 15)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1230", (12, 2030)),
        ("12/30", (12, 2030)),
        ("12 / 2030", (12, 2030)),
        ("12/2030", (12, 2030)),
        ("122030", (12, 2030)),
        ("0131", (1, 2031)),
        ("1/31", (1, 2031)),
        (" 01 / 31 ", (1, 2031)),
        ("12 30", (12, 2030)),
        ("123", None),
        ("1330", None),
        ("0030", None),
        ("12-30", None),
        ("12/3", None),
        ("12/203", None),
        ("1/2", None),
        ("12/1930", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_expiry_forms(typed, expected):
    assert parse_expiry(typed) == expected


@pytest.mark.parametrize(
    ("number", "brand", "cvc_digits"),
    [
        ("4242424242424242", "visa", 3),
        ("5555555555554444", "mastercard", 3),
        ("2221000000000009", "mastercard", 3),
        ("2720990000000007", "mastercard", 3),
        ("2220990000000000", "card", 3),
        ("2721000000000000", "card", 3),
        ("378282246310005", "amex", 4),
        ("6011111111111117", "discover", 3),
        ("6445644564456445", "discover", 3),
        ("3530111333300000", "jcb", 3),
        ("3566002020360505", "jcb", 3),
        ("30569309025904", "diners", 3),
        ("36227206271667", "diners", 3),
        ("6200000000000005", "unionpay", 3),
        ("5000000000000009", "card", 3),
    ],
)
def test_brand_and_cvc_length_by_iin(number, brand, cvc_digits):
    assert card_brand(number) == brand
    assert cvc_length(brand) == cvc_digits


@pytest.mark.parametrize(
    ("number", "cvc", "ok"),
    [
        ("378282246310005", "1234", True),
        ("378282246310005", "123", False),
        ("4242424242424242", "123", True),
        ("4242424242424242", "1234", False),
    ],
)
def test_parse_card_cvc_length_by_brand(number, cvc, ok):
    if ok:
        assert parse_card(number=number, expiry="1230", cvc=cvc, today=TODAY).cvc == cvc
    else:
        with pytest.raises(InvalidCard, match="security code"):
            parse_card(number=number, expiry="1230", cvc=cvc, today=TODAY)


def test_parse_card_takes_keypad_expiry():
    card = parse_card(number="4242 4242 4242 4242", expiry="1230", cvc="123", today=TODAY)

    assert (card.exp_month, card.exp_year) == (12, 2030)
