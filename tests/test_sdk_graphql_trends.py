"""The guide's ``productStatistics``, ``trendAnalysis`` and ``distributionAnalysis`` through
the official SDK (``client.graphql.query``) against a live server, in the guide's own query
text: what the merchant's store sold in 2025, renewals counted, and nothing of another
merchant's store."""

import json
from datetime import UTC, datetime

import pytest

from catalog.models import Product, ProductType
from tests.analytics_support import bought, renewal
from tests.factories import MerchantFactory, ProductFactory, StoreFactory

pytestmark = pytest.mark.sdk

# Verbatim from the SDK's GraphQL guide (docs/graphql-guide.md, "Analytics Queries").
PRODUCT_STATISTICS = """query ($storeId: String!) {
    productStatistics(
      storeId: $storeId,
      filter: { timeRange: { startDate: "2025-01-01T00:00:00Z", endDate: "2026-01-01T00:00:00Z" } }
    ) {
      onetimeCountsByStatus { status count }
      subscriptionCountsByStatus { status count }
      onetimeTotalCount
      subscriptionTotalCount
      topByOrderCount(limit: 10) { productId productType productName orderCount totalRevenue currency }
      topByRevenue(limit: 10, currency: "usd") { productId productType productName orderCount totalRevenue currency }
      revenueContribution(currency: "usd") { productId productType productName revenue contributionPercentage cumulativePercentage }
    }
  }"""

TREND_ANALYSIS = """query ($storeId: String!) {
    trendAnalysis(
      storeId: $storeId,
      filter: { timeRange: { startDate: "2025-01-01T00:00:00Z", endDate: "2026-01-01T00:00:00Z" } }
    ) {
      orderGrowth(granularity: MONTH) { period currentValue previousValue growthRate }
      revenueGrowth(granularity: MONTH, currency: "usd") { period currentValue previousValue growthRate }
      cumulativeRevenue(granularity: MONTH, currency: "usd") { period periodValue cumulativeValue }
      orderMovingAverage(windowDays: 7) { date dailyValue movingAverage }
      revenueMovingAverage(windowDays: 7, currency: "usd") { date dailyValue movingAverage }
    }
  }"""

DISTRIBUTION_ANALYSIS = """query ($storeId: String!) {
    distributionAnalysis(
      storeId: $storeId,
      filter: { timeRange: { startDate: "2025-01-01T00:00:00Z", endDate: "2026-01-01T00:00:00Z" } }
    ) {
      orderAmountPercentiles(currency: "usd") { p10 p25 p50 p75 p90 p95 p99 min max avg stddev count }
      aovTrend(granularity: MONTH, currency: "usd") { period averageOrderValue orderCount totalRevenue }
      orderAmountBuckets(currency: "usd", bucketCount: 10) { rangeMin rangeMax count percentage }
    }
  }"""

GUIDE = {
    "products": PRODUCT_STATISTICS,
    "trends": TREND_ANALYSIS,
    "distribution": DISTRIBUTION_ANALYSIS,
}


def _in_2025(month: int, day: int) -> datetime:
    return datetime(2025, month, day, 12, tzinfo=UTC)


def _seed(merchant):
    """Two orders of a one-time product in March 2025 (34.51 each), a plan bought in April
    (23.80) and renewed in May; another merchant's store sold in March too."""
    store = StoreFactory(owner=merchant)
    alpha = ProductFactory(store=store, name="Alpha")
    plan = ProductFactory(
        store=store,
        name="Plan",
        product_type=ProductType.SUBSCRIPTION,
        prices={"USD": {"amount": "20.00", "taxCategory": "saas"}},
    )
    bought(alpha, _in_2025(3, 5))
    bought(alpha, _in_2025(3, 6))
    renewal(bought(plan, _in_2025(4, 10)), _in_2025(5, 10))
    stranger = StoreFactory(owner=MerchantFactory())
    bought(ProductFactory(store=stranger), _in_2025(3, 7))
    Product.objects.filter(store__in=[store, stranger]).update(created_at=_in_2025(2, 1))
    return store, stranger, alpha, plan


def _queries(store, stranger) -> dict:
    queries = {}
    for name, query in GUIDE.items():
        queries[name] = {"query": query, "variables": {"storeId": store.public_id}}
        queries[f"stranger_{name}"] = {"query": query, "variables": {"storeId": stranger.public_id}}
    return queries


def test_the_guides_product_trend_and_distribution_queries(live_sdk, live_merchant, settings):
    settings.PAYMENT_RATE_PER_EMAIL = "100000/hour"
    settings.PAYMENT_RATE_PER_CARD = "100000/hour"
    store, stranger, alpha, plan = _seed(live_merchant)

    out = live_sdk(
        "graphql_guide.mjs", STORE_ID=store.public_id, QUERIES=json.dumps(_queries(store, stranger))
    )

    for name in out:
        assert "errors" not in out[name], (name, out[name])
    _assert_products(out["products"]["data"]["productStatistics"], alpha, plan)
    _assert_trends(out["trends"]["data"]["trendAnalysis"])
    _assert_distribution(out["distribution"]["data"]["distributionAnalysis"])
    _assert_stranger(out)


def _assert_products(data: dict, alpha, plan) -> None:
    assert data["onetimeCountsByStatus"] == [{"status": "active", "count": 1}]
    assert data["subscriptionCountsByStatus"] == [{"status": "active", "count": 1}]
    assert (data["onetimeTotalCount"], data["subscriptionTotalCount"]) == (1, 1)
    ranked = [
        {
            "productId": alpha.public_id,
            "productType": "onetime",
            "productName": "Alpha",
            "orderCount": 2,
            "totalRevenue": "69.02",
            "currency": "USD",
        },
        {
            "productId": plan.public_id,
            "productType": "subscription",
            "productName": "Plan",
            "orderCount": 1,
            "totalRevenue": "47.60",
            "currency": "USD",
        },
    ]
    assert data["topByOrderCount"] == data["topByRevenue"] == ranked
    assert [
        (
            row["productId"],
            row["revenue"],
            row["contributionPercentage"],
            row["cumulativePercentage"],
        )
        for row in data["revenueContribution"]
    ] == [(alpha.public_id, "69.02", 59.18, 59.18), (plan.public_id, "47.60", 40.82, 100.0)]


def _assert_trends(data: dict) -> None:
    growth = data["orderGrowth"]
    assert [row["period"] for row in growth] == [f"2025-{month:02d}-01" for month in range(1, 13)]
    assert growth[2:5] == [
        {"period": "2025-03-01", "currentValue": 2, "previousValue": 0, "growthRate": None},
        {"period": "2025-04-01", "currentValue": 1, "previousValue": 2, "growthRate": -50.0},
        {"period": "2025-05-01", "currentValue": 0, "previousValue": 1, "growthRate": -100.0},
    ]
    assert growth[0] == {
        "period": "2025-01-01",
        "currentValue": 0,
        "previousValue": None,
        "growthRate": None,
    }
    assert data["revenueGrowth"][3] == {
        "period": "2025-04-01",
        "currentValue": "23.80",
        "previousValue": "69.02",
        "growthRate": -65.52,
    }
    assert data["revenueGrowth"][4]["growthRate"] == 0.0  # the renewal: 23.80 again
    assert data["cumulativeRevenue"][-1] == {
        "period": "2025-12-01",
        "periodValue": "0.00",
        "cumulativeValue": "116.62",
    }
    assert len(data["orderMovingAverage"]) == len(data["revenueMovingAverage"]) == 365
    # 6 March: the two orders of 5 and 6 March in the week ending on it.
    assert data["orderMovingAverage"][64] == {
        "date": "2025-03-06",
        "dailyValue": 1,
        "movingAverage": 0.29,
    }
    assert data["revenueMovingAverage"][64] == {
        "date": "2025-03-06",
        "dailyValue": "34.51",
        "movingAverage": "9.86",
    }


def _assert_distribution(data: dict) -> None:
    assert data["orderAmountPercentiles"] == {
        "p10": "34.51",
        "p25": "34.51",
        "p50": "34.51",
        "p75": "47.60",
        "p90": "47.60",
        "p95": "47.60",
        "p99": "47.60",
        "min": "34.51",
        "max": "47.60",
        "avg": "38.87",
        "stddev": "6.17",
        "count": 3,
    }
    assert [row["averageOrderValue"] for row in data["aovTrend"][1:6]] == [
        None,
        "34.51",
        "23.80",
        "23.80",
        None,
    ]
    buckets = data["orderAmountBuckets"]
    assert len(buckets) == 10
    assert buckets[0] == {"rangeMin": "34.51", "rangeMax": "35.81", "count": 2, "percentage": 66.67}
    assert buckets[-1] == {
        "rangeMin": "46.30",
        "rangeMax": "47.60",
        "count": 1,
        "percentage": 33.33,
    }


def _assert_stranger(out: dict) -> None:
    products = out["stranger_products"]["data"]["productStatistics"]
    assert products["onetimeTotalCount"] == 0 and products["topByOrderCount"] == []
    assert products["revenueContribution"] == []
    trends = out["stranger_trends"]["data"]["trendAnalysis"]
    assert {row["currentValue"] for row in trends["orderGrowth"]} == {0}
    assert trends["cumulativeRevenue"][-1]["cumulativeValue"] == "0.00"
    distribution = out["stranger_distribution"]["data"]["distributionAnalysis"]
    assert distribution["orderAmountPercentiles"]["count"] == 0
    assert distribution["orderAmountBuckets"] == []
