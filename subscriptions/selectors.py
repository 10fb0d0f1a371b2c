"""Reads for subscriptions."""

from dataclasses import dataclass
from datetime import datetime

from orders.models import Order
from subscriptions import states
from subscriptions.models import Subscription


@dataclass(frozen=True, slots=True)
class NextCharge:
    at: datetime
    ends: bool  # canceling: the subscription ends then instead of charging


def next_charge(*, order: Order) -> NextCharge | None:
    """When a subscription next charges (or, canceling, ends); None for anything else."""
    if order.product_type != "subscription":
        return None
    subscription = Subscription.objects.filter(order_id=order.pk).first()
    if subscription is None or subscription.ended_at is not None:
        return None
    if order.status == states.CANCELING:
        return NextCharge(subscription.current_period_end, ends=True)
    if order.status == states.PAST_DUE and subscription.next_retry_at:
        return NextCharge(subscription.next_retry_at, ends=False)
    if order.status in (states.ACTIVE, states.TRIALING):
        return NextCharge(subscription.current_period_end, ends=False)
    return None
