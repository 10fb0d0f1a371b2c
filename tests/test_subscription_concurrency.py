"""Renewals exactly once under concurrency, on real threads against PostgreSQL: workers
renewing the same subscription at the same moment charge it once. Skipped on SQLite."""

import pytest

from payments.models import Payment, SandboxCharge
from subscriptions.renewals import subscription_renew
from tests.concurrency_support import race
from tests.factories import MerchantFactory, StoreFactory
from tests.subscription_support import subscribe, subscription_product

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
WORKERS = 8


def test_workers_renewing_one_subscription_at_once_charge_it_once():
    subscription = subscribe(subscription_product(StoreFactory(owner=MerchantFactory())))
    end = subscription.current_period_end

    results = race(lambda index: subscription_renew(order_id=subscription.pk, now=end), WORKERS)

    assert not [r for r in results if isinstance(r, BaseException)], results
    renewals = Payment.objects.filter(order=subscription.order, period=2)
    assert [p.status for p in renewals] == ["succeeded"]
    assert SandboxCharge.objects.count() == 2  # the checkout's and one renewal
    subscription.refresh_from_db()
    assert subscription.period_number == 2
    assert set(results) <= {"renewed", "pending", "not_due"}
