"""``client.graphql.query`` and ``client.customer(token).graphql.query`` of the official SDK
against a live server: what the guide's queries answer, who sees what, and the refusals
as the SDK hands them back (``{data, errors}``, never thrown)."""

import re

import pytest

from tests.factories import MerchantFactory, ProductFactory, StoreFactory
from tests.graphql_support import paid_order

pytestmark = pytest.mark.sdk

ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def test_graphql_queries_through_the_sdk(live_sdk, live_merchant):
    store = StoreFactory(owner=live_merchant, name="Acme Books")
    product = ProductFactory(store=store, name="E-Book")
    order = paid_order(product, email="ann@example.com", identity="buyer-1")
    paid_order(product, identity="buyer-1")
    stranger = paid_order(ProductFactory(store=StoreFactory(owner=MerchantFactory())))

    out = live_sdk(
        "graphql.mjs",
        STORE_ID=store.public_id,
        ORDER_ID=order.public_id,
        STRANGER_ORDER_ID=stranger.public_id,
    )

    overview = out["overview"]
    assert "errors" not in overview
    data = overview["data"]
    assert [row["id"] for row in data["stores"]] == [store.public_id]
    assert ISO_UTC.fullmatch(data["stores"][0]["createdAt"])
    assert data["store"] == {"name": "Acme Books", "slug": store.slug, "status": "active"}
    [listed] = data["onetimeProducts"]
    assert listed["name"] == "E-Book"
    assert {
        "currency": "USD",
        "priceInfo": {"amount": "29.00", "taxCategory": "digital_goods"},
    } in (listed["prices"])
    assert len(data["onetimeOrders"]) == 2
    assert data["onetimeOrders"][0]["priceSnapshot"] == {"currency": "USD", "total": "34.51"}
    assert (data["onetimeOrdersCount"], data["subscriptionOrdersCount"]) == (2, 0)
    assert (data["onetimeProductsCount"], data["paymentsCount"]) == (1, 2)
    assert {row["orderId"] for row in data["payments"]} >= {order.public_id}

    detail = out["detail"]["data"]["onetimeOrder"]
    assert detail["id"] == order.public_id
    assert (detail["buyerEmail"], detail["status"], detail["testMode"]) == (
        "ann@example.com",
        "completed",
        True,
    )
    assert detail["priceSnapshot"]["taxAmount"] == "5.51"
    assert detail["onetimeProduct"] == {"id": product.public_id, "name": "E-Book"}
    assert detail["payments"][0]["cardInfo"] == {"brand": "visa", "last4": "4242"}
    assert ISO_UTC.fullmatch(detail["createdAt"])

    assert out["stranger"]["data"] == {"onetimeOrder": None}
    assert out["merchant"]["data"]["merchant"]["storeMerchants"] == [
        {"role": "owner", "store": {"id": store.public_id}}
    ]


def test_graphql_refusals_through_the_sdk(live_sdk, live_merchant):
    store = StoreFactory(owner=live_merchant)
    paid_order(ProductFactory(store=store))

    out = live_sdk(
        "graphql.mjs",
        STORE_ID=store.public_id,
        ORDER_ID="ORD_xxx",
        STRANGER_ORDER_ID="ORD_yyy",
    )

    assert out["mutation"] == {
        "data": None,
        "errors": [{"message": "Mutations are not supported", "layer": "graphql"}],
    }
    assert out["deep"]["data"] is None
    assert out["deep"]["errors"][0]["message"].startswith("Query depth ")
    assert out["detail"]["data"] == {"onetimeOrder": None}


def test_customer_graphql_sees_only_the_buyers_orders(live_sdk, live_merchant):
    store = StoreFactory(owner=live_merchant)
    product = ProductFactory(store=store)
    first = paid_order(product, identity="buyer-1")
    second = paid_order(product, identity="buyer-1")
    paid_order(product, identity="someone-else")

    out = live_sdk(
        "graphql.mjs",
        STORE_ID=store.public_id,
        ORDER_ID=first.public_id,
        STRANGER_ORDER_ID=first.public_id,
    )

    own = out["own"]
    assert "errors" not in own
    assert [row["id"] for row in own["data"]["orders"]] == [second.public_id, first.public_id]
    assert {row["status"] for row in own["data"]["orders"]} == {"completed"}
    assert all(ISO_UTC.fullmatch(row["createdAt"]) for row in own["data"]["orders"])
    assert out["otherBuyer"]["data"] == {"orders": []}
    assert out["prodBuyer"]["data"] == {"orders": []}
