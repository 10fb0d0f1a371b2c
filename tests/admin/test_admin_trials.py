"""A trial in admin: its page shows the trial's end, and the test clock action ends the
trial and charges the first period."""

import pytest
from django.urls import reverse

from payments.models import Payment
from subscriptions.models import Subscription
from tests.admin_factories import action_data, changelist_url
from tests.trial_support import start_trial, trial_product

pytestmark = pytest.mark.django_db


def test_the_clock_action_ends_a_trial_with_its_first_charge(merchant_client, store):
    subscription = start_trial(trial_product(store))
    page = merchant_client.get(
        reverse("admin:subscriptions_subscription_change", args=[subscription.pk])
    )
    assert page.status_code == 200
    assert "Trial end" in page.text

    response = merchant_client.post(
        changelist_url(Subscription),
        action_data("advance_one_period", subscription),
        follow=True,
    )

    assert f"{subscription.order.public_id}: active, period 2" in response.text
    assert Payment.objects.get(order=subscription.order, period=2).amount_minor == 3451
