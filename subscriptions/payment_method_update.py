"""A buyer replaces their subscription's card (the customer portal's "update card").

The new method is what every later renewal charges. A subscription that is past due is
retried with it at once, through the renewal machinery itself (``renewals.subscription_renew``):
under the subscription's row lock its retry is made due now, then the renewal claims,
charges and settles as the worker would, so two workers, the sweep and the buyer never
charge one period twice (one pending payment per period is a database constraint).

A period is retried at most once per card: if a payment of the due period was already
attempted with this method (a double submit, a reload of the form), it is not charged
again; a different card gets its own try. Submits that race are safe too: a retry made due
by one of them is claimed by the first renewal to get the lock (the others find its
pending payment, or a retry no longer due once it settled), so one charge. A declined
retry counts as one of the period's declines, exactly as the worker's retries do
(``SUBSCRIPTION_RETRY_DAYS``).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from core.errors import BadRequest
from orders.models import Order
from payments.models import Payment, PaymentMethod
from subscriptions import states
from subscriptions.models import Subscription
from subscriptions.renewals import subscription_renew
from subscriptions.services import lock

# Statuses whose card a buyer may change: anything that will still charge or may again.
UPDATABLE = (states.ACTIVE, states.TRIALING, states.PAST_DUE, states.CANCELING)


@dataclass(frozen=True, slots=True)
class MethodUpdate:
    order: Order
    retried: bool  # a past-due renewal was charged with the new card just now
    outcome: str = ""  # subscription_renew's answer when retried: "renewed", "past_due", …


def card_updatable(order: Order) -> bool:
    """Whether the order's subscription takes a new card (asked before saving one)."""
    return order.product_type == "subscription" and order.status in UPDATABLE


def _now(subscription: Subscription) -> datetime:
    """The subscription's "now": real time, or its test clock when that runs ahead."""
    now = timezone.now()
    return max(now, subscription.clock) if subscription.clock else now


def _replace(order: Order, method: PaymentMethod) -> tuple[Order, datetime | None]:
    """Under the locks: the new method in place; the moment to retry at, when due now."""
    with transaction.atomic():
        subscription, order = lock(order)
        if subscription is None or order.status not in UPDATABLE:
            raise BadRequest(
                f"Cannot change the card of a {order.status} subscription", layer="order"
            )
        subscription.payment_method = method
        retry_at = None
        if order.status == states.PAST_DUE:
            due_period = subscription.period_number + 1
            tried = Payment.objects.filter(
                order=order, period=due_period, payment_method=method
            ).exists()
            if not tried:
                retry_at = _now(subscription)
                subscription.next_retry_at = retry_at
        subscription.save(update_fields=["payment_method", "next_retry_at", "updated_at"])
        return order, retry_at


def subscription_payment_method_update(*, order: Order, method: PaymentMethod) -> MethodUpdate:
    """Use ``method`` for the subscription from now on; past due, retry the renewal with it
    once, now. ``method`` must be the order's buyer's, in its store and environment."""
    if (method.store_id, method.environment) != (order.store_id, order.environment):
        raise BadRequest("This card belongs to another store", layer="order")
    order, retry_at = _replace(order, method)
    if retry_at is None:
        return MethodUpdate(order=order, retried=False)
    outcome = subscription_renew(order_id=order.pk, now=retry_at)
    return MethodUpdate(order=Order.objects.get(pk=order.pk), retried=True, outcome=outcome)
