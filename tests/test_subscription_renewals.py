"""Renewals, dunning and ends of subscriptions, driven through the test clock (the
``advance_test_clock`` command) and the worker's sweep."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from catalog import services as catalog_services
from core.models import DomainEvent
from core.timefmt import iso_utc
from orders.models import Order, OrderStatus
from payments.models import Payment, SandboxCard, SandboxCharge
from payments.services import checkout_pay
from subscriptions import renewals
from subscriptions.models import Subscription
from subscriptions.periods import period_end
from subscriptions.renewals import subscription_renew, subscriptions_renew_due
from subscriptions.services import subscription_cancel, subscription_reactivate
from tests.checkout_factories import billing, make_session, success_card
from tests.factories import ProductFactory
from tests.refund_support import paid_payment
from tests.subscription_support import DECLINES_RENEWALS, advance, subscribe, subscription_product
from tests.worker_support import run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(store):
    return subscription_product(store)


def events(name: str) -> int:
    return DomainEvent.objects.filter(name=name).count()


def test_a_paid_subscription_order_starts_its_subscription(plan):
    checkout = make_session(product=plan, buyerEmail="buyer@example.com")

    order = checkout_pay(session=checkout, billing=billing("DE"), card=success_card()).order
    run_worker()  # the order.completed handler

    subscription = Subscription.objects.get(order=order)
    assert (subscription.billing_period, subscription.unit_amount_minor) == ("monthly", 2900)
    assert subscription.current_period_start == order.completed_at
    assert subscription.current_period_end == period_end(order.completed_at, "monthly")
    assert subscription.payment_method is not None
    assert subscription.payment_method == Payment.objects.get(order=order).payment_method
    assert order.status == OrderStatus.ACTIVE


def test_each_period_renews_once_at_the_locked_price_with_tax(plan):
    subscription = subscribe(plan)
    first_end = subscription.current_period_end

    out = advance(subscription, periods=3)

    assert out["order"]["status"] == "active"
    assert out["order"]["periodNumber"] == 4
    payments = out["payments"]
    assert [(p["period"], p["status"], p["amount"]) for p in payments] == [
        (1, "succeeded", "34.51"),
        (2, "succeeded", "34.51"),
        (3, "succeeded", "34.51"),
        (4, "succeeded", "34.51"),
    ]
    subscription.refresh_from_db()
    second_end = period_end(first_end, "monthly", anchor=subscription.anchor)
    assert subscription.current_period_start == period_end(second_end, "monthly")
    assert events("subscription.renewed") == 3
    assert SandboxCharge.objects.count() == 4


def test_a_later_price_change_never_reaches_the_subscription(plan):
    subscription = subscribe(plan)
    catalog_services.product_update(
        product=plan, prices={"USD": {"amount": "99.00", "taxCategory": "saas"}}
    )

    out = advance(subscription)

    assert [p["amount"] for p in out["payments"]] == ["34.51", "34.51"]


def test_nothing_renews_before_the_period_ends(plan):
    subscription = subscribe(plan)

    assert subscription_renew(order_id=subscription.pk) == "not_due"
    assert subscriptions_renew_due() == 0
    assert Payment.objects.count() == 1


def test_the_worker_renews_what_is_due_in_real_time(plan):
    subscription = subscribe(plan)
    Subscription.objects.filter(pk=subscription.pk).update(
        current_period_end=timezone.now() - timedelta(minutes=1)
    )

    run_worker()

    assert Payment.objects.filter(order=subscription.order, period=2, status="succeeded").exists()
    assert run_worker() == 0 and Payment.objects.count() == 2  # once


def test_a_declined_renewal_is_past_due_and_retried_then_canceled(plan, settings):
    settings.SUBSCRIPTION_RETRY_DAYS = "3,5,7"
    subscription = subscribe(plan, number=DECLINES_RENEWALS)
    end = subscription.current_period_end

    first = advance(subscription)

    assert first["order"]["status"] == "past_due"
    assert first["order"]["nextRetryAt"] == iso_utc(end + timedelta(days=3))
    assert [(p["period"], p["status"]) for p in first["payments"]] == [
        (1, "succeeded"),
        (2, "failed"),
    ]

    out = advance(subscription)

    # The retries on days 3, 5 and 7 after the period's end all declined.
    assert out["order"]["status"] == "canceled"
    assert [(p["period"], p["status"]) for p in out["payments"]] == [
        (1, "succeeded"),
        (2, "failed"),
        (2, "failed"),
        (2, "failed"),
        (2, "failed"),
    ]
    assert events("subscription.past_due") == 1 and events("subscription.canceled") == 1
    subscription.refresh_from_db()
    assert subscription.ended_at == end + timedelta(days=7)


def test_a_retry_that_succeeds_recovers_the_subscription(plan, settings):
    settings.SUBSCRIPTION_RETRY_DAYS = "3,5,7"
    subscription = subscribe(plan, number=DECLINES_RENEWALS)
    end = subscription.current_period_end
    subscription_renew(order_id=subscription.pk, now=end)
    subscription.refresh_from_db()
    assert subscription.order.status == "past_due"
    assert subscription.next_retry_at == end + timedelta(days=3)
    SandboxCard.objects.update(behaviour="succeeds")  # the bank accepts the card again

    assert subscription_renew(order_id=subscription.pk, now=end + timedelta(days=3)) == "renewed"

    subscription.refresh_from_db()
    assert subscription.order.status == "active" and subscription.period_number == 2
    assert subscription.current_period_start == end  # the period keeps its anchor
    assert events("subscription.recovered") == 1


def test_a_canceling_subscription_ends_at_period_end_instead_of_renewing(plan):
    subscription = subscribe(plan)
    assert subscription_cancel(order=subscription.order).status == "canceling"

    out = advance(subscription)

    assert out["order"]["status"] == "canceled"
    assert [p["period"] for p in out["payments"]] == [1]
    assert events("subscription.canceling") == 1 and events("subscription.canceled") == 1


def test_undoing_a_cancellation_keeps_it_renewing(plan):
    subscription = subscribe(plan)
    subscription_cancel(order=subscription.order)
    assert subscription_reactivate(order=subscription.order).status == "active"

    out = advance(subscription)

    assert out["order"]["status"] == "active" and out["order"]["canceledAt"] is None
    assert [p["period"] for p in out["payments"]] == [1, 2]
    assert events("subscription.uncanceled") == 1


def test_a_renewal_charged_before_a_crash_is_settled_without_charging_again(plan, monkeypatch):
    subscription = subscribe(plan)
    end = subscription.current_period_end

    def crash(*args, **kwargs):
        raise RuntimeError("worker killed after the charge")

    monkeypatch.setattr(renewals, "_settle", crash)
    with pytest.raises(RuntimeError):
        subscription_renew(order_id=subscription.pk, now=end)
    monkeypatch.undo()

    assert subscription_renew(order_id=subscription.pk, now=end) == "renewed"
    assert SandboxCharge.objects.count() == 2
    subscription.refresh_from_db()
    assert subscription.period_number == 2


def test_the_test_clock_refuses_what_it_cannot_move(plan, store):
    prod = subscribe(plan)
    Order.objects.filter(pk=prod.pk).update(environment="prod")
    onetime = paid_payment(ProductFactory(store=store)).order
    for order_id, message in (
        (prod.order.public_id, "The test clock only runs in the test environment"),
        (onetime.public_id, "The test clock only runs for subscription orders"),
        ("ORD_0", "Order not found"),
        ("nonsense", "Order not found"),
    ):
        with pytest.raises(CommandError, match=message):
            call_command("advance_test_clock", "--order", order_id, "--periods", "1")
    assert Payment.objects.filter(period__gt=1).count() == 0


def test_the_receipt_shows_the_next_charge_date(client, plan, store):
    subscription = subscribe(plan)
    session = subscription.order.checkout_session
    url = f"/store/{store.slug}/checkout/{session.public_id}/receipt"
    day = subscription.current_period_end.date().isoformat()

    html = client.get(url).content.decode()
    assert "Next charge" in html and f">{day}</time>" in html

    subscription_cancel(order=subscription.order)
    html = client.get(url).content.decode()
    assert "Ends on" in html and f">{day}</time>" in html
