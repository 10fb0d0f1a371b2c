"""Velocity limits against card testing, across checkouts: payment attempts are counted
per client address, per card and per buyer email (``core.rate_limits``, shared by every
process), so a tester who opens many checkouts gets no more tries than one checkout would
give (that cap, ``MAX_FAILED_ATTEMPTS``, is per checkout only).

An attempt is counted when it is about to reach the processor (a new payment is claimed);
resubmissions of a paid or pending checkout charge nothing and count nothing. Cards and
emails are counted under a keyed hash (HMAC with ``SECRET_KEY``), never in clear.
"""

import hashlib
import hmac
import logging
from dataclasses import dataclass

from django.conf import settings

from core.errors import AppError
from core.rate_limits import Rate, rate_limit_hit
from payments.cards import Card
from payments.processors.base import BrowserMethod

logger = logging.getLogger(__name__)

TOO_MANY_PAYMENTS = "Too many payment attempts. Please wait a while and try again."


class TooManyPayments(AppError):
    status = 429
    default_code = "payment_velocity"
    default_layer = "order"

    def __init__(self, *, retry_after: int):
        super().__init__(TOO_MANY_PAYMENTS)
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class PaymentAttempt:
    """Who tries to pay, as far as the limits care; an empty part is not counted."""

    environment: str
    client_ip: str = ""
    email: str = ""
    card: str = ""  # the card's keyed fingerprint (``card_fingerprint``)


def _hashed(text: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()[:32]


def card_fingerprint(*, card: Card | BrowserMethod, processor) -> str:
    """The same card gives the same fingerprint on every checkout: its number for cards
    typed into our own form; for a processor's browser token, the processor's fingerprint
    of the card behind it (empty when it cannot tell, and then the card is not counted)."""
    if isinstance(card, Card):
        return _hashed(f"number:{card.number}")
    lookup = getattr(processor, "card_fingerprint", None)
    theirs = lookup(card=card) if lookup is not None else ""
    return _hashed(f"{processor.name}:{theirs}") if theirs else ""


def _limits(attempt: PaymentAttempt) -> list[tuple[str, str]]:
    prefix = f"pay:{attempt.environment}"
    parts = [
        (attempt.client_ip, f"{prefix}:ip:{attempt.client_ip}", settings.PAYMENT_RATE_PER_IP),
        (attempt.card, f"{prefix}:card:{attempt.card}", settings.PAYMENT_RATE_PER_CARD),
        (
            attempt.email,
            f"{prefix}:email:{_hashed(attempt.email)}",
            settings.PAYMENT_RATE_PER_EMAIL,
        ),
    ]
    return [(key, rate) for value, key, rate in parts if value]


def payment_attempt_count(*, attempt: PaymentAttempt) -> None:
    """Count one attempt under each of its limits; TooManyPayments when any is spent.
    Every limit counts the attempt, so trying more keys does not spare the others."""
    refused = [
        verdict
        for key, rate in _limits(attempt)
        if not (verdict := rate_limit_hit(key=key, rate=Rate.parse(rate))).allowed
    ]
    if refused:
        logger.warning("payment velocity limit reached (%s)", attempt.environment)
        raise TooManyPayments(retry_after=max(verdict.retry_after for verdict in refused))
