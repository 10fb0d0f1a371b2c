"""Refunds in the GraphQL read API: the guide's refundTickets / refunds queries, their
filters by the merchant's own refund-ticket ID, and a payment's refunds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.timefmt import iso_utc
from payments.refund_tickets import Request, Submitter, refund_ticket_create, refund_ticket_decide
from tests.factories import MerchantFactory, ProductFactory, StoreFactory
from tests.graphql_support import gql
from tests.refund_support import paid_payment
from tests.subscription_support import advance, subscribe, subscription_product

pytestmark = pytest.mark.django_db


def ticket(payment, amount: str, external_id: str = "", kind: str = "customer"):
    return refund_ticket_create(
        payment=payment,
        submitter=Submitter(kind, "buyer-1"),
        request=Request("Wrong colour", amount, payment.currency),
        merchant_external_id=external_id,
    )


def test_pending_tickets_with_their_payment(api, product):
    payment = paid_payment(product)
    pending = ticket(payment, "10.00", "REF-2026-00012")
    ticket(paid_payment(ProductFactory(store=StoreFactory(owner=MerchantFactory()))), "1.00")

    status, body = gql(
        api,
        """{
          refundTickets(limit: 20, filter: { status: { eq: "pending" } }) {
            id status reason refundTicketMerchantExternalId versionNumber
            requestedAmountDetails { currency amount }
            payment { id status onetimeOrder { id buyerEmail store { name } } }
          }
          refundTicketsCount(filter: { status: { eq: "pending" } })
        }""",
    )

    assert status == 200 and "errors" not in body, body
    assert body["data"]["refundTicketsCount"] == 1
    assert body["data"]["refundTickets"] == [
        {
            "id": pending.public_id,
            "status": "pending",
            "reason": "Wrong colour",
            "refundTicketMerchantExternalId": "REF-2026-00012",
            "versionNumber": 1,
            "requestedAmountDetails": {"currency": "USD", "amount": "10.00"},
            "payment": {
                "id": payment.public_id,
                "status": "succeeded",
                "onetimeOrder": {
                    "id": payment.order.public_id,
                    "buyerEmail": "buyer@example.com",
                    "store": {"name": product.store.name},
                },
            },
        }
    ]


def test_refunds_by_the_merchants_refund_ticket_id_and_on_the_payment(api, product):
    payment = paid_payment(product)
    done = refund_ticket_decide(
        ticket_id=ticket(payment, "10.00", "REF-7").pk, decision="approve", reviewer_id="s"
    )

    status, body = gql(
        api,
        """query ($ref: String!, $pay: ID!) {
          refunds(filter: { refundTicketMerchantExternalId: { eq: $ref } }) {
            id status orderMerchantExternalId refundTicketMerchantExternalId taxAmount
            pspAmountDetails { amount currency }
          }
          refundsCount
          payment(id: $pay) {
            refundStatus
            refunds { id status requestedAmountDetails { currency amount } }
          }
        }""",
        ref="REF-7",
        pay=payment.public_id,
    )

    assert status == 200 and "errors" not in body, body
    refund_id = done.refund.public_id
    assert body["data"]["refunds"] == [
        {
            "id": refund_id,
            "status": "succeeded",
            "orderMerchantExternalId": None,
            "refundTicketMerchantExternalId": "REF-7",
            "taxAmount": "1.60",
            "pspAmountDetails": {"amount": "10.00", "currency": "USD"},
        }
    ]
    assert body["data"]["refundsCount"] == 1
    assert body["data"]["payment"] == {
        "refundStatus": "succeeded",
        "refunds": [
            {
                "id": refund_id,
                "status": "succeeded",
                "requestedAmountDetails": {"currency": "USD", "amount": "10.00"},
            }
        ],
    }


def test_another_merchants_refunds_are_not_listed(api):
    other = paid_payment(ProductFactory(store=StoreFactory(owner=MerchantFactory())))
    refund_ticket_decide(ticket_id=ticket(other, "5.00").pk, decision="approve", reviewer_id="s")

    status, body = gql(api, "{ refunds { id } refundsCount refundTicketsCount }")

    assert status == 200
    assert body["data"] == {"refunds": [], "refundsCount": 0, "refundTicketsCount": 0}


def test_a_page_of_tickets_costs_the_same_whatever_its_length(api, product):
    query = "{ refundTickets { id reason payment { id refundStatus onetimeOrder { id } } } }"

    def statements() -> int:
        with CaptureQueriesContext(connection) as queries:
            status, body = gql(api, query)
        assert status == 200 and "errors" not in body, body
        return len(queries)

    ticket(paid_payment(product), "1.00")
    one = statements()
    for _ in range(4):
        ticket(paid_payment(product), "1.00")

    assert statements() == one <= 12


def test_a_subscription_orders_period_is_its_subscriptions(api, store):
    subscription = subscribe(subscription_product(store))
    advance(subscription)
    subscription.refresh_from_db()

    status, body = gql(
        api,
        "query ($id: ID!) { subscriptionOrder(id: $id) { status currentPeriodStart currentPeriodEnd"
        " payments { status } } }",
        id=subscription.order.public_id,
    )

    assert status == 200 and "errors" not in body, body
    order = body["data"]["subscriptionOrder"]
    assert order["currentPeriodStart"] == iso_utc(subscription.current_period_start)
    assert order["currentPeriodEnd"] == iso_utc(subscription.current_period_end)
    assert [p["status"] for p in order["payments"]] == ["succeeded", "succeeded"]
