"""Card details as a buyer types them on a page the test processor serves.

Parsing checks only what makes a number a card (digits, Luhn, expiry, CVC) before any
charge; whether the card pays is the processor's answer. The full number lives only in
the request that charges it.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

SUCCESS_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000002"
INSUFFICIENT_FUNDS_CARD = "4000000000009995"
# Pays while the buyer is present; every later off-session charge of it is declined.
DECLINES_OFF_SESSION_CARD = "4000000000000341"


@dataclass(frozen=True, slots=True)
class Card:
    """Never printed whole: logs and tracebacks show the brand and last four only."""

    number: str = field(repr=False)
    exp_month: int
    exp_year: int
    cvc: str = field(repr=False)

    @property
    def last4(self) -> str:
        return self.number[-4:]

    @property
    def brand(self) -> str:
        return card_brand(self.number)


class InvalidCard(ValueError):
    """The card details cannot be a card at all (checked before any charge)."""


# IIN (first digits) ranges by brand, most specific first: a 4-digit prefix wins over a
# 1-digit one. The page's script keeps the same table for its hint (static/checkout/cards.js).
_BRANDS = (
    ("amex", r"3[47]"),
    ("diners", r"3(0[0-5]|095|[689])"),
    ("jcb", r"35(2[89]|[3-8])"),
    ("unionpay", r"62"),
    ("discover", r"6(011|4[4-9]|5)"),
    ("mastercard", r"5[1-5]|2(22[1-9]|2[3-9]|[3-6]|7[01]|720)"),
    ("visa", r"4"),
)
_CVC_LENGTH = {"amex": 4}


def card_brand(number: str) -> str:
    for brand, pattern in _BRANDS:
        if re.match(pattern, number):
            return brand
    return "card"


def cvc_length(brand: str) -> int:
    """American Express prints a 4-digit code on the front; every other brand 3 on the back."""
    return _CVC_LENGTH.get(brand, 3)


def parse_expiry(expiry: str | None) -> tuple[int, int] | None:
    """(month, year) of ``MM/YY``, ``MM/YYYY``, ``MMYY`` or ``MMYYYY`` (spaces anywhere, as a
    phone keypad without "/" types it), or None when it is none of those."""
    text = re.sub(r"\s", "", expiry or "")
    match = re.fullmatch(r"([0-9]{1,2})/([0-9]{2}|20[0-9]{2})", text) or re.fullmatch(
        r"([0-9]{2})([0-9]{2}|20[0-9]{2})", text
    )
    if not match or not 1 <= int(match[1]) <= 12:
        return None
    year = int(match[2])
    return int(match[1]), year + 2000 if year < 100 else year


def luhn_valid(number: str) -> bool:
    total = 0
    for index, digit in enumerate(reversed(number)):
        value = int(digit)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def parse_card(*, number: str, expiry: str, cvc: str, today: date | None = None) -> Card:
    """``expiry`` as parse_expiry reads it. Raises InvalidCard with a message for the consumer."""
    digits = re.sub(r"[\s-]", "", number or "")
    if not re.fullmatch(r"[0-9]{12,19}", digits) or not luhn_valid(digits):
        raise InvalidCard("Your card number is invalid.")
    parsed = parse_expiry(expiry)
    if parsed is None:
        raise InvalidCard("Your card's expiry date is invalid.")
    month, year = parsed
    today = today or timezone.now().date()
    if (year, month) < (today.year, today.month):
        raise InvalidCard("Your card has expired.")
    code = (cvc or "").strip()
    if not re.fullmatch(r"[0-9]{3,4}", code) or len(code) != cvc_length(card_brand(digits)):
        raise InvalidCard("Your card's security code is invalid.")
    return Card(digits, month, year, code)
