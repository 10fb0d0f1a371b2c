"""Reads for orders."""

import uuid

from core.errors import NotFound
from orders.models import Order


def order_for_customer(
    *, order_id: uuid.UUID, store_id: uuid.UUID, buyer_identity: str, environment: str
) -> Order:
    """A buyer's own order in their store and environment; anything else is not found."""
    order = (
        Order.objects.filter(pk=order_id, store_id=store_id, environment=environment)
        .filter(buyer_identity=buyer_identity)
        .first()
    )
    if order is None:
        raise NotFound("Order not found", layer="order")
    return order
