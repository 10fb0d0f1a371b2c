"""The official SDK's subscription calls against a live server: the merchant's
``orders.cancelSubscription`` and the buyer's ``cancelSubscription`` and
``reactivateSubscription``."""

import pytest

from orders.models import Order
from tests.factories import StoreFactory
from tests.subscription_support import subscribe, subscription_product

pytestmark = pytest.mark.sdk


def test_cancel_and_reactivate_through_the_sdk(live_sdk, live_merchant):
    store = StoreFactory(owner=live_merchant)
    plan = subscription_product(store)
    first, second = subscribe(plan).order, subscribe(plan).order

    out = live_sdk(
        "subscriptions.mjs",
        STORE_ID=store.public_id,
        FIRST_ORDER_ID=first.public_id,
        SECOND_ORDER_ID=second.public_id,
    )

    assert out["merchantCancel"] == {"orderId": first.public_id, "status": "canceling"}
    assert out["buyerCancel"] == {"orderId": second.public_id, "status": "canceling"}
    assert out["buyerReactivate"] == {"orderId": second.public_id, "status": "active"}
    message = "Only a canceling subscription can be reactivated (this one is active)"
    assert out["reactivateActive"] == {
        "status": 400,
        "errors": [{"message": message, "layer": "order"}],
        "message": message,
    }
    assert out["strangerCancel"]["status"] == 404
    assert Order.objects.get(pk=first.pk).status == "canceling"
    assert Order.objects.get(pk=second.pk).status == "active"
