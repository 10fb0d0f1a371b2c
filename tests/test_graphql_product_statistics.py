"""``productStatistics`` over GraphQL: one store's products by status and ranked by what
their succeeded payments brought in (renewals too), per currency; another merchant's store
counts nothing; a fixed number of statements whatever the number of products."""

import pytest

from catalog.models import Product, ProductType
from tests.analytics_support import at, bought, renewal
from tests.factories import MerchantFactory, ProductFactory, StoreFactory
from tests.graphql_support import gql

pytestmark = pytest.mark.django_db

# The credential (2) and one statement per figure.
STATEMENTS = 9

STATISTICS = """query ($storeId: String!, $currency: String) {
  productStatistics(
    storeId: $storeId,
    filter: { timeRange: { startDate: "2026-01-01T00:00:00Z", endDate: "2026-04-01T00:00:00Z" } }
  ) {
    onetimeCountsByStatus { status count }
    subscriptionCountsByStatus { status count }
    onetimeTotalCount
    subscriptionTotalCount
    topByOrderCount(limit: 10) { productId productType productName orderCount totalRevenue currency }
    topByRevenue(limit: 2, currency: $currency) { productId productName orderCount totalRevenue currency }
    revenueContribution(currency: "usd") { productId productType productName revenue contributionPercentage cumulativePercentage }
  }
}"""


def _created(product: Product, month: int, year: int = 2026) -> Product:
    Product.objects.filter(pk=product.pk).update(created_at=at(month, 1, year))
    return product


@pytest.fixture
def catalog(store):
    alpha = _created(ProductFactory(store=store, name="Alpha"), 1)
    beta = _created(
        ProductFactory(
            store=store,
            name="Beta",
            prices={"USD": {"amount": "10.00", "taxCategory": "digital_goods"}},
        ),
        2,
    )
    plan = _created(
        ProductFactory(
            store=store,
            name="Plan",
            product_type=ProductType.SUBSCRIPTION,
            prices={"USD": {"amount": "20.00", "taxCategory": "saas"}},
        ),
        3,
    )
    _created(ProductFactory(store=store, name="Old"), 12, 2025)  # before the range
    return alpha, beta, plan


@pytest.fixture
def sold(catalog, many_payments):
    """Alpha: two USD orders (34.51 each) and one EUR (32.13); Beta: three (11.90), then
    deactivated; Plan: one order (23.80) and its renewal; Alpha once before the range;
    another merchant's."""
    alpha, beta, plan = catalog
    bought(alpha, at(1, 5))
    bought(alpha, at(2, 10))
    bought(alpha, at(3, 10), currency="EUR")
    bought(alpha, at(12, 20, 2025))
    for day in (6, 7, 8):
        bought(beta, at(1, day))
    Product.objects.filter(pk=beta.pk).update(test_status="inactive")  # no longer sold
    renewal(bought(plan, at(1, 20)), at(2, 20))
    bought(ProductFactory(store=StoreFactory(owner=MerchantFactory())), at(1, 9))
    return catalog


def _row(product, orders, revenue, currency="USD", **extra) -> dict:
    return {
        "productId": product.public_id,
        "productName": product.test_version.name,
        "orderCount": orders,
        "totalRevenue": revenue,
        "currency": currency,
        **extra,
    }


def test_product_statistics(api, store, sold, django_assert_max_num_queries):
    alpha, beta, plan = sold
    with django_assert_max_num_queries(STATEMENTS):
        status, body = gql(api, STATISTICS, storeId=store.public_id)

    assert status == 200, body
    data = body["data"]["productStatistics"]
    assert data["onetimeCountsByStatus"] == [
        {"status": "active", "count": 1},
        {"status": "inactive", "count": 1},
    ]
    assert data["subscriptionCountsByStatus"] == [{"status": "active", "count": 1}]
    assert (data["onetimeTotalCount"], data["subscriptionTotalCount"]) == (2, 1)
    onetime, subscription = {"productType": "onetime"}, {"productType": "subscription"}
    assert data["topByOrderCount"] == [
        _row(beta, 3, "35.70", **onetime),
        _row(alpha, 2, "69.02", **onetime),
        _row(alpha, 1, "32.13", "EUR", **onetime),
        _row(plan, 1, "47.60", **subscription),
    ]
    # No currency: the best two in each currency sold in.
    assert data["topByRevenue"] == [
        _row(alpha, 1, "32.13", "EUR"),
        _row(alpha, 2, "69.02"),
        _row(plan, 1, "47.60"),
    ]
    # 69.02 + 47.60 + 35.70 = 152.32
    assert data["revenueContribution"] == [
        {
            "productId": alpha.public_id,
            "productType": "onetime",
            "productName": "Alpha",
            "revenue": "69.02",
            "contributionPercentage": 45.31,
            "cumulativePercentage": 45.31,
        },
        {
            "productId": plan.public_id,
            "productType": "subscription",
            "productName": "Plan",
            "revenue": "47.60",
            "contributionPercentage": 31.25,
            "cumulativePercentage": 76.56,
        },
        {
            "productId": beta.public_id,
            "productType": "onetime",
            "productName": "Beta",
            "revenue": "35.70",
            "contributionPercentage": 23.44,
            "cumulativePercentage": 100.0,
        },
    ]


def test_top_by_revenue_in_one_currency(api, store, sold):
    alpha, _, plan = sold
    status, body = gql(api, STATISTICS, storeId=store.public_id, currency="usd")

    assert status == 200, body
    assert body["data"]["productStatistics"]["topByRevenue"] == [
        _row(alpha, 2, "69.02"),
        _row(plan, 1, "47.60"),
    ]


def test_the_filters_narrow_orders_and_payments(api, store, sold):
    alpha, _, _ = sold
    query = """query ($storeId: String!) {
      productStatistics(storeId: $storeId, filter: { currency: "eur", status: "completed",
        timeRange: { startDate: "2026-01-01T00:00:00Z", endDate: "2026-04-01T00:00:00Z" } }) {
        topByOrderCount { productId orderCount totalRevenue currency }
        revenueContribution { productId revenue contributionPercentage cumulativePercentage }
      }
    }"""
    status, body = gql(api, query, storeId=store.public_id)

    assert status == 200, body
    data = body["data"]["productStatistics"]
    assert data["topByOrderCount"] == [
        {"productId": alpha.public_id, "orderCount": 1, "totalRevenue": "32.13", "currency": "EUR"}
    ]
    assert data["revenueContribution"] == [
        {
            "productId": alpha.public_id,
            "revenue": "32.13",
            "contributionPercentage": 100.0,
            "cumulativePercentage": 100.0,
        }
    ]


def test_an_empty_range_and_another_merchants_store(api, store, sold):
    empty = """query ($storeId: String!) {
      productStatistics(storeId: $storeId, filter: { timeRange: {
        startDate: "2027-01-01T00:00:00Z", endDate: "2027-02-01T00:00:00Z" } }) {
        onetimeCountsByStatus { status count } onetimeTotalCount subscriptionTotalCount
        topByOrderCount { productId } topByRevenue { productId }
        revenueContribution(currency: "usd") { productId }
      }
    }"""
    nothing = {
        "onetimeCountsByStatus": [],
        "onetimeTotalCount": 0,
        "subscriptionTotalCount": 0,
        "topByOrderCount": [],
        "topByRevenue": [],
        "revenueContribution": [],
    }
    status, body = gql(api, empty, storeId=store.public_id)
    assert (status, body["data"]["productStatistics"]) == (200, nothing)

    stranger = StoreFactory(owner=MerchantFactory())
    _created(ProductFactory(store=stranger), 1)
    bought(ProductFactory(store=stranger), at(1, 12))
    status, body = gql(api, STATISTICS, storeId=stranger.public_id, currency="usd")
    assert status == 200, body
    data = body["data"]["productStatistics"]
    assert data["onetimeCountsByStatus"] == [] and data["onetimeTotalCount"] == 0
    assert data["topByOrderCount"] == data["topByRevenue"] == data["revenueContribution"] == []


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ("topByOrderCount(limit: 0) { productId }", "limit must be between 1 and 100"),
        ("topByRevenue(limit: 101) { productId }", "limit must be between 1 and 100"),
        (
            "revenueContribution { productId }",
            "revenueContribution needs a currency (its argument or filter.currency)",
        ),
    ],
)
def test_refusals(api, store, fields, message):
    query = f"""query ($storeId: String!) {{
      productStatistics(storeId: $storeId, filter: {{ timeRange: {{
        startDate: "2026-01-01T00:00:00Z", endDate: "2026-04-01T00:00:00Z" }} }}) {{ {fields} }}
    }}"""
    status, body = gql(api, query, storeId=store.public_id)

    assert status == 400
    assert body["errors"][0]["message"] == message


def test_statements_do_not_grow_with_products(
    api, store, catalog, many_payments, django_assert_num_queries
):
    alpha, _, plan = catalog

    def ask() -> None:
        status, body = gql(api, STATISTICS, storeId=store.public_id)
        assert status == 200, body

    bought(alpha, at(1, 5))
    with django_assert_num_queries(STATEMENTS):
        ask()
    for number in range(2, 6):
        extra = _created(ProductFactory(store=store), 1)
        bought(extra, at(2, number))
        renewal(bought(plan, at(1, number)), at(3, number))
    with django_assert_num_queries(STATEMENTS):
        ask()
