"""Who may read what through ``POST /v1/graphql``: a merchant only its own stores in its
key's environment (another merchant's object is null by ID and in no list), a buyer only
their own orders in the token's store and environment; no credentials is a 401."""

import json

import pytest
from django.test import Client

from core.tokens import issue_customer_token
from stores.models import Environment
from tests.factories import MerchantFactory, ProductFactory, StoreFactory
from tests.graphql_support import GRAPHQL, customer_gql, gql, paid_order

EVERY_LIST = """query {
  stores { id } onetimeProducts { id } subscriptionProducts { id }
  onetimeOrders { id } subscriptionOrders { id } payments { id }
  storesCount onetimeProductsCount onetimeOrdersCount paymentsCount
}"""


@pytest.fixture
def strangers_order(db):
    """Another merchant's store, product, order and payment."""
    store = StoreFactory(owner=MerchantFactory())
    return paid_order(ProductFactory(store=store), email="other@example.com")


def test_another_merchants_objects_are_null_by_id(api, store, strangers_order):
    payment = strangers_order.payments.get()
    product = strangers_order.lines.get().product

    status, body = gql(
        api,
        """query (
          $store: ID!, $product: ID!, $order: ID!, $payment: ID!, $merchant: ID!, $productId: String!
        ) {
          store(id: $store) { id }
          onetimeProduct(id: $product) { id }
          onetimeOrder(id: $order) { id }
          payment(id: $payment) { id }
          merchant(id: $merchant) { id }
          onetimeProductVersions(productId: $productId) { id }
        }""",
        productId=product.public_id,
        store=strangers_order.store.public_id,
        product=product.public_id,
        order=strangers_order.public_id,
        payment=payment.public_id,
        merchant=strangers_order.store.memberships.get().merchant.public_id,
    )

    assert status == 200, body
    assert body["data"] == {
        "store": None,
        "onetimeProduct": None,
        "onetimeOrder": None,
        "payment": None,
        "merchant": None,
        "onetimeProductVersions": [],
    }


def test_no_list_contains_another_merchants_objects(api, store, strangers_order):
    mine = paid_order(ProductFactory(store=store))

    status, body = gql(api, EVERY_LIST)

    assert status == 200, body
    data = body["data"]
    assert [row["id"] for row in data["stores"]] == [store.public_id]
    assert [row["id"] for row in data["onetimeOrders"]] == [mine.public_id]
    assert [row["id"] for row in data["payments"]] == [mine.payments.get().public_id]
    assert len(data["onetimeProducts"]) == 1
    assert (data["storesCount"], data["onetimeOrdersCount"], data["paymentsCount"]) == (1, 1, 1)


def test_asking_by_another_merchants_store_id_lists_nothing(api, store, strangers_order):
    status, body = gql(
        api,
        """query ($storeId: String!) {
          onetimeOrders(storeId: $storeId) { id } onetimeOrdersCount(storeId: $storeId)
          onetimeProducts(storeId: $storeId) { id } payments(storeId: $storeId) { id }
        }""",
        storeId=strangers_order.store.public_id,
    )

    assert status == 200, body
    assert body["data"] == {
        "onetimeOrders": [],
        "onetimeOrdersCount": 0,
        "onetimeProducts": [],
        "payments": [],
    }


def test_the_keys_environment_decides_which_orders(api, prod_api, store):
    order = paid_order(ProductFactory(store=store))

    _, test_body = gql(api, "query { onetimeOrders { id } paymentsCount }")
    _, prod_body = gql(prod_api, "query { onetimeOrders { id } paymentsCount }")

    assert test_body["data"] == {"onetimeOrders": [{"id": order.public_id}], "paymentsCount": 1}
    assert prod_body["data"] == {"onetimeOrders": [], "paymentsCount": 0}


def test_a_buyer_reads_only_their_own_orders(store):
    product = ProductFactory(store=store)
    own = paid_order(product, identity="user-1")
    paid_order(product, identity="user-2")
    other_store = StoreFactory(owner=MerchantFactory())
    paid_order(ProductFactory(store=other_store), identity="user-1")

    status, body = customer_gql(
        store, "user-1", "query { orders { id status createdAt } ordersCount }"
    )

    assert status == 200, body
    assert body["data"]["orders"] == [
        {
            "id": own.public_id,
            "status": "completed",
            "createdAt": body["data"]["orders"][0]["createdAt"],
        }
    ]
    assert body["data"]["ordersCount"] == 1


def test_a_buyer_gets_null_for_someone_elses_order(store):
    product = ProductFactory(store=store)
    paid_order(product, identity="user-1")
    theirs = paid_order(product, identity="user-2")

    status, body = customer_gql(
        store, "user-1", 'query { order(id: "' + theirs.public_id + '") { id } }'
    )

    assert status == 200, body
    assert body["data"] == {"order": None}


def test_a_buyer_sees_no_orders_of_the_other_environment(store):
    paid_order(ProductFactory(store=store), identity="user-1")

    status, body = customer_gql(store, "user-1", "query { orders { id } }", environment="prod")

    assert status == 200, body
    assert body["data"] == {"orders": []}


def test_the_customer_schema_has_no_merchant_queries(store):
    status, body = customer_gql(store, "user-1", "query { stores { id } }")

    assert status == 400
    assert body["data"] is None
    assert "stores" in body["errors"][0]["message"]


def test_no_credentials_is_a_401(db):
    response = Client().post(
        GRAPHQL, json.dumps({"query": "{ stores { id } }"}), content_type="application/json"
    )

    assert response.status_code == 401
    assert response.json() == {
        "data": None,
        "errors": [{"message": "Unauthorized", "layer": "gateway"}],
    }


def test_a_store_slug_is_not_a_graphql_credential(store):
    response = Client().post(
        GRAPHQL,
        json.dumps({"query": "{ orders { id } }"}),
        content_type="application/json",
        headers={"X-Store-Slug": store.slug, "X-Environment": "test"},
    )

    assert response.status_code == 401


def test_a_customer_token_needs_the_environment_header(store):
    token, _ = issue_customer_token(buyer_identity="user-1", store_id=str(store.pk))
    response = Client().post(
        GRAPHQL,
        json.dumps({"query": "{ orders { id } }"}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == (
        "Missing or invalid header: x-context-environment"
    )


def test_a_signature_over_another_body_is_refused(api, store):
    response = api.post(GRAPHQL, {"query": "{ stores { id } }"}, headers={})
    assert response.status_code == 200
    tampered = api.client.post(
        GRAPHQL,
        json.dumps({"query": "{ payments { id } }"}),
        content_type="application/json",
        headers={
            "X-Merchant-Id": api.merchant_id,
            "X-Timestamp": "1",
            "X-Signature": "AAAA",
        },
    )
    assert tampered.status_code == 401


def test_prod_key_sees_prod_orders(prod_api, store):
    store.prod_enabled = True
    store.save(update_fields=["prod_enabled"])
    product = ProductFactory(store=store, publish=True)
    order = paid_order(product, environment=Environment.PROD)

    _, body = gql(prod_api, "query { onetimeOrders { id testMode } }")

    assert body["data"] == {"onetimeOrders": [{"id": order.public_id, "testMode": False}]}


def test_a_resolver_crash_is_a_500_that_tells_nothing(api, store, monkeypatch, caplog):
    from graphql_api.queries import stores as store_queries

    def broken(**kwargs):
        raise RuntimeError("password=hunter2 in a traceback")

    monkeypatch.setattr(store_queries.selectors, "stores_for_merchant", broken)

    status, body = gql(api, "{ stores { id } }")

    assert status == 500
    assert [error["message"] for error in body["errors"]] == ["Internal server error"]
    assert "hunter2" not in json.dumps(body)
    assert "hunter2" in caplog.text  # the detail is in the log, with the request ID
