"""The guide's ``customerAnalysis`` and ``rate`` queries, word for word, through the official
SDK (``client.graphql.query``) against a live server."""

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import call_command

from payments.models import Payment
from tests.factories import MerchantFactory, ProductFactory, StoreFactory
from tests.graphql_support import paid_order

pytestmark = pytest.mark.sdk

RATES = Path(__file__).parent / "fixtures" / "eurofxref-daily.xml"

# Both copied from the SDK's docs/graphql-guide.md, unchanged.
CUSTOMERS = """query ($storeId: String!) {
    customerAnalysis(
      storeId: $storeId,
      filter: { timeRange: { startDate: "2025-01-01T00:00:00Z", endDate: "2026-01-01T00:00:00Z" } }
    ) {
      cohortRetention(granularity: MONTH) {
        cohortPeriod cohortSize
        retention { periodOffset activeCustomers retentionRate }
      }
      ltvDistribution(currency: "usd") {
        averageLtv medianLtv
        buckets { rangeMin rangeMax count percentage }
      }
      purchaseFrequency { purchaseCount customerCount percentage }
      repeatPurchaseRate(granularity: MONTH) { period totalBuyers repeatBuyers repeatRate }
      topCustomers(limit: 10, currency: "usd") { buyerEmail totalSpent orderCount firstPurchaseDate lastPurchaseDate }
    }
  }"""
RATE = """query {
    rate(fromCurrency: USD, toCurrency: EUR) {
      fromCurrency toCurrency standardRate rateRefId expiryTime
    }
  }"""


def _bought(product, when: datetime, email: str) -> None:
    payment = paid_order(product, email=email).payments.get()
    Payment.objects.filter(pk=payment.pk).update(resolved_at=when)


def test_customer_analysis_and_rate_through_the_sdk(live_sdk, live_merchant, settings):
    settings.PAYMENT_RATE_PER_EMAIL = "100000/hour"
    store = StoreFactory(owner=live_merchant)
    product = ProductFactory(store=store)
    _bought(product, datetime(2025, 3, 5, tzinfo=UTC), "a@example.com")
    _bought(product, datetime(2025, 4, 10, tzinfo=UTC), "a@example.com")
    _bought(product, datetime(2025, 3, 20, tzinfo=UTC), "b@example.com")
    _bought(
        ProductFactory(store=StoreFactory(owner=MerchantFactory())),
        datetime(2025, 3, 1, tzinfo=UTC),
        "x@x.io",
    )
    call_command("import_exchange_rates", str(RATES))

    out = live_sdk(
        "graphql_guide.mjs",
        STORE_ID=store.public_id,
        QUERIES=json.dumps(
            {
                "customers": {"query": CUSTOMERS, "variables": {"storeId": store.public_id}},
                "rate": {"query": RATE},
            }
        ),
    )

    _assert_analysis(out["customers"])
    assert out["rate"] == {
        "data": {
            "rate": {
                "fromCurrency": "USD",
                "toCurrency": "EUR",
                "standardRate": "0.9523809524",
                "rateRefId": "ECB-2026-11-27",
                "expiryTime": "2026-11-30T15:00:00.000Z",
            }
        }
    }


def _assert_analysis(answer: dict) -> None:
    assert "errors" not in answer, answer
    analysis = answer["data"]["customerAnalysis"]
    [cohort] = analysis["cohortRetention"]
    assert (cohort["cohortPeriod"], cohort["cohortSize"]) == ("2025-03-01", 2)
    assert [point["activeCustomers"] for point in cohort["retention"]] == [2, 1] + [0] * 8
    ltv = analysis["ltvDistribution"]
    assert (ltv["averageLtv"], ltv["medianLtv"]) == ("51.77", "51.77")  # 51.765, halves up
    assert [bucket["count"] for bucket in ltv["buckets"]] == [1] + [0] * 8 + [1]
    assert analysis["purchaseFrequency"] == [
        {"purchaseCount": 1, "customerCount": 1, "percentage": 50.0},
        {"purchaseCount": 2, "customerCount": 1, "percentage": 50.0},
    ]
    april = analysis["repeatPurchaseRate"][3]
    assert april == {
        "period": "2025-04-01",
        "totalBuyers": 1,
        "repeatBuyers": 1,
        "repeatRate": 100.0,
    }
    assert analysis["topCustomers"] == [
        {
            "buyerEmail": "a@example.com",
            "totalSpent": "69.02",
            "orderCount": 2,
            "firstPurchaseDate": "2025-03-05T00:00:00.000Z",
            "lastPurchaseDate": "2025-04-10T00:00:00.000Z",
        },
        {
            "buyerEmail": "b@example.com",
            "totalSpent": "34.51",
            "orderCount": 1,
            "firstPurchaseDate": "2025-03-20T00:00:00.000Z",
            "lastPurchaseDate": "2025-03-20T00:00:00.000Z",
        },
    ]
