"""One delivery per business event per endpoint, however often the event reaches the handler."""

import pytest
from django.db import transaction

from core.events import event_record
from core.models import DomainEvent
from tests.webhook_support import endpoint_for, pay
from tests.worker_support import run_worker
from webhooks.handlers import order_completed
from webhooks.models import WebhookDelivery

pytestmark = pytest.mark.django_db


def test_an_event_handled_again_or_recorded_twice_makes_no_second_delivery(store, product):
    first = endpoint_for(store, "http://127.0.0.1:9/a")
    second = endpoint_for(store, "http://127.0.0.1:9/b")
    outcome = pay(product)
    run_worker()
    event = DomainEvent.objects.get(name="order.completed")

    with transaction.atomic():
        order_completed(event)  # a handler run again (at-least-once dispatch)
        event_record(
            name="order.completed",
            subject=outcome.order.public_id,
            store_id=store.pk,
            environment="test",
        )
    run_worker()

    deliveries = WebhookDelivery.objects.order_by("url")
    assert [(d.endpoint_id, d.event_id) for d in deliveries] == [
        (first.pk, outcome.payment.public_id),
        (second.pk, outcome.payment.public_id),
    ]


def test_an_endpoint_added_after_the_event_gets_nothing_old(store, product):
    pay(product)
    run_worker()
    endpoint_for(store, "http://127.0.0.1:9/late")

    run_worker()

    assert not WebhookDelivery.objects.exists()
