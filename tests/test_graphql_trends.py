"""``trendAnalysis`` over GraphQL: growth per period against the one before (none for the
first, none from zero), cumulative revenue and moving averages over whole UTC days reaching
back before the range; renewals count as revenue; another merchant's store counts nothing;
a fixed number of statements whatever the number of periods and orders."""

import pytest

from catalog.models import ProductType
from tests.analytics_support import at, bought, renewal
from tests.factories import MerchantFactory, ProductFactory, StoreFactory
from tests.graphql_support import gql

pytestmark = pytest.mark.django_db

# The credential (2) and one statement per figure.
STATEMENTS = 7

TRENDS = """query ($storeId: String!, $start: String!, $end: String!, $currency: String) {
  trendAnalysis(storeId: $storeId, filter: { timeRange: { startDate: $start, endDate: $end } }) {
    orderGrowth(granularity: MONTH) { period currentValue previousValue growthRate }
    revenueGrowth(granularity: MONTH, currency: $currency) { period currentValue previousValue growthRate }
    cumulativeRevenue(granularity: MONTH, currency: $currency) { period periodValue cumulativeValue }
    orderMovingAverage(windowDays: 3) { date dailyValue movingAverage }
    revenueMovingAverage(windowDays: 3, currency: $currency) { date dailyValue movingAverage }
  }
}"""

QUARTER = {"start": "2026-01-01T00:00:00Z", "end": "2026-04-01T00:00:00Z"}
FIRST_WEEK = {"start": "2026-01-01T00:00:00Z", "end": "2026-01-07T00:00:00Z"}


@pytest.fixture
def sales(store, many_payments):
    """January: a one-time order (34.51) and a plan (23.80); February: no order, the plan's
    renewal; March: three one-time orders and one in EUR (32.13); one order the day before
    the range; another merchant's in January."""
    alpha = ProductFactory(store=store)
    plan = ProductFactory(
        store=store,
        product_type=ProductType.SUBSCRIPTION,
        prices={"USD": {"amount": "20.00", "taxCategory": "saas"}},
    )
    bought(alpha, at(12, 31, 2025))
    bought(alpha, at(1, 5))
    renewal(bought(plan, at(1, 20)), at(2, 20))
    for day in (1, 2, 3):
        bought(alpha, at(3, day))
    bought(alpha, at(3, 10), currency="EUR")
    bought(ProductFactory(store=StoreFactory(owner=MerchantFactory())), at(1, 9))


def _ask(api, store, window=QUARTER, currency="usd"):
    status, body = gql(api, TRENDS, storeId=store.public_id, currency=currency, **window)
    assert status == 200, body
    return body["data"]["trendAnalysis"]


def test_growth_and_cumulative_revenue(api, store, sales, django_assert_max_num_queries):
    with django_assert_max_num_queries(STATEMENTS):
        data = _ask(api, store)

    assert data["orderGrowth"] == [
        {"period": "2026-01-01", "currentValue": 2, "previousValue": None, "growthRate": None},
        {"period": "2026-02-01", "currentValue": 0, "previousValue": 2, "growthRate": -100.0},
        {"period": "2026-03-01", "currentValue": 4, "previousValue": 0, "growthRate": None},
    ]
    # 58.31 (34.51 + 23.80), 23.80 (the renewal), 103.53 (three of 34.51); EUR is not added.
    assert data["revenueGrowth"] == [
        {
            "period": "2026-01-01",
            "currentValue": "58.31",
            "previousValue": None,
            "growthRate": None,
        },
        {
            "period": "2026-02-01",
            "currentValue": "23.80",
            "previousValue": "58.31",
            "growthRate": -59.18,
        },
        {
            "period": "2026-03-01",
            "currentValue": "103.53",
            "previousValue": "23.80",
            "growthRate": 335.0,
        },
    ]
    assert data["cumulativeRevenue"] == [
        {"period": "2026-01-01", "periodValue": "58.31", "cumulativeValue": "58.31"},
        {"period": "2026-02-01", "periodValue": "23.80", "cumulativeValue": "82.11"},
        {"period": "2026-03-01", "periodValue": "103.53", "cumulativeValue": "185.64"},
    ]
    assert len(data["orderMovingAverage"]) == len(data["revenueMovingAverage"]) == 90
    assert data["orderMovingAverage"][61] == {
        "date": "2026-03-03",
        "dailyValue": 1,
        "movingAverage": 1.0,
    }
    assert data["revenueMovingAverage"][50] == {
        "date": "2026-02-20",
        "dailyValue": "23.80",
        "movingAverage": "7.93",
    }


def test_moving_averages_reach_back_before_the_range(api, store, sales):
    data = _ask(api, store, FIRST_WEEK)

    # The order of 31 December is in the windows of 1 and 2 January.
    assert data["orderMovingAverage"] == [
        {"date": "2026-01-01", "dailyValue": 0, "movingAverage": 0.33},
        {"date": "2026-01-02", "dailyValue": 0, "movingAverage": 0.33},
        {"date": "2026-01-03", "dailyValue": 0, "movingAverage": 0.0},
        {"date": "2026-01-04", "dailyValue": 0, "movingAverage": 0.0},
        {"date": "2026-01-05", "dailyValue": 1, "movingAverage": 0.33},
        {"date": "2026-01-06", "dailyValue": 0, "movingAverage": 0.33},
    ]
    # 34.51 / 3 = 11.5033… → 11.50, rounded once
    assert [(row["dailyValue"], row["movingAverage"]) for row in data["revenueMovingAverage"]] == [
        ("0.00", "11.50"),
        ("0.00", "11.50"),
        ("0.00", "0.00"),
        ("0.00", "0.00"),
        ("34.51", "11.50"),
        ("0.00", "11.50"),
    ]
    assert data["orderGrowth"] == [
        {"period": "2026-01-01", "currentValue": 1, "previousValue": None, "growthRate": None}
    ]


def test_the_currency_filter(api, store, sales):
    query = """query ($storeId: String!) {
      trendAnalysis(storeId: $storeId, filter: { currency: "eur",
        timeRange: { startDate: "2026-01-01T00:00:00Z", endDate: "2026-04-01T00:00:00Z" } }) {
        orderGrowth(granularity: QUARTER) { period currentValue }
        revenueGrowth(granularity: ALL_TIME) { period currentValue previousValue growthRate }
      }
    }"""
    status, body = gql(api, query, storeId=store.public_id)

    assert status == 200, body
    assert body["data"]["trendAnalysis"] == {
        "orderGrowth": [{"period": "2026-01-01", "currentValue": 1}],
        "revenueGrowth": [
            {
                "period": "2026-01-01",
                "currentValue": "32.13",
                "previousValue": None,
                "growthRate": None,
            }
        ],
    }


def test_a_range_without_orders_and_another_merchants_store(api, store, sales):
    empty = _ask(api, store, {"start": "2027-01-01T00:00:00Z", "end": "2027-01-03T00:00:00Z"})
    assert empty == {
        "orderGrowth": [
            {"period": "2027-01-01", "currentValue": 0, "previousValue": None, "growthRate": None}
        ],
        "revenueGrowth": [
            {
                "period": "2027-01-01",
                "currentValue": "0.00",
                "previousValue": None,
                "growthRate": None,
            }
        ],
        "cumulativeRevenue": [
            {"period": "2027-01-01", "periodValue": "0.00", "cumulativeValue": "0.00"}
        ],
        "orderMovingAverage": [
            {"date": "2027-01-01", "dailyValue": 0, "movingAverage": 0.0},
            {"date": "2027-01-02", "dailyValue": 0, "movingAverage": 0.0},
        ],
        "revenueMovingAverage": [
            {"date": "2027-01-01", "dailyValue": "0.00", "movingAverage": "0.00"},
            {"date": "2027-01-02", "dailyValue": "0.00", "movingAverage": "0.00"},
        ],
    }

    stranger = StoreFactory(owner=MerchantFactory())
    bought(ProductFactory(store=stranger), at(1, 5))
    data = _ask(api, stranger, FIRST_WEEK)
    assert [row["currentValue"] for row in data["orderGrowth"]] == [0]
    assert [row["currentValue"] for row in data["revenueGrowth"]] == ["0.00"]
    assert {row["dailyValue"] for row in data["orderMovingAverage"]} == {0}
    assert {row["movingAverage"] for row in data["revenueMovingAverage"]} == {"0.00"}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ("orderMovingAverage(windowDays: 0) { date }", "windowDays must be between 1 and 90"),
        (
            'revenueMovingAverage(windowDays: 91, currency: "usd") { date }',
            "windowDays must be between 1 and 90",
        ),
        (
            "revenueGrowth(granularity: MONTH) { period }",
            "revenueGrowth needs a currency (its argument or filter.currency)",
        ),
        (
            "cumulativeRevenue(granularity: MONTH) { period }",
            "cumulativeRevenue needs a currency (its argument or filter.currency)",
        ),
        (
            "revenueMovingAverage { date }",
            "revenueMovingAverage needs a currency (its argument or filter.currency)",
        ),
    ],
)
def test_refusals(api, store, fields, message):
    query = f"""query ($storeId: String!) {{
      trendAnalysis(storeId: $storeId, filter: {{ timeRange: {{
        startDate: "2026-01-01T00:00:00Z", endDate: "2026-04-01T00:00:00Z" }} }}) {{ {fields} }}
    }}"""
    status, body = gql(api, query, storeId=store.public_id)

    assert status == 400
    assert body["errors"][0]["message"] == message


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
