"""Reads for webhooks that other parts of the platform show (the order admin's links)."""

from django.db.models import QuerySet

from core.ids import InvalidShortId, from_short_id
from orders.models import Order
from payments.models import Payment
from webhooks.models import WebhookDelivery


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
