"""Trials: the card is saved at checkout, the subscription starts trialing with the trial as
its first period, and the first charge of the locked price comes at trial end through the
renewal machinery, driven by the test clock."""

import json
from datetime import timedelta

import pytest

from core.models import DomainEvent
from core.timefmt import iso_utc
from orders.models import OrderStatus
from payments.models import Payment, SandboxCard, SandboxCharge
from subscriptions.renewals import subscription_renew
from subscriptions.selectors import next_charge
from subscriptions.services import subscription_cancel, subscription_reactivate
from tests.graphql_support import gql
from tests.subscription_support import DECLINES_RENEWALS, advance
from tests.trial_support import PLAN_PRICE, TRIAL_DAYS, start_trial, trial_product
from tests.webhook_support import endpoint_for
from tests.worker_support import run_worker
from webhooks.models import WebhookDelivery

pytestmark = pytest.mark.django_db


def events(name: str) -> list[DomainEvent]:
    return list(DomainEvent.objects.filter(name=name).order_by("created_at"))


def test_a_free_trial_saves_the_card_without_charging_and_starts_trialing(store):
    subscription = start_trial(trial_product(store))
    order = subscription.order

    assert order.status == OrderStatus.TRIALING
    first = Payment.objects.get(order=order)
    assert (first.period, first.status, first.amount_minor) == (1, "succeeded", 0)
    assert SandboxCharge.objects.get().amount_minor == 0  # a card check: no money moved
    assert subscription.payment_method == first.payment_method is not None
    assert subscription.current_period_start == order.completed_at
    assert subscription.trial_end == order.completed_at + timedelta(days=TRIAL_DAYS)
    assert subscription.current_period_end == subscription.trial_end
    assert subscription.unit_amount_minor == 2900  # the locked plan price, charged later
    charge = next_charge(order=order)
    assert (charge.at, charge.ends) == (subscription.trial_end, False)


def test_advancing_over_the_trial_end_charges_the_first_period_once(store):
    subscription = start_trial(trial_product(store))
    trial_end = subscription.trial_end

    out = advance(subscription, periods=1)

    assert out["order"]["status"] == "active"
    assert out["order"]["currentPeriodStart"] == iso_utc(trial_end)
    assert [(p["period"], p["status"], p["amount"]) for p in out["payments"]] == [
        (1, "succeeded", "0.00"),
        (2, "succeeded", PLAN_PRICE),
    ]
    assert len(events("subscription.activated")) == 1
    assert events("subscription.activated")[0].payload["period"] == 2
    assert not events("subscription.renewed")

    out = advance(subscription, periods=1)  # then it renews as any subscription does

    assert [p["amount"] for p in out["payments"]] == ["0.00", PLAN_PRICE, PLAN_PRICE]
    assert len(events("subscription.renewed")) == 1
    assert len(events("subscription.activated")) == 1


def test_a_trial_price_is_charged_at_checkout_then_the_plan_price_at_trial_end(store):
    subscription = start_trial(trial_product(store, trial_amount="1.00"))
    assert subscription.order.status == OrderStatus.TRIALING

    out = advance(subscription, periods=1)

    assert [(p["period"], p["amount"]) for p in out["payments"]] == [(1, "1.19"), (2, PLAN_PRICE)]
    assert out["order"]["status"] == "active"


def test_a_declined_first_charge_at_trial_end_makes_it_past_due_then_canceled(store, settings):
    settings.SUBSCRIPTION_RETRY_DAYS = "3,5"
    subscription = start_trial(trial_product(store), number=DECLINES_RENEWALS)
    trial_end = subscription.trial_end

    out = advance(subscription, periods=1)

    assert out["order"]["status"] == "past_due"
    assert out["order"]["nextRetryAt"] == iso_utc(trial_end + timedelta(days=3))
    assert [(p["period"], p["status"]) for p in out["payments"]] == [
        (1, "succeeded"),
        (2, "failed"),
    ]
    assert len(events("subscription.past_due")) == 1
    assert not events("subscription.activated")

    out = advance(subscription, periods=1)

    assert out["order"]["status"] == "canceled"
    assert [p["status"] for p in out["payments"]] == ["succeeded", "failed", "failed", "failed"]


def test_a_retry_after_a_declined_first_charge_activates_the_subscription(store):
    subscription = start_trial(trial_product(store), number=DECLINES_RENEWALS)
    trial_end = subscription.trial_end
    subscription_renew(order_id=subscription.pk, now=trial_end)
    SandboxCard.objects.update(behaviour="succeeds")  # the bank accepts the card again

    assert subscription_renew(order_id=subscription.pk, now=trial_end + timedelta(days=3)) == (
        "renewed"
    )

    subscription.refresh_from_db()
    assert subscription.order.status == "active"
    assert (subscription.period_number, subscription.current_period_start) == (2, trial_end)
    assert len(events("subscription.recovered")) == 1
    assert len(events("subscription.activated")) == 1  # its first paid period began
    assert not events("subscription.renewed")


def test_cancel_during_the_trial_ends_it_at_trial_end_without_charging(store):
    subscription = start_trial(trial_product(store))

    order = subscription_cancel(order=subscription.order)
    assert order.status == OrderStatus.CANCELING
    charge = next_charge(order=order)
    assert (charge.at, charge.ends) == (subscription.trial_end, True)

    out = advance(subscription, periods=1)

    assert out["order"]["status"] == "canceled"
    assert [p["period"] for p in out["payments"]] == [1]
    assert SandboxCharge.objects.count() == 1
    assert not events("subscription.trial_ending")  # no charge is coming: nothing to remind


def test_reactivating_a_canceled_trial_resumes_the_trial_and_its_first_charge(store):
    subscription = start_trial(trial_product(store))
    subscription_cancel(order=subscription.order)

    order = subscription_reactivate(order=subscription.order)

    assert order.status == OrderStatus.TRIALING
    assert order.canceled_at is None
    out = advance(subscription, periods=1)
    assert out["order"]["status"] == "active"
    assert [p["amount"] for p in out["payments"]] == ["0.00", PLAN_PRICE]


def test_webhooks_activate_the_subscription_with_its_first_paid_period(store):
    endpoint_for(store, "http://127.0.0.1:9/hooks")
    subscription = start_trial(trial_product(store))
    run_worker()
    assert not WebhookDelivery.objects.exists()  # a free trial activates and charges nothing

    advance(subscription, periods=1)
    run_worker()

    bodies = {d.event_type: json.loads(d.body) for d in WebhookDelivery.objects.all()}
    assert set(bodies) == {"subscription.activated", "subscription.payment_succeeded"}
    activated = bodies["subscription.activated"]["data"]
    subscription.refresh_from_db()
    assert activated["orderStatus"] == "active"
    assert activated["planPrice"]["total"] == PLAN_PRICE
    assert activated["currentPeriodStart"].startswith(subscription.trial_end.date().isoformat())
    paid = bodies["subscription.payment_succeeded"]["data"]
    second = Payment.objects.get(order=subscription.order, period=2)
    assert (paid["paymentId"], paid["chargedAmount"]) == (second.public_id, PLAN_PRICE)
    assert "orderStatus" not in paid


def test_a_paid_trial_checkout_sends_its_payment_but_no_activation(store):
    endpoint_for(store, "http://127.0.0.1:9/hooks")
    start_trial(trial_product(store, trial_amount="1.00"))

    run_worker()

    assert [d.event_type for d in WebhookDelivery.objects.all()] == [
        "subscription.payment_succeeded"
    ]


def test_the_receipt_shows_the_trial_end_as_the_first_charge(client, store):
    subscription = start_trial(trial_product(store))
    session = subscription.order.checkout_session
    url = f"/store/{store.slug}/checkout/{session.public_id}/receipt"

    html = client.get(url).content.decode()

    day = subscription.trial_end.date().isoformat()
    assert "Trial ends, first charge" in html and f">{day}</time>" in html
    advance(subscription, periods=1)
    subscription.refresh_from_db()
    html = client.get(url).content.decode()
    assert "Trial ends" not in html
    assert f">{subscription.current_period_end.date().isoformat()}</time>" in html


def test_graphql_reads_the_trial_as_the_current_period(api, store):
    subscription = start_trial(trial_product(store))
    query = "query($id: ID!) { subscriptionOrder(id: $id) { status currentPeriodEnd } }"

    status, body = gql(api, query, id=subscription.order.public_id)

    assert status == 200, body
    assert body["data"]["subscriptionOrder"] == {
        "status": "trialing",
        "currentPeriodEnd": iso_utc(subscription.trial_end),
    }
