"""Card parsing (payments.cards): no database involved. The processor: test_sandbox_processor."""

from datetime import date, timedelta

import pytest

from payments.cards import (
    SUCCESS_CARD,
    Card,
    InvalidCard,
    card_brand,
    luhn_valid,
    parse_card,
)

TODAY = date(2030, 6, 15)
INVALID_NUMBER = "Your card number is invalid."
INVALID_EXPIRY = "Your card's expiry date is invalid."
EXPIRED = "Your card has expired."
INVALID_CVC = "Your card's security code is invalid."


def parse(number=SUCCESS_CARD, expiry="12/34", cvc="123", today=TODAY) -> Card:
    return parse_card(number=number, expiry=expiry, cvc=cvc, today=today)


# --- parse_card ----------------------------------------------------------------------------


def test_parse_card_mm_yy():
    card = parse(SUCCESS_CARD, "12/34", "123")

    assert card == Card(number=SUCCESS_CARD, exp_month=12, exp_year=2034, cvc="123")
    assert (card.brand, card.last4) == ("visa", "4242")


@pytest.mark.parametrize(
    ("expiry", "month", "year"),
    [
        ("12/2034", 12, 2034),
        ("1/31", 1, 2031),
        ("01/2031", 1, 2031),
        (" 03 / 2031 ", 3, 2031),
        ("6/30", 6, 2030),  # the current month is still valid
        ("06/2030", 6, 2030),
    ],
)
def test_parse_card_expiry_formats(expiry, month, year):
    card = parse(expiry=expiry)

    assert (card.exp_month, card.exp_year) == (month, year)


@pytest.mark.parametrize(
    "number",
    ["4242 4242 4242 4242", "4242-4242-4242-4242", " 4242424242424242 ", "4242 4242-42424242"],
)
def test_parse_card_strips_spaces_and_dashes(number):
    assert parse(number).number == SUCCESS_CARD


@pytest.mark.parametrize(
    "number",
    [
        "4242424242424241",  # Luhn check digit off by one
        "4242424242424243",
        "1234567812345678",
        "42424242424",  # 11 digits
        "42424242424242424242",  # 20 digits
        "4242x24242424242",
        "",
        None,
    ],
)
def test_parse_card_refuses_invalid_numbers(number):
    with pytest.raises(InvalidCard) as caught:
        parse(number)

    assert str(caught.value) == INVALID_NUMBER


@pytest.mark.parametrize(
    "expiry", ["13/34", "0/34", "00/2034", "123", "12-34", "12/3", "12/345", "12/20345", "", None]
)
def test_parse_card_refuses_invalid_expiry(expiry):
    with pytest.raises(InvalidCard) as caught:
        parse(expiry=expiry)

    assert str(caught.value) == INVALID_EXPIRY


@pytest.mark.parametrize("expiry", ["05/30", "5/2030", "12/29", "12/2029", "01/25"])
def test_parse_card_refuses_expired_cards(expiry):
    with pytest.raises(InvalidCard) as caught:
        parse(expiry=expiry)

    assert str(caught.value) == EXPIRED


def test_parse_card_expiry_defaults_to_today():
    this_month = date.today()
    last = this_month.replace(day=1) - timedelta(days=1)

    ok = parse_card(number=SUCCESS_CARD, expiry=f"{this_month.month}/{this_month.year}", cvc="123")
    assert (ok.exp_month, ok.exp_year) == (this_month.month, this_month.year)
    with pytest.raises(InvalidCard, match="expired"):
        parse_card(number=SUCCESS_CARD, expiry=f"{last.month}/{last.year}", cvc="123")


@pytest.mark.parametrize(("cvc", "stored"), [("123", "123"), (" 987 ", "987")])
def test_parse_card_accepts_cvc(cvc, stored):
    assert parse(cvc=cvc).cvc == stored


@pytest.mark.parametrize("cvc", ["12", "12345", "abc", "12a", "", None])
def test_parse_card_refuses_invalid_cvc(cvc):
    with pytest.raises(InvalidCard) as caught:
        parse(cvc=cvc)

    assert str(caught.value) == INVALID_CVC


def test_parse_card_checks_number_before_expiry_before_cvc():
    with pytest.raises(InvalidCard, match="number"):
        parse("4242424242424241", expiry="13/99", cvc="x")
    with pytest.raises(InvalidCard, match="expiry date"):
        parse(SUCCESS_CARD, expiry="13/99", cvc="x")
    with pytest.raises(InvalidCard, match="expired"):
        parse(SUCCESS_CARD, expiry="01/20", cvc="x")


def test_parse_card_superscript_digit_is_an_invalid_card():
    with pytest.raises(InvalidCard):
        parse("4242424242424242\u00b2")


def test_parse_card_non_ascii_digits_are_an_invalid_card():
    fullwidth = "".join(chr(0xFF10 + int(digit)) for digit in SUCCESS_CARD)  # U+FF14 U+FF12 …

    with pytest.raises(InvalidCard):
        parse(fullwidth)


def test_parse_card_four_digit_year_is_taken_literally():
    with pytest.raises(InvalidCard):
        parse(expiry="12/0034")


# --- brands and Luhn -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "brand"),
    [
        ("4242424242424242", "visa"),
        ("4000056655665556", "visa"),
        ("5555555555554444", "mastercard"),
        ("5105105105105100", "mastercard"),
        ("2223003122003222", "mastercard"),
        ("378282246310005", "amex"),
        ("371449635398431", "amex"),
        ("6011111111111117", "discover"),
        ("6500000000000002", "discover"),
        ("3530111333300000", "jcb"),
        ("5000000000000009", "card"),  # 50 is not a Mastercard range
    ],
)
def test_card_brands(number, brand):
    assert card_brand(number) == brand
    assert parse(number, cvc="1234" if brand == "amex" else "123").brand == brand


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("4242424242424242", True),
        ("4000000000000002", True),
        ("4000000000009995", True),
        ("79927398713", True),
        ("79927398710", False),
        ("4242424242424240", False),
        ("0", True),
    ],
)
def test_luhn(number, valid):
    assert luhn_valid(number) is valid


def test_card_never_shows_more_than_last4():
    card = parse("5555 5555 5555 4444")

    assert card.last4 == "4444"
