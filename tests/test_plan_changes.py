"""Plan change sessions on ``checkout/create-session`` (``originOrderId``), the change page,
and applying changes: now with a prorated charge, at the next renewal, or not at all."""

import json

import pytest
from django.test import Client
from django.utils import timezone

from core.models import DomainEvent
from payments.models import Payment, SandboxCharge
from payments.processors.base import ProcessorError
from payments.processors.sandbox import TestCardProcessor
from subscriptions.models import PlanChange, PlanCredit, Subscription
from subscriptions.plan_change_apply import credit_balance, plan_change_confirm
from tests.graphql_support import gql
from tests.payment_support import age
from tests.plan_change_support import SESSION, change_body, change_of, page_path, plan_at
from tests.subscription_support import DECLINES_RENEWALS, advance, subscribe
from tests.webhook_support import endpoint_for
from tests.worker_support import run_worker
from webhooks.models import WebhookDelivery

pytestmark = pytest.mark.django_db


def events(name: str) -> int:
    return DomainEvent.objects.filter(name=name).count()


def test_an_upgrade_session_points_at_the_change_page(api, basic, pro, settings):
    subscription = subscribe(basic)

    response = api.post(SESSION, change_body(subscription, pro))

    data = response.json()["data"]
    change = change_of(response)
    assert data["sessionId"] == change.public_id
    assert data["checkoutUrl"] == f"{settings.PUBLIC_BASE_URL}{page_path(change)}"
    assert change.timing == "immediate"  # an upgrade: now
    assert change.due_now_minor > 0
    assert data["expiresAt"].endswith("Z")


def test_a_downgrade_defaults_to_the_next_period(api, basic, pro):
    subscription = subscribe(pro)

    change = change_of(api.post(SESSION, change_body(subscription, basic)))

    assert change.timing == "next_period" and change.due_now_minor == 0


def test_the_page_names_both_plans_and_the_prorated_charge(api, basic, pro):
    subscription = subscribe(basic)
    change = change_of(api.post(SESSION, change_body(subscription, pro)))

    response = Client().get(page_path(change))

    text = response.content.decode()
    assert response.status_code == 200
    assert "Basic" in text and "Pro" in text
    assert "Charged now" in text and "Next charge" in text
    assert subscription.current_period_end.strftime("%Y-%m-%d") in text


def test_confirming_an_upgrade_charges_and_switches_once(api, basic, pro, store):
    subscription = subscribe(basic)
    change = change_of(api.post(SESSION, change_body(subscription, pro)))

    first = Client().post(page_path(change))
    second = Client().post(page_path(change))  # a double click

    assert first.status_code == second.status_code == 303
    change.refresh_from_db()
    assert change.status == "applied"
    [charge] = Payment.objects.filter(order=subscription.order, period=0)
    assert charge.status == "succeeded" and charge.amount_minor == change.due_now_minor
    subscription.refresh_from_db()
    assert subscription.unit_amount_minor == 3000
    assert subscription.product_version.product_id == pro.pk
    assert events("subscription.plan_changed") == 1
    page = Client().get(page_path(change)).content.decode()
    assert "Your plan has changed" in page


def test_a_declined_charge_keeps_the_current_plan(api, basic, pro):
    subscription = subscribe(basic, number=DECLINES_RENEWALS)
    change = change_of(api.post(SESSION, change_body(subscription, pro)))

    plan_change_confirm(change_id=change.pk)

    change.refresh_from_db()
    subscription.refresh_from_db()
    assert change.status == "failed"
    assert subscription.unit_amount_minor == 1000
    assert events("subscription.plan_change_failed") == 1
    assert events("subscription.plan_changed") == 0
    assert "Your plan was not changed" in Client().get(page_path(change)).content.decode()


def test_a_scheduled_downgrade_applies_at_the_renewal_through_the_test_clock(api, basic, pro):
    subscription = subscribe(pro)
    change = change_of(api.post(SESSION, change_body(subscription, basic)))
    plan_change_confirm(change_id=change.pk)
    change.refresh_from_db()
    assert change.status == "scheduled"
    assert events("subscription.plan_change_scheduled") == 1
    assert Subscription.objects.get(pk=subscription.pk).unit_amount_minor == 3000

    out = advance(subscription, periods=1)

    change.refresh_from_db()
    assert change.status == "applied"
    renewal = Payment.objects.get(order=subscription.order, period=2)
    assert renewal.amount_minor == 1190  # 10.00 + 19 % German VAT, the new plan's price
    assert out["order"]["periodNumber"] == 2
    assert events("subscription.plan_changed") == 1


def test_a_merchant_credit_is_spent_by_the_next_renewal(api, basic, pro):
    subscription = subscribe(pro)
    body = change_body(subscription, basic, changeTiming="immediate", changeCreditAmount="5.00")
    change = change_of(api.post(SESSION, body))

    plan_change_confirm(change_id=change.pk)
    advance(subscription, periods=1)

    assert change.due_now_minor == -500
    assert PlanCredit.objects.filter(plan_change=change).get().amount_minor == 500
    renewal = Payment.objects.get(order=subscription.order, period=2)
    assert renewal.amount_minor == 1190 - 500
    assert not Payment.objects.filter(order=subscription.order, period=0).exists()


def test_a_merchant_credit_on_a_downgrade_without_timing_is_made_now(api, basic, pro):
    subscription = subscribe(pro)
    body = change_body(subscription, basic, changeCreditAmount="5.00")

    change = change_of(api.post(SESSION, body))

    assert (change.timing, change.due_now_minor) == ("immediate", -500)


def test_a_merchant_change_amount_is_charged_as_given(api, basic, pro):
    subscription = subscribe(basic)
    change = change_of(api.post(SESSION, change_body(subscription, pro, changeAmount="12.00")))

    plan_change_confirm(change_id=change.pk)

    assert Payment.objects.get(order=subscription.order, period=0).amount_minor == 1200
    assert change.tax_now_minor == 192  # 12.00 includes 19 % VAT: 1.92


def test_a_later_scheduled_change_supersedes_the_earlier(api, store, pro, basic):
    middle = plan_at(store, "20.00", "Middle")
    subscription = subscribe(pro)
    first = change_of(api.post(SESSION, change_body(subscription, basic)))
    later = change_of(api.post(SESSION, change_body(subscription, middle)))

    plan_change_confirm(change_id=first.pk)
    plan_change_confirm(change_id=later.pk)

    assert PlanChange.objects.get(pk=first.pk).status == "superseded"
    assert PlanChange.objects.get(pk=later.pk).status == "scheduled"


def test_an_expired_link_changes_nothing(api, basic, pro):
    subscription = subscribe(basic)
    change = change_of(api.post(SESSION, change_body(subscription, pro)))
    PlanChange.objects.filter(pk=change.pk).update(expires_at=timezone.now())

    response = Client().post(page_path(change))

    assert response.status_code == 409
    assert "expired" in response.content.decode()
    assert PlanChange.objects.get(pk=change.pk).status == "open"
    shown = Client().get(page_path(change)).content.decode()
    assert "This plan change link has expired" in shown and "confirm-change" not in shown
    assert not Payment.objects.filter(period=0).exists()


def test_a_link_offered_before_a_renewal_is_stale(api, basic, pro):
    subscription = subscribe(basic)
    change = change_of(api.post(SESSION, change_body(subscription, pro)))
    advance(subscription, periods=1)

    response = Client().post(page_path(change))

    assert response.status_code == 409
    assert PlanChange.objects.get(pk=change.pk).status == "open"


def test_new_purchases_still_work_on_the_same_endpoint(api, basic):
    response = api.post(SESSION, {"productId": basic.public_id, "currency": "USD"})

    assert response.status_code == 200
    assert "/checkout/cs_" in response.json()["data"]["checkoutUrl"]


def test_plan_change_webhooks_carry_the_new_plan(api, store, basic, pro):
    events_wanted = [
        "subscription.plan_changed",
        "subscription.plan_change_scheduled",
        "subscription.plan_change_failed",
    ]
    endpoint_for(store, "http://127.0.0.1:9/hooks", events=events_wanted)
    subscription = subscribe(pro)
    later = change_of(api.post(SESSION, change_body(subscription, basic)))
    plan_change_confirm(change_id=later.pk)
    run_worker()  # bodies are built when the event is handled
    declined = subscribe(basic, number=DECLINES_RENEWALS)
    plan_change_confirm(change_id=change_of(api.post(SESSION, change_body(declined, pro))).pk)
    advance(subscription, periods=1)  # the scheduled downgrade takes effect

    run_worker()

    bodies = {d.event_type: json.loads(d.body) for d in WebhookDelivery.objects.all()}
    assert set(bodies) == set(events_wanted)
    changed = bodies["subscription.plan_changed"]["data"]
    assert changed["orderId"] == subscription.order.public_id
    assert changed["productName"] == "Basic"
    assert changed["planPrice"]["total"] == "11.90"
    assert changed["orderStatus"] == "active" and changed["billingPeriod"] == "monthly"
    scheduled = bodies["subscription.plan_change_scheduled"]["data"]
    assert scheduled["productName"] == "Pro" and scheduled["planPrice"]["total"] == "35.70"
    failed = bodies["subscription.plan_change_failed"]["data"]
    assert failed["orderId"] == declined.order.public_id and failed["productName"] == "Basic"


def test_a_credit_larger_than_a_renewal_carries_over(api, basic, pro):
    subscription = subscribe(pro)
    body = change_body(subscription, basic, changeTiming="immediate", changeCreditAmount="20.00")
    plan_change_confirm(change_id=change_of(api.post(SESSION, body)).pk)

    advance(subscription, periods=2)

    second, third = (Payment.objects.get(order=subscription.order, period=n) for n in (2, 3))
    assert (second.status, second.amount_minor) == ("succeeded", 0)  # 11.90 paid by credit
    # Nothing to charge: no processor was asked (Stripe refuses a charge of 0).
    assert not SandboxCharge.objects.filter(idempotency_key=second.public_id).exists()
    assert (third.status, third.amount_minor) == ("succeeded", 1190 - 810)
    assert credit_balance(subscription=subscription) == 0


def test_a_declined_renewal_gives_its_credit_spend_back(api, basic, pro):
    subscription = subscribe(pro, number=DECLINES_RENEWALS)
    body = change_body(subscription, basic, changeTiming="immediate", changeCreditAmount="5.00")
    plan_change_confirm(change_id=change_of(api.post(SESSION, body)).pk)

    advance(subscription, periods=1)

    renewal = Payment.objects.get(order=subscription.order, period=2)
    assert (renewal.status, renewal.amount_minor) == ("failed", 1190 - 500)
    assert credit_balance(subscription=subscription) == 500


def test_a_merchant_price_snapshot_prices_the_target_plan(api, basic, pro):
    subscription = subscribe(basic)
    snapshot = {"amount": "20.00", "taxCategory": "saas"}

    change = change_of(api.post(SESSION, change_body(subscription, pro, priceSnapshot=snapshot)))
    plan_change_confirm(change_id=change.pk)

    assert Subscription.objects.get(pk=subscription.pk).unit_amount_minor == 2000


def test_graphql_shows_the_plan_the_subscription_is_on(api, basic, pro):
    subscription = subscribe(basic)
    plan_change_confirm(change_id=change_of(api.post(SESSION, change_body(subscription, pro))).pk)
    query = "query ($id: ID!) { subscriptionOrder(id: $id) { billingPeriod subscriptionProduct { id name } } }"

    status, body = gql(api, query, id=subscription.order.public_id)

    assert status == 200 and "errors" not in body, body
    order = body["data"]["subscriptionOrder"]
    assert order["subscriptionProduct"] == {"id": pro.public_id, "name": "Pro"}
    assert order["billingPeriod"] == "monthly"


def test_a_lost_charge_answer_is_settled_by_the_worker(api, basic, pro, settings, monkeypatch):
    subscription = subscribe(basic)
    change = change_of(api.post(SESSION, change_body(subscription, pro)))
    real_charge = TestCardProcessor.charge_saved

    def charged_but_lost(self, **kwargs):
        real_charge(self, **kwargs)  # the money is taken, the answer never arrives
        raise ProcessorError("timed out")

    monkeypatch.setattr(TestCardProcessor, "charge_saved", charged_but_lost)
    plan_change_confirm(change_id=change.pk)
    monkeypatch.undo()
    assert PlanChange.objects.get(pk=change.pk).status == "charging"
    page = Client().get(page_path(change)).content.decode()
    assert "being processed" in page

    age(Payment.objects.get(period=0), seconds=settings.PAYMENT_RECONCILE_AFTER + 1)
    run_worker()
    run_worker()

    assert PlanChange.objects.get(pk=change.pk).status == "applied"
    assert Payment.objects.get(period=0).status == "succeeded"
    assert Subscription.objects.get(pk=subscription.pk).unit_amount_minor == 3000
    assert events("subscription.plan_changed") == 1
