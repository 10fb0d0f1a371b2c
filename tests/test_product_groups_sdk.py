"""The official SDK's ``subscriptionProductGroups`` methods against a live server."""

import uuid

import pytest

from catalog.models import ProductGroup, ProductType
from tests.factories import ProductFactory, StoreFactory

pytestmark = pytest.mark.sdk


def test_every_group_method_through_the_sdk(live_sdk, live_merchant):
    store = StoreFactory(owner=live_merchant)
    plans = [ProductFactory(store=store, product_type=ProductType.SUBSCRIPTION) for _ in range(3)]
    basic, pro, team = (plan.public_id for plan in plans)
    onetime = ProductFactory(store=store)

    out = live_sdk(
        "groups.mjs",
        STORE_ID=store.public_id,
        PLAN_IDS=",".join((basic, pro, team)),
        ONETIME_ID=onetime.public_id,
    )

    created = out["created"]
    uuid.UUID(created["id"])
    assert created["rules"] == {"sharedTrial": True, "selfServicePlanChange": False}
    assert created["productIds"] == [basic, pro]
    assert created["description"] == "All Pro tier plans"
    assert out["opened"]["rules"] == {"sharedTrial": True, "selfServicePlanChange": True}
    assert out["opened"]["productIds"] == [basic, pro]
    assert out["replaced"]["productIds"] == [pro, team]
    assert out["published"]["environment"] == "prod"
    assert out["published"]["productIds"] == [pro, team]
    assert out["republished"]["id"] == out["published"]["id"]
    message = f"Product {onetime.public_id} is not a subscription product"
    assert out["onetime"]["status"] == 400
    assert out["onetime"]["errors"] == [{"message": message, "layer": "product"}]
    assert out["deleted"]["id"] == created["id"]
    assert out["deletedAgain"]["status"] == 404
    assert not ProductGroup.objects.filter(pk=created["id"]).exists()
    assert ProductGroup.objects.filter(environment="prod").count() == 1
