"""Replacing a subscription's card (the portal's "update card"): saving the card with the
processor without charging it, using it for the next renewal, and, past due, retrying the
due renewal with it once, at once, through the renewal machinery."""

import pytest

from core.errors import BadRequest
from core.models import DomainEvent
from orders.models import OrderStatus
from payments.cards import DECLINED_CARD, SUCCESS_CARD
from payments.models import Payment, PaymentMethod, SandboxCard, SandboxCharge
from payments.saved_methods import CardRefused, payment_method_save
from subscriptions.payment_method_update import subscription_payment_method_update
from subscriptions.services import subscription_cancel
from tests.checkout_factories import card
from tests.concurrency_support import race
from tests.factories import MerchantFactory, StoreFactory
from tests.subscription_support import DECLINES_RENEWALS, advance, subscribe, subscription_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(store):
    return subscription_product(store)


def new_method(order, number=SUCCESS_CARD, key="k1"):
    return payment_method_save(
        store_id=order.store_id,
        environment=order.environment,
        buyer_email=order.buyer_email,
        buyer_identity=order.buyer_identity,
        card=card(number),
        idempotency_key=f"{order.public_id}-{key}",
    )


def past_due(plan):
    subscription = subscribe(plan, number=DECLINES_RENEWALS)
    out = advance(subscription, periods=1)
    assert out["order"]["status"] == "past_due"
    subscription.refresh_from_db()
    return subscription


def test_saving_a_card_charges_nothing_and_one_key_saves_one_card(plan):
    order = subscribe(plan).order
    charges = SandboxCharge.objects.count()

    first = new_method(order)
    again = new_method(order)

    assert first == again
    assert (first.brand, first.last4, first.environment) == ("visa", "4242", "test")
    assert first.buyer_identity == order.buyer_identity
    assert SandboxCharge.objects.count() == charges
    assert SandboxCard.objects.filter(token=first.processor_token).count() == 1


def test_a_declined_card_is_refused_and_nothing_is_saved(plan):
    order = subscribe(plan).order
    methods = PaymentMethod.objects.count()

    with pytest.raises(CardRefused) as refused:
        new_method(order, DECLINED_CARD)

    assert refused.value.message == "Your card was declined."
    assert PaymentMethod.objects.count() == methods


def test_on_an_active_subscription_the_new_card_pays_the_next_renewal(plan):
    subscription = subscribe(plan)
    old = subscription.payment_method
    method = new_method(subscription.order, "5555 5555 5555 4444")

    update = subscription_payment_method_update(order=subscription.order, method=method)

    assert not update.retried
    subscription.refresh_from_db()
    assert subscription.payment_method == method != old
    assert Payment.objects.filter(order=subscription.order).count() == 1  # nothing charged now
    advance(subscription, periods=1)
    renewal = Payment.objects.get(order=subscription.order, period=2)
    assert (renewal.status, renewal.payment_method, renewal.card_last4) == (
        "succeeded",
        method,
        "4444",
    )


def test_past_due_a_new_card_retries_the_due_renewal_at_once(plan):
    subscription = past_due(plan)
    method = new_method(subscription.order)

    update = subscription_payment_method_update(order=subscription.order, method=method)

    assert (update.retried, update.outcome, update.order.status) == (True, "renewed", "active")
    payments = Payment.objects.filter(order=subscription.order, period=2).order_by("created_at")
    assert [(p.status, p.payment_method_id) for p in payments] == [
        ("failed", subscription.payment_method_id),
        ("succeeded", method.pk),
    ]
    subscription.refresh_from_db()
    assert (subscription.period_number, subscription.failed_attempts) == (2, 0)
    assert subscription.next_retry_at is None
    assert DomainEvent.objects.filter(name="subscription.recovered").count() == 1


def test_the_same_card_retries_a_period_only_once(plan):
    subscription = past_due(plan)
    # A card that pays in the buyer's presence and declines every renewal: the retry fails.
    method = new_method(subscription.order, DECLINES_RENEWALS)

    first = subscription_payment_method_update(order=subscription.order, method=method)
    second = subscription_payment_method_update(order=subscription.order, method=method)

    assert (first.retried, first.order.status) == (True, OrderStatus.PAST_DUE)
    assert not second.retried
    assert (
        Payment.objects.filter(order=subscription.order, period=2, payment_method=method).count()
        == 1
    )
    subscription.refresh_from_db()
    assert subscription.failed_attempts == 2  # the worker's decline and the retry's
    assert subscription.next_retry_at is not None


def test_an_ended_subscription_keeps_its_card(plan):
    subscription = subscribe(plan)
    subscription_cancel(order=subscription.order)
    advance(subscription, periods=1)  # canceling ends at period end
    subscription.refresh_from_db()
    method = new_method(subscription.order)

    with pytest.raises(BadRequest):
        subscription_payment_method_update(order=subscription.order, method=method)

    subscription.refresh_from_db()
    assert subscription.payment_method != method


def test_a_card_of_another_store_is_refused(plan):
    subscription = subscribe(plan)
    other = subscribe(subscription_product(StoreFactory(owner=MerchantFactory())))
    method = new_method(other.order)

    with pytest.raises(BadRequest):
        subscription_payment_method_update(order=subscription.order, method=method)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_buyers_submitting_one_card_at_once_retry_once():
    subscription = past_due(subscription_product(StoreFactory(owner=MerchantFactory())))
    method = new_method(subscription.order)

    results = race(
        lambda index: subscription_payment_method_update(order=subscription.order, method=method),
        6,
    )

    assert not [r for r in results if isinstance(r, BaseException)], results
    renewals = Payment.objects.filter(order=subscription.order, period=2, payment_method=method)
    assert [p.status for p in renewals] == ["succeeded"]
    # Charged once at the processor too (not only recorded once).
    assert SandboxCharge.objects.filter(saved_card__token=method.processor_token).count() == 1
    subscription.refresh_from_db()
    assert (subscription.period_number, subscription.order.status) == (2, "active")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_buyers_submitting_one_declining_card_at_once_try_it_once():
    subscription = past_due(subscription_product(StoreFactory(owner=MerchantFactory())))
    method = new_method(subscription.order, DECLINES_RENEWALS)

    results = race(
        lambda index: subscription_payment_method_update(order=subscription.order, method=method),
        6,
    )

    assert not [r for r in results if isinstance(r, BaseException)], results
    tries = Payment.objects.filter(order=subscription.order, period=2, payment_method=method)
    assert [p.status for p in tries] == ["failed"]
    subscription.refresh_from_db()
    assert (subscription.failed_attempts, subscription.order.status) == (2, "past_due")
