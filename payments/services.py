"""Paying a checkout exactly once, and resolving payments whose answer was lost.

Paying is three short steps, never one transaction around a network call:
1. claim: under the session lock, find or create the order and one pending payment (the
   database allows one pending and one succeeded payment per order);
2. charge the processor outside any transaction, with the payment's ID as the key;
3. record: under the lock again, the outcome; success completes order and session.

A pending payment whose answer never arrived (a crashed web process, a database error
while recording, a processor time-out) is resolved by asking the processor for the outcome
under its own key: by the worker once it is ``PAYMENT_RECONCILE_AFTER`` seconds old, or at
once when the buyer tries again after that. A key is never sent again with other card
details: a payment whose charge never happened is voided and a new payment, with a new
key, takes the new card.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from catalog.models import ProductType
from checkout.billing import BillingDetail
from checkout.services import session_complete, session_lock
from core.errors import AppError
from core.events import event_record, events_recorded_together
from orders.models import Order
from orders.services import (
    PaymentInProgress,
    check_order_owner,
    order_mark_paid,
    order_open_for_payment,
)
from orders.trials import forfeiting_used_trial
from payments.cards import Card
from payments.models import Payment, PaymentMethod, PaymentStatus
from payments.processors import processor_for
from payments.processors.base import (
    BrowserMethod,
    ChargeResult,
    ChargeStatus,
    ProcessorError,
    SavedMethod,
)
from payments.velocity import PaymentAttempt, card_fingerprint, payment_attempt_count

logger = logging.getLogger(__name__)

MAX_FAILED_ATTEMPTS = 10
ABANDONED = ("payment_abandoned", "The payment was never completed.")


class _RecordedFirst(Exception):
    """A twin recorded the payment's outcome first: this recording is undone."""


class TooManyAttempts(AppError):
    """Card testing shows up as many declines on one checkout; past the cap it stops."""

    status = 429
    default_code = "too_many_attempts"
    default_layer = "order"

    def __init__(self):
        super().__init__("Too many failed payment attempts for this checkout")


@dataclass(frozen=True)
class PaymentOutcome:
    order: Order
    payment: Payment | None
    succeeded: bool
    already_completed: bool = False
    # The processor has not answered yet: the worker records the outcome when it does.
    pending: bool = False
    # Pending on the buyer (3-D Secure): the processor's client secret for the page script.
    client_secret: str = ""


@dataclass(frozen=True)
class _Claim:
    outcome: PaymentOutcome | None = None  # the checkout was paid already
    payment: Payment | None = None  # a new pending payment, to charge now
    stale: Payment | None = None  # a pending payment whose answer was lost


def reconcile_after() -> timedelta:
    return timedelta(seconds=settings.PAYMENT_RECONCILE_AFTER)


def _claim(
    *,
    session_id,
    billing: BillingDetail,
    card: Card | BrowserMethod,
    buyer_email: str,
    buyer_identity: str,
    attempt: PaymentAttempt,
    language: str,
) -> _Claim:
    with transaction.atomic():
        session = session_lock(session_id)
        # Read after the lock, never joined into it: a row another payer committed while
        # this one waited is invisible to the locking statement's own snapshot.
        order = Order.objects.filter(checkout_session=session).first()
        if order is not None:
            order.checkout_session = session  # what recording its payment reads, read here
            checkout_payments = order.payments.filter(period=1)
            paid = checkout_payments.filter(status=PaymentStatus.SUCCEEDED).first()
            if paid is not None:
                return _Claim(outcome=PaymentOutcome(order, paid, True, already_completed=True))
            pending = checkout_payments.filter(status=PaymentStatus.PENDING).first()
            if pending is not None:
                if timezone.now() - pending.updated_at < reconcile_after():
                    raise PaymentInProgress()
                check_order_owner(order, buyer_identity)
                pending.save(update_fields=["updated_at"])  # the lease: others now wait
                return _Claim(stale=pending)
            if checkout_payments.filter(status=PaymentStatus.FAILED).count() >= MAX_FAILED_ATTEMPTS:
                raise TooManyAttempts()
        payment_attempt_count(attempt=attempt)  # a new charge is about to happen: it counts
        order = order_open_for_payment(
            session=session,
            billing=billing,
            buyer_email=buyer_email,
            buyer_identity=buyer_identity,
            current=order,
            language=language,
        )
        payment = Payment.objects.create(
            order=order,
            amount_minor=order.total_minor,
            tax_minor=order.tax_minor,
            currency=order.currency,
            card_brand=card.brand,
            card_last4=card.last4,
            processor=processor_for(order.environment).name,
        )
        return _Claim(payment=payment)


def checkout_pay(
    *,
    session,
    billing: BillingDetail,
    card: Card | BrowserMethod,
    buyer_email: str = "",
    buyer_identity: str = "",
    client_ip: str = "",
    language: str = "",
) -> PaymentOutcome:
    """Pay a session once. Repeats after success return the first outcome unchanged; a
    resubmission after a lost answer first finds out what became of the earlier charge.
    Every new charge counts against the velocity limits (``payments.velocity``)."""
    details = {
        "billing": billing,
        "card": card,
        "buyer_email": buyer_email,
        "buyer_identity": buyer_identity,
        "language": language,
        "attempt": _attempt(session, card, buyer_email=buyer_email, client_ip=client_ip),
    }
    with forfeiting_used_trial(session.pk):  # a used trial: refused, then priced in full
        claim = _claim(session_id=session.pk, **details)
    if claim.stale is not None:
        try:
            payment_reconcile(payment=claim.stale)
        except ProcessorError:  # no answer yet: the worker asks again later
            logger.exception("Could not reconcile %s on resubmission", claim.stale)
            raise PaymentInProgress() from None
        with forfeiting_used_trial(session.pk):
            claim = _claim(session_id=session.pk, **details)
        if claim.stale is not None:  # the processor itself has no final answer yet
            raise PaymentInProgress()
    if claim.outcome is not None:
        return claim.outcome
    return _charge(
        payment=claim.payment,
        card=card,
        save_for_later=session.product_type == ProductType.SUBSCRIPTION,
    )


def _attempt(session, card, *, buyer_email: str, client_ip: str) -> PaymentAttempt:
    """Worked out before the claim: the card's fingerprint may take a processor call,
    which never runs inside a transaction."""
    processor = processor_for(session.environment)
    return PaymentAttempt(
        environment=session.environment,
        client_ip=client_ip,
        email=buyer_email,
        card=card_fingerprint(card=card, processor=processor),
    )


def _charge(
    *, payment: Payment, card: Card | BrowserMethod, save_for_later: bool
) -> PaymentOutcome:
    processor = processor_for(payment.order.environment)
    request = {
        "amount_minor": payment.amount_minor,
        "currency": payment.currency,
        "card": card,
        "idempotency_key": payment.public_id,
        "save_for_later": save_for_later,
    }
    try:
        result = processor.prepare(**request)
        if not result.final and result.reference:
            # Stored before anything can charge: the reconciler finds the charge by it.
            Payment.objects.filter(pk=payment.pk).update(processor_reference=result.reference)
            payment.processor_reference = result.reference
        if not result.final:
            result = processor.charge(**request, reference=result.reference)
    except ProcessorError:
        logger.exception("No answer from %s for %s; it stays pending", processor.name, payment)
        return PaymentOutcome(payment.order, payment, succeeded=False, pending=True)
    return payment_record(payment=payment, result=result)


def payment_record(*, payment: Payment, result: ChargeResult) -> PaymentOutcome:
    """Record a processor's answer for a pending payment, exactly once. A checkout's
    success completes the order and its session even if the session expired or the store
    closed since the payment was claimed: the buyer paid before that. A renewal's outcome
    (a later period) is the subscription's to act on, through its payment event."""
    if not result.final:
        return PaymentOutcome(
            payment.order, payment, False, pending=True, client_secret=result.client_secret
        )
    order = payment.order
    now = timezone.now()
    resolved = _resolution(result, now)
    completes = resolved["status"] == PaymentStatus.SUCCEEDED and payment.period == 1
    try:
        with transaction.atomic(), events_recorded_together():
            # The session lock first, as every decision on a session takes it: a checkout's
            # success completes the session, and that write is the lock.
            if completes:
                session_complete(session=order.checkout_session, now=now)
            else:
                session_lock(order.checkout_session_id)
            # Written only if still pending: a twin (the reconciler, a webhook, a
            # resubmission) that recorded first wins, this one's writes are undone, and it
            # reads what the twin recorded. Nothing below reads the caller's copies of
            # payment and order but what a pending payment's claim fixed: for a checkout's
            # first period the session lock keeps every writer of the order out while its
            # payment is pending; for later periods only the order's identity (public ID,
            # store, environment, buyer) is read, which never changes.
            if not Payment.objects.filter(pk=payment.pk, status=PaymentStatus.PENDING).update(
                **resolved
            ):
                raise _RecordedFirst
            for field, value in resolved.items():
                setattr(payment, field, value)
            if result.succeeded and result.saved_method is not None:  # only by the winner
                payment.payment_method = _saved_method(order, payment, result.saved_method)
                Payment.objects.filter(pk=payment.pk).update(payment_method=payment.payment_method)
            if completes:
                order_mark_paid(order=order, now=now)
            if payment.status != PaymentStatus.CANCELED:
                _record_event(payment, order)
    except _RecordedFirst:
        payment = Payment.objects.select_related("order").get(pk=payment.pk)
        return PaymentOutcome(payment.order, payment, payment.status == PaymentStatus.SUCCEEDED)
    return PaymentOutcome(order, payment, result.succeeded)


def _resolution(result: ChargeResult, now: datetime) -> dict:
    """The fields a final answer sets on a pending payment. What the answer does not carry
    (a reference, the card) keeps the value the row has."""
    resolved = {"resolved_at": now, "updated_at": now}
    if result.reference:
        resolved["processor_reference"] = result.reference
    if result.card_brand:
        resolved["card_brand"] = result.card_brand
    if result.card_last4:
        resolved["card_last4"] = result.card_last4
    if result.succeeded:
        resolved["status"] = PaymentStatus.SUCCEEDED
    elif result.status == ChargeStatus.CANCELED:
        resolved["status"] = PaymentStatus.CANCELED
        resolved["failure_code"], resolved["failure_message"] = ABANDONED
    else:
        resolved["status"] = PaymentStatus.FAILED
        resolved["failure_code"] = result.failure_code
        resolved["failure_message"] = result.failure_message
    return resolved


def _record_event(payment: Payment, order: Order) -> None:
    succeeded = payment.status == PaymentStatus.SUCCEEDED
    payload = {
        "paymentId": payment.public_id,
        "orderId": order.public_id,
        "period": payment.period,
        "amountMinor": payment.amount_minor,
        "currency": payment.currency,
    }
    if not succeeded:
        payload["failureCode"] = payment.failure_code
    event_record(
        name="payment.succeeded" if succeeded else "payment.failed",
        subject=payment.public_id,
        payload=payload,
        store_id=order.store_id,
        environment=order.environment,
    )


def _saved_method(order: Order, payment: Payment, saved: SavedMethod) -> PaymentMethod:
    method, _ = PaymentMethod.objects.get_or_create(
        processor=payment.processor,
        processor_token=saved.token,
        defaults={
            "store_id": order.store_id,
            "environment": order.environment,
            "buyer_email": order.buyer_email,
            "buyer_identity": order.buyer_identity,
            "brand": saved.brand,
            "last4": saved.last4,
            "exp_month": saved.exp_month,
            "exp_year": saved.exp_year,
        },
    )
    return method


def payment_reconcile(*, payment: Payment) -> Payment:
    """Ask the processor what became of a pending payment and record it. A charge that never
    reached the processor is voided there first, so a late request can no longer charge."""
    processor = processor_for(payment.order.environment)
    ask = {"idempotency_key": payment.public_id, "reference": payment.processor_reference}
    result = processor.lookup(**ask)
    if result is None or (not result.final and _abandoned(payment)):
        result = processor.void(**ask)
    return payment_record(payment=payment, result=result).payment


def _abandoned(payment: Payment) -> bool:
    """Still waiting for the buyer (3-D Secure) long after anyone could be: give up."""
    age = timezone.now() - payment.created_at
    return age >= timedelta(seconds=settings.PAYMENT_ABANDON_AFTER)


def payment_refresh(*, payment: Payment) -> PaymentOutcome:
    """Read a pending payment's outcome back from its processor and record it: what the
    return URL after the buyer confirmed in the browser, and the processor's webhook, do.
    Nothing is voided here; an outcome still unknown is left to the reconciler."""
    if payment.status != PaymentStatus.PENDING:
        return PaymentOutcome(payment.order, payment, payment.status == PaymentStatus.SUCCEEDED)
    processor = processor_for(payment.order.environment)
    result = processor.lookup(
        idempotency_key=payment.public_id, reference=payment.processor_reference
    )
    if result is None:
        return PaymentOutcome(payment.order, payment, False, pending=True)
    return payment_record(payment=payment, result=result)


def _take_lease(payment: Payment, now: datetime) -> bool:
    """Only one reconciler asks the processor about a payment within one lease."""
    return bool(
        Payment.objects.filter(
            pk=payment.pk, status=PaymentStatus.PENDING, updated_at=payment.updated_at
        ).update(updated_at=now)
    )


def payments_reconcile_stale(*, limit: int = 100) -> int:
    """The sweep: resolve pending payments older than ``PAYMENT_RECONCILE_AFTER``."""
    now = timezone.now()
    stale = Payment.objects.filter(
        status=PaymentStatus.PENDING, updated_at__lte=now - reconcile_after()
    ).select_related("order")[:limit]
    resolved = 0
    for payment in list(stale):
        if not _take_lease(payment, now):
            continue
        try:
            if payment_reconcile(payment=payment).status != PaymentStatus.PENDING:
                resolved += 1
        except Exception:
            logger.exception("Reconciling %s failed; it is tried again later", payment)
    return resolved
