"""``paymentStatistics`` over GraphQL: success rate, declines, refunds, card brands and tax
of one store's payments; another merchant's never counted; a fixed number of statements."""

from datetime import UTC, datetime, timedelta

import pytest

from payments.refund_tickets import Request, Submitter, refund_ticket_create, refund_ticket_decide
from payments.services import checkout_pay
from tests.checkout_factories import billing, declined_card, make_session
from tests.factories import MerchantFactory, ProductFactory, StoreFactory
from tests.graphql_support import gql
from tests.refund_support import paid_payment

pytestmark = pytest.mark.django_db

STATISTICS = """query ($storeId: String!, $start: String!, $end: String!) {
  paymentStatistics(storeId: $storeId, filter: { timeRange: { startDate: $start, endDate: $end } }) {
    successRate { totalAttempts succeeded failed pending successRate }
    failedReasons { reason count percentage }
    refunds { totalCount succeededCount pendingCount failedCount
      amountByCurrency { currency totalAmount paymentCount } refundRate }
    cardBrandDistribution(currency: "usd") { brand count totalAmount percentage }
    taxSummary { currency totalTax totalPreTax totalAmount paymentCount }
    preTaxRevenueByCurrency { currency totalAmount paymentCount }
  }
}"""


def _window() -> dict:
    now = datetime.now(UTC)
    return {
        "start": (now - timedelta(days=1)).isoformat(),
        "end": (now + timedelta(minutes=5)).isoformat(),
    }


def test_payment_statistics(api, store, product, many_payments, django_assert_max_num_queries):
    refunded = paid_payment(product)
    paid_payment(product)
    checkout_pay(
        session=make_session(product=product, buyerEmail="buyer@example.com"),
        billing=billing("DE"),
        card=declined_card(),
    )
    ticket = refund_ticket_create(
        payment=refunded,
        submitter=Submitter("customer", "buyer-1"),
        request=Request("Wrong colour", "10.00", "USD"),
    )
    refund_ticket_decide(ticket_id=ticket.pk, decision="approve", reviewer_id="s")
    paid_payment(ProductFactory(store=StoreFactory(owner=MerchantFactory())))

    with django_assert_max_num_queries(13):
        status, body = gql(api, STATISTICS, storeId=store.public_id, **_window())

    assert status == 200, body
    data = body["data"]["paymentStatistics"]
    assert data["successRate"] == {
        "totalAttempts": 3,
        "succeeded": 2,
        "failed": 1,
        "pending": 0,
        "successRate": 66.67,
    }
    [reason] = data["failedReasons"]
    assert (reason["count"], reason["percentage"]) == (1, 100.0)
    refunds = data["refunds"]
    assert (refunds["totalCount"], refunds["succeededCount"], refunds["refundRate"]) == (1, 1, 50.0)
    assert refunds["amountByCurrency"] == [
        {"currency": "USD", "totalAmount": "10.00", "paymentCount": 1}
    ]
    assert data["cardBrandDistribution"] == [
        {"brand": "visa", "count": 2, "totalAmount": "69.02", "percentage": 100.0}
    ]
    assert data["taxSummary"] == [
        {
            "currency": "USD",
            "totalTax": "11.02",
            "totalPreTax": "58.00",
            "totalAmount": "69.02",
            "paymentCount": 2,
        }
    ]
    assert data["preTaxRevenueByCurrency"] == [
        {"currency": "USD", "totalAmount": "58.00", "paymentCount": 2}
    ]


def test_another_merchants_store_counts_nothing(api, store):
    foreign = paid_payment(ProductFactory(store=StoreFactory(owner=MerchantFactory())))

    status, body = gql(api, STATISTICS, storeId=foreign.order.store.public_id, **_window())

    assert status == 200, body
    data = body["data"]["paymentStatistics"]
    assert data["successRate"]["totalAttempts"] == 0
    assert data["taxSummary"] == [] and data["cardBrandDistribution"] == []
