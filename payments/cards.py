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


def card_brand(number: str) -> str:
    if number.startswith("4"):
        return "visa"
    if re.match(r"^(5[1-5]|2[2-7])", number):
        return "mastercard"
    if re.match(r"^3[47]", number):
        return "amex"
    if re.match(r"^(6011|65)", number):
        return "discover"
    return "card"


def luhn_valid(number: str) -> bool:
    total = 0
    for index, digit in enumerate(reversed(number)):
        value = int(digit)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def parse_card(*, number: str, expiry: str, cvc: str, today: date | None = None) -> Card:
    """``expiry`` as MM/YY or MM/YYYY. Raises InvalidCard with a message for the consumer."""
    digits = re.sub(r"[\s-]", "", number or "")
    if not re.fullmatch(r"[0-9]{12,19}", digits) or not luhn_valid(digits):
        raise InvalidCard("Your card number is invalid.")
    match = re.fullmatch(r"\s*([0-9]{1,2})\s*/\s*([0-9]{2}|20[0-9]{2})\s*", expiry or "")
    if not match or not 1 <= int(match[1]) <= 12:
        raise InvalidCard("Your card's expiry date is invalid.")
    month, year = int(match[1]), int(match[2])
    year = year + 2000 if year < 100 else year
    today = today or timezone.now().date()
    if (year, month) < (today.year, today.month):
        raise InvalidCard("Your card has expired.")
    if not re.fullmatch(r"[0-9]{3,4}", (cvc or "").strip()):
        raise InvalidCard("Your card's security code is invalid.")
    return Card(digits, month, year, cvc.strip())
