"""Reads for subscriptions."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from checkout.tax import TaxResult
from orders.models import Order
from subscriptions import states
from subscriptions.models import Subscription
from subscriptions.renewals import renewal_amounts
from subscriptions.services import subscription_start


@dataclass(frozen=True, slots=True)
class NextCharge:
    at: datetime
    ends: bool  # canceling: the subscription ends then instead of charging
    trial: bool = False  # the trial ends then, with the first charge of the plan price


def next_charge(*, order: Order) -> NextCharge | None:
    """When a subscription next charges (or, canceling, ends); None for anything else.
    While trialing that is the trial's end: the trial is the current period."""
    if order.product_type != "subscription":
        return None
    # The receipt is read right after paying, often before the worker's order.completed
    # handler started the subscription: it is started here the same (idempotent) way.
    subscription = subscription_start(order=order)
    if subscription is None or subscription.ended_at is not None:
        return None
    if order.status == states.CANCELING:
        return NextCharge(subscription.current_period_end, ends=True)
    if order.status == states.PAST_DUE and subscription.next_retry_at:
        return NextCharge(subscription.next_retry_at, ends=False)
    if order.status in (states.ACTIVE, states.TRIALING):
        return NextCharge(
            subscription.current_period_end, ends=False, trial=order.status == states.TRIALING
        )
    return None


def plan_price(*, order: Order) -> TaxResult | None:
    """The price of a paid period when it is not what the checkout charged (a subscription
    past its trial: the locked plan price, tax as renewals compute it); None otherwise."""
    if not order.with_trial or order.product_type != "subscription":
        return None
    subscription = Subscription.objects.select_related("order").filter(order_id=order.pk).first()
    if subscription is None or subscription.trial_end is None or subscription.in_trial:
        return None
    return renewal_amounts(subscription)


@dataclass(frozen=True, slots=True)
class TrialPhases:
    days: int
    regular: TaxResult


def trial_phases(*, subscription: Subscription | None) -> TrialPhases | None:
    """A trial subscription's two phases: how many days the trial (the order's own figures)
    lasts and the locked plan price every later period pays; None without a trial. Reads only
    the subscription and its order, so a page of orders that loaded them costs nothing more."""
    if subscription is None or subscription.trial_end is None:
        return None
    # The trial began when the order was paid (``subscription_start``); ``anchor`` is its end.
    days = (subscription.trial_end - subscription.order.completed_at).days
    return TrialPhases(days=days, regular=renewal_amounts(subscription))


# Churn, as the dashboard and the read API count it (Stripe's definition): of the
# subscriptions live when a period began, the share that ended (canceled or expired) in it.
# A trial is live only from its end (``anchor``), when it starts paying.
ENDED = (states.CANCELED, states.EXPIRED)
# Subscriptions that pay: past_due is still being retried, canceling is paid to its end.
PAYING = (states.ACTIVE, states.PAST_DUE, states.CANCELING)


def live_at(moment: datetime) -> Q:
    """Subscriptions that were paying at ``moment``."""
    return Q(anchor__lt=moment) & (Q(ended_at__isnull=True) | Q(ended_at__gte=moment))


def churned_between(since: datetime, until: datetime | None = None) -> Q:
    """Of those live at ``since``, the ones that ended before ``until`` (None: up to now)."""
    ended = Q(ended_at__gte=since, order__status__in=ENDED)
    if until is not None:
        ended &= Q(ended_at__lt=until)
    return live_at(since) & ended
