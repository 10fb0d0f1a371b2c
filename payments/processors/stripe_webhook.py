"""Stripe's webhooks in: the signature checked with the endpoint secret of each environment
Stripe serves (``stripe.Webhook.construct_event``), and the PaymentIntent an event names.

Only *which* intent changed is taken from the event; its outcome is read back from Stripe
(``payments.services.payment_refresh``), as the return URL and the reconciler read it.
"""

from dataclasses import dataclass

import stripe
from django.conf import settings

PAYMENT_EVENTS = {"payment_intent.succeeded", "payment_intent.payment_failed"}
STRIPE = "payments.processors.stripe.StripeProcessor"


@dataclass(frozen=True, slots=True)
class IntentEvent:
    environment: str
    event_type: str
    intent_id: str
    payment_id: str  # metadata.payment_id: our PAY_…


def verified_event(*, payload: bytes, signature: str) -> IntentEvent | None:
    """The event, when one environment's endpoint secret verifies its signature; None for
    a forged, stale or unsigned request. Events other than the payment ones are accepted
    (so Stripe stops retrying them) with an empty ``intent_id``."""
    for environment, path in settings.PAYMENT_PROCESSORS.items():
        secret = settings.STRIPE_KEYS.get(environment, {}).get("webhook_secret", "")
        if path != STRIPE or not secret:
            continue
        try:
            event = stripe.Webhook.construct_event(payload, signature, secret)
        except (ValueError, stripe.SignatureVerificationError):
            continue
        data = event.to_dict()
        intent = (data.get("data") or {}).get("object") or {}
        if data.get("type") not in PAYMENT_EVENTS or intent.get("object") != "payment_intent":
            return IntentEvent(environment, str(data.get("type")), "", "")
        payment_id = str((intent.get("metadata") or {}).get("payment_id") or "")
        return IntentEvent(environment, data["type"], str(intent.get("id") or ""), payment_id)
    return None
