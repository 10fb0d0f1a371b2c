"""store/add-webhook, store/update-webhook, store/remove-webhook: the SDK's shapes, validation,
roles and tenancy."""

import re
import uuid

import pytest

from stores.models import StoreMembership, StoreRole
from tests.factories import MerchantFactory, StoreFactory
from tests.webhook_support import endpoint_for
from webhooks.models import WebhookDelivery, WebhookEndpoint

pytestmark = pytest.mark.django_db

ADD = "/v1/actions/store/add-webhook"
UPDATE = "/v1/actions/store/update-webhook"
REMOVE = "/v1/actions/store/remove-webhook"
FIELDS = {
    "id",
    "storeId",
    "channel",
    "url",
    "events",
    "testMode",
    "secret",
    "createdAt",
    "updatedAt",
}


def add_body(store, **fields):
    return {
        "storeId": store.public_id,
        "channel": "http",
        "url": "http://127.0.0.1:9/hooks",
        "events": ["order.completed"],
        "testMode": True,
        **fields,
    }


def errors(response):
    return [(e["message"], e["layer"]) for e in response.json()["errors"]]


def test_add_answers_the_sdk_store_webhook(api, store):
    response = api.post(ADD, add_body(store, secret="chat-1"))

    assert response.status_code == 200, response.content
    webhook = response.json()["data"]["webhook"]
    assert set(webhook) == FIELDS
    assert uuid.UUID(webhook["id"])
    assert (webhook["storeId"], webhook["channel"], webhook["testMode"]) == (
        store.public_id,
        "http",
        True,
    )
    assert (webhook["events"], webhook["secret"]) == (["order.completed"], "chat-1")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", webhook["createdAt"])
    assert WebhookEndpoint.objects.get().store == store


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"events": ["order.exploded"]}, "Unknown event type: order.exploded"),
        ({"events": []}, "events must be a non-empty list of event types"),
        ({"channel": "pigeon"}, "Invalid channel: pigeon"),
        ({"url": "not a url"}, "Invalid webhook URL"),
        ({"url": "ftp://example.com/x"}, "Invalid webhook URL"),
        ({"url": "http://exa mple.com:99999/"}, "Invalid webhook URL"),
        ({"testMode": "yes"}, "testMode must be true or false"),
    ],
)
def test_add_refuses_bad_input_with_400(api, store, fields, message):
    response = api.post(ADD, add_body(store, **fields))

    assert response.status_code == 400
    assert errors(response) == [(message, "store")]
    assert not WebhookEndpoint.objects.exists()


def test_at_most_twenty_webhooks_per_store(api, store):
    for _ in range(20):
        endpoint_for(store, "http://127.0.0.1:9/")

    response = api.post(ADD, add_body(store))

    assert response.status_code == 400
    assert errors(response) == [("A store can have at most 20 webhooks", "store")]


def test_another_merchants_store_and_webhook_are_404(api, store):
    theirs = StoreFactory(owner=MerchantFactory())
    their_hook = endpoint_for(theirs, "http://127.0.0.1:9/")

    assert api.post(ADD, add_body(theirs)).status_code == 404
    for path, body in (
        (UPDATE, {"id": str(their_hook.id), "events": ["order.completed"]}),
        (REMOVE, {"id": str(their_hook.id)}),
        (REMOVE, {"id": "not-a-uuid"}),
    ):
        response = api.post(path, body)
        assert response.status_code == 404
        assert errors(response) == [("Webhook not found", "store")]
    assert WebhookEndpoint.objects.filter(pk=their_hook.pk).exists()


@pytest.mark.parametrize(("role", "allowed"), [("owner", True), ("admin", True), ("member", False)])
def test_only_owners_and_admins_manage_webhooks(api, merchant, role, allowed):
    store = StoreFactory()
    StoreMembership.objects.create(store=store, merchant=merchant, role=StoreRole(role))
    hook = endpoint_for(store, "http://127.0.0.1:9/")

    responses = [
        api.post(ADD, add_body(store)),
        api.post(UPDATE, {"id": str(hook.id), "url": "http://127.0.0.1:10/"}),
        api.post(REMOVE, {"id": str(hook.id)}),
    ]

    expected = 200 if allowed else 403
    assert [r.status_code for r in responses] == [expected] * 3
    if not allowed:
        assert errors(responses[0]) == [
            ("Access denied: you do not have permission to this store", "store")
        ]


def test_update_changes_url_events_and_secret_only(api, store):
    hook = endpoint_for(store, "http://127.0.0.1:9/", secret="old")

    response = api.post(
        UPDATE,
        {
            "id": str(hook.id),
            "url": "http://127.0.0.1:10/new",
            "events": ["refund.succeeded", "order.completed"],
            "secret": None,
            "channel": "slack",
            "testMode": False,
        },
    )

    assert response.status_code == 200, response.content
    webhook = response.json()["data"]["webhook"]
    assert (webhook["url"], webhook["events"], webhook["secret"]) == (
        "http://127.0.0.1:10/new",
        ["refund.succeeded", "order.completed"],
        None,
    )
    assert (webhook["channel"], webhook["testMode"]) == ("http", True)
    bad = api.post(UPDATE, {"id": str(hook.id), "events": ["nope"]})
    assert (bad.status_code, errors(bad)) == (400, [("Unknown event type: nope", "store")])


def test_remove_is_a_hard_delete_that_keeps_the_delivery_history(api, store):
    hook = endpoint_for(store, "http://127.0.0.1:9/")
    delivery = WebhookDelivery.objects.create(
        endpoint=hook,
        store=store,
        environment="test",
        channel="http",
        url=hook.url,
        event_type="order.completed",
        event_id="PAY_x",
        body="{}",
    )

    response = api.post(REMOVE, {"id": str(hook.id)})

    assert response.status_code == 200
    assert response.json()["data"]["webhook"]["id"] == str(hook.id)
    assert not WebhookEndpoint.objects.exists()
    delivery.refresh_from_db()
    assert delivery.endpoint is None
