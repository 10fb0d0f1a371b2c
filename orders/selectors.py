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


def payment_under_way(*, session_id: uuid.UUID) -> bool:
    """Whether a payment of the session's order is pending (it may have charged already).
    Read through the reverse relation so that orders does not depend on payments."""
    return Order.objects.filter(checkout_session_id=session_id, payments__status="pending").exists()
