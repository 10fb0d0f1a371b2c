"""Saving a buyer's new card for later off-session charges, without charging it.

The customer portal's "update card" hands the card to the environment's processor
(``save_method``: the test processor's ledger, or a Stripe customer) and keeps the answer
as a ``PaymentMethod`` of that store, environment and buyer. Whether the subscription uses
it, and whether a due renewal is retried with it, is the subscription's business
(``subscriptions.payment_method_update``).

Saving a card is a card check, so it counts against the same velocity limits as paying
(``payments.velocity``): the portal must not become a way to test stolen cards.
"""

import logging

from core.errors import AppError
from payments.cards import Card
from payments.models import PaymentMethod
from payments.processors import processor_for
from payments.processors.base import BrowserMethod, ProcessorError
from payments.velocity import PaymentAttempt, card_fingerprint, payment_attempt_count

logger = logging.getLogger(__name__)

NO_ANSWER = "We could not reach the card processor. Please try again in a moment."
REFUSED = "Your card could not be saved. Please try another card."


class CardRefused(AppError):
    status = 402
    default_code = "card_refused"
    default_layer = "order"


def payment_method_save(
    *,
    store_id,
    environment: str,
    buyer_email: str,
    buyer_identity: str,
    card: Card | BrowserMethod,
    idempotency_key: str,
    client_ip: str = "",
) -> PaymentMethod:
    """The buyer's new card, kept by the processor and recorded once per key (a double
    submit of one form saves one card). CardRefused when the processor refuses it."""
    processor = processor_for(environment)
    payment_attempt_count(
        attempt=PaymentAttempt(
            environment=environment,
            client_ip=client_ip,
            email=buyer_email,
            card=card_fingerprint(card=card, processor=processor),
        )
    )
    try:
        result = processor.save_method(card=card, idempotency_key=idempotency_key)
    except ProcessorError:
        logger.exception("No answer from %s while saving a card", processor.name)
        raise CardRefused(NO_ANSWER, status=503, code="processor_unavailable") from None
    if result.method is None:
        raise CardRefused(result.failure_message or REFUSED)
    saved = result.method
    method, _ = PaymentMethod.objects.get_or_create(
        processor=processor.name,
        processor_token=saved.token,
        defaults={
            "store_id": store_id,
            "environment": environment,
            "buyer_email": buyer_email,
            "buyer_identity": buyer_identity,
            "brand": saved.brand,
            "last4": saved.last4,
            "exp_month": saved.exp_month,
            "exp_year": saved.exp_year,
        },
    )
    return method
