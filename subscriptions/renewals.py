"""Renewing subscriptions exactly once, and dunning when a renewal is declined.

A renewal is the payment of the next period (``Payment.period``), made in three steps as
a checkout's payment is: claim (the subscription's row lock: find or create the period's
pending payment), charge the saved method off-session outside any transaction (the
payment's ID as idempotency key), then settle (the lock again: advance the period, or
record the decline and schedule the retry). Each step reads what the previous one left, so
a crash anywhere is finished by the next sweep, and two workers or a retried task never
charge twice: the period's one pending payment is a database constraint.

Prices: the plan's locked unit amount; tax recomputed from the order's billing address
with the rate in force on the renewal day. A plan change scheduled for the next period
switches the plan first, and a credit balance left by a plan change pays what it covers
(``subscriptions.plan_change_apply``).
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from checkout.billing import parse_billing_detail
from checkout.pricing import buyer_location
from checkout.tax import TaxLine, compute_tax
from core.events import event_record
from payments.models import Payment, PaymentStatus
from payments.processors import processor_for
from payments.processors.base import ChargeResult, ChargeStatus, ProcessorError
from payments.services import payment_record
from subscriptions import states
from subscriptions.models import Subscription
from subscriptions.periods import period_end
from subscriptions.plan_change_apply import (
    apply_scheduled,
    credit_record_spend,
    credit_spend,
    plan_change_charging,
)
from subscriptions.services import lock, status_change

logger = logging.getLogger(__name__)
PAID_BY_CREDIT = ChargeResult(ChargeStatus.SUCCEEDED, reference="credit")
# Due at their period's end: renewed, or (canceling) ended. Past due waits for its retry.
ENDING_OR_RENEWING = (states.ACTIVE, states.TRIALING, states.CANCELING)


@dataclass(frozen=True, slots=True)
class _Claim:
    outcome: str = ""  # decided without charging: "ended", "not_due", "pending", …
    payment: Payment | None = None


def retry_days() -> list[int]:
    return [int(day) for day in str(settings.SUBSCRIPTION_RETRY_DAYS).split(",") if day.strip()]


def due_at(subscription: Subscription, status: str) -> datetime | None:
    """When the subscription next needs the worker (renew, retry or end); None if never."""
    if status == states.PAST_DUE:
        return subscription.next_retry_at
    if status in (states.ACTIVE, states.TRIALING, states.CANCELING):
        return subscription.current_period_end
    return None


def renewal_amounts(subscription: Subscription):
    """The next period's price: locked unit amount, today's tax for the billing address."""
    order = subscription.order
    location = buyer_location(
        billing=parse_billing_detail(order.billing_detail), shipping_address=order.shipping_address
    )
    line = TaxLine(
        amount_minor=subscription.unit_amount_minor,
        quantity=subscription.quantity,
        tax_category=subscription.tax_category,
        tax_included=subscription.tax_included,
    )
    return compute_tax(lines=[line], currency=subscription.currency, buyer=location)


def _claim(order_id, now: datetime) -> _Claim:
    with transaction.atomic():
        subscription = Subscription.objects.select_related("order").get(order_id=order_id)
        subscription, order = lock(subscription.order)
        subscription.order = order
        when = due_at(subscription, order.status)
        if when is None or when > now:
            return _Claim("not_due")
        if order.status == states.CANCELING:
            subscription.ended_at = now
            subscription.save(update_fields=["ended_at", "updated_at"])
            status_change(
                subscription, order, states.CANCELED, now=now, event="subscription.canceled"
            )
            return _Claim("ended")
        period = subscription.period_number + 1
        statuses = _period_statuses(order, period)
        if PaymentStatus.SUCCEEDED in statuses:
            _advance(subscription, order, now)  # charged before a crash: settle it now
            return _Claim("renewed")
        if PaymentStatus.PENDING in statuses:
            return _Claim("pending")  # in the processor's hands; the reconciler resolves it
        if statuses.count(PaymentStatus.FAILED) > subscription.failed_attempts:
            _decline(subscription, order, now)  # declined before a crash: schedule the retry
            return _Claim(order.status)
        if plan_change_charging(subscription=subscription):
            return _Claim("pending")  # settles first; the sweep renews at the new plan
        apply_scheduled(subscription=subscription, order=order, now=now)  # plan changes
        return _Claim(payment=_new_payment(subscription, order, period))


def _period_statuses(order, period: int) -> list[str]:
    """The statuses of the period's payments, read in ONE statement. Recording a payment's
    outcome does not take the subscription's lock, so separate reads ("none succeeded?",
    then "none pending?") can straddle a twin's success being recorded and see neither:
    a second payment would then be created and charged. One statement is one snapshot."""
    return list(Payment.objects.filter(order=order, period=period).values_list("status", flat=True))


def _tax_in(charged_minor: int, amounts) -> int:
    """The tax inside a charge that a credit balance reduced: the period's tax in the
    charge's share of the period's total, rounded half up (all of it without a credit)."""
    if charged_minor == amounts.total_minor:
        return amounts.tax_minor
    if amounts.total_minor <= 0:
        return 0
    return (2 * amounts.tax_minor * charged_minor + amounts.total_minor) // (
        2 * amounts.total_minor
    )


def _new_payment(subscription: Subscription, order, period: int) -> Payment:
    amounts = renewal_amounts(subscription)
    credit = credit_spend(subscription=subscription, total_minor=amounts.total_minor)
    method = subscription.payment_method
    payment = Payment.objects.create(
        order=order,
        period=period,
        amount_minor=amounts.total_minor - credit,
        tax_minor=_tax_in(amounts.total_minor - credit, amounts),
        currency=subscription.currency,
        card_brand=method.brand if method else "",
        card_last4=method.last4 if method else "",
        payment_method=method,
        processor=processor_for(order.environment).name,
    )
    credit_record_spend(subscription=subscription, payment=payment, amount_minor=credit)
    return payment


def _charge(payment: Payment) -> None:
    if payment.amount_minor == 0:
        # The credit balance paid the whole period: there is nothing to charge, and a
        # processor would refuse a charge of 0 (Stripe does), leaving the renewal stuck.
        payment_record(payment=payment, result=PAID_BY_CREDIT)
        return
    method = payment.payment_method
    processor = processor_for(payment.order.environment)
    try:
        result = processor.charge_saved(
            method_token=method.processor_token if method else "",
            amount_minor=payment.amount_minor,
            currency=payment.currency,
            idempotency_key=payment.public_id,
        )
    except ProcessorError:
        logger.exception("No answer for renewal %s; the reconciler asks again", payment)
        return
    payment_record(payment=payment, result=result)


def _settle(order_id, payment: Payment, now: datetime) -> str:
    with transaction.atomic():
        subscription = Subscription.objects.select_related("order").get(order_id=order_id)
        subscription, order = lock(subscription.order)
        subscription.order = order
        payment = Payment.objects.get(pk=payment.pk)
        if payment.period != subscription.period_number + 1:
            return "renewed"  # a twin settled it
        if payment.status == PaymentStatus.SUCCEEDED:
            _advance(subscription, order, now)
            return "renewed"
        if payment.status == PaymentStatus.FAILED:
            if _decline_uncounted(subscription, order):
                _decline(subscription, order, now)
            return subscription.order.status
        return "pending"


def _decline_uncounted(subscription: Subscription, order) -> bool:
    """Whether the period has a decline ``failed_attempts`` does not count yet. A twin's
    claim may have counted this one already (it found the payment failed before this
    settle got the lock: "declined before a crash"); counting it twice would spend a retry."""
    period = subscription.period_number + 1
    declines = Payment.objects.filter(order=order, period=period, status=PaymentStatus.FAILED)
    return declines.count() > subscription.failed_attempts


def subscription_renew(*, order_id, now: datetime | None = None) -> str:
    """Do what is due for one subscription at ``now`` (renew, retry, or end a canceling
    one); safe to call any number of times, from any number of workers."""
    now = now or timezone.now()
    claim = _claim(order_id, now)
    if claim.payment is None:
        return claim.outcome
    _charge(claim.payment)
    return _settle(order_id, claim.payment, now)


def _advance(subscription: Subscription, order, now: datetime) -> None:
    """The next period was paid: it begins. After a trial that is the first paid period
    (``subscription.activated``), else a renewal (``subscription.renewed``)."""
    recovered, first_paid = order.status == states.PAST_DUE, subscription.in_trial
    subscription.period_number += 1
    subscription.current_period_start = subscription.current_period_end
    subscription.current_period_end = period_end(
        subscription.current_period_start, subscription.billing_period, anchor=subscription.anchor
    )
    subscription.failed_attempts = 0
    subscription.next_retry_at = None
    subscription.save()
    if recovered or (first_paid and order.status == states.TRIALING):
        order = status_change(
            subscription,
            order,
            states.ACTIVE,
            now=now,
            event="subscription.recovered" if recovered else "",
        )
    event_record(
        name="subscription.activated" if first_paid else "subscription.renewed",
        subject=order.public_id,
        payload={
            "orderId": order.public_id,
            "status": order.status,
            "period": subscription.period_number,
        },
        store_id=order.store_id,
        environment=order.environment,
    )


def _decline(subscription: Subscription, order, now: datetime) -> None:
    """A declined renewal: past due with a retry scheduled ``SUBSCRIPTION_RETRY_DAYS`` after
    the period's end, or, when the retries have run out, canceled."""
    delays = retry_days()
    subscription.failed_attempts += 1
    if subscription.failed_attempts <= len(delays):
        days = delays[subscription.failed_attempts - 1]
        subscription.next_retry_at = subscription.current_period_end + timedelta(days=days)
        subscription.save()
        if order.status != states.PAST_DUE:
            status_change(
                subscription, order, states.PAST_DUE, now=now, event="subscription.past_due"
            )
        return
    subscription.next_retry_at = None
    subscription.ended_at = now
    subscription.save()
    status_change(subscription, order, states.CANCELED, now=now, event="subscription.canceled")


def subscriptions_renew_due(*, limit: int = 100) -> int:
    """The sweep: every subscription whose renewal, retry or end is due."""
    now = timezone.now()
    due = (
        Subscription.objects.filter(ended_at__isnull=True)
        .filter(
            Q(order__status__in=ENDING_OR_RENEWING, current_period_end__lte=now)
            | Q(order__status=states.PAST_DUE, next_retry_at__lte=now)
        )
        .values_list("order_id", flat=True)[:limit]
    )
    done = 0
    for order_id in list(due):
        try:
            if subscription_renew(order_id=order_id, now=now) not in ("not_due", "pending"):
                done += 1
        except Exception:
            logger.exception("Renewing %s failed; it is tried again later", order_id)
    return done
