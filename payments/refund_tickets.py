"""Refund tickets: a buyer asks, the merchant of record decides, a refund follows.

Every decision about a payment's refunds is taken with that payment's row locked, so two
tickets, two reviews or a review and a resubmission never both pass a check that only one
of them may pass: at most one open ticket per payment (also a database constraint), and
never more refunded than was paid. Approving creates the ``Refund`` in the same
transaction; the processor is asked afterwards, outside it (``refund_execution``).
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.errors import BadRequest, Conflict, NotFound
from core.money import InvalidAmount, format_amount, parse_amount
from payments.models import (
    OPEN_TICKET_STATUSES,
    Payment,
    PaymentStatus,
    Refund,
    RefundTicket,
    RefundTicketStatus,
    RefundTicketVersion,
)
from payments.processors import processor_for
from payments.refund_amounts import refundable_minor, tax_share
from payments.refund_execution import refund_execute
from payments.refund_selectors import TICKET_NOT_FOUND

logger = logging.getLogger(__name__)

LAYER = "ticket"
MAX_REASON_LENGTH = 2000
OPEN_TICKET = "An open refund ticket already exists for this payment"


class AlreadyDecided(Conflict):
    default_code = "ticket_already_decided"
    default_layer = LAYER

    def __init__(self, ticket: RefundTicket):
        super().__init__(f"Refund ticket {ticket.public_id} was already decided ({ticket.status})")


@dataclass(frozen=True, slots=True)
class Submitter:
    kind: str  # "customer" | "merchant"
    id: str  # the buyer identity, or the merchant's public ID


@dataclass(frozen=True, slots=True)
class Request:
    """What a submission asks for, as the client sent it (validated against the payment)."""

    reason: object
    amount: object
    currency: object


def _clean_reason(reason: object) -> str:
    if not isinstance(reason, str) or not reason.strip():
        raise BadRequest("Missing required field: reason", layer=LAYER)
    if len(reason) > MAX_REASON_LENGTH:
        raise BadRequest(f"reason must be at most {MAX_REASON_LENGTH} characters", layer=LAYER)
    return reason.strip()


def _requested_minor(payment: Payment, request: Request) -> int:
    """The amount asked for, in the payment's currency and its minor units, within what is
    left to refund; 400 with the reason otherwise."""
    if request.currency != payment.currency:
        raise BadRequest(
            f"requestedAmount.currency must be the payment's currency ({payment.currency})",
            layer=LAYER,
        )
    try:
        minor = parse_amount(request.amount, payment.currency)
    except InvalidAmount:
        raise BadRequest(
            f'Invalid requestedAmount.amount for {payment.currency}: "{request.amount}"',
            layer=LAYER,
        ) from None
    if minor <= 0:
        raise BadRequest("requestedAmount.amount must be greater than zero", layer=LAYER)
    left = refundable_minor(payment=payment)
    if minor > left:
        raise BadRequest(
            "requestedAmount.amount exceeds what is left to refund on this payment "
            f"({format_amount(left, payment.currency)} {payment.currency})",
            layer=LAYER,
        )
    return minor


def _check_refundable(payment: Payment, now: datetime) -> None:
    if payment.status != PaymentStatus.SUCCEEDED:
        raise BadRequest("Only a succeeded payment can be refunded", layer=LAYER)
    window = timedelta(days=settings.REFUND_WINDOW_DAYS)
    if now - (payment.resolved_at or payment.created_at) > window:
        raise BadRequest(
            f"The refund window of {settings.REFUND_WINDOW_DAYS} days for this payment has closed",
            layer=LAYER,
        )


def _lock_payment(payment_id) -> Payment:
    return (
        Payment.objects.select_for_update(of=("self",)).select_related("order").get(pk=payment_id)
    )


def _add_version(ticket: RefundTicket, number: int, reason: str, minor: int) -> None:
    version = RefundTicketVersion.objects.create(
        ticket=ticket,
        number=number,
        reason=reason,
        amount_minor=minor,
        currency=ticket.payment.currency,
    )
    ticket.current_version = version
    ticket.save(update_fields=["current_version", "updated_at"])


def _save_open(ticket: RefundTicket, update_fields: list[str] | None = None) -> None:
    """Save a ticket that is (again) open; a concurrent open ticket on the payment that
    slipped past the check is caught by the constraint: 409, nothing written."""
    try:
        with transaction.atomic():
            ticket.save(update_fields=update_fields)
    except IntegrityError:
        raise Conflict(OPEN_TICKET, layer=LAYER) from None


def refund_ticket_create(
    *,
    payment: Payment,
    submitter: Submitter,
    request: Request,
    metadata: dict | None = None,
    merchant_external_id: str = "",
) -> RefundTicket:
    """Open a ticket for ``payment`` (already scoped to the caller). A merchant's ticket is
    its own decision: approved at once, its refund under way when this returns."""
    reason = _clean_reason(request.reason)
    with transaction.atomic():
        payment = _lock_payment(payment.pk)
        now = timezone.now()
        _check_refundable(payment, now)
        minor = _requested_minor(payment, request)
        if RefundTicket.objects.filter(payment=payment, status__in=OPEN_TICKET_STATUSES).exists():
            raise Conflict(OPEN_TICKET, layer=LAYER)
        ticket = RefundTicket(
            payment=payment,
            order=payment.order,
            store_id=payment.order.store_id,
            environment=payment.order.environment,
            submitter_type=submitter.kind,
            submitter_id=submitter.id,
            metadata=metadata or {},
            merchant_external_id=merchant_external_id,
        )
        _save_open(ticket)
        _add_version(ticket, 1, reason, minor)
        if submitter.kind == "merchant":
            _approve(ticket, reviewer_id=submitter.id, note="", now=now)
    return ticket


def refund_ticket_resubmit(*, ticket: RefundTicket, request: Request) -> RefundTicket:
    """A rejected ticket asks again (a new version, same ID and external ID); it waits for
    review as a new ticket would."""
    reason = _clean_reason(request.reason)
    with transaction.atomic():
        payment = _lock_payment(ticket.payment_id)
        ticket = (
            RefundTicket.objects.select_for_update(of=("self",))
            .select_related("current_version")
            .get(pk=ticket.pk)
        )
        ticket.payment = payment
        if ticket.status != RefundTicketStatus.REJECTED:
            raise BadRequest("Only a rejected refund ticket can be resubmitted", layer=LAYER)
        _check_refundable(payment, timezone.now())
        minor = _requested_minor(payment, request)
        number = ticket.versions.count() + 1
        ticket.status = RefundTicketStatus.PENDING
        ticket.reviewer_id, ticket.reviewed_at = "", None
        ticket.review_note = ticket.reject_reason = ""
        _save_open(ticket)
        _add_version(ticket, number, reason, minor)
    return ticket


def refund_ticket_review(
    *, ticket_id, decision: str, reviewer_id: str, reason: str = "", note: str = ""
) -> RefundTicket:
    """The platform's decision on a pending ticket, exactly once: a second review of the
    same ticket (a double click, two staff at once) is refused, so one refund at most."""
    if decision not in ("approve", "reject"):
        raise BadRequest('decision must be "approve" or "reject"', layer=LAYER)
    if decision == "reject" and not reason.strip():
        raise BadRequest("A rejection needs a reason", layer=LAYER)
    with transaction.atomic():
        payment_id = (
            RefundTicket.objects.filter(pk=ticket_id).values_list("payment_id", flat=True).first()
        )
        if payment_id is None:
            raise NotFound(TICKET_NOT_FOUND, layer=LAYER)
        payment = _lock_payment(payment_id)  # the payment first, then the ticket, always
        ticket = (
            RefundTicket.objects.select_for_update(of=("self",))
            .select_related("current_version")
            .get(pk=ticket_id)
        )
        ticket.payment = payment
        if ticket.status not in (RefundTicketStatus.PENDING, RefundTicketStatus.UNDER_REVIEW):
            raise AlreadyDecided(ticket)
        now = timezone.now()
        if decision == "reject":
            ticket.status = RefundTicketStatus.REJECTED
            ticket.reject_reason = reason.strip()
            ticket.reviewer_id, ticket.reviewed_at, ticket.review_note = reviewer_id, now, note
            ticket.save()
        else:
            _approve(ticket, reviewer_id=reviewer_id, note=note, now=now)
    return ticket


def _approve(ticket: RefundTicket, *, reviewer_id: str, note: str, now: datetime) -> Refund:
    """Approve under the payment's lock: the amount must still fit (an earlier refund may
    have succeeded since the ticket was opened), then the refund is created, to execute."""
    payment = ticket.payment
    version = ticket.current_version
    left = refundable_minor(payment=payment)
    if version.amount_minor > left:
        raise BadRequest(
            "The ticket asks for more than is left to refund on this payment "
            f"({format_amount(left, payment.currency)} {payment.currency})",
            layer=LAYER,
        )
    ticket.status = RefundTicketStatus.PROCESSING
    ticket.reviewer_id, ticket.reviewed_at, ticket.review_note = reviewer_id, now, note
    ticket.save()
    refund = Refund.objects.create(
        ticket=ticket,
        payment=payment,
        order=payment.order,
        store_id=ticket.store_id,
        environment=ticket.environment,
        amount_minor=version.amount_minor,
        tax_minor=tax_share(payment=payment, amount_minor=version.amount_minor),
        currency=payment.currency,
        reason=version.reason,
        merchant_external_id=ticket.merchant_external_id,
        processor=payment.processor or processor_for(ticket.environment).name,
    )
    transaction.on_commit(partial(_enqueue_execution, refund.pk))
    return refund


def _enqueue_execution(refund_id) -> None:
    from payments.tasks import execute_refund  # the task module imports the services

    try:
        execute_refund.enqueue(str(refund_id))
    except Exception:
        logger.exception("Could not enqueue refund %s; the sweep executes it", refund_id)


def refund_ticket_decide(
    *, ticket_id, decision: str, reviewer_id: str, reason: str = "", note: str = ""
) -> RefundTicket:
    """Review a ticket and, when approved, pay it back at once rather than wait for the
    worker (staff see the outcome); the queued task then finds nothing left to do."""
    ticket = refund_ticket_review(
        ticket_id=ticket_id, decision=decision, reviewer_id=reviewer_id, reason=reason, note=note
    )
    if ticket.status == RefundTicketStatus.PROCESSING:
        refund_execute(refund_id=ticket.refund.pk)
        ticket.refresh_from_db()
    return ticket
