"""Several real worker processes share the deliveries on PostgreSQL: each is sent once."""

import json
import time

import pytest
from django.db import connection

from tests.process_support import background_workers
from tests.webhook_support import Receiver, endpoint_for, pay, start_receiver
from webhooks.models import WebhookDelivery

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (real row locks)")


def test_three_workers_send_every_delivery_exactly_once(store, product):
    receiver = start_receiver(Receiver(plan=[("sleep", 0.2)] * 8))
    endpoint_for(store, receiver.url)
    endpoint_for(store, receiver.url)
    orders = [pay(product).order for _ in range(4)]

    with background_workers(3):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if WebhookDelivery.objects.filter(status="success").count() == 8:
                break
            time.sleep(0.2)
    receiver.server.shutdown()

    ids = [json.loads(r.body)["id"] for r in receiver.received]
    assert len(ids) == len(set(ids)) == 8
    assert {json.loads(r.body)["data"]["orderId"] for r in receiver.received} == {
        order.public_id for order in orders
    }
    assert all(d.attempts == 1 for d in WebhookDelivery.objects.all())
