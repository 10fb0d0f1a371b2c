"""Deliveries made from paid orders and sent by the real worker to a local receiver:
signed once, retried on failure and timeout, exactly one per business event and endpoint."""

import json
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from core.signing import verify
from payments.services import checkout_pay
from tests.checkout_factories import billing, success_card
from tests.factories import ProductFactory
from tests.webhook_support import (
    Receiver,
    declined_card,
    endpoint_for,
    pay,
    start_receiver,
    subscription_product,
)
from tests.worker_support import run_worker
from webhooks.deliveries import delivery_create, delivery_resend
from webhooks.models import DeliveryStatus, WebhookDelivery
from webhooks.services import webhook_update
from webhooks.signing import public_key_pem

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    receiver = start_receiver(Receiver())
    yield receiver
    receiver.server.shutdown()


def due_now():
    WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).update(
        next_attempt_at=timezone.now()
    )


def check_signature(received, environment="test"):
    t, v1 = (part.split("=", 1)[1] for part in received.headers["X-Waffo-Signature"].split(","))
    return verify(public_key_pem(environment), v1, f"{t}.{received.body}".encode())


def test_a_paid_order_is_delivered_once_signed_with_the_sdk_envelope(store, product, receiver):
    endpoint_for(store, receiver.url)
    outcome = pay(product, orderMerchantExternalId="EXT-1", metadata={"plan": "pro"})

    run_worker()
    run_worker()

    (got,) = receiver.received
    assert got.headers["Content-Type"] == "application/json"
    assert check_signature(got)
    event = json.loads(got.body)
    delivery = WebhookDelivery.objects.get()
    assert event["id"] == str(delivery.id)
    assert (event["eventType"], event["eventId"]) == ("order.completed", outcome.payment.public_id)
    assert (event["storeId"], event["storeName"], event["mode"]) == (
        store.public_id,
        store.name,
        "test",
    )
    data = event["data"]
    assert data["orderId"] == outcome.order.public_id
    assert data["orderMerchantExternalId"] == "EXT-1"
    assert data["orderMetadata"] == {"plan": "pro"}
    assert data["chargedAmount"] == data["amount"] == data["listPrice"]["total"]
    assert data["paymentId"] == outcome.payment.public_id
    assert (data["paymentStatus"], data["paymentMethod"], data["paymentLast4"]) == (
        "succeeded",
        "card",
        "4242",
    )
    assert data["orderStatus"] == "completed"
    assert data["productName"] == product.versions.first().name
    assert "billingPeriod" not in data
    assert (delivery.status, delivery.attempts, delivery.last_http_status) == ("success", 1, 200)


def test_a_subscription_emits_activated_and_payment_succeeded(store, receiver):
    endpoint_for(store, receiver.url)
    outcome = pay(subscription_product(store))

    run_worker()

    events = {json.loads(r.body)["eventType"]: json.loads(r.body) for r in receiver.received}
    assert set(events) == {"subscription.activated", "subscription.payment_succeeded"}
    activated = events["subscription.activated"]
    assert activated["eventId"] == outcome.order.public_id
    assert activated["data"]["billingPeriod"] == "monthly"
    assert activated["data"]["orderStatus"] == "active"
    assert activated["data"]["planPrice"]["total"] == activated["data"]["amount"]
    assert activated["data"]["currentPeriodEnd"] > activated["data"]["currentPeriodStart"]
    assert "paymentId" not in activated["data"]
    paid = events["subscription.payment_succeeded"]
    assert paid["eventId"] == outcome.payment.public_id
    assert paid["data"]["paymentId"] == outcome.payment.public_id
    assert not {"billingPeriod", "currentPeriodStart", "orderStatus"} & set(paid["data"])


def test_declines_and_repeated_pay_posts_emit_nothing_more(store, product, receiver):
    endpoint_for(store, receiver.url)
    declined = pay(product, card=declined_card())
    assert not declined.succeeded
    run_worker()
    assert receiver.received == []

    outcome = pay(product)
    session = outcome.order.checkout_session
    again = checkout_pay(session=session, billing=billing("DE"), card=success_card())
    assert again.already_completed
    run_worker()
    run_worker()

    assert len(receiver.received) == 1
    assert WebhookDelivery.objects.count() == 1


def test_test_mode_webhooks_get_only_test_events_and_the_events_they_chose(
    store, product, receiver
):
    endpoint_for(store, receiver.url, test_mode=False)
    endpoint_for(store, receiver.url, events=["refund.succeeded"])
    pay(product)

    run_worker()

    assert receiver.received == []
    assert not WebhookDelivery.objects.exists()


def test_a_failed_attempt_is_retried_with_the_same_body_and_signature(store, product, receiver):
    receiver.plan = [500, 503]
    endpoint_for(store, receiver.url)
    pay(product)

    run_worker()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_http_status) == ("pending", 1, 500)
    assert len(delivery.last_response_body) == 2048  # capped
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=50)
    run_worker()
    assert len(receiver.received) == 1  # not due yet

    due_now()
    run_worker()
    due_now()
    run_worker()

    first, second, third = receiver.received
    assert first.body == second.body == third.body
    assert (
        first.headers["X-Waffo-Signature"]
        == second.headers["X-Waffo-Signature"]
        == third.headers["X-Waffo-Signature"]
    )
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("success", 3)
    assert [a.http_status for a in delivery.attempt_log.all()] == [500, 503, 200]


@override_settings(WEBHOOK_TIMEOUT_SECONDS=0.5)
def test_a_receiver_that_does_not_answer_in_time_is_a_failed_attempt(store, product, receiver):
    receiver.plan = [("sleep", 1.5)]
    endpoint_for(store, receiver.url)
    pay(product)

    run_worker()

    delivery = WebhookDelivery.objects.get()
    (attempt,) = delivery.attempt_log.all()
    assert (attempt.succeeded, attempt.http_status) == (False, None)
    assert "Timed out" in attempt.error
    assert delivery.status == "pending"


def test_a_receiver_down_for_the_whole_schedule_loses_nothing(store, product, receiver):
    receiver.default = 502
    endpoint_for(store, receiver.url)
    pay(product)

    for _ in range(6):
        run_worker()
        due_now()

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 4)  # first + 3 retries
    assert len(receiver.received) == 4

    receiver.default = 200
    old_signature = delivery.signature
    delivery_resend(delivery=delivery)
    run_worker()

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("success", 5)
    last = receiver.received[-1]
    assert json.loads(last.body)["id"] == str(delivery.id)
    assert last.headers["X-Waffo-Signature"] != old_signature
    assert check_signature(last)


def test_an_endpoint_failing_for_three_days_is_disabled_until_edited(store, product, receiver):
    receiver.default = 500
    endpoint = endpoint_for(store, receiver.url)
    endpoint.failing_since = timezone.now() - timedelta(days=3, minutes=1)
    endpoint.save()
    pay(product)

    run_worker()

    endpoint.refresh_from_db()
    assert endpoint.disabled_at is not None
    assert "3 days" in endpoint.disabled_reason
    pay(ProductFactory(store=store))
    run_worker()
    assert WebhookDelivery.objects.count() == 1  # a disabled endpoint gets nothing new

    webhook_update(endpoint=endpoint, events=["order.completed"])
    endpoint.refresh_from_db()
    assert (endpoint.disabled_at, endpoint.disabled_reason, endpoint.failing_since) == (
        None,
        "",
        None,
    )


def test_a_redirect_is_a_failed_attempt_and_is_not_followed(store, product, receiver):
    receiver.plan = [302]
    endpoint_for(store, receiver.url)
    pay(product)

    run_worker()

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.last_http_status) == ("pending", 302)
    assert len(receiver.received) == 1


def test_prod_mode_deliveries_are_signed_with_the_prod_key(store, receiver):
    endpoint = endpoint_for(store, receiver.url, test_mode=False)
    delivery_create(
        endpoint=endpoint,
        event_type="order.completed",
        event_id="PAY_prod",
        build_body=lambda delivery_id: json.dumps({"id": delivery_id, "mode": "prod"}),
        now=timezone.now(),
    )

    run_worker()

    (got,) = receiver.received
    assert check_signature(got, "prod")
    assert not check_signature(got, "test")
