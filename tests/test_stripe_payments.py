"""Paying through Stripe, against localstripe (a real fake Stripe server, no hand-written
fakes): PaymentIntents created with the payment's ID, declines, 3-D Secure, saved cards and
off-session charges, partial refunds, and the reconciler."""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.models import ProductType
from checkout.models import SessionStatus
from payments.models import Payment, PaymentMethod, PaymentStatus
from payments.processors import processor_for
from payments.processors.base import BrowserMethod, ChargeStatus
from payments.services import checkout_pay, payment_refresh, payments_reconcile_stale
from tests.checkout_factories import billing, make_session
from tests.factories import ProductFactory
from tests.payment_support import age
from tests.stripe_support import DECLINES, SUCCESS, THREE_D_SECURE, authenticate, card_token

pytestmark = pytest.mark.django_db


def pay(session, base: str, number: str):
    return checkout_pay(
        session=session,
        billing=billing(),
        card=BrowserMethod(card_token(base, number)),
        buyer_email="buyer@example.com",
    )


def intent(payment: Payment):
    return processor_for("test").client.v1.payment_intents.retrieve(payment.processor_reference)


def test_a_stripe_payment_completes_order_and_session(product, stripe_env):
    session = make_session(product=product)

    outcome = pay(session, stripe_env, SUCCESS)

    assert outcome.succeeded
    payment = Payment.objects.get()
    assert (payment.status, payment.processor) == (PaymentStatus.SUCCEEDED, "stripe")
    assert payment.processor_reference.startswith("pi_")
    assert (payment.card_brand, payment.card_last4) == ("visa", "4242")
    remote = intent(payment)
    assert remote.metadata["payment_id"] == payment.public_id
    assert (remote.amount, remote.currency) == (payment.amount_minor, "usd")
    assert remote.status == "succeeded"
    session.refresh_from_db()
    assert session.status == SessionStatus.COMPLETED


def test_a_stripe_decline_shows_stripes_message_and_a_retry_pays(product, stripe_env):
    session = make_session(product=product)

    declined = pay(session, stripe_env, DECLINES)

    assert not declined.succeeded and not declined.pending
    assert declined.payment.status == PaymentStatus.FAILED
    assert declined.payment.failure_code == "card_declined"
    assert declined.payment.failure_message == "Your card was declined."
    assert pay(session, stripe_env, SUCCESS).succeeded
    assert Payment.objects.filter(status=PaymentStatus.SUCCEEDED).count() == 1


def test_three_d_secure_waits_for_the_buyer_then_reads_the_outcome_back(product, stripe_env):
    session = make_session(product=product)

    outcome = pay(session, stripe_env, THREE_D_SECURE)

    assert outcome.pending and outcome.client_secret.startswith("pi_")
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.PENDING
    assert intent(payment).status == "requires_action"
    assert payment_refresh(payment=payment).pending  # nothing decided before the buyer
    authenticate(stripe_env, outcome.client_secret, success=True)
    assert payment_refresh(payment=payment).succeeded
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED


def test_a_failed_three_d_secure_fails_the_payment_and_a_retry_pays(product, stripe_env):
    session = make_session(product=product)
    outcome = pay(session, stripe_env, THREE_D_SECURE)

    authenticate(stripe_env, outcome.client_secret, success=False)
    failed = payment_refresh(payment=outcome.payment)

    assert failed.payment.status == PaymentStatus.FAILED
    assert failed.payment.failure_code == "payment_intent_authentication_failure"
    assert "failed authentication" in failed.payment.failure_message
    assert pay(session, stripe_env, SUCCESS).succeeded


def test_a_subscriptions_first_payment_saves_the_card_for_off_session_charges(store, stripe_env):
    product = ProductFactory(store=store, product_type=ProductType.SUBSCRIPTION)
    session = make_session(product=product)

    assert pay(session, stripe_env, SUCCESS).succeeded

    method = PaymentMethod.objects.get()
    assert (method.processor, method.brand, method.last4) == ("stripe", "visa", "4242")
    assert method.processor_token.startswith("cus_")
    assert Payment.objects.get().payment_method == method
    renewal = processor_for("test").charge_saved(
        method_token=method.processor_token,
        amount_minor=2900,
        currency="USD",
        idempotency_key="PAY_renewal1",
    )
    assert renewal.status == ChargeStatus.SUCCEEDED
    assert renewal.reference.startswith("pi_")


def test_a_one_time_payment_saves_no_card(product, stripe_env):
    assert pay(make_session(product=product), stripe_env, SUCCESS).succeeded
    assert not PaymentMethod.objects.exists()
    assert not intent(Payment.objects.get()).customer


def test_an_off_session_decline_is_a_failed_charge(db, stripe_env):
    # localstripe's 0341 declines every charge, so a first payment with it declines too; the
    # saved method (a Stripe customer's card) an off-session charge needs is made directly.
    stripe = processor_for("test").client
    customer = stripe.v1.customers.create(params={"source": card_token(stripe_env, DECLINES)})
    result = processor_for("test").charge_saved(
        method_token=f"{customer.id}:{customer.default_source}",
        amount_minor=2900,
        currency="USD",
        idempotency_key="PAY_renewal2",
    )
    assert (result.status, result.failure_code) == (ChargeStatus.FAILED, "card_declined")


def test_a_partial_then_the_remaining_refund(product, stripe_env):
    assert pay(make_session(product=product), stripe_env, SUCCESS).succeeded
    payment = Payment.objects.get()
    processor = processor_for("test")

    partial = processor.refund(
        reference=payment.processor_reference, amount_minor=1000, idempotency_key="REF_a"
    )
    rest = processor.refund(
        reference=payment.processor_reference,
        amount_minor=payment.amount_minor - 1000,
        idempotency_key="REF_b",
    )

    assert (partial.succeeded, partial.amount_minor) == (True, 1000)
    assert partial.reference.startswith("re_")
    assert (rest.succeeded, rest.amount_minor) == (True, payment.amount_minor - 1000)
    refunds = processor.client.v1.refunds.list(
        params={"payment_intent": payment.processor_reference}
    )
    assert sorted(refund.amount for refund in refunds.data) == [1000, payment.amount_minor - 1000]


def test_a_refund_of_a_failed_payment_is_refused(product, stripe_env):
    declined = pay(make_session(product=product), stripe_env, DECLINES)
    result = processor_for("test").refund(
        reference=declined.payment.processor_reference, amount_minor=100, idempotency_key="R_c"
    )
    assert not result.succeeded and result.amount_minor == 0


def test_the_reconciler_leaves_a_payment_awaiting_3ds_then_records_it(
    product, stripe_env, settings
):
    settings.PAYMENT_RECONCILE_AFTER = 60
    outcome = pay(make_session(product=product), stripe_env, THREE_D_SECURE)
    payment = outcome.payment
    age(payment, seconds=120)

    assert payments_reconcile_stale() == 0
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING

    authenticate(stripe_env, outcome.client_secret, success=True)  # the browser never returns
    age(payment, seconds=120)
    assert payments_reconcile_stale() == 1
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert payment.order.checkout_session.status == SessionStatus.COMPLETED


def test_the_reconciler_cancels_an_abandoned_intent(product, stripe_env, settings):
    settings.PAYMENT_RECONCILE_AFTER = 60
    outcome = pay(make_session(product=product), stripe_env, THREE_D_SECURE)
    payment = outcome.payment
    Payment.objects.filter(pk=payment.pk).update(
        created_at=timezone.now() - timedelta(seconds=settings.PAYMENT_ABANDON_AFTER + 1)
    )
    age(payment, seconds=120)

    assert payments_reconcile_stale() == 1

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.CANCELED
    assert intent(payment).status == "canceled"
