"""Subscriptions in admin: a merchant sees its own, and moves a test-mode one forward with
the test clock action; prod subscriptions are refused."""

import pytest

from orders.models import Order
from payments.models import Payment
from subscriptions.models import Subscription
from tests.admin_factories import AdminMerchantFactory, action_data, changelist_url
from tests.factories import StoreFactory
from tests.subscription_support import subscribe, subscription_product

pytestmark = pytest.mark.django_db


def test_a_merchant_advances_its_test_subscription_by_one_period(merchant_client, store):
    subscription = subscribe(subscription_product(store))
    theirs = subscribe(subscription_product(StoreFactory(owner=AdminMerchantFactory())))

    listing = merchant_client.get(changelist_url(Subscription))
    response = merchant_client.post(
        changelist_url(Subscription),
        action_data("advance_one_period", subscription),
        follow=True,
    )

    assert set(listing.context["cl"].result_list) == {subscription}
    assert theirs.order.public_id not in listing.text
    assert f"{subscription.order.public_id}: active, period 2" in response.text
    assert Payment.objects.filter(order=subscription.order, period=2, status="succeeded").exists()


def test_the_clock_does_not_move_a_prod_subscription(merchant_client, store):
    subscription = subscribe(subscription_product(store))
    Order.objects.filter(pk=subscription.pk).update(environment="prod")

    response = merchant_client.post(
        changelist_url(Subscription),
        action_data("advance_one_period", subscription),
        follow=True,
    )

    assert "The test clock only runs in the test environment" in response.text
    assert not Payment.objects.filter(period=2).exists()
