"""Trials under concurrency, on real threads against PostgreSQL: workers sweeping the same
trial reminder at once record it once, and workers charging the first period at trial end
charge it once. Skipped on SQLite."""

import pytest

from core.models import DomainEvent
from payments.models import Payment
from subscriptions.renewals import subscription_renew
from subscriptions.trials import reminder_lead, trial_remind, trials_remind_due
from tests.concurrency_support import race
from tests.factories import MerchantFactory, StoreFactory
from tests.trial_support import start_trial, trial_product

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
WORKERS = 8


def test_workers_reminding_one_trial_at_once_record_it_once():
    subscription = start_trial(trial_product(StoreFactory(owner=MerchantFactory())))
    due = subscription.trial_end - reminder_lead()

    results = race(lambda index: trial_remind(order_id=subscription.pk, now=due), WORKERS)

    assert not [r for r in results if isinstance(r, BaseException)], results
    assert sorted(results) == [False] * (WORKERS - 1) + [True]
    assert DomainEvent.objects.filter(name="subscription.trial_ending").count() == 1


def test_sweeps_running_at_once_remind_a_trial_once():
    start_trial(trial_product(StoreFactory(owner=MerchantFactory()), days=2))  # due now

    results = race(lambda index: trials_remind_due(), WORKERS)

    assert not [r for r in results if isinstance(r, BaseException)], results
    assert sum(results) == 1
    assert DomainEvent.objects.filter(name="subscription.trial_ending").count() == 1


def test_workers_at_trial_end_charge_the_first_period_once():
    subscription = start_trial(trial_product(StoreFactory(owner=MerchantFactory())))

    results = race(
        lambda index: subscription_renew(order_id=subscription.pk, now=subscription.trial_end),
        WORKERS,
    )

    assert not [r for r in results if isinstance(r, BaseException)], results
    assert [p.status for p in Payment.objects.filter(order=subscription.order, period=2)] == [
        "succeeded"
    ]
    assert DomainEvent.objects.filter(name="subscription.activated").count() == 1
