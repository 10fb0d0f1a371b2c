"""The upcoming-charge reminder: a few days before an active subscription renews, the buyer
is told when and how much (the store's ``emailUpcomingCharge``).

No event announces "renews in three days", so the worker's sweep looks for subscriptions
whose period ends within ``EMAIL_UPCOMING_CHARGE_DAYS``; the log row for (order, reminder,
period) is unique, so any number of sweeps remind once per period.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from notifications.models import EmailKind, EmailLog
from notifications.preferences import email_wanted
from notifications.services import email_queue
from subscriptions import states
from subscriptions.models import Subscription


def upcoming_charges_remind(*, now: datetime | None = None, limit: int = 200) -> int:
    now = now or timezone.now()
    reminded = EmailLog.objects.filter(
        kind=EmailKind.UPCOMING_CHARGE,
        order_id=OuterRef("order_id"),
        period=OuterRef("period_number"),
    )
    due = (
        Subscription.objects.filter(
            order__status=states.ACTIVE,
            current_period_end__gt=now,
            current_period_end__lte=now + timedelta(days=settings.EMAIL_UPCOMING_CHARGE_DAYS),
        )
        .exclude(Exists(reminded))
        .select_related("order__store", "order__checkout_session")
        .order_by("current_period_end")[:limit]
    )
    queued = 0
    for subscription in due:
        order = subscription.order
        if not email_wanted(order, EmailKind.UPCOMING_CHARGE):
            continue
        try:
            with transaction.atomic():
                email_queue(
                    kind=EmailKind.UPCOMING_CHARGE,
                    order=order,
                    period=subscription.period_number,
                    now=now,
                )
        except IntegrityError:  # another worker's sweep reminded it just now
            continue
        queued += 1
    return queued
