from decimal import Decimal

import pytest

from core.money import InvalidAmount, format_amount, minor_units, parse_amount, to_decimal


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [
        ("29.00", "USD", 2900),
        ("29", "USD", 2900),
        ("29.5", "USD", 2950),
        ("0.01", "USD", 1),
        ("4500", "JPY", 4500),
        ("1.250", "KWD", 1250),
        ("0", "EUR", 0),
    ],
)
def test_parse_amount_accepts_what_the_currency_can_hold(text, currency, minor):
    assert parse_amount(text, currency) == minor


@pytest.mark.parametrize(
    ("text", "currency"),
    [
        ("29.001", "USD"),
        ("4500.5", "JPY"),
        ("1.2500", "KWD"),
        ("-1.00", "USD"),
        ("1e3", "USD"),
        (" 1.00", "USD"),
        ("1.", "USD"),
        (".5", "USD"),
        ("", "USD"),
        (29.0, "USD"),
        (None, "USD"),
    ],
)
def test_parse_amount_refuses_what_the_currency_cannot_hold(text, currency):
    with pytest.raises(InvalidAmount):
        parse_amount(text, currency)


def test_format_amount_writes_exactly_the_minor_digits():
    assert format_amount(2900, "USD") == "29.00"
    assert format_amount(4500, "JPY") == "4500"
    assert format_amount(1250, "KWD") == "1.250"
    assert format_amount(5, "USD") == "0.05"


def test_minor_units_come_from_cldr():
    assert (minor_units("USD"), minor_units("JPY"), minor_units("KWD")) == (2, 0, 3)


def test_to_decimal_is_exact():
    assert to_decimal(1999, "USD") == Decimal("19.99")
