"""Every analytics query names its store by ``storeId`` or ``storeSlug`` (the guide's "All
analytics queries accept ``storeId`` (or ``storeSlug``)"): the slug gives the same answer
as the ID; another merchant's slug answers like an unknown store; both or neither is the
query's error, answered as every analytics error is (400, ``data: null``)."""

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from core import ids
from payments.refund_tickets import Request, Submitter, refund_ticket_create
from tests.factories import MerchantFactory, ProductFactory, StoreFactory
from tests.graphql_support import gql
from tests.refund_support import paid_payment

pytestmark = pytest.mark.django_db

FILTER = "filter: { timeRange: { startDate: $start, endDate: $end } }"

# (query, a selection of its fields): every analytics query of the guide.
ANALYTICS = [
    (
        "orderStatistics",
        "totalCount revenueByCurrency { currency totalAmount paymentCount }"
        " buyerMetrics { totalBuyers newBuyers returningBuyers }",
    ),
    (
        "paymentStatistics",
        "successRate { totalAttempts succeeded successRate }"
        " taxSummary { currency totalTax totalAmount paymentCount }",
    ),
    (
        "productStatistics",
        'onetimeTotalCount topByRevenue(limit: 5, currency: "usd") { productName totalRevenue }',
    ),
    (
        "trendAnalysis",
        'cumulativeRevenue(granularity: ALL_TIME, currency: "usd") { period cumulativeValue }',
    ),
    (
        "distributionAnalysis",
        'orderAmountPercentiles(currency: "usd") { p50 count }'
        ' aovTrend(granularity: ALL_TIME, currency: "usd") { averageOrderValue orderCount }',
    ),
    (
        "customerAnalysis",
        'purchaseFrequency { purchaseCount customerCount } topCustomers(currency: "usd")'
        " { totalSpent orderCount }",
    ),
    (
        "taxAnalysis",
        'byCategory(currency: "usd") { taxCategory totalTax paymentCount }'
        ' byCountry(currency: "usd") { country totalTax }',
    ),
    (
        "subscriptionAnalysis",
        "activeCount cancellationStats { totalSubscriptions canceledCount }",
    ),
    (
        "refundTicketAnalysis",
        "statusDistribution { status count percentage } approvalRate { approved rejected }",
    ),
]
NAMES = [name for name, _ in ANALYTICS]


def _query(name: str, fields: str, argument: str) -> str:
    return (
        f"query ($store: String, $start: String!, $end: String!) {{\n"
        f"  {name}({argument}: $store, {FILTER}) {{ {fields} }}\n}}"
    )


def _window() -> dict:
    now = datetime.now(UTC)
    return {
        "start": (now - timedelta(days=1)).isoformat(),
        "end": (now + timedelta(minutes=5)).isoformat(),
    }


def _ask(api, query: str, status: int = 200, **variables) -> dict:
    answered, body = gql(api, query, **_window(), **variables)
    assert answered == status, body
    return body


@pytest.fixture
def sales(product):
    """Two paid orders of the store, one with a refund ticket; and another merchant's."""
    payment = paid_payment(product)
    paid_payment(product)
    refund_ticket_create(
        payment=payment,
        submitter=Submitter("customer", "buyer-1"),
        request=Request("Wrong colour", "10.00", "USD"),
    )
    paid_payment(ProductFactory(store=StoreFactory(owner=MerchantFactory())))


@pytest.mark.parametrize(("name", "fields"), ANALYTICS, ids=NAMES)
def test_the_slug_answers_as_the_id(api, store, sales, name, fields):
    by_id = _ask(api, _query(name, fields, "storeId"), store=store.public_id)
    by_slug = _ask(api, _query(name, fields, "storeSlug"), store=store.slug)

    assert "errors" not in by_id, by_id
    assert by_slug == by_id


@pytest.mark.parametrize(("name", "fields"), ANALYTICS, ids=NAMES)
def test_another_merchants_slug_is_an_unknown_store(api, store, sales, name, fields):
    foreign = StoreFactory(owner=MerchantFactory())
    paid_payment(ProductFactory(store=foreign))
    unknown = ids.to_short_id("STO", uuid.uuid4())

    by_foreign_slug = _ask(api, _query(name, fields, "storeSlug"), store=foreign.slug)
    by_unknown_slug = _ask(api, _query(name, fields, "storeSlug"), store="no-such-store")
    by_unknown_id = _ask(api, _query(name, fields, "storeId"), store=unknown)

    assert "errors" not in by_unknown_id, by_unknown_id
    assert by_foreign_slug == by_unknown_id
    assert by_unknown_slug == by_unknown_id


@pytest.mark.parametrize(("name", "fields"), ANALYTICS, ids=NAMES)
def test_both_or_neither_is_refused(api, store, name, fields):
    both = (
        f"query ($id: String, $slug: String, $start: String!, $end: String!) {{\n"
        f"  {name}(storeId: $id, storeSlug: $slug, {FILTER}) {{ {fields} }}\n}}"
    )
    neither = f"query ($start: String!, $end: String!) {{\n  {name}({FILTER}) {{ {fields} }}\n}}"

    refused_both = _ask(api, both, 400, id=store.public_id, slug=store.slug)
    refused_neither = _ask(api, neither, 400)

    assert refused_both["data"] is None
    assert [error["message"] for error in refused_both["errors"]] == [
        "Give storeId or storeSlug, not both"
    ]
    assert refused_neither["data"] is None
    assert [error["message"] for error in refused_neither["errors"]] == [
        "storeId or storeSlug is required"
    ]


def test_a_malformed_id_is_still_the_format_error(api):
    name, fields = ANALYTICS[0]

    body = _ask(api, _query(name, fields, "storeId"), 400, store="nope")

    assert [error["message"] for error in body["errors"]] == [
        'Expected format: STO_xxx, got "nope"'
    ]
