"""The "trial ending" reminder: one ``subscription.trial_ending`` event per subscription,
``SUBSCRIPTION_TRIAL_REMINDER_DAYS`` before the trial ends, for the buyer's email; never a
webhook (it is not one of the SDK's event types)."""

from datetime import timedelta

import pytest

from core.models import DomainEvent
from core.timefmt import iso_utc
from subscriptions.services import subscription_cancel
from subscriptions.trials import trial_remind, trials_remind_due
from tests.subscription_support import advance
from tests.trial_support import PLAN_PRICE, start_trial, trial_product
from tests.webhook_support import endpoint_for
from tests.worker_support import run_worker
from webhooks.event_types import EVENT_TYPES
from webhooks.models import WebhookDelivery

pytestmark = pytest.mark.django_db


def reminders() -> list[DomainEvent]:
    return list(DomainEvent.objects.filter(name="subscription.trial_ending"))


def test_the_sweep_reminds_a_trial_ending_within_the_lead_once(store):
    soon = start_trial(trial_product(store, days=2))  # ends within the 3 days' lead
    later = start_trial(trial_product(store, days=10), identity="buyer-2")

    assert trials_remind_due() == 1
    assert trials_remind_due() == 0
    run_worker()  # the worker's own sweep finds nothing more either

    [event] = reminders()
    soon.refresh_from_db()
    assert event.subject == soon.order.public_id
    assert event.payload == {
        "orderId": soon.order.public_id,
        "trialEnd": iso_utc(soon.trial_end),
        "amount": PLAN_PRICE,
        "amountMinor": 3451,
        "currency": "USD",
        "buyerEmail": "buyer@example.com",
    }
    assert soon.trial_reminded_at is not None
    later.refresh_from_db()
    assert later.trial_reminded_at is None


def test_the_reminder_is_set_by_the_lead_days_setting(store, settings):
    settings.SUBSCRIPTION_TRIAL_REMINDER_DAYS = 11
    start_trial(trial_product(store, days=10))

    assert trials_remind_due() == 1


def test_the_test_clock_reminds_once_before_the_first_charge(store):
    subscription = start_trial(trial_product(store))  # 14 days: reminded on day 11

    advance(subscription, periods=2)

    [event] = reminders()
    subscription.refresh_from_db()
    assert subscription.trial_end - subscription.trial_reminded_at == timedelta(days=3)
    assert event.created_at < DomainEvent.objects.get(name="subscription.activated").created_at
    assert trial_remind(order_id=subscription.pk, now=subscription.trial_reminded_at) is False


def test_a_canceling_trial_is_not_reminded(store):
    subscription = start_trial(trial_product(store, days=2))
    subscription_cancel(order=subscription.order)

    assert trials_remind_due() == 0
    assert not reminders()


def test_the_reminder_is_no_webhook(store):
    assert "subscription.trial_ending" not in EVENT_TYPES
    endpoint_for(store, "http://127.0.0.1:9/hooks", events=list(EVENT_TYPES))
    start_trial(trial_product(store, days=2))

    trials_remind_due()
    run_worker()

    assert reminders()
    assert not WebhookDelivery.objects.exists()
