"""A paid subscription order starts its subscription (the plan it locked, its first
period, the card it saved)."""

from core.events import handles
from core.ids import from_short_id
from core.models import DomainEvent
from orders.models import Order
from subscriptions.services import subscription_start


@handles("order.completed", name="subscriptions.start")
def start(event: DomainEvent) -> None:
    order = Order.objects.filter(pk=from_short_id("ORD", event.subject)).first()
    if order is not None and order.product_type == "subscription":
        subscription_start(order=order)
