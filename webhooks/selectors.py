"""Reads for webhooks that other parts of the platform show (the order admin's links, the
read API's delivery log and a store's endpoints)."""

import uuid

from django.db.models import Max, QuerySet

from core.ids import InvalidShortId, from_short_id
from orders.models import Order
from payments.models import Payment
from stores.models import Environment, Store
from stores.roles import Capability, roles_allowed
from webhooks.models import WebhookDelivery, WebhookEndpoint


def stores_whose_webhooks_merchant_sees(*, merchant_id: uuid.UUID) -> QuerySet[Store]:
    """The live stores where the merchant's role holds the webhooks capability: a member
    reads orders and payments but not where the store's events go nor what was sent there
    (the role matrix, ``stores.roles``), in the read API as in the actions."""
    return Store.objects.alive().filter(
        memberships__merchant_id=merchant_id,
        memberships__role__in=roles_allowed(Capability.WEBHOOKS),
    )


def endpoints_seen_by(*, merchant_id: uuid.UUID) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(
        store__in=stores_whose_webhooks_merchant_sees(merchant_id=merchant_id)
    )


def deliveries_for_order(*, order: Order) -> QuerySet[WebhookDelivery]:
    """Deliveries about an order: its own events carry the order's ID, payment events the
    payment's (see ``webhooks.handlers``); both are in the order's store."""
    payment_ids = [
        Payment(pk=pk).public_id
        for pk in Payment.objects.filter(order=order).values_list("pk", flat=True)
    ]
    return WebhookDelivery.objects.filter(
        store_id=order.store_id, event_id__in=[order.public_id, *payment_ids]
    )


def deliveries_for_order_id(*, order_id: str) -> QuerySet[WebhookDelivery]:
    """``deliveries_for_order`` by the order's public ID; none for an unknown ID."""
    try:
        key = from_short_id(Order.public_prefix, order_id)
    except InvalidShortId:
        return WebhookDelivery.objects.none()
    order = Order.objects.filter(pk=key).first()
    if order is None:
        return WebhookDelivery.objects.none()
    return deliveries_for_order(order=order)


def deliveries_for_merchant(
    *, merchant_id: uuid.UUID, environment: str
) -> QuerySet[WebhookDelivery]:
    """Deliveries of the merchant's live stores whose webhooks its role sees, in one
    environment, each with when it was last attempted (``last_attempted_at``) and its
    attempts, so a page of them is a fixed cost."""
    return (
        WebhookDelivery.objects.filter(
            store__in=stores_whose_webhooks_merchant_sees(merchant_id=merchant_id),
            environment=environment,
        )
        .select_related("store")
        .annotate(last_attempted_at=Max("attempt_log__started_at"))
    )


def endpoints_in_environment(*, endpoints, environment: str) -> list[WebhookEndpoint]:
    """A store's endpoints (``store.webhooks.all()``, prefetched or not) that receive the
    events of ``environment``: test-mode endpoints the test events, the others prod."""
    test_mode = environment == Environment.TEST
    return [endpoint for endpoint in endpoints if endpoint.test_mode == test_mode]
