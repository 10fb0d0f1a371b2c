"""Webhooks in admin: a merchant sees its own endpoints (with the public key to verify them)
and its delivery log with every attempt, and can re-send a delivery."""

import pytest
from django.utils import timezone

from stores.models import StoreMembership, StoreRole
from tests.factories import MerchantFactory, StoreFactory
from tests.webhook_support import endpoint_for
from webhooks.models import WebhookAttempt, WebhookDelivery
from webhooks.signing import public_key_pem

pytestmark = pytest.mark.django_db
DELIVERIES = "/admin/webhooks/webhookdelivery/"
ENDPOINTS = "/admin/webhooks/webhookendpoint/"


def delivery_of(endpoint, **fields):
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        store=endpoint.store,
        environment="test",
        channel="http",
        url=endpoint.url,
        event_type="order.completed",
        event_id=fields.pop("event_id", "PAY_mine"),
        body='{"id":"x"}',
        status="failed",
        signature="t=1,v1=old",
        **fields,
    )
    WebhookAttempt.objects.create(
        delivery=delivery,
        number=1,
        started_at=delivery.created_at,
        finished_at=delivery.created_at,
        succeeded=False,
        http_status=502,
    )
    return delivery


def test_a_merchant_sees_its_deliveries_per_store_and_webhook_only(merchant_client, store):
    mine = delivery_of(endpoint_for(store, "http://127.0.0.1:9/mine"))
    theirs = delivery_of(
        endpoint_for(
            StoreFactory(owner=MerchantFactory(), name="Theirs Store"), "http://127.0.0.1:9/theirs"
        ),
        event_id="PAY_theirs",
    )

    listing = merchant_client.get(DELIVERIES, {"store__id__exact": str(store.pk)})
    page = merchant_client.get(f"{DELIVERIES}{mine.pk}/change/")

    assert listing.status_code == 200
    assert "PAY_mine" in listing.text and "PAY_theirs" not in listing.text
    assert "Theirs Store" not in listing.text  # not even in the filters
    per_webhook = merchant_client.get(DELIVERIES, {"endpoint__id__exact": str(mine.endpoint_id)})
    assert per_webhook.status_code == 200 and "PAY_mine" in per_webhook.text
    assert page.status_code == 200 and "502" in page.text
    assert merchant_client.get(f"{DELIVERIES}{theirs.pk}/change/").status_code == 404


def test_a_merchant_resends_a_failed_delivery_with_a_new_signature(merchant_client, store):
    delivery = delivery_of(endpoint_for(store, "http://127.0.0.1:9/mine"))

    response = merchant_client.post(
        DELIVERIES, {"action": "resend", "_selected_action": [str(delivery.pk)]}
    )

    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == "pending" and delivery.round_attempts == 0
    assert delivery.signature.startswith("t=") and delivery.signature != "t=1,v1=old"
    assert delivery.body == '{"id":"x"}'


def test_the_webhook_page_shows_the_public_key_and_the_disabled_reason(merchant_client, store):
    endpoint = endpoint_for(store, "http://127.0.0.1:9/mine", disabled_reason="Failing for 3 days")

    page = merchant_client.get(f"{ENDPOINTS}{endpoint.pk}/change/")
    listing = merchant_client.get(ENDPOINTS)

    assert page.status_code == 200
    assert public_key_pem("test").splitlines()[1] in page.text
    assert "Failing for 3 days" in listing.text
    assert "webhook_public_key" in listing.text


def test_a_plain_member_cannot_resend(merchant_client, merchant):
    store = StoreFactory(owner=MerchantFactory())
    StoreMembership.objects.create(store=store, merchant=merchant, role=StoreRole.MEMBER)
    delivery = delivery_of(endpoint_for(store, "http://127.0.0.1:9/shared"))

    merchant_client.post(DELIVERIES, {"action": "resend", "_selected_action": [str(delivery.pk)]})

    delivery.refresh_from_db()
    assert (delivery.status, delivery.signature) == ("failed", "t=1,v1=old")


def test_enable_again_clears_the_disabled_state(merchant_client, store):
    endpoint = endpoint_for(
        store, "http://127.0.0.1:9/mine", disabled_at=timezone.now(), disabled_reason="x"
    )

    merchant_client.post(
        ENDPOINTS, {"action": "enable_again", "_selected_action": [str(endpoint.pk)]}
    )

    endpoint.refresh_from_db()
    assert (endpoint.disabled_at, endpoint.disabled_reason) == (None, "")
