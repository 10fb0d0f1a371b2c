"""A plan change during a trial: nothing of the plan was paid yet, so nothing is prorated;
the trial goes on with the new plan and its first charge at trial end is the new plan's."""

import pytest
from django.test import Client

from payments.models import Payment
from subscriptions.models import PlanCredit
from tests.plan_change_support import SESSION, change_body, change_of, page_path, plan_at
from tests.subscription_support import advance
from tests.trial_support import start_trial, trial_product

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("target_amount", ["10.00", "60.00"])  # a cheaper plan, a dearer one
def test_a_change_during_a_trial_charges_and_credits_nothing(api, store, target_amount):
    subscription = start_trial(trial_product(store))
    target = plan_at(store, target_amount, "Other")

    change = change_of(
        api.post(SESSION, change_body(subscription, target, changeTiming="immediate"))
    )

    assert (change.due_now_minor, change.tax_now_minor) == (0, 0)
    assert Client().post(page_path(change)).status_code == 303
    subscription.refresh_from_db()
    assert subscription.unit_amount_minor == int(target_amount.replace(".", ""))
    assert not Payment.objects.filter(order=subscription.order, period=0).exists()
    assert not PlanCredit.objects.exists()  # no credit for a trial nobody paid for


def test_the_first_charge_after_the_trial_is_the_new_plans(api, store):
    subscription = start_trial(trial_product(store))
    change = change_of(api.post(SESSION, change_body(subscription, plan_at(store, "60.00", "Pro"))))
    Client().post(page_path(change))

    out = advance(subscription, periods=1)

    assert out["order"]["status"] == "active"
    assert [(p["period"], p["amount"]) for p in out["payments"]] == [(1, "0.00"), (2, "71.40")]
