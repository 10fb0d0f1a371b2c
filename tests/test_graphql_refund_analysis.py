"""``refundTicketAnalysis`` over GraphQL: reasons, statuses, review times, approvals and
refund outcomes of one store's tickets, another merchant's never counted."""

from datetime import UTC, datetime, timedelta

import pytest

from payments.refund_tickets import Request, Submitter, refund_ticket_create, refund_ticket_decide
from tests.factories import MerchantFactory, ProductFactory, StoreFactory
from tests.graphql_support import gql
from tests.refund_support import paid_payment

pytestmark = pytest.mark.django_db

ANALYSIS = """query ($storeId: String!, $start: String!, $end: String!) {
  refundTicketAnalysis(storeId: $storeId, filter: { timeRange: { startDate: $start, endDate: $end } }) {
    reasonDistribution(currency: "usd") { reason count totalAmount percentage }
    statusDistribution { status count percentage }
    reviewEfficiency { avgHours medianHours p90Hours totalReviewed }
    ticketTrend(granularity: ALL_TIME) { period totalCreated resolvedCount approvedCount rejectedCount }
    approvalRate { approved rejected rate }
    processingSuccessRate { succeeded failed rate }
  }
}"""


def ticket(payment, amount: str, reason: str):
    return refund_ticket_create(
        payment=payment,
        submitter=Submitter("customer", "buyer-1"),
        request=Request(reason, amount, payment.currency),
    )


def _window() -> dict:
    now = datetime.now(UTC)
    return {
        "start": (now - timedelta(days=1)).isoformat(),
        "end": (now + timedelta(minutes=5)).isoformat(),
    }


def test_refund_ticket_analysis(api, store, product, many_payments, django_assert_max_num_queries):
    ticket(paid_payment(product), "10.00", "Wrong colour")
    approved = ticket(paid_payment(product), "5.00", "Wrong colour")
    refund_ticket_decide(ticket_id=approved.pk, decision="approve", reviewer_id="s")
    rejected = ticket(paid_payment(product), "1.00", "Changed my mind")
    refund_ticket_decide(ticket_id=rejected.pk, decision="reject", reviewer_id="s", reason="No")
    other = paid_payment(ProductFactory(store=StoreFactory(owner=MerchantFactory())))
    ticket(other, "2.00", "Wrong colour")

    with django_assert_max_num_queries(11):
        status, body = gql(api, ANALYSIS, storeId=store.public_id, **_window())

    assert status == 200, body
    data = body["data"]["refundTicketAnalysis"]
    assert data["reasonDistribution"] == [
        {"reason": "Wrong colour", "count": 2, "totalAmount": "15.00", "percentage": 66.67},
        {"reason": "Changed my mind", "count": 1, "totalAmount": "1.00", "percentage": 33.33},
    ]
    statuses = {row["status"]: row["count"] for row in data["statusDistribution"]}
    assert statuses["pending"] == 1 and statuses["rejected"] == 1 and sum(statuses.values()) == 3
    assert data["reviewEfficiency"]["totalReviewed"] == 2
    [period] = data["ticketTrend"]
    assert (period["totalCreated"], period["resolvedCount"]) == (3, 2)
    assert (period["approvedCount"], period["rejectedCount"]) == (1, 1)
    assert data["approvalRate"] == {"approved": 1, "rejected": 1, "rate": 50.0}
    assert data["processingSuccessRate"]["succeeded"] + data["processingSuccessRate"]["failed"] <= 1


def test_another_merchants_store_counts_nothing(api, store):
    other = paid_payment(ProductFactory(store=StoreFactory(owner=MerchantFactory())))
    foreign = ticket(other, "2.00", "Wrong colour")

    status, body = gql(api, ANALYSIS, storeId=foreign.store.public_id, **_window())

    assert status == 200, body
    data = body["data"]["refundTicketAnalysis"]
    assert data["statusDistribution"] == [] and data["reasonDistribution"] == []
    assert data["approvalRate"] == {"approved": 0, "rejected": 0, "rate": 0.0}
