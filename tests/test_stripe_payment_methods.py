"""Paying with a PaymentMethod (``pm_…``, what real Stripe.js's createPaymentMethod posts)
rather than a token, against localstripe: the method is made at the server as Stripe.js
would make it, then the real checkout code pays with it. Every assertion on the server
reads objects this test made (the server is shared by the suite and across runs)."""

import re

import pytest

from payments.models import Payment, PaymentStatus
from payments.processors import processor_for
from payments.processors.base import BrowserMethod, ChargeStatus
from payments.services import checkout_pay, payment_refresh, payments_reconcile_stale
from payments.velocity import TOO_MANY_PAYMENTS, TooManyPayments, card_fingerprint
from tests.checkout_factories import billing, make_session
from tests.payment_support import age
from tests.stripe_support import (
    DECLINES,
    SUCCESS,
    THREE_D_SECURE,
    authenticate,
    card_payment_method,
)

pytestmark = pytest.mark.django_db

OTHER = "5555555555554444"


def pay(session, method: str):
    return checkout_pay(
        session=session,
        billing=billing(),
        card=BrowserMethod(method),
        buyer_email="buyer@example.com",
    )


def client():
    return processor_for("test").client


def test_a_payment_method_pays_with_itself_on_the_intent_and_no_customer(product, stripe_env):
    method = card_payment_method(stripe_env, SUCCESS)

    outcome = pay(make_session(product=product), method)

    assert outcome.succeeded
    payment = Payment.objects.get()
    assert (payment.status, payment.card_brand, payment.card_last4) == (
        PaymentStatus.SUCCEEDED,
        "visa",
        "4242",
    )
    intent = client().v1.payment_intents.retrieve(payment.processor_reference)
    assert (intent.status, intent.payment_method, intent.customer) == ("succeeded", method, None)
    assert (intent.amount, intent.metadata["payment_id"]) == (
        payment.amount_minor,
        payment.public_id,
    )
    assert client().v1.payment_methods.retrieve(method).customer is None  # nothing kept


def test_a_declined_payment_method_shows_stripes_message_and_another_pays(product, stripe_env):
    session = make_session(product=product)

    declined = pay(session, card_payment_method(stripe_env, DECLINES))

    assert not declined.succeeded and not declined.pending
    assert (declined.payment.status, declined.payment.failure_code) == (
        PaymentStatus.FAILED,
        "card_declined",
    )
    assert declined.payment.failure_message == "Your card was declined."
    assert declined.payment.processor_reference.startswith("pi_")
    assert pay(session, card_payment_method(stripe_env, SUCCESS)).succeeded
    assert sorted(Payment.objects.values_list("status", flat=True)) == ["failed", "succeeded"]


@pytest.mark.parametrize(
    ("success", "status", "code"),
    [
        (True, PaymentStatus.SUCCEEDED, ""),
        (False, PaymentStatus.FAILED, "payment_intent_authentication_failure"),
    ],
)
def test_three_d_secure_on_a_payment_method_is_read_back_after_the_buyer(
    product, stripe_env, success, status, code
):
    method = card_payment_method(stripe_env, THREE_D_SECURE)

    outcome = pay(make_session(product=product), method)

    assert outcome.pending and outcome.client_secret.startswith(
        outcome.payment.processor_reference + "_secret_"
    )
    intent = client().v1.payment_intents.retrieve(outcome.payment.processor_reference)
    assert (intent.status, intent.payment_method) == ("requires_action", method)
    assert payment_refresh(payment=outcome.payment).pending  # nothing decided yet
    authenticate(stripe_env, outcome.client_secret, success=success)
    payment_refresh(payment=outcome.payment)
    payment = Payment.objects.get()
    assert (payment.status, payment.failure_code) == (status, code)
    if not success:
        assert payment.failure_message == "The provided PaymentMethod has failed authentication."


def test_a_partial_refund_of_a_payment_method_payment(product, stripe_env):
    assert pay(make_session(product=product), card_payment_method(stripe_env, SUCCESS)).succeeded
    payment = Payment.objects.get()
    processor = processor_for("test")

    partial = processor.refund(
        reference=payment.processor_reference,
        amount_minor=700,
        idempotency_key=f"REF_{payment.public_id}",
    )

    assert (partial.succeeded, partial.amount_minor) == (True, 700)
    refunds = client().v1.refunds.list(params={"payment_intent": payment.processor_reference})
    assert [(r.id, r.amount) for r in refunds.data] == [(partial.reference, 700)]


def test_the_reconciler_records_a_payment_method_intent_the_browser_never_came_back_for(
    product, stripe_env, settings
):
    settings.PAYMENT_RECONCILE_AFTER = 60
    outcome = pay(make_session(product=product), card_payment_method(stripe_env, THREE_D_SECURE))
    payment = outcome.payment
    age(payment, seconds=120)
    assert payments_reconcile_stale() == 0  # still with the buyer's bank

    authenticate(stripe_env, outcome.client_secret, success=True)
    age(payment, seconds=120)

    assert payments_reconcile_stale() == 1
    payment.refresh_from_db()
    assert (payment.status, payment.card_last4) == (PaymentStatus.SUCCEEDED, "3155")
    assert payment.order.checkout_session.status == "completed"


def test_payment_methods_of_one_card_share_stripes_fingerprint(stripe_env):
    processor = processor_for("test")
    first, again, other = (
        card_fingerprint(
            card=BrowserMethod(card_payment_method(stripe_env, number)), processor=processor
        )
        for number in (SUCCESS, SUCCESS, OTHER)
    )
    remote = client().v1.payment_methods.retrieve(card_payment_method(stripe_env, SUCCESS))

    assert first and first == again != other
    assert processor.card_fingerprint(card=BrowserMethod(remote.id)) == remote.card.fingerprint
    assert card_fingerprint(card=BrowserMethod("pm_unknown"), processor=processor) == ""


def test_the_card_limit_counts_one_card_across_its_payment_methods(product, stripe_env, settings):
    settings.PAYMENT_RATE_PER_CARD = "1/hour"
    assert pay(make_session(product=product), card_payment_method(stripe_env, SUCCESS)).succeeded

    with pytest.raises(TooManyPayments, match=re.escape(TOO_MANY_PAYMENTS)):
        pay(make_session(product=product), card_payment_method(stripe_env, SUCCESS))

    assert pay(make_session(product=product), card_payment_method(stripe_env, OTHER)).succeeded
    assert Payment.objects.filter(status=ChargeStatus.SUCCEEDED).count() == 2
