"""Payment providers behind one interface, and the test processor that ships with us.

The test processor behaves like a card network's sandbox: documented card numbers decide
the outcome, the full number is never kept, and a repeated idempotency key returns the
first result instead of charging twice.
"""

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from django.utils import timezone
from django.utils.module_loading import import_string

SUCCESS_CARD = "4242424242424242"
DECLINED_CARD = "4000000000000002"
INSUFFICIENT_FUNDS_CARD = "4000000000009995"


@dataclass(frozen=True, slots=True)
class Card:
    number: str
    exp_month: int
    exp_year: int
    cvc: str

    @property
    def last4(self) -> str:
        return self.number[-4:]

    @property
    def brand(self) -> str:
        return card_brand(self.number)


@dataclass(frozen=True, slots=True)
class ChargeResult:
    succeeded: bool
    reference: str = ""
    failure_code: str = ""
    failure_message: str = ""


class PaymentProcessor(Protocol):
    def charge(
        self, *, amount_minor: int, currency: str, card: Card, idempotency_key: str
    ) -> ChargeResult: ...


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


class TestCardProcessor:
    """Outcomes by card number, like a sandbox; answers are remembered per idempotency key."""

    _results: "OrderedDict[str, ChargeResult]" = OrderedDict()
    _lock = threading.Lock()
    MEMORY = 10_000  # keys remembered, oldest forgotten first

    def charge(
        self, *, amount_minor: int, currency: str, card: Card, idempotency_key: str
    ) -> ChargeResult:
        with self._lock:
            if idempotency_key in self._results:
                return self._results[idempotency_key]
            if card.number == DECLINED_CARD:
                result = ChargeResult(False, "", "card_declined", "Your card was declined.")
            elif card.number == INSUFFICIENT_FUNDS_CARD:
                result = ChargeResult(
                    False, "", "insufficient_funds", "Your card has insufficient funds."
                )
            elif card.number == SUCCESS_CARD or card.brand != "card":
                result = ChargeResult(True, f"test_{idempotency_key}")
            else:
                result = ChargeResult(False, "", "card_declined", "Your card was declined.")
            self._results[idempotency_key] = result
            while len(self._results) > self.MEMORY:
                self._results.popitem(last=False)
            return result


class UnconfiguredProcessor:
    """Stands in for production until an operator configures a real provider."""

    def charge(self, **kwargs) -> ChargeResult:
        return ChargeResult(
            False, "", "processor_unavailable", "Payments are not available right now."
        )


def processor_for(environment: str, setting: dict[str, str]) -> PaymentProcessor:
    return import_string(setting[environment])()
