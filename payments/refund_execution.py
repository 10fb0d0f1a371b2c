"""Executing approved refunds at the processor, exactly once.

The processor is asked outside any transaction with the refund's ID as idempotency key, so
a second executor (the queued task and the sweep, two workers, a retried task) gets the
first answer back instead of a second refund. The outcome is recorded under the refund's
row lock, once; the ticket follows it and a ``refund.succeeded`` or ``refund.failed``
event is recorded in the same transaction. A refund whose processor did not answer stays
``processing`` and is asked again by the sweep.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.events import event_record
from payments.models import Refund, RefundStatus, RefundTicket, RefundTicketStatus
from payments.processors import processor_for
from payments.processors.base import ProcessorError, RefundResult

logger = logging.getLogger(__name__)


def refund_execute(*, refund_id) -> Refund:
    """Ask the processor to pay ``refund_id`` back (if it is still processing) and record
    the answer. Safe to call any number of times, from anywhere."""
    refund = Refund.objects.select_related("payment").get(pk=refund_id)
    if refund.status != RefundStatus.PROCESSING:
        return refund
    processor = processor_for(refund.environment)
    try:
        result = processor.refund(
            reference=refund.payment.processor_reference,
            amount_minor=refund.amount_minor,
            idempotency_key=refund.public_id,
        )
    except ProcessorError:
        logger.exception("No answer from %s for %s; it is asked again", processor.name, refund)
        return refund
    return refund_record(refund_id=refund.pk, result=result)


def refund_record(*, refund_id, result: RefundResult) -> Refund:
    with transaction.atomic():
        refund = Refund.objects.select_for_update().get(pk=refund_id)
        if refund.status != RefundStatus.PROCESSING:  # a twin recorded it already
            return refund
        now = timezone.now()
        refund.executed_at = now
        if result.succeeded:
            refund.status = RefundStatus.SUCCEEDED
            refund.processor_reference = result.reference
        else:
            refund.status = RefundStatus.FAILED
            refund.failure_code = result.failure_code[:64]
            refund.failure_message = result.failure_message[:200]
        refund.save()
        ticket = RefundTicket.objects.select_for_update().get(pk=refund.ticket_id)
        ticket.status = (
            RefundTicketStatus.SUCCEEDED if result.succeeded else RefundTicketStatus.FAILED
        )
        ticket.executed_at = now
        ticket.save(update_fields=["status", "executed_at", "updated_at"])
        event_record(
            name=f"refund.{refund.status}",
            subject=refund.public_id,
            payload={
                "refundId": refund.public_id,
                "ticketId": ticket.public_id,
                "paymentId": refund.payment.public_id,
                "amountMinor": refund.amount_minor,
                "currency": refund.currency,
            },
            store_id=refund.store_id,
            environment=refund.environment,
        )
    return refund


def _take_lease(refund: Refund, now) -> bool:
    return bool(
        Refund.objects.filter(
            pk=refund.pk, status=RefundStatus.PROCESSING, updated_at=refund.updated_at
        ).update(updated_at=now)
    )


def refunds_execute_stale(*, limit: int = 100) -> int:
    """The sweep: execute refunds still processing ``REFUND_RETRY_AFTER`` seconds after
    they were last tried (their task was lost, or the processor did not answer)."""
    now = timezone.now()
    due = Refund.objects.filter(
        status=RefundStatus.PROCESSING,
        updated_at__lte=now - timedelta(seconds=settings.REFUND_RETRY_AFTER),
    )[:limit]
    done = 0
    for refund in list(due):
        if not _take_lease(refund, now):
            continue
        try:
            if refund_execute(refund_id=refund.pk).status != RefundStatus.PROCESSING:
                done += 1
        except Exception:
            logger.exception("Executing %s failed; it is tried again later", refund)
    return done
