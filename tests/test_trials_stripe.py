"""Trials through Stripe, against localstripe: a free trial saves the card with a
SetupIntent (nothing charged; Stripe refuses a PaymentIntent of 0), a trial price is a
PaymentIntent as any first payment, and the first charge at trial end is an off-session
PaymentIntent on the saved card."""

import pytest

from orders.models import OrderStatus
from payments.models import Payment, PaymentMethod
from payments.processors import processor_for
from payments.processors.base import BrowserMethod
from payments.services import checkout_pay
from subscriptions.services import subscription_start
from tests.checkout_factories import billing
from tests.stripe_support import SUCCESS, card_token
from tests.subscription_support import advance
from tests.trial_support import PLAN_PRICE, checkout, trial_product

pytestmark = pytest.mark.django_db


def pay(session, base: str, number: str = SUCCESS):
    return checkout_pay(
        session=session,
        billing=billing("DE"),
        card=BrowserMethod(card_token(base, number)),
        buyer_identity="buyer-1",
    )


def test_a_free_trial_saves_the_card_with_a_setup_intent_and_charges_at_trial_end(
    store, stripe_env
):
    outcome = pay(checkout(trial_product(store)), stripe_env)

    assert outcome.succeeded
    first = Payment.objects.get()
    assert (first.amount_minor, first.processor_reference[:5]) == (0, "seti_")
    client = processor_for("test").client
    setup = client.v1.setup_intents.retrieve(first.processor_reference)
    assert (setup.status, setup.metadata["payment_id"]) == ("succeeded", first.public_id)
    intents = client.v1.payment_intents.list(params={"limit": 100}).auto_paging_iter()
    # No money moved: no PaymentIntent for this payment (the server is shared by the suite).
    assert not [
        pi
        for pi in intents
        if pi.to_dict().get("metadata", {}).get("payment_id") == first.public_id
    ]
    method = PaymentMethod.objects.get()
    assert (method.processor, method.last4) == ("stripe", "4242")
    assert first.payment_method == method
    assert outcome.order.status == OrderStatus.TRIALING

    out = advance(subscription_start(order=outcome.order), periods=1)

    assert out["order"]["status"] == "active"
    assert [(p["period"], p["amount"]) for p in out["payments"]] == [(1, "0.00"), (2, PLAN_PRICE)]
    renewal = Payment.objects.get(period=2)
    intent = client.v1.payment_intents.retrieve(renewal.processor_reference)
    assert (intent.status, intent.amount) == ("succeeded", 3451)


def test_a_trial_price_is_an_ordinary_payment_intent(store, stripe_env):
    outcome = pay(checkout(trial_product(store, trial_amount="1.00")), stripe_env)

    assert outcome.succeeded
    assert outcome.payment.processor_reference.startswith("pi_")
    assert outcome.payment.amount_minor == 119


def test_a_setup_intent_is_looked_up_and_voided_as_a_payment_intent_is(db, stripe_env):
    processor = processor_for("test")
    prepared = processor.prepare(
        amount_minor=0,
        currency="USD",
        card=BrowserMethod(card_token(stripe_env, SUCCESS)),
        idempotency_key="PAY_lost_setup",
        save_for_later=True,
    )
    assert prepared.reference.startswith("seti_")
    processor.charge(
        amount_minor=0,
        currency="USD",
        card=BrowserMethod(""),
        idempotency_key="PAY_lost_setup",
        reference=prepared.reference,
    )
    found = processor.lookup(reference=prepared.reference)
    assert found.succeeded and found.saved_method.token.startswith("cus_")
    never = processor.prepare(
        amount_minor=0,
        currency="USD",
        card=BrowserMethod(card_token(stripe_env, SUCCESS)),
        idempotency_key="PAY_never_confirmed",
        save_for_later=True,
    )
    assert processor.lookup(reference=never.reference) is None  # never confirmed
    voided = processor.void(idempotency_key="PAY_never_confirmed", reference=never.reference)
    assert voided.status == "canceled"
