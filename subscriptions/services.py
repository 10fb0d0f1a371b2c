"""Starting, cancelling and reactivating subscriptions.

A subscription starts when its order is paid (the ``order.completed`` handler), copying the
plan its checkout locked; anything that needs it before the worker got there starts it the
same way (``subscription_start`` is idempotent). Every status change locks the subscription
and then the order, and records its ``subscription.*`` event in the same transaction.
"""

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from checkout.lines import SessionLine
from core.errors import BadRequest
from core.events import event_record
from orders.models import Order
from orders.services import order_cancel, order_subscription_status
from payments.selectors import period_payment
from subscriptions import states
from subscriptions.models import Subscription
from subscriptions.periods import period_end


def subscription_start(*, order: Order) -> Subscription | None:
    """The subscription of a paid subscription order (made once; None before payment)."""
    existing = Subscription.objects.filter(order_id=order.pk).first()
    if existing is not None or order.product_type != "subscription" or not order.completed_at:
        return existing
    line = order.checkout_session.line_items[0]  # a forfeited trial is gone from it
    first = period_payment(order_id=order.pk, period=1)
    start, billing_period = order.completed_at, line.billing_period or "monthly"
    # A trial is the first period; the paid periods count from its end.
    trial_end = start + timedelta(days=line.trial_days) if _trial_days(order, line) else None
    anchor = trial_end or start
    try:
        with transaction.atomic():
            return Subscription.objects.create(
                order=order,
                store_id=order.store_id,
                environment=order.environment,
                product_version_id=line.product_version_id,
                billing_period=billing_period,
                currency=order.currency,
                unit_amount_minor=line.unit_amount_minor,
                quantity=line.quantity,
                tax_category=line.tax_category,
                tax_included=line.tax_included,
                payment_method_id=first.payment_method_id if first else None,
                anchor=anchor,
                current_period_start=start,
                current_period_end=trial_end or period_end(start, billing_period),
                trial_end=trial_end,
            )
    except IntegrityError:  # started by a twin meanwhile
        return Subscription.objects.get(order_id=order.pk)


def _trial_days(order: Order, line: SessionLine) -> int:
    return (line.trial_days or 0) if order.with_trial and line.with_trial else 0


def lock(order: Order) -> tuple[Subscription | None, Order]:
    """Inside a transaction: the subscription (started if need be), then its order."""
    subscription_start(order=order)
    subscription = Subscription.objects.select_for_update().filter(order_id=order.pk).first()
    return subscription, Order.objects.select_for_update().get(pk=order.pk)


def status_change(
    subscription: Subscription, order: Order, status: str, *, now: datetime, event: str = ""
) -> Order:
    """Move to ``status`` if the state machine allows it, and record ``event``."""
    states.check(order.status, status)
    order = order_subscription_status(order=order, status=status, now=now)
    if event:
        event_record(
            name=event,
            subject=order.public_id,
            payload={"orderId": order.public_id, "status": status},
            store_id=order.store_id,
            environment=order.environment,
        )
    return order


def subscription_cancel(*, order: Order) -> Order:
    """``pending`` → canceled (never paid); active, trialing or past due → canceling (it
    ends when the period it paid for does); asking again changes nothing."""
    if order.status == states.PENDING:
        return order_cancel(order=order)
    with transaction.atomic():
        subscription, order = lock(order)
        if order.status in (states.CANCELING, states.CANCELED):
            return order
        if subscription is None:
            raise BadRequest(f"Cannot cancel a {order.status} subscription", layer="order")
        return status_change(
            subscription,
            order,
            states.CANCELING,
            now=timezone.now(),
            event="subscription.canceling",
        )


def subscription_reactivate(*, order: Order) -> Order:
    """Undo a cancellation before the period ends: only ``canceling`` → active, or back to
    trialing when the trial has not ended (its first charge still comes at trial end)."""
    with transaction.atomic():
        subscription, order = lock(order)
        if order.status != states.CANCELING or subscription is None:
            raise BadRequest(
                f"Only a canceling subscription can be reactivated (this one is {order.status})",
                layer="order",
            )
        status = states.TRIALING if subscription.in_trial else states.ACTIVE
        return status_change(
            subscription, order, status, now=timezone.now(), event="subscription.uncanceled"
        )
