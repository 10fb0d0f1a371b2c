"""Emails to buyers from domain events: database only (a log row, plus a send task on commit).

- ``order.completed``: the receipt, with the order's invoice attached (issued in the
  payment's transaction);
- ``refund.succeeded``: the credit note is issued here, in this handler's transaction, and
  the refund notice carries it;
- ``subscription.renewed``: the renewal's invoice is issued here, and the renewal receipt
  carries it;
- ``subscription.plan_changed``: the invoice of a change's charge, issued here, and the
  notice of the change carrying it; ``plan_change_scheduled`` and ``plan_change_failed``:
  their notices;
- ``subscription.canceling``, ``.canceled`` and ``.past_due``: the notices that the
  subscription will end with its paid period, that it ended, that a renewal was declined;
- ``subscription.trial_ending``: the reminder, when the store's ``emailTrialEnding`` is on.

Whether an email goes out is the store's notification setting (``preferences``).
Every order and subscription event names its order as its subject; a refund's names the
refund.
"""

import logging

from django.utils import timezone

from core.events import handles
from core.ids import InvalidShortId, from_short_id
from core.models import DomainEvent
from notifications.models import EmailKind
from notifications.preferences import email_wanted
from notifications.services import email_queue
from orders.invoices import (
    credit_note_issue,
    invoice_for,
    payment_invoice_issue,
    renewal_invoice_issue,
)
from orders.models import Invoice, Order
from orders.selectors import order_by_public_id
from payments.models import PaymentStatus, Refund, RefundStatus
from payments.selectors import period_payment
from subscriptions.models import Subscription
from subscriptions.plan_change_apply import credit_spent
from subscriptions.plan_changes import plan_change_by_public_id
from subscriptions.renewals import renewal_amounts

logger = logging.getLogger(__name__)


@handles("order.completed", name="notifications.receipt")
def receipt(event: DomainEvent) -> None:
    order = order_by_public_id(public_id=event.subject)
    if order is None or not email_wanted(order, EmailKind.RECEIPT):
        return
    now = timezone.now()
    invoice = invoice_for(order=order, now=order.completed_at or now)
    email_queue(kind=EmailKind.RECEIPT, order=order, event=event, document=invoice, now=now)


@handles("refund.succeeded", name="notifications.refund")
def refund_succeeded(event: DomainEvent) -> None:
    try:
        refund = Refund.objects.select_related("payment").get(
            pk=from_short_id("REF", event.subject)
        )
    except (InvalidShortId, Refund.DoesNotExist):
        return
    if refund.status != RefundStatus.SUCCEEDED:
        return
    order = Order.objects.select_related("store", "checkout_session").get(pk=refund.order_id)
    now = timezone.now()
    note = credit_note_issue(
        order=order,
        refund_reference=refund.public_id,
        amount_minor=refund.amount_minor,
        tax_minor=refund.tax_minor,
        now=refund.executed_at or now,
        period=refund.payment.period,
        payment_reference=refund.payment.public_id,
    )
    if email_wanted(order, EmailKind.REFUND):
        email_queue(kind=EmailKind.REFUND, order=order, event=event, document=note, now=now)


def _renewal_invoice(order: Order, period) -> Invoice | None:
    """The renewal's invoice, at what the renewal charged: its price and tax recomputed the
    way the renewal computed them, issued only when they add up to the payment (a tax rate
    that changed in between is logged and left for staff, not invoiced wrongly)."""
    payment = period_payment(order_id=order.pk, period=period)
    subscription = Subscription.objects.filter(order=order).first()
    if payment is None or subscription is None:
        return None
    amounts = renewal_amounts(subscription)
    credit = amounts.total_minor - payment.amount_minor
    if credit != credit_spent(payment=payment):
        logger.warning("Renewal %s of %s: amounts differ, no invoice", period, order.public_id)
        return None
    line = order.lines.filter(kind="product").first()
    return renewal_invoice_issue(
        order=order,
        period=period,
        name=line.name if line else order.checkout_session.title,
        quantity=subscription.quantity,
        unit_amount_minor=subscription.unit_amount_minor,
        tax_included=subscription.tax_included,
        amounts=amounts,
        now=payment.resolved_at or timezone.now(),
        credit_minor=credit,
        credit_tax_minor=amounts.tax_minor - payment.tax_minor,
    )


@handles("subscription.activated", name="notifications.activation")
@handles("subscription.renewed", name="notifications.renewal")
def renewed(event: DomainEvent) -> None:
    """A paid period began: a renewal, or the first charge after a trial (``activated``).
    Its invoice is issued here, in this handler's transaction, so its number commits with
    the email that carries it."""
    order = order_by_public_id(public_id=event.subject)
    if order is None:
        return
    document = _renewal_invoice(order, event.payload.get("period"))
    if email_wanted(order, EmailKind.RENEWAL):
        email_queue(
            kind=EmailKind.RENEWAL, order=order, event=event, document=document, now=timezone.now()
        )


@handles("subscription.plan_changed", name="notifications.plan_change_invoice")
def plan_changed(event: DomainEvent) -> None:
    """A change applied: with a charge, the charge's invoice, from the rows it was quoted
    with (it appears among the order's documents on the receipt); the buyer's notice, with
    that invoice attached."""
    change = plan_change_by_public_id(event.payload.get("planChangeId") or "")
    order = order_by_public_id(public_id=event.subject)
    if change is None or order is None:
        return
    invoice = None
    payment = change.payment
    if payment is not None and change.invoice_lines:
        if payment.status != PaymentStatus.SUCCEEDED:
            return
        invoice = payment_invoice_issue(
            order=order,
            payment_reference=payment.public_id,
            lines=change.invoice_lines,
            now=payment.resolved_at or timezone.now(),
        )
    _notice(event, EmailKind.PLAN_CHANGED, order=order, document=invoice)


def _notice(event: DomainEvent, kind: str, *, order: Order | None = None, document=None) -> None:
    order = order or order_by_public_id(public_id=event.subject)
    if order is not None and email_wanted(order, kind):
        email_queue(kind=kind, order=order, event=event, document=document, now=timezone.now())


@handles("subscription.plan_change_scheduled", name="notifications.plan_scheduled")
def plan_change_scheduled(event: DomainEvent) -> None:
    _notice(event, EmailKind.PLAN_SCHEDULED)


@handles("subscription.plan_change_failed", name="notifications.plan_failed")
def plan_change_failed(event: DomainEvent) -> None:
    _notice(event, EmailKind.PLAN_FAILED)


@handles("subscription.canceling", name="notifications.canceled")
def canceling(event: DomainEvent) -> None:
    _notice(event, EmailKind.CANCELED)


@handles("subscription.canceled", name="notifications.ended")
def ended(event: DomainEvent) -> None:
    _notice(event, EmailKind.ENDED)


@handles("subscription.past_due", name="notifications.past_due")
def past_due(event: DomainEvent) -> None:
    _notice(event, EmailKind.PAST_DUE)


@handles("subscription.trial_ending", name="notifications.trial_ending")
def trial_ending(event: DomainEvent) -> None:
    order = order_by_public_id(public_id=event.subject)
    if order is None or not email_wanted(order, EmailKind.TRIAL_ENDING):
        return
    email_queue(kind=EmailKind.TRIAL_ENDING, order=order, event=event, now=timezone.now())
