"""Plan changes exactly once under concurrency, on real threads against PostgreSQL: many
confirmations of one change (double clicks, retries) charge once and switch once, and two
different changes of one subscription never both charge. Skipped on SQLite."""

import pytest
from django.test import Client

from core.errors import Conflict
from core.models import DomainEvent
from payments.models import Payment, SandboxCharge
from subscriptions.models import PlanChange, Subscription
from subscriptions.plan_change_apply import plan_change_confirm
from subscriptions.plan_change_request import parse_plan_change_request
from subscriptions.plan_changes import Requester, plan_change_offer
from tests.concurrency_support import race
from tests.factories import MerchantFactory, StoreFactory
from tests.plan_change_support import change_body, page_path, plan_at
from tests.subscription_support import subscribe

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
WORKERS = 8


def _offer(subscription, target, merchant):
    request = parse_plan_change_request(change_body(subscription, target), from_merchant=True)
    return plan_change_offer(
        requester=Requester(environment="test", merchant_id=merchant.pk), request=request
    )


def test_many_confirmations_of_one_change_charge_once():
    merchant = MerchantFactory()
    store = StoreFactory(owner=merchant)
    basic, pro = plan_at(store, "10.00", "Basic"), plan_at(store, "30.00", "Pro")
    subscription = subscribe(basic)
    change = _offer(subscription, pro, merchant)

    results = race(lambda index: Client().post(page_path(change)).status_code, WORKERS)

    assert results == [303] * WORKERS, results
    charges = Payment.objects.filter(order=subscription.order, period=0)
    assert [p.status for p in charges] == ["succeeded"]
    assert SandboxCharge.objects.count() == 2  # the checkout's and the change's
    assert PlanChange.objects.get(pk=change.pk).status == "applied"
    assert DomainEvent.objects.filter(name="subscription.plan_changed").count() == 1
    assert Subscription.objects.get(pk=subscription.pk).unit_amount_minor == 3000


def test_two_changes_of_one_subscription_confirmed_at_once_switch_once():
    merchant = MerchantFactory()
    store = StoreFactory(owner=merchant)
    basic = plan_at(store, "10.00", "Basic")
    targets = [plan_at(store, "30.00", "Pro"), plan_at(store, "50.00", "Team")]
    subscription = subscribe(basic)
    changes = [_offer(subscription, target, merchant) for target in targets]

    results = race(lambda index: plan_change_confirm(change_id=changes[index].pk), 2)

    applied = [r for r in results if not isinstance(r, BaseException)]
    refused = [r for r in results if isinstance(r, BaseException)]
    assert len(applied) == 1 and len(refused) == 1, results
    # the second finds the first charging, or (once it settled) the plan moved under it
    assert isinstance(refused[0], Conflict), refused
    assert Payment.objects.filter(order=subscription.order, period=0).count() == 1
    subscription.refresh_from_db()
    assert subscription.product_version_id == applied[0].to_version_id
