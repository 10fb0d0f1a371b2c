"""A plan change's charge and the renewal never overlap: a change confirmed once its
period is over is stale, and a renewal waits while a confirmed change is being charged."""

from datetime import timedelta

import pytest

from core.errors import Conflict
from payments.models import Payment
from subscriptions.models import PlanChange, PlanChangeStatus, Subscription
from subscriptions.plan_change_apply import PlanChangeStale, plan_change_confirm
from subscriptions.renewals import subscription_renew
from tests.plan_change_support import SESSION, change_body, change_of, plan_at
from tests.subscription_support import subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def upgrade(api, store):
    subscription = subscribe(plan_at(store, "10.00", "Basic"))
    change = change_of(api.post(SESSION, change_body(subscription, plan_at(store, "30.00", "Pro"))))
    return subscription, change


def test_a_change_confirmed_after_its_period_ended_is_stale(upgrade):
    subscription, change = upgrade
    Subscription.objects.filter(pk=subscription.pk).update(
        clock=subscription.current_period_end + timedelta(seconds=1)  # renewal due, not run
    )

    with pytest.raises(PlanChangeStale):
        plan_change_confirm(change_id=change.pk)

    assert not Payment.objects.filter(order=subscription.order, period=0).exists()
    change.refresh_from_db()
    assert change.status == PlanChangeStatus.OPEN


def test_a_renewal_waits_while_a_change_is_being_charged(upgrade):
    subscription, change = upgrade
    PlanChange.objects.filter(pk=change.pk).update(status=PlanChangeStatus.CHARGING)

    outcome = subscription_renew(
        order_id=subscription.pk, now=subscription.current_period_end + timedelta(seconds=1)
    )

    assert outcome == "pending"
    assert not Payment.objects.filter(order=subscription.order, period=2).exists()


def test_a_change_with_nothing_to_charge_it_to_is_refused(upgrade):
    subscription, change = upgrade
    Subscription.objects.filter(pk=subscription.pk).update(payment_method=None)

    with pytest.raises(Conflict, match="no saved card"):
        plan_change_confirm(change_id=change.pk)

    assert not Payment.objects.filter(order=subscription.order, period=0).exists()
