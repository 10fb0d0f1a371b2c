"""``customerAnalysis`` over GraphQL: cohorts, LTV, purchase frequency, repeat purchases and
top customers of one store's buyers (identity, else email), renewals counted, another
merchant's never; a fixed number of statements whatever the number of buyers."""

from datetime import UTC, datetime

import pytest

from graphql_api.queries.customer_analysis import _median
from payments.models import Payment, PaymentStatus
from tests.factories import MerchantFactory, ProductFactory, StoreFactory
from tests.graphql_support import gql, paid_order

pytestmark = pytest.mark.django_db

# The credential (2) and the analysis: one statement per figure, two for topCustomers.
STATEMENTS = 8

ANALYSIS = """query ($storeId: String!, $currency: String) {
  customerAnalysis(
    storeId: $storeId,
    filter: { timeRange: { startDate: "2026-01-01T00:00:00Z", endDate: "2026-04-01T00:00:00Z" } }
  ) {
    cohortRetention(granularity: MONTH) {
      cohortPeriod cohortSize
      retention { periodOffset activeCustomers retentionRate }
    }
    ltvDistribution(currency: $currency) {
      averageLtv medianLtv
      buckets { rangeMin rangeMax count percentage }
    }
    purchaseFrequency { purchaseCount customerCount percentage }
    repeatPurchaseRate(granularity: MONTH) { period totalBuyers repeatBuyers repeatRate }
    topCustomers(limit: 2, currency: $currency) {
      buyerEmail totalSpent orderCount firstPurchaseDate lastPurchaseDate
    }
  }
}"""


def _at(month: int, day: int, year: int = 2026) -> datetime:
    return datetime(year, month, day, 12, 0, tzinfo=UTC)


def _bought(product, when: datetime, **buyer) -> Payment:
    """A paid order (34.51 USD with a German buyer) whose payment succeeded at ``when``."""
    payment = paid_order(product, **buyer).payments.get()
    Payment.objects.filter(pk=payment.pk).update(resolved_at=when)
    return payment


def _renewal(payment: Payment, when: datetime) -> Payment:
    """The order's next billing period paid at ``when``, as a renewal records it."""
    return Payment.objects.create(
        order=payment.order,
        status=PaymentStatus.SUCCEEDED,
        period=2,
        amount_minor=payment.amount_minor,
        tax_minor=payment.tax_minor,
        currency=payment.currency,
        resolved_at=when,
    )


@pytest.fixture
def purchases(product, many_payments):
    """a: January and February; cust-b (two emails): January and March; c: December 2025
    and a renewal in February; d: one EUR order in March; and another merchant's buyer."""
    _bought(product, _at(1, 5), email="a@example.com")
    _bought(product, _at(2, 10), email="a@example.com")
    _bought(product, _at(1, 20), email="b1@example.com", identity="cust-b")
    _bought(product, _at(3, 3), email="b2@example.com", identity="cust-b")
    _renewal(_bought(product, _at(12, 15, 2025), email="c@example.com"), _at(2, 20))
    _bought(product, _at(3, 10), email="d@example.com", currency="EUR")
    stranger = ProductFactory(store=StoreFactory(owner=MerchantFactory()))
    _bought(stranger, _at(1, 7), email="a@example.com")


def test_customer_analysis(api, store, purchases, django_assert_max_num_queries):
    with django_assert_max_num_queries(STATEMENTS):
        status, body = gql(api, ANALYSIS, storeId=store.public_id, currency="usd")

    assert status == 200, body
    data = body["data"]["customerAnalysis"]
    assert data["cohortRetention"] == [
        {
            "cohortPeriod": "2026-01-01",
            "cohortSize": 2,
            "retention": [
                {"periodOffset": 0, "activeCustomers": 2, "retentionRate": 100.0},
                {"periodOffset": 1, "activeCustomers": 1, "retentionRate": 50.0},
                {"periodOffset": 2, "activeCustomers": 1, "retentionRate": 50.0},
            ],
        },
        {
            "cohortPeriod": "2026-03-01",
            "cohortSize": 1,
            "retention": [{"periodOffset": 0, "activeCustomers": 1, "retentionRate": 100.0}],
        },
    ]
    assert data["repeatPurchaseRate"] == [
        {"period": "2026-01-01", "totalBuyers": 2, "repeatBuyers": 0, "repeatRate": 0.0},
        {"period": "2026-02-01", "totalBuyers": 2, "repeatBuyers": 2, "repeatRate": 100.0},
        {"period": "2026-03-01", "totalBuyers": 2, "repeatBuyers": 1, "repeatRate": 50.0},
    ]
    assert data["purchaseFrequency"] == [
        {"purchaseCount": 1, "customerCount": 2, "percentage": 50.0},
        {"purchaseCount": 2, "customerCount": 2, "percentage": 50.0},
    ]
    assert data["topCustomers"] == [
        {
            "buyerEmail": "a@example.com",
            "totalSpent": "69.02",
            "orderCount": 2,
            "firstPurchaseDate": "2026-01-05T12:00:00.000Z",
            "lastPurchaseDate": "2026-02-10T12:00:00.000Z",
        },
        {
            "buyerEmail": "b2@example.com",
            "totalSpent": "69.02",
            "orderCount": 2,
            "firstPurchaseDate": "2026-01-20T12:00:00.000Z",
            "lastPurchaseDate": "2026-03-03T12:00:00.000Z",
        },
    ]


def test_ltv_is_exact_and_rounded_once(api, store, purchases):
    status, body = gql(api, ANALYSIS, storeId=store.public_id, currency="USD")

    assert status == 200, body
    ltv = body["data"]["customerAnalysis"]["ltvDistribution"]
    # 34.51, 69.02 and 69.02: 172.55 / 3 = 57.5166… → 57.52
    assert (ltv["averageLtv"], ltv["medianLtv"]) == ("57.52", "69.02")
    buckets = ltv["buckets"]
    assert len(buckets) == 10  # widths of 3.46 from 34.51
    assert buckets[0] == {"rangeMin": "34.51", "rangeMax": "37.96", "count": 1, "percentage": 33.33}
    assert buckets[9] == {"rangeMin": "65.65", "rangeMax": "69.10", "count": 2, "percentage": 66.67}
    assert sum(bucket["count"] for bucket in buckets) == 3


def test_an_even_median_rounds_its_half_up():
    assert _median([1, 2]) == 2
    assert _median([3451, 6902]) == 5177  # 5176.5
    assert _median([10, 20, 31]) == 20


def test_the_currency_filter_and_an_empty_store(api, merchant, store, purchases):
    query = """query ($storeId: String!) {
      customerAnalysis(storeId: $storeId, filter: { currency: "eur",
        timeRange: { startDate: "2026-01-01T00:00:00Z", endDate: "2026-04-01T00:00:00Z" } }) {
        ltvDistribution { averageLtv medianLtv buckets { rangeMin rangeMax count } }
        topCustomers { buyerEmail totalSpent orderCount }
      }
    }"""
    status, body = gql(api, query, storeId=store.public_id)
    assert status == 200, body
    data = body["data"]["customerAnalysis"]
    assert data["ltvDistribution"] == {
        "averageLtv": "32.13",
        "medianLtv": "32.13",
        "buckets": [{"rangeMin": "32.13", "rangeMax": "32.13", "count": 1}],
    }
    assert data["topCustomers"] == [
        {"buyerEmail": "d@example.com", "totalSpent": "32.13", "orderCount": 1}
    ]

    empty = StoreFactory(owner=merchant)
    status, body = gql(api, query, storeId=empty.public_id)
    assert status == 200, body
    assert body["data"]["customerAnalysis"] == {
        "ltvDistribution": {"averageLtv": None, "medianLtv": None, "buckets": []},
        "topCustomers": [],
    }


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ("topCustomers(limit: 0) { buyerEmail }", "limit must be between 1 and 100"),
        (
            'topCustomers(limit: 101, currency: "usd") { buyerEmail }',
            "limit must be between 1 and 100",
        ),
        (
            "ltvDistribution { averageLtv }",
            "ltvDistribution needs a currency (its argument or filter.currency)",
        ),
        (
            "topCustomers { buyerEmail }",
            "topCustomers needs a currency (its argument or filter.currency)",
        ),
    ],
)
def test_refusals(api, store, fields, message):
    query = f"""query ($storeId: String!) {{
      customerAnalysis(storeId: $storeId, filter: {{ timeRange: {{
        startDate: "2026-01-01T00:00:00Z", endDate: "2026-04-01T00:00:00Z" }} }}) {{ {fields} }}
    }}"""
    status, body = gql(api, query, storeId=store.public_id)

    assert status == 400
    assert body["errors"][0]["message"] == message


def test_another_merchants_store_shows_nothing(api, many_payments):
    other_store = StoreFactory(owner=MerchantFactory())
    _bought(ProductFactory(store=other_store), _at(1, 9), email="x@example.com")

    status, body = gql(api, ANALYSIS, storeId=other_store.public_id, currency="usd")

    assert status == 200, body
    data = body["data"]["customerAnalysis"]
    assert data["cohortRetention"] == [] and data["topCustomers"] == []
    assert data["purchaseFrequency"] == []
    assert data["ltvDistribution"] == {"averageLtv": None, "medianLtv": None, "buckets": []}


def test_statements_do_not_grow_with_buyers(
    api, store, product, many_payments, django_assert_num_queries
):
    def ask() -> None:
        status, body = gql(api, ANALYSIS, storeId=store.public_id, currency="usd")
        assert status == 200, body

    _bought(product, _at(1, 5), email="one@example.com", identity="id-1")
    with django_assert_num_queries(STATEMENTS):
        ask()
    for number in range(2, 8):
        _bought(product, _at(number % 3 + 1, number), email=f"b{number}@example.com")
    with django_assert_num_queries(STATEMENTS):
        ask()
