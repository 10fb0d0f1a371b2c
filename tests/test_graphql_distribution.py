"""``distributionAnalysis`` over GraphQL: nearest-rank percentiles, mean and population
standard deviation of order amounts (renewals in the range added to their order's), exact
and rounded once; AOV per period; equal-width buckets; another merchant's store counts
nothing; a fixed number of statements whatever the number of orders."""

import pytest

from catalog.models import ProductType
from graphql_api.queries.distribution_analysis import nearest_rank, population_stddev
from tests.analytics_support import at, bought, renewal
from tests.factories import MerchantFactory, ProductFactory, StoreFactory
from tests.graphql_support import gql

pytestmark = pytest.mark.django_db

# The credential (2) and one statement per figure.
STATEMENTS = 5

DISTRIBUTION = """query ($storeId: String!, $start: String!, $end: String!, $currency: String) {
  distributionAnalysis(storeId: $storeId, filter: { timeRange: { startDate: $start, endDate: $end } }) {
    orderAmountPercentiles(currency: $currency) { p10 p25 p50 p75 p90 p95 p99 min max avg stddev count }
    aovTrend(granularity: MONTH, currency: $currency) { period averageOrderValue orderCount totalRevenue }
    orderAmountBuckets(currency: $currency, bucketCount: 4) { rangeMin rangeMax count percentage }
  }
}"""

QUARTER = {"start": "2026-01-01T00:00:00Z", "end": "2026-04-01T00:00:00Z"}


def _priced(store, amount: str, **extra):
    return ProductFactory(
        store=store, prices={"USD": {"amount": amount, "taxCategory": "digital_goods"}}, **extra
    )


@pytest.fixture
def orders(store, many_payments):
    """USD amounts in the range (19 % VAT): 11.90 twice, 23.80 (a renewal in January of a
    December order), 34.51 twice, 47.60 (an order and its renewal) and 119.00; one EUR
    order; one before the range; another merchant's."""
    alpha, cheap, dear = _priced(store, "29.00"), _priced(store, "10.00"), _priced(store, "100.00")
    plan = _priced(store, "20.00", product_type=ProductType.SUBSCRIPTION)
    bought(alpha, at(1, 5))
    bought(cheap, at(1, 6))
    renewal(bought(plan, at(1, 20)), at(2, 20))
    renewal(bought(plan, at(12, 15, 2025)), at(1, 15))
    bought(cheap, at(2, 2))
    bought(dear, at(3, 3))
    bought(alpha, at(3, 4))
    bought(ProductFactory(store=store), at(3, 10), currency="EUR")
    bought(alpha, at(12, 1, 2025))
    bought(_priced(StoreFactory(owner=MerchantFactory()), "5.00"), at(1, 9))


def _ask(api, store, window=QUARTER, currency="usd"):
    status, body = gql(api, DISTRIBUTION, storeId=store.public_id, currency=currency, **window)
    assert status == 200, body
    return body["data"]["distributionAnalysis"]


def test_distribution(api, store, orders, django_assert_max_num_queries):
    with django_assert_max_num_queries(STATEMENTS):
        data = _ask(api, store)

    # 11.90 11.90 23.80 34.51 34.51 47.60 119.00: ranks 1, 2, 4, 6, 7, 7, 7 of 7.
    assert data["orderAmountPercentiles"] == {
        "p10": "11.90",
        "p25": "11.90",
        "p50": "34.51",
        "p75": "47.60",
        "p90": "119.00",
        "p95": "119.00",
        "p99": "119.00",
        "min": "11.90",
        "max": "119.00",
        "avg": "40.46",  # 283.22 / 7
        "stddev": "34.22",  # 34.2245…
        "count": 7,
    }
    assert data["aovTrend"] == [
        # 34.51 + 11.90 + 23.80 + 23.80 = 94.01 over 4 orders = 23.5025
        {
            "period": "2026-01-01",
            "averageOrderValue": "23.50",
            "orderCount": 4,
            "totalRevenue": "94.01",
        },
        {
            "period": "2026-02-01",
            "averageOrderValue": "17.85",
            "orderCount": 2,
            "totalRevenue": "35.70",
        },
        # 153.51 / 2 = 76.755: halves up
        {
            "period": "2026-03-01",
            "averageOrderValue": "76.76",
            "orderCount": 2,
            "totalRevenue": "153.51",
        },
    ]
    # 11.90 to 119.00 in widths of 26.78
    assert data["orderAmountBuckets"] == [
        {"rangeMin": "11.90", "rangeMax": "38.67", "count": 5, "percentage": 71.43},
        {"rangeMin": "38.68", "rangeMax": "65.45", "count": 1, "percentage": 14.29},
        {"rangeMin": "65.46", "rangeMax": "92.23", "count": 0, "percentage": 0.0},
        {"rangeMin": "92.24", "rangeMax": "119.01", "count": 1, "percentage": 14.29},
    ]


def test_one_order(api, store, orders):
    data = _ask(api, store, {"start": "2026-02-01T00:00:00Z", "end": "2026-02-10T00:00:00Z"})

    percentiles = data["orderAmountPercentiles"]
    assert {percentiles[f"p{p}"] for p in (10, 25, 50, 75, 90, 95, 99)} == {"11.90"}
    assert (percentiles["min"], percentiles["max"], percentiles["avg"]) == ("11.90",) * 3
    assert (percentiles["stddev"], percentiles["count"]) == ("0.00", 1)
    assert data["aovTrend"] == [
        {
            "period": "2026-02-01",
            "averageOrderValue": "11.90",
            "orderCount": 1,
            "totalRevenue": "11.90",
        }
    ]
    assert data["orderAmountBuckets"] == [
        {"rangeMin": "11.90", "rangeMax": "11.90", "count": 1, "percentage": 100.0}
    ]


def test_the_currency_filter(api, store, orders):
    query = """query ($storeId: String!) {
      distributionAnalysis(storeId: $storeId, filter: { currency: "eur",
        timeRange: { startDate: "2026-01-01T00:00:00Z", endDate: "2026-04-01T00:00:00Z" } }) {
        orderAmountPercentiles { p50 count }
        aovTrend(granularity: QUARTER) { period averageOrderValue orderCount totalRevenue }
      }
    }"""
    status, body = gql(api, query, storeId=store.public_id)

    assert status == 200, body
    assert body["data"]["distributionAnalysis"] == {
        "orderAmountPercentiles": {"p50": "32.13", "count": 1},
        "aovTrend": [
            {
                "period": "2026-01-01",
                "averageOrderValue": "32.13",
                "orderCount": 1,
                "totalRevenue": "32.13",
            }
        ],
    }


def test_an_empty_range_and_another_merchants_store(api, store, orders):
    nothing = {
        "orderAmountPercentiles": {
            **{f"p{p}": None for p in (10, 25, 50, 75, 90, 95, 99)},
            "min": None,
            "max": None,
            "avg": None,
            "stddev": None,
            "count": 0,
        },
        "aovTrend": [
            {
                "period": "2027-01-01",
                "averageOrderValue": None,
                "orderCount": 0,
                "totalRevenue": "0.00",
            }
        ],
        "orderAmountBuckets": [],
    }
    empty = {"start": "2027-01-01T00:00:00Z", "end": "2027-02-01T00:00:00Z"}
    assert _ask(api, store, empty) == nothing

    stranger = StoreFactory(owner=MerchantFactory())
    bought(ProductFactory(store=stranger), at(1, 5))
    data = _ask(api, stranger)
    assert data["orderAmountPercentiles"]["count"] == 0
    assert [row["orderCount"] for row in data["aovTrend"]] == [0, 0, 0]
    assert data["orderAmountBuckets"] == []


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            'orderAmountBuckets(currency: "usd", bucketCount: 0) { count }',
            "bucketCount must be between 1 and 100",
        ),
        (
            'orderAmountBuckets(currency: "usd", bucketCount: 101) { count }',
            "bucketCount must be between 1 and 100",
        ),
        (
            "orderAmountPercentiles { count }",
            "orderAmountPercentiles needs a currency (its argument or filter.currency)",
        ),
        (
            "aovTrend(granularity: MONTH) { period }",
            "aovTrend needs a currency (its argument or filter.currency)",
        ),
        (
            "orderAmountBuckets { count }",
            "orderAmountBuckets needs a currency (its argument or filter.currency)",
        ),
    ],
)
def test_refusals(api, store, fields, message):
    query = f"""query ($storeId: String!) {{
      distributionAnalysis(storeId: $storeId, filter: {{ timeRange: {{
        startDate: "2026-01-01T00:00:00Z", endDate: "2026-04-01T00:00:00Z" }} }}) {{ {fields} }}
    }}"""
    status, body = gql(api, query, storeId=store.public_id)

    assert status == 400
    assert body["errors"][0]["message"] == message


def test_nearest_rank_and_the_standard_deviation_are_exact():
    assert [nearest_rank([10, 20, 30, 40], p) for p in (10, 25, 26, 50, 75, 99)] == [
        10,
        10,
        20,
        20,
        30,
        40,
    ]
    assert population_stddev([1, 2]) == 1  # 0.5, halves up
    assert population_stddev([0, 0, 3]) == 1  # 1.414…
    assert population_stddev([0, 10]) == 5
    assert population_stddev([10**15, 10**15 + 2]) == 1  # no float anywhere


def test_statements_do_not_grow_with_orders(
    api, store, product, many_payments, django_assert_num_queries
):
    bought(product, at(1, 5))
    with django_assert_num_queries(STATEMENTS):
        _ask(api, store)
    for number in range(2, 9):
        renewal(bought(product, at(number % 3 + 1, number)), at(3, number + 10))
    with django_assert_num_queries(STATEMENTS):
        _ask(api, store)
