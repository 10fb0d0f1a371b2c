"""Paid payments to refund, buyers' and merchants' ways of asking, and moving a payment's
date back (the refund window)."""

from datetime import timedelta

from django.utils import timezone

from core import tokens
from payments.models import Payment
from payments.services import checkout_pay
from tests.checkout_factories import billing, make_session, success_card

CREATE = "/v1/actions/refund-ticket/create-ticket"
RESUBMIT = "/v1/actions/refund-ticket/resubmit-ticket"
BUYER = "buyer-1"


def paid_payment(product, *, identity: str = BUYER, currency: str = "USD", country="DE"):
    """A succeeded payment of ``product``, its order bound to buyer ``identity``.
    With the conftest product (29.00 USD) and a German buyer: 34.51, of which 5.51 VAT."""
    session = make_session(product=product, currency=currency, buyerEmail="buyer@example.com")
    outcome = checkout_pay(
        session=session, billing=billing(country), card=success_card(), buyer_identity=identity
    )
    assert outcome.succeeded
    return outcome.payment


def as_customer(client, store, *, identity: str = BUYER, environment: str = "test"):
    """``post(path, body)`` with a customer session token of ``identity`` in ``store``."""
    token, _ = tokens.issue_customer_token(buyer_identity=identity, store_id=str(store.pk))
    headers = {"Authorization": f"Bearer {token}", "X-Environment": environment}
    return lambda path, body: client.post(
        path, body, content_type="application/json", headers=headers
    )


def ask(payment, amount: str, *, currency: str | None = None, reason="Not as described", **extra):
    return {
        "paymentId": payment.public_id,
        "reason": reason,
        "requestedAmount": {"amount": amount, "currency": currency or payment.currency},
        **extra,
    }


def paid_days_ago(payment: Payment, days: float) -> Payment:
    Payment.objects.filter(pk=payment.pk).update(resolved_at=timezone.now() - timedelta(days=days))
    payment.refresh_from_db()
    return payment
