"""The webhook delivery log and a store's webhooks over GraphQL: the key's merchant and
environment only, never a secret, a page at a fixed number of statements."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import EmailLog
from stores.models import StoreMembership
from tests.factories import ApiKeyFactory, MerchantFactory, ProductFactory, StoreFactory
from tests.graphql_support import customer_gql, gql, paid_order
from tests.keys import TEST_KEY_PAIR
from tests.signed_client import SignedClient
from tests.webhook_support import endpoint_for
from webhooks.models import WebhookAttempt, WebhookDelivery

DELIVERIES = """query ($storeId: String!) {
  webhookDeliveries(storeId: $storeId, limit: 20, filter: { status: { eq: "failed" } }) {
    id storeId eventType eventId
    payload webhookUrl status httpStatus responseBody
    attemptCount lastAttemptedAt createdAt
    attempts { number succeeded httpStatus startedAt }
  }
  webhookDeliveriesCount(storeId: $storeId, filter: { status: { eq: "failed" } })
  all: webhookDeliveriesCount(storeId: $storeId)
}"""


def delivery(store, *, status="failed", environment="test", attempts=2, event_id="PAY_1"):
    hook = endpoint_for(store, "http://127.0.0.1:9/hook", test_mode=environment == "test")
    row = WebhookDelivery.objects.create(
        endpoint=hook,
        store=store,
        environment=environment,
        channel="http",
        url=hook.url,
        event_type="order.completed",
        event_id=event_id,
        body=json.dumps({"eventType": "order.completed"}),
        status=status,
        attempts=attempts,
        last_http_status=500 if status == "failed" else 200,
        last_response_body="boom" if status == "failed" else "ok",
    )
    started = timezone.now() - timedelta(minutes=attempts)
    for number in range(1, attempts + 1):
        WebhookAttempt.objects.create(
            delivery=row,
            number=number,
            started_at=started + timedelta(minutes=number),
            finished_at=started + timedelta(minutes=number, seconds=1),
            succeeded=status != "failed",
            http_status=row.last_http_status,
        )
    return row


def test_webhook_deliveries_filtered_with_counts(api, store):
    failed = delivery(store)
    delivery(store, status="success", event_id="PAY_2")
    delivery(store, environment="prod", event_id="PAY_3")  # another environment: not listed

    status, body = gql(api, DELIVERIES, storeId=store.public_id)

    assert status == 200, body
    data = body["data"]
    [row] = data["webhookDeliveries"]
    assert row["id"] == str(failed.id)
    assert (row["storeId"], row["eventType"], row["eventId"]) == (
        store.public_id,
        "order.completed",
        "PAY_1",
    )
    assert json.loads(row["payload"]) == {"eventType": "order.completed"}
    assert (row["status"], row["httpStatus"], row["responseBody"]) == ("failed", 500, "boom")
    assert row["attemptCount"] == 2
    assert [attempt["number"] for attempt in row["attempts"]] == [1, 2]
    assert row["lastAttemptedAt"] == row["attempts"][1]["startedAt"]
    assert row["lastAttemptedAt"].endswith("Z") and "." in row["lastAttemptedAt"]
    assert (data["webhookDeliveriesCount"], data["all"]) == (1, 2)


def test_another_merchants_deliveries_are_in_no_list(api, store):
    other = StoreFactory(owner=MerchantFactory())
    delivery(other)

    status, body = gql(
        api, "query { webhookDeliveries { id } webhookDeliveriesCount }", storeId=None
    )

    assert status == 200, body
    assert body["data"] == {"webhookDeliveries": [], "webhookDeliveriesCount": 0}


def test_store_webhooks_of_the_keys_environment_without_secrets(api, store):
    hook = endpoint_for(store, "http://127.0.0.1:9/test", secret="whsec_hidden")
    endpoint_for(store, "http://127.0.0.1:9/prod", test_mode=False)

    status, body = gql(
        api,
        """query ($id: ID!) {
          store(id: $id) { storeWebhooks { id storeId channel url events testMode hasSecret createdAt } }
          stores { storeWebhooks { url } }
        }""",
        id=store.public_id,
    )

    assert status == 200, body
    [webhook] = body["data"]["store"]["storeWebhooks"]
    assert webhook["id"] == str(hook.id)
    assert (webhook["url"], webhook["testMode"], webhook["hasSecret"]) == (hook.url, True, True)
    assert "whsec_hidden" not in json.dumps(body)
    assert body["data"]["stores"] == [{"storeWebhooks": [{"url": hook.url}]}]


@pytest.mark.parametrize(("role", "sees"), [("admin", True), ("member", False)])
def test_only_roles_that_manage_webhooks_read_them(store, role, sees):
    """A member reads the store's orders, not where its events go nor what was sent."""
    paid_order(ProductFactory(store=store), identity="user-1")
    colleague = MerchantFactory()
    ApiKeyFactory(merchant=colleague)
    StoreMembership.objects.create(store=store, merchant=colleague, role=role)
    sent = delivery(store)
    query = """query ($id: ID!) {
      store(id: $id) { storeWebhooks { url } }
      stores { storeWebhooks { url } }
      onetimeOrders { store { storeWebhooks { url } } }
      webhookDeliveries { id } webhookDeliveriesCount
    }"""

    status, body = gql(
        SignedClient(colleague.public_id, TEST_KEY_PAIR[0]), query, id=store.public_id
    )

    assert status == 200, body
    hooks = [{"url": sent.url}] if sees else []
    assert body["data"] == {
        "store": {"storeWebhooks": hooks},
        "stores": [{"storeWebhooks": hooks}],
        "onetimeOrders": [{"store": {"storeWebhooks": hooks}}],
        "webhookDeliveries": [{"id": str(sent.id)}] if sees else [],
        "webhookDeliveriesCount": 1 if sees else 0,
    }


def test_a_secret_field_is_not_in_the_schema(api, store):
    status, body = gql(api, '{ __type(name: "StoreWebhook") { fields { name } } }')

    assert status == 200, body
    names = {field["name"] for field in body["data"]["__type"]["fields"]}
    assert "secret" not in names and "hasSecret" in names


def test_a_buyer_sees_no_store_webhooks_and_no_delivery_log(store):
    endpoint_for(store, "http://127.0.0.1:9/test")
    paid_order(ProductFactory(store=store), identity="user-1")

    status, body = customer_gql(store, "user-1", "{ orders { store { storeWebhooks { url } } } }")

    assert status == 200, body
    assert body["data"]["orders"] == [{"store": {"storeWebhooks": []}}]
    _, body = customer_gql(store, "user-1", "{ webhookDeliveries { id } }")
    assert body["data"] is None and body["errors"]


@pytest.mark.parametrize("count", [1, 30])
def test_a_page_of_deliveries_costs_a_fixed_number_of_statements(
    api, store, count, django_assert_max_num_queries
):
    for number in range(count):
        delivery(store, event_id=f"PAY_{number}")

    # Authentication (up to 3), the deliveries with their store, their attempts, the count.
    with django_assert_max_num_queries(6):
        status, body = gql(api, DELIVERIES, storeId=store.public_id)

    assert status == 200, body
    assert len(body["data"]["webhookDeliveries"]) == min(count, 20)


def email(order, *, status="failed", environment="test"):
    return EmailLog.objects.create(
        store=order.store,
        environment=environment,
        kind="receipt",
        order=order,
        to_address=order.buyer_email,
        subject="Your receipt",
        status=status,
        attempts=3,
        next_attempt_at=timezone.now(),
        last_error="550 mailbox unavailable" if status == "failed" else "",
    )


EMAILS = """query ($storeId: String!) {
  emailDeliveries(storeId: $storeId, limit: 20, filter: { status: { eq: "failed" } }) {
    id storeId eventType eventId recipientType toAddress subject testMode
    status attemptCount lastAttemptedAt errorMessage createdAt
  }
  emailDeliveriesCount(storeId: $storeId, filter: { status: { eq: "failed" } })
}"""


def test_email_deliveries_of_the_merchants_stores_only(api, store, django_assert_max_num_queries):
    EmailLog.objects.all().delete()
    order = paid_order(ProductFactory(store=store), email="ann@example.com")
    failed = email(order)
    email(order, status="sent")
    email(order, environment="prod")
    email(paid_order(ProductFactory(store=StoreFactory(owner=MerchantFactory()))))

    with django_assert_max_num_queries(5):
        status, body = gql(api, EMAILS, storeId=store.public_id)

    assert status == 200, body
    [row] = body["data"]["emailDeliveries"]
    assert row["id"] == str(failed.pk)
    assert (row["eventType"], row["eventId"], row["recipientType"]) == (
        "receipt",
        order.public_id,
        "buyer",
    )
    assert (row["toAddress"], row["status"], row["attemptCount"]) == (
        "ann@example.com",
        "failed",
        3,
    )
    assert (row["errorMessage"], row["testMode"], row["lastAttemptedAt"]) == (
        "550 mailbox unavailable",
        True,
        None,
    )
    assert body["data"]["emailDeliveriesCount"] == 1
    _, everything = gql(api, "{ emailDeliveries { storeId } emailDeliveriesCount }")
    assert {row["storeId"] for row in everything["data"]["emailDeliveries"]} == {store.public_id}
    assert everything["data"]["emailDeliveriesCount"] == 2
