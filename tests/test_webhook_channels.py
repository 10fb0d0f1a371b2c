"""Chat channels get a short unsigned text in their platform's body; a delivery is claimed
by one worker at a time."""

import json

import pytest
from django.utils import timezone

from tests.webhook_support import Receiver, endpoint_for, pay, start_receiver
from tests.worker_support import run_worker
from webhooks.deliveries import _claim, deliveries_due
from webhooks.models import WebhookDelivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    receiver = start_receiver(Receiver())
    yield receiver
    receiver.server.shutdown()


@pytest.mark.parametrize(
    ("channel", "secret", "text_of"),
    [
        ("slack", None, lambda body: body["text"]),
        ("discord", None, lambda body: body["content"]),
        (
            "feishu",
            None,
            lambda body: body["content"]["text"] if body["msg_type"] == "text" else "",
        ),
        (
            "telegram",
            "8737101383",
            lambda body: body["text"] if body["chat_id"] == "8737101383" else "",
        ),
    ],
)
def test_chat_channels_get_a_formatted_unsigned_message(
    store, product, receiver, channel, secret, text_of
):
    endpoint_for(store, receiver.url, channel=channel, secret=secret)
    outcome = pay(product)

    run_worker()

    (got,) = receiver.received
    assert "X-Waffo-Signature" not in got.headers
    text = text_of(json.loads(got.body))
    assert text.startswith("Order completed [test]")
    assert outcome.order.public_id in text and "buyer@example.com" in text
    assert WebhookDelivery.objects.get().status == "success"


def test_a_claimed_delivery_is_not_claimed_again_while_its_lease_runs(store, product, receiver):
    endpoint_for(store, receiver.url)
    pay(product)
    run_worker()  # dispatches the event; makes and sends the delivery
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status="pending", next_attempt_at=timezone.now()
    )

    first = _claim(delivery.pk)
    second = _claim(delivery.pk)
    assert first is not None and second is None
    assert deliveries_due() == 0  # the sweep skips it too
    assert len(receiver.received) == 1
