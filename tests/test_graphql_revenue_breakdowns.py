"""Revenue and tax analytics over GraphQL: orderStatistics breakdowns, paymentStatistics
methods and settlement, taxAnalysis; another merchant's store counts nothing; a refund
lowers settlement; a fixed number of statements."""

from datetime import UTC, datetime, timedelta

import pytest

from core.money import format_amount
from payments.models import Refund
from payments.refund_tickets import Request, Submitter, refund_ticket_create, refund_ticket_decide
from tests.factories import MerchantFactory, ProductFactory, StoreFactory
from tests.graphql_support import gql
from tests.refund_support import paid_payment

pytestmark = pytest.mark.django_db

# Statements for the whole query, whatever the number of orders: see the test below.
BUDGET = 17

QUERY = """query ($storeId: String!, $start: String!, $end: String!) {
  orderStatistics(storeId: $storeId, filter: { timeRange: { startDate: $start, endDate: $end } }) {
    revenueByPeriod(granularity: ALL_TIME, currency: "usd") { period currency totalAmount paymentCount }
    revenueByCountry(currency: "usd") { country totalAmount paymentCount }
    b2bVsB2cBreakdown(currency: "usd") { isBusiness label totalAmount orderCount }
    revenueByState(country: "de", currency: "usd") { state totalAmount paymentCount }
  }
  paymentStatistics(storeId: $storeId, filter: { timeRange: { startDate: $start, endDate: $end } }) {
    methodDistribution { methodType count totalAmount percentage }
    settlementRevenueByCurrency { currency totalAmount paymentCount }
  }
  taxAnalysis(storeId: $storeId, filter: { timeRange: { startDate: $start, endDate: $end } }) {
    byCategory(currency: "usd") { taxCategory totalTax totalAmount paymentCount }
    byRateGroup(currency: "usd") { taxRate totalTax totalAmount paymentCount }
    byCountry(currency: "USD") { country totalTax totalAmount paymentCount }
    b2bVsB2c(currency: "usd") { isBusiness label totalTax totalAmount orderCount }
    effectiveTaxRateTrend(granularity: ALL_TIME, currency: "usd") { period avgTaxRate paymentCount }
    taxAmountByPeriod(granularity: ALL_TIME, currency: "eur") { period totalTax paymentCount }
  }
}"""


def _window() -> dict:
    now = datetime.now(UTC)
    return {
        "start": (now - timedelta(days=1)).isoformat(),
        "end": (now + timedelta(minutes=5)).isoformat(),
    }


def _ask(api, store, **window):
    status, body = gql(api, QUERY, storeId=store.public_id, **window)
    assert status == 200, body
    return body["data"]


def _sales(product):
    """Two German consumers' payments of the store (one refunded 10.00), one elsewhere."""
    refunded = paid_payment(product)
    paid_payment(product)
    ticket = refund_ticket_create(
        payment=refunded,
        submitter=Submitter("customer", "buyer-1"),
        request=Request("Wrong colour", "10.00", "USD"),
    )
    refund_ticket_decide(ticket_id=ticket.pk, decision="approve", reviewer_id="s")
    paid_payment(ProductFactory(store=StoreFactory(owner=MerchantFactory())))
    return refunded


def test_revenue_breakdowns(api, store, product, django_assert_max_num_queries):
    _sales(product)
    window = _window()

    with django_assert_max_num_queries(BUDGET):
        data = _ask(api, store, **window)

    day = datetime.fromisoformat(window["start"]).date().isoformat()
    orders = data["orderStatistics"]
    assert orders["revenueByPeriod"] == [
        {"period": day, "currency": "USD", "totalAmount": "69.02", "paymentCount": 2}
    ]
    assert orders["revenueByCountry"] == [
        {"country": "DE", "totalAmount": "69.02", "paymentCount": 2}
    ]
    assert orders["b2bVsB2cBreakdown"] == [
        {"isBusiness": True, "label": "B2B", "totalAmount": "0.00", "orderCount": 0},
        {"isBusiness": False, "label": "B2C", "totalAmount": "69.02", "orderCount": 2},
    ]
    assert orders["revenueByState"] == [{"state": "", "totalAmount": "69.02", "paymentCount": 2}]
    payments = data["paymentStatistics"]
    assert payments["methodDistribution"] == [
        {"methodType": "card", "count": 2, "totalAmount": "69.02", "percentage": 100.0}
    ]
    refund_tax = Refund.objects.get().tax_minor
    assert 0 < refund_tax < 1000
    assert payments["settlementRevenueByCurrency"] == [
        {
            "currency": "USD",
            "totalAmount": format_amount(5800 - (1000 - refund_tax), "USD"),
            "paymentCount": 2,
        }
    ]


def test_tax_analysis(api, store, product):
    refunded = _sales(product)
    window = _window()
    day = datetime.fromisoformat(window["start"]).date().isoformat()

    tax = _ask(api, store, **window)["taxAnalysis"]

    assert tax["byCategory"] == [
        {
            "taxCategory": refunded.order.lines.get().tax_category,
            "totalTax": "11.02",
            "totalAmount": "69.02",
            "paymentCount": 2,
        }
    ]
    assert tax["byRateGroup"] == [
        {"taxRate": "19.00", "totalTax": "11.02", "totalAmount": "69.02", "paymentCount": 2}
    ]
    assert tax["byCountry"] == [
        {"country": "DE", "totalTax": "11.02", "totalAmount": "69.02", "paymentCount": 2}
    ]
    assert tax["b2bVsB2c"][1] == {
        "isBusiness": False,
        "label": "B2C",
        "totalTax": "11.02",
        "totalAmount": "69.02",
        "orderCount": 2,
    }
    assert tax["effectiveTaxRateTrend"] == [{"period": day, "avgTaxRate": 19.0, "paymentCount": 2}]
    assert tax["taxAmountByPeriod"] == [{"period": day, "totalTax": "0.00", "paymentCount": 0}]


def test_another_merchants_store_counts_nothing(api, store):
    foreign = paid_payment(ProductFactory(store=StoreFactory(owner=MerchantFactory())))

    data = _ask(api, foreign.order.store, **_window())

    assert data["orderStatistics"]["revenueByCountry"] == []
    assert data["paymentStatistics"]["settlementRevenueByCurrency"] == []
    assert data["taxAnalysis"]["byCountry"] == []
    assert data["taxAnalysis"]["byCategory"] == []


def test_statement_budget_does_not_grow_with_orders(
    api, store, product, django_assert_max_num_queries
):
    for _ in range(5):
        paid_payment(product)

    with django_assert_max_num_queries(BUDGET):
        data = _ask(api, store, **_window())

    assert data["taxAnalysis"]["byCountry"][0]["paymentCount"] == 5
