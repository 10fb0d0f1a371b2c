"""The guide's revenue and tax analytics (orderStatistics breakdowns, paymentStatistics
methods and settlement, taxAnalysis) through the official SDK against a live server, with
the guide's own query text: the store's sales count, another merchant's never do; the
store named by its slug answers the same, another merchant's slug like no store."""

import json
from datetime import UTC, datetime

import pytest

from orders.models import Order
from payments.models import Payment
from tests.factories import MerchantFactory, ProductFactory, StoreFactory
from tests.refund_support import paid_payment

pytestmark = pytest.mark.sdk

RANGE = (
    'filter: { timeRange: { startDate: "2025-01-01T00:00:00Z", endDate: "2026-01-01T00:00:00Z" } }'
)

GUIDE = f"""query ($storeId: String!) {{
    orderStatistics(
      storeId: $storeId,
      {RANGE}
    ) {{
      revenueByPeriod(granularity: MONTH, currency: "usd") {{ period currency totalAmount paymentCount }}
      revenueByCountry(currency: "usd") {{ country totalAmount paymentCount }}
      b2bVsB2cBreakdown(currency: "usd") {{ isBusiness label totalAmount orderCount }}
      revenueByState(country: "US", currency: "usd") {{ state totalAmount paymentCount }}
    }}
    paymentStatistics(
      storeId: $storeId,
      {RANGE}
    ) {{
      methodDistribution {{ methodType count totalAmount percentage }}
      settlementRevenueByCurrency {{ currency totalAmount paymentCount }}
    }}
    taxAnalysis(
      storeId: $storeId,
      {RANGE}
    ) {{
      byCategory(currency: "usd") {{ taxCategory totalTax totalAmount paymentCount }}
      byRateGroup(currency: "usd") {{ taxRate totalTax totalAmount paymentCount }}
      byCountry(currency: "usd") {{ country totalTax totalAmount paymentCount }}
      b2bVsB2c(currency: "usd") {{ isBusiness label totalTax totalAmount orderCount }}
      effectiveTaxRateTrend(granularity: MONTH, currency: "usd") {{ period avgTaxRate paymentCount }}
      taxAmountByPeriod(granularity: MONTH, currency: "usd") {{ period totalTax paymentCount }}
    }}
  }}"""

BY_SLUG = GUIDE.replace("$storeId: String!", "$storeSlug: String!").replace(
    "storeId: $storeId", "storeSlug: $storeSlug"
)


def _sold_in_june_2025(product) -> None:
    """A German consumer's payment, made and succeeded in the guide's 2025 range."""
    payment = paid_payment(product)
    moment = datetime(2025, 6, 15, 12, tzinfo=UTC)
    Order.objects.filter(pk=payment.order_id).update(created_at=moment, completed_at=moment)
    Payment.objects.filter(pk=payment.pk).update(created_at=moment, resolved_at=moment)


def test_revenue_and_tax_analytics_through_the_sdk(live_sdk, live_merchant):
    store = StoreFactory(owner=live_merchant)
    stranger = StoreFactory(owner=MerchantFactory())
    _sold_in_june_2025(ProductFactory(store=store))
    _sold_in_june_2025(ProductFactory(store=stranger))
    queries = {
        "mine": {"query": GUIDE, "variables": {"storeId": store.public_id}},
        "theirs": {"query": GUIDE, "variables": {"storeId": stranger.public_id}},
        "mine_by_slug": {"query": BY_SLUG, "variables": {"storeSlug": store.slug}},
        "theirs_by_slug": {"query": BY_SLUG, "variables": {"storeSlug": stranger.slug}},
    }

    out = live_sdk("graphql_guide.mjs", STORE_ID=store.public_id, QUERIES=json.dumps(queries))

    assert "errors" not in out["mine"], out["mine"]
    mine = out["mine"]["data"]
    june = [row for row in mine["orderStatistics"]["revenueByPeriod"] if row["paymentCount"]]
    assert june == [
        {"period": "2025-06-01", "currency": "USD", "totalAmount": "34.51", "paymentCount": 1}
    ]
    assert mine["orderStatistics"]["revenueByCountry"] == [
        {"country": "DE", "totalAmount": "34.51", "paymentCount": 1}
    ]
    assert mine["orderStatistics"]["revenueByState"] == []
    assert mine["paymentStatistics"]["methodDistribution"] == [
        {"methodType": "card", "count": 1, "totalAmount": "34.51", "percentage": 100.0}
    ]
    assert mine["paymentStatistics"]["settlementRevenueByCurrency"] == [
        {"currency": "USD", "totalAmount": "29.00", "paymentCount": 1}
    ]
    tax = mine["taxAnalysis"]
    assert tax["byCountry"] == [
        {"country": "DE", "totalTax": "5.51", "totalAmount": "34.51", "paymentCount": 1}
    ]
    assert tax["byRateGroup"][0]["taxRate"] == "19.00"
    assert len(tax["taxAmountByPeriod"]) == 12
    assert [row for row in tax["taxAmountByPeriod"] if row["paymentCount"]] == [
        {"period": "2025-06-01", "totalTax": "5.51", "paymentCount": 1}
    ]
    theirs = out["theirs"]["data"]
    assert theirs["paymentStatistics"]["settlementRevenueByCurrency"] == []
    assert theirs["taxAnalysis"]["byCountry"] == []
    assert out["mine_by_slug"] == out["mine"]
    assert out["theirs_by_slug"] == out["theirs"]
