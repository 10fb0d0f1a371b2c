"""The guide's webhook log, store webhooks, trial phases and subscription analysis through
the official SDK (``client.graphql.query``, ``customer.graphql.query``) against a live
server: what the live_merchant sees, and that another merchant's objects and other buyers'
orders never show."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from catalog.models import ProductType
from subscriptions.services import subscription_start
from tests.factories import MerchantFactory, ProductFactory, StoreFactory
from tests.graphql_support import paid_order
from tests.test_graphql_webhooks import delivery
from tests.webhook_support import endpoint_for

pytestmark = pytest.mark.sdk

ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")

SNAPSHOT = """priceSnapshot { currency specialPhaseDays
  specialPhase { subtotal taxAmount total taxCategory }
  regularPhase { subtotal taxAmount total taxCategory } }"""


STATISTICS = """query ($storeId: String!, $start: String!, $end: String!) {
  paymentStatistics(storeId: $storeId, filter: { timeRange: { startDate: $start, endDate: $end } }) {
    successRate { totalAttempts succeeded failed pending successRate }
    taxSummary { currency totalTax totalPreTax totalAmount paymentCount }
  }
  refundTicketAnalysis(storeId: $storeId, filter: { timeRange: { startDate: $start, endDate: $end } }) {
    statusDistribution { status count percentage }
    approvalRate { approved rejected rate }
  }
  orderStatistics(storeId: $storeId, filter: { timeRange: { startDate: $start, endDate: $end } }) {
    totalCount countsByPeriod(granularity: ALL_TIME) { period count }
  }
}"""


def _queries(store, order, stranger_store) -> dict:
    now = datetime.now(UTC)
    window = {
        "start": (now - timedelta(days=1)).isoformat(),
        "end": (now + timedelta(minutes=5)).isoformat(),
    }
    return {
        "deliveries": {
            "query": """query ($storeId: String!) {
              webhookDeliveries(storeId: $storeId, limit: 20, filter: { status: { eq: "failed" } }) {
                id storeId eventType eventId payload webhookUrl status httpStatus responseBody
                attemptCount lastAttemptedAt createdAt
              }
              webhookDeliveriesCount(storeId: $storeId, filter: { status: { eq: "failed" } })
            }""",
            "variables": {"storeId": store.public_id},
        },
        "strangerDeliveries": {
            "query": "query ($storeId: String!) { webhookDeliveries(storeId: $storeId) { id }"
            " webhookDeliveriesCount(storeId: $storeId) store(id: $storeId) { storeWebhooks { id } } }",
            "variables": {"storeId": stranger_store.public_id},
        },
        "webhooks": {
            "query": "query ($id: ID!) { store(id: $id) { storeWebhooks { id url events testMode hasSecret } } }",
            "variables": {"id": store.public_id},
        },
        "trial": {
            "query": f"query ($id: ID!) {{ subscriptionOrder(id: $id) {{ id status {SNAPSHOT} }} }}",
            "variables": {"id": order.public_id},
        },
        "analysis": {
            "query": """query ($storeId: String!, $start: String!, $end: String!) {
              subscriptionAnalysis(storeId: $storeId, filter: { timeRange: { startDate: $start, endDate: $end } }) {
                activeCount
                trialConversion { totalTrials convertedCount activeTrials conversionRate }
                churnRate(granularity: ALL_TIME) { period startActive churned churnRate }
              }
            }""",
            "variables": {"storeId": store.public_id, **window},
        },
        "buyer": {
            "query": f"query {{ orders {{ id status createdAt ... on SubscriptionOrder {{ {SNAPSHOT} }} }} }}",
            "buyer": "buyer-1",
        },
        "emails": {
            "query": """query ($storeId: String!) {
              emailDeliveries(storeId: $storeId, limit: 20) {
                id storeId eventType eventId recipientType toAddress subject testMode
                status attemptCount lastAttemptedAt errorMessage createdAt
              }
              emailDeliveriesCount(storeId: $storeId)
            }""",
            "variables": {"storeId": store.public_id},
        },
        "statistics": {
            "query": STATISTICS,
            "variables": {"storeId": store.public_id, **window},
        },
        "otherBuyer": {"query": "query { orders { id } }", "buyer": "buyer-2"},
    }


def _seed(live_merchant):
    """A store with a failed delivery, a webhook with a secret and a buyer's trial order;
    another merchant's store with its own delivery and webhook."""
    store = StoreFactory(owner=live_merchant)
    stranger_store = StoreFactory(owner=MerchantFactory())
    failed = delivery(store)
    delivery(stranger_store)
    hook = endpoint_for(store, "http://127.0.0.1:9/mine", secret="whsec_never_shown")
    endpoint_for(stranger_store, "http://127.0.0.1:9/theirs")
    plan = ProductFactory(
        store=store,
        product_type=ProductType.SUBSCRIPTION,
        metadata={"trialDays": 7},
        prices={"EUR": {"amount": "20.00", "taxCategory": "saas", "trialAmount": "1.00"}},
    )
    order = paid_order(plan, currency="EUR", identity="buyer-1")
    subscription_start(order=order)
    return store, stranger_store, failed, hook, order


def test_webhooks_trials_and_analysis_through_the_sdk(live_sdk, live_merchant, settings):
    settings.PAYMENT_RATE_PER_EMAIL = "100000/hour"
    store, stranger_store, failed, hook, order = _seed(live_merchant)

    out = live_sdk(
        "graphql_guide.mjs",
        STORE_ID=store.public_id,
        QUERIES=json.dumps(_queries(store, order, stranger_store)),
    )

    rows = out["deliveries"]["data"]["webhookDeliveries"]
    assert {row["status"] for row in rows} == {"failed"}
    assert {row["storeId"] for row in rows} == {store.public_id}
    [row] = [row for row in rows if row["id"] == str(failed.id)]
    assert (row["eventId"], row["httpStatus"], row["attemptCount"]) == ("PAY_1", 500, 2)
    assert ISO_UTC.fullmatch(row["lastAttemptedAt"]) and ISO_UTC.fullmatch(row["createdAt"])
    assert out["deliveries"]["data"]["webhookDeliveriesCount"] == len(rows)
    assert out["strangerDeliveries"]["data"] == {
        "webhookDeliveries": [],
        "webhookDeliveriesCount": 0,
        "store": None,
    }
    webhooks = out["webhooks"]["data"]["store"]["storeWebhooks"]
    assert len(webhooks) == 2  # this one and the delivery's own, both test mode
    [webhook] = [webhook for webhook in webhooks if webhook["id"] == str(hook.id)]
    assert (webhook["url"], webhook["testMode"], webhook["hasSecret"]) == (hook.url, True, True)
    assert "whsec_never_shown" not in json.dumps(out)

    trial = out["trial"]["data"]["subscriptionOrder"]
    assert trial["status"] == "trialing"
    assert trial["priceSnapshot"]["specialPhaseDays"] == 7
    assert trial["priceSnapshot"]["specialPhase"]["subtotal"] == "1.00"
    assert trial["priceSnapshot"]["regularPhase"]["subtotal"] == "20.00"

    analysis = out["analysis"]["data"]["subscriptionAnalysis"]
    assert analysis["trialConversion"] == {
        "totalTrials": 1,
        "convertedCount": 0,
        "activeTrials": 1,
        "conversionRate": 0.0,
    }
    assert analysis["activeCount"] == 0  # a trial pays nothing yet

    [own] = out["buyer"]["data"]["orders"]
    assert (own["id"], own["status"]) == (order.public_id, "trialing")
    assert (
        own["priceSnapshot"]["regularPhase"]["total"]
        == trial["priceSnapshot"]["regularPhase"]["total"]
    )
    assert out["otherBuyer"]["data"] == {"orders": []}
    _assert_statistics(out["statistics"])
    emails = out["emails"]
    assert "errors" not in emails
    assert emails["data"]["emailDeliveriesCount"] == len(emails["data"]["emailDeliveries"])
    assert {row["storeId"] for row in emails["data"]["emailDeliveries"]} <= {store.public_id}


def _assert_statistics(statistics: dict) -> None:
    assert "errors" not in statistics, statistics
    data = statistics["data"]
    assert data["paymentStatistics"]["successRate"]["succeeded"] == 1  # the trial's charge
    [tax] = data["paymentStatistics"]["taxSummary"]
    assert (tax["currency"], tax["totalAmount"]) == ("EUR", "1.19")
    assert data["refundTicketAnalysis"] == {
        "statusDistribution": [],
        "approvalRate": {"approved": 0, "rejected": 0, "rate": 0.0},
    }
    assert data["orderStatistics"]["totalCount"] == 1
    assert [row["count"] for row in data["orderStatistics"]["countsByPeriod"]] == [1]
