"""Trials after checkout: the "trial ending" reminder.

A trial's subscription starts ``trialing`` with the trial as its first period
(``services.subscription_start``); the first charge of the locked price is the renewal at
its end (``renewals``), and who may have a trial at all is decided when paying
(``orders.trials``: subscriptions sits above checkout and orders, which must not ask it).

``SUBSCRIPTION_TRIAL_REMINDER_DAYS`` before a trial ends, the worker records
``subscription.trial_ending`` once per subscription (for the buyer's email; it is not one of
the SDK's webhook event types, so no webhook is sent). Once: the reminder is stamped on the
subscription under its row lock, in the transaction that records the event, so two
workers, a retried sweep or the test clock never record it twice.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.events import event_record
from core.money import format_amount
from core.timefmt import iso_utc
from subscriptions import states
from subscriptions.models import Subscription
from subscriptions.renewals import renewal_amounts

TRIAL_ENDING = "subscription.trial_ending"


def reminder_lead() -> timedelta:
    return timedelta(days=settings.SUBSCRIPTION_TRIAL_REMINDER_DAYS)


def reminder_due(subscription: Subscription, status: str) -> datetime | None:
    """When this subscription's reminder is due; None when it needs none (any more)."""
    if subscription.trial_reminded_at or not subscription.in_trial or status != states.TRIALING:
        return None
    return subscription.trial_end - reminder_lead()


def trial_remind(*, order_id, now: datetime | None = None) -> bool:
    """Record the reminder if it is due at ``now`` and was never recorded."""
    now = now or timezone.now()
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update(of=("self",))
            .select_related("order")
            .get(order_id=order_id)
        )
        order = subscription.order  # read after the lock; its status changes under it too
        due = reminder_due(subscription, order.status)
        if due is None or due > now or now >= subscription.trial_end:
            return False
        subscription.trial_reminded_at = now
        subscription.save(update_fields=["trial_reminded_at", "updated_at"])
        amount = renewal_amounts(subscription)
        event_record(
            name=TRIAL_ENDING,
            subject=order.public_id,
            payload={
                "orderId": order.public_id,
                "trialEnd": iso_utc(subscription.trial_end),
                "amount": format_amount(amount.total_minor, subscription.currency),
                "amountMinor": amount.total_minor,
                "currency": subscription.currency,
                "buyerEmail": order.buyer_email,
            },
            store_id=order.store_id,
            environment=order.environment,
        )
    return True


def trials_remind_due(*, limit: int = 100) -> int:
    """The sweep: every trial that ends within the lead time and was not reminded yet."""
    now = timezone.now()
    due = Subscription.objects.filter(
        trial_end__gt=now,
        trial_end__lte=now + reminder_lead(),
        trial_reminded_at__isnull=True,
        period_number=1,
        ended_at__isnull=True,
        order__status=states.TRIALING,
    ).values_list("order_id", flat=True)[:limit]
    return sum(trial_remind(order_id=order_id, now=now) for order_id in list(due))
