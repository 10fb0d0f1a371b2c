"""The guide's merchant queries over ``POST /v1/graphql`` (signed API key): shapes, money as
display strings, lowercase statuses, ISO 8601 UTC timestamps with milliseconds, filters,
counts and pagination."""

import re

import pytest
from django.db import transaction

from catalog import services as catalog_services
from catalog.models import ProductType
from tests.factories import ProductFactory, StoreFactory
from tests.graphql_support import gql, paid_order

ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def test_stores_and_store_by_id(api, merchant, store):
    StoreFactory(owner=merchant, name="Second", support_email="help@example.com")

    status, body = gql(
        api,
        """query ($id: ID!) {
          stores { id name slug status supportEmail createdAt }
          store(id: $id) { id name slug status }
          storesCount
        }""",
        id=store.public_id,
    )

    assert status == 200
    assert "errors" not in body
    data = body["data"]
    assert [row["name"] for row in data["stores"]] == ["Second", store.name]
    assert data["stores"][0]["supportEmail"] == "help@example.com"
    assert data["stores"][1]["supportEmail"] is None
    assert all(ISO_UTC.fullmatch(row["createdAt"]) for row in data["stores"])
    assert data["store"] == {
        "id": store.public_id,
        "name": store.name,
        "slug": store.slug,
        "status": "active",
    }
    assert data["storesCount"] == 2


def test_products_with_prices_filters_and_counts(api, store):
    ProductFactory(store=store, name="E-Book")
    hidden = ProductFactory(store=store, name="Old Book")
    catalog_services.product_set_status(product=hidden, environment="test", status="inactive")
    ProductFactory(store=store, name="Pro Plan", product_type=ProductType.SUBSCRIPTION)

    status, body = gql(
        api,
        """query ($storeId: String!) {
          onetimeProducts(storeId: $storeId, filter: { status: { eq: "active" } }) {
            id name status prices { currency priceInfo { amount taxCategory } } hasProdVersion
          }
          subscriptionProducts(storeId: $storeId) {
            id name billingPeriod status prices { currency priceInfo { amount taxCategory } }
          }
          active: onetimeProductsCount(storeId: $storeId, filter: { status: { eq: "active" } })
          all: onetimeProductsCount(storeId: $storeId)
          named: onetimeProducts(storeId: $storeId, filter: { name: { startsWith: "Old" } }) {
            name status
          }
          subscriptionProductsCount(storeId: $storeId)
        }""",
        storeId=store.public_id,
    )

    assert status == 200, body
    data = body["data"]
    [book] = data["onetimeProducts"]
    assert book["name"] == "E-Book"
    assert book["status"] == "active"
    assert book["hasProdVersion"] is False
    assert {"currency": "JPY", "priceInfo": {"amount": "4500", "taxCategory": "digital_goods"}} in (
        book["prices"]
    )
    assert {
        "currency": "USD",
        "priceInfo": {"amount": "29.00", "taxCategory": "digital_goods"},
    } in (book["prices"])
    [plan] = data["subscriptionProducts"]
    assert (plan["name"], plan["billingPeriod"], plan["status"]) == (
        "Pro Plan",
        "monthly",
        "active",
    )
    assert (data["active"], data["all"], data["subscriptionProductsCount"]) == (1, 2, 1)
    assert data["named"] == [{"name": "Old Book", "status": "inactive"}]


def test_product_versions(api, store):
    product = ProductFactory(store=store, name="First name")
    with transaction.atomic():
        catalog_services.product_update(product=product, name="Second name")

    status, body = gql(
        api,
        """query ($productId: String!) {
          onetimeProductVersions(productId: $productId) {
            id versionNumber name description
            prices { currency priceInfo { amount taxCategory } }
            media { type url alt thumbnail }
            metadata isTestVersion isProdVersion createdAt
          }
          subscriptionProductVersions(productId: $productId) { id }
        }""",
        productId=product.public_id,
    )

    assert status == 200, body
    versions = body["data"]["onetimeProductVersions"]
    assert [row["versionNumber"] for row in versions] == [2, 1]
    assert versions[0]["name"] == "Second name"
    assert versions[0]["isTestVersion"] is True
    assert versions[1]["isTestVersion"] is False
    assert versions[0]["isProdVersion"] is False
    assert versions[-1]["versionNumber"] == 1
    assert versions[-1]["name"] == "First name"
    assert ISO_UTC.fullmatch(versions[0]["createdAt"])
    assert body["data"]["subscriptionProductVersions"] == []


def test_onetime_order_detail_with_payments(api, store):
    order = paid_order(ProductFactory(store=store, name="E-Book"), email="ann@example.com")

    status, body = gql(
        api,
        """query ($id: ID!) {
          onetimeOrder(id: $id) {
            id buyerEmail currency status testMode
            priceSnapshot { currency subtotal taxAmount total taxCategory }
            billingDetail { country isBusiness postcode state businessName taxId }
            onetimeProduct { id name }
            productVersion { id versionNumber name }
            payments {
              id status refundStatus
              snapshotAmountDetails { currency subtotal taxAmount total taxCategory phase }
              cardInfo { brand last4 expMonth expYear }
              failureReason createdAt
              refunds { id status requestedAmountDetails { currency amount } createdAt }
            }
            createdAt updatedAt
          }
        }""",
        id=order.public_id,
    )

    assert status == 200, body
    detail = body["data"]["onetimeOrder"]
    assert detail["id"] == order.public_id
    assert (detail["buyerEmail"], detail["currency"], detail["status"]) == (
        "ann@example.com",
        "USD",
        "completed",
    )
    assert detail["testMode"] is True
    assert detail["priceSnapshot"] == {
        "currency": "USD",
        "subtotal": "29.00",
        "taxAmount": "5.51",
        "total": "34.51",
        "taxCategory": "digital_goods",
    }
    assert detail["billingDetail"]["country"] == "DE"
    assert detail["billingDetail"]["isBusiness"] is False
    assert detail["onetimeProduct"]["name"] == "E-Book"
    assert detail["productVersion"]["versionNumber"] == 1
    [payment] = detail["payments"]
    assert payment["id"].startswith("PAY_")
    assert payment["status"] == "succeeded"
    assert payment["refundStatus"] is None
    assert payment["refunds"] == []
    assert payment["snapshotAmountDetails"]["total"] == "34.51"
    assert payment["cardInfo"]["brand"] == "visa"
    assert payment["cardInfo"]["last4"] == "4242"
    assert payment["failureReason"] is None
    assert ISO_UTC.fullmatch(payment["createdAt"])
    assert ISO_UTC.fullmatch(detail["updatedAt"])


def test_subscription_orders(api, store):
    plan = ProductFactory(store=store, name="Pro", product_type=ProductType.SUBSCRIPTION)
    order = paid_order(plan, currency="EUR")
    paid_order(ProductFactory(store=store))  # a one-time order is not a subscription order

    status, body = gql(
        api,
        """query ($storeId: String!, $id: ID!) {
          subscriptionOrders(storeId: $storeId) {
            id buyerEmail status billingPeriod
            priceSnapshot {
              currency
              regularPhase { subtotal taxAmount total taxCategory }
              specialPhase { subtotal taxAmount total taxCategory }
              specialPhaseDays
            }
            currentPeriodEnd canceledAt
          }
          subscriptionOrder(id: $id) {
            id subscriptionProduct { id name } productVersion { versionNumber }
            payments { id status snapshotAmountDetails { currency total phase } createdAt }
          }
          subscriptionOrdersCount(storeId: $storeId)
          onetimeOrdersCount(storeId: $storeId)
        }""",
        storeId=store.public_id,
        id=order.public_id,
    )

    assert status == 200, body
    data = body["data"]
    [row] = data["subscriptionOrders"]
    assert row["id"] == order.public_id
    assert row["billingPeriod"] == "monthly"
    assert row["priceSnapshot"]["currency"] == "EUR"
    assert row["priceSnapshot"]["regularPhase"]["subtotal"] == "27.00"
    assert row["priceSnapshot"]["specialPhase"] is None
    assert data["subscriptionOrder"]["subscriptionProduct"]["name"] == "Pro"
    [payment] = data["subscriptionOrder"]["payments"]
    assert payment["snapshotAmountDetails"]["phase"] == "regular"
    assert (data["subscriptionOrdersCount"], data["onetimeOrdersCount"]) == (1, 1)


def test_payments_filtered_by_status_and_merchant_reference(api, store):
    product = ProductFactory(store=store)
    tagged = paid_order(product, orderMerchantExternalId="ORDER-2026-00891")
    paid_order(product)

    status, body = gql(
        api,
        """query ($ref: String!, $storeId: String!) {
          succeeded: payments(filter: { status: { eq: "succeeded" } }) {
            id onetimeOrder { id } subscriptionOrder { id }
            snapshotAmountDetails { currency subtotal taxAmount total taxCategory phase }
            cardInfo { brand last4 } status createdAt
          }
          byRef: payments(filter: { orderMerchantExternalId: { eq: $ref } }) {
            id orderId status orderMerchantExternalId
          }
          failed: paymentsCount(filter: { status: { eq: "failed" } })
          paymentsCount
          orders: onetimeOrders(
            storeId: $storeId, filter: { orderMerchantExternalId: { in: [$ref] } }
          ) { id orderMerchantExternalId }
        }""",
        storeId=store.public_id,
        ref="ORDER-2026-00891",
    )

    assert status == 200, body
    data = body["data"]
    assert len(data["succeeded"]) == 2
    assert all(row["subscriptionOrder"] is None for row in data["succeeded"])
    [by_ref] = data["byRef"]
    assert by_ref["orderId"] == tagged.public_id
    assert by_ref["orderMerchantExternalId"] == "ORDER-2026-00891"
    assert (data["failed"], data["paymentsCount"]) == (0, 2)
    assert data["orders"] == [
        {"id": tagged.public_id, "orderMerchantExternalId": "ORDER-2026-00891"}
    ]


def test_merchant_with_store_associations(api, merchant, store):
    status, body = gql(
        api,
        """query ($id: ID!) {
          merchant(id: $id) {
            id email name status
            storeMerchants { role store { id name slug status } }
            apiKeys { id nickname environment recentlyUsed createdAt }
          }
          storeMerchantsCount
          apiKeysCount
        }""",
        id=merchant.public_id,
    )

    assert status == 200, body
    data = body["data"]
    assert data["merchant"]["id"] == merchant.public_id
    assert data["merchant"]["email"] == merchant.user.email
    assert data["merchant"]["status"] == "active"
    assert data["merchant"]["storeMerchants"] == [
        {
            "role": "owner",
            "store": {
                "id": store.public_id,
                "name": store.name,
                "slug": store.slug,
                "status": "active",
            },
        }
    ]
    [key] = data["merchant"]["apiKeys"]
    assert key["environment"] == "test"
    assert key["recentlyUsed"] is True
    assert (data["storeMerchantsCount"], data["apiKeysCount"]) == (1, 1)


def test_dashboard_overview_in_one_request(api, store):
    """The guide's combined dashboard query (without refundTickets: refunds come later)."""
    product = ProductFactory(store=store)
    paid_order(product)
    paid_order(product)

    status, body = gql(
        api,
        """query Dashboard($storeId: String!) {
          store(id: $storeId) { name slug status }
          onetimeOrdersCount(storeId: $storeId)
          subscriptionOrdersCount(storeId: $storeId)
          onetimeOrders(storeId: $storeId, limit: 5, filter: { status: { eq: "completed" } }) {
            id buyerEmail priceSnapshot { currency total } createdAt
          }
          onetimeProductsCount(storeId: $storeId)
          subscriptionProductsCount(storeId: $storeId)
        }""",
        storeId=store.public_id,
    )

    assert status == 200, body
    data = body["data"]
    assert data["store"]["name"] == store.name
    assert (data["onetimeOrdersCount"], data["subscriptionOrdersCount"]) == (2, 0)
    assert [row["priceSnapshot"] for row in data["onetimeOrders"]] == [
        {"currency": "USD", "total": "34.51"}
    ] * 2
    assert (data["onetimeProductsCount"], data["subscriptionProductsCount"]) == (1, 0)


def test_limit_and_offset_page_through_a_list(api, store):
    product = ProductFactory(store=store)
    orders = [paid_order(product) for _ in range(3)]
    newest_first = [order.public_id for order in reversed(orders)]

    status, body = gql(
        api,
        """query ($storeId: String!) {
          first: onetimeOrders(storeId: $storeId, limit: 2) { id }
          rest: onetimeOrders(storeId: $storeId, limit: 2, offset: 2) { id }
        }""",
        storeId=store.public_id,
    )

    assert status == 200, body
    assert [row["id"] for row in body["data"]["first"]] == newest_first[:2]
    assert [row["id"] for row in body["data"]["rest"]] == newest_first[2:]


@pytest.mark.parametrize("arguments", ["limit: 101", "limit: 0", "offset: -1"])
def test_limit_and_offset_are_bounded(api, store, arguments):
    status, body = gql(api, "query { onetimeOrders(" + arguments + ") { id } }")

    assert status == 400
    assert body["data"] is None
    assert "limit" in body["errors"][0]["message"] or "offset" in body["errors"][0]["message"]


def test_a_malformed_store_id_is_the_format_error(api, store):
    status, body = gql(api, 'query { onetimeOrders(storeId: "nope") { id } }')

    assert status == 400
    assert body["errors"][0]["message"] == 'Expected format: STO_xxx, got "nope"'
    assert body["errors"][0]["path"] == ["onetimeOrders"]


def test_one_time_orders_are_read_without_joining_subscriptions(api, store):
    """A one-time order has no subscription: joining its plan (five more tables) made the
    list's query one PostgreSQL spent longer planning than running."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    paid_order(ProductFactory(store=store, name="E-Book"))

    with CaptureQueriesContext(connection) as queries:
        status, body = gql(
            api, "query { onetimeOrders(limit: 20) { id priceSnapshot { total } payments { id } } }"
        )

    assert status == 200 and len(body["data"]["onetimeOrders"]) == 1
    assert not [q["sql"] for q in queries if "subscriptions_subscription" in q["sql"]]
