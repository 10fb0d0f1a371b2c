"""Reads of the email log that the read API shows (``emailDeliveries``)."""

import uuid

from django.db.models import QuerySet

from notifications.models import EmailLog
from stores.models import Store


def emails_for_merchant(*, merchant_id: uuid.UUID, environment: str) -> QuerySet[EmailLog]:
    """Emails of the merchant's live stores in one environment, with what a page shows."""
    return EmailLog.objects.filter(
        store__in=Store.objects.reachable_by(merchant_id), environment=environment
    ).select_related("store", "event", "order")
