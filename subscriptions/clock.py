"""The test clock: a merchant moves one test-mode subscription forward by whole billing
periods and sees every renewal, retry and state change that falls due happen, in order,
now. Real time is untouched; only this subscription's own clock moves. A trial counts as
the first period: one period from inside a trial ends it and charges the first paid one."""

from django.utils import timezone

from core.errors import BadRequest, NotFound
from core.ids import InvalidShortId, from_short_id
from orders.models import Order
from subscriptions.models import Subscription
from subscriptions.periods import period_end
from subscriptions.renewals import due_at, subscription_renew
from subscriptions.services import subscription_start
from subscriptions.trials import reminder_due, trial_remind

MAX_PERIODS = 60
MAX_STEPS = 1000


def _subscription(order: Order) -> Subscription:
    if order.environment != "test":
        raise BadRequest("The test clock only runs in the test environment", layer="order")
    if order.product_type != "subscription":
        raise BadRequest("The test clock only runs for subscription orders", layer="order")
    subscription = subscription_start(order=order)
    if subscription is None:
        raise BadRequest("This subscription has not been paid yet", layer="order")
    return subscription


def _target(subscription: Subscription, periods: int):
    """Where the clock stops: ``periods`` periods on, a trial counting as the first."""
    target = subscription.clock or timezone.now()
    if subscription.in_trial and target < subscription.trial_end:
        target, periods = subscription.trial_end, periods - 1
    for _ in range(periods):
        target = period_end(target, subscription.billing_period, anchor=subscription.anchor)
    return target


def _next_step(subscription: Subscription, target):
    """The next moment something falls due on the way to ``target`` and what runs then."""
    status = subscription.order.status
    when, run = due_at(subscription, status), subscription_renew
    remind = reminder_due(subscription, status)
    if remind is not None:  # a trial shorter than the reminder's lead is reminded at once
        remind = max(remind, subscription.clock or timezone.now())
        if remind < subscription.trial_end and (when is None or remind < when):
            when, run = remind, trial_remind
    if when is None or when > target:
        return None, None
    return when, run


def clock_advance(*, order: Order, periods: int) -> Subscription:
    """Move the subscription's clock forward by ``periods`` billing periods (a trial is the
    first), running what falls due on the way at the moment it falls due: renewals,
    retries, ends and the trial reminder."""
    if not 1 <= periods <= MAX_PERIODS:
        raise BadRequest(f"periods must be between 1 and {MAX_PERIODS}", layer="order")
    subscription = _subscription(order)
    target = _target(subscription, periods)
    for _ in range(MAX_STEPS):
        subscription = Subscription.objects.select_related("order").get(pk=subscription.pk)
        when, run = _next_step(subscription, target)
        if when is None:
            break
        Subscription.objects.filter(pk=subscription.pk).update(clock=when)
        run(order_id=subscription.pk, now=when)
    Subscription.objects.filter(pk=subscription.pk).update(clock=target)
    return Subscription.objects.select_related("order").get(pk=subscription.pk)


def order_for_clock(*, public_id: str) -> Order:
    try:
        pk = from_short_id("ORD", public_id)
    except InvalidShortId:
        raise NotFound("Order not found", layer="order") from None
    order = Order.objects.filter(pk=pk).first()
    if order is None:
        raise NotFound("Order not found", layer="order")
    return order
