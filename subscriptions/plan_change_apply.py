"""Applying a confirmed plan change exactly once, whatever the clicks and retries.

Confirming is the renewals' three steps: claim (the subscription's and order's row locks,
then the change's: only an ``open`` change is decided, so a second click finds it decided),
charge the saved card off-session outside any transaction (the payment's ID as idempotency
key), settle (the locks again: switch the plan, or record the decline). An immediate change
with nothing to charge switches in the claim; a credit (a downgrade made now) is kept as a
balance (``PlanCredit``) the next renewals spend. A next-period change is scheduled and
switched by the renewal that starts the next period (``apply_scheduled``). A charge whose
answer was lost is resolved by the payments reconciler; ``plan_changes_settle_due`` (a
sweep) then settles the change.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from core.errors import Conflict
from core.events import event_record
from orders.models import Order
from payments.models import Payment, PaymentStatus
from payments.processors import processor_for
from payments.processors.base import ProcessorError
from payments.services import payment_record
from subscriptions.models import PlanChange, PlanChangeStatus, PlanCredit, Subscription
from subscriptions.plan_change_request import NEXT_PERIOD
from subscriptions.plan_changes import CHANGEABLE, subscription_now
from subscriptions.services import lock

logger = logging.getLogger(__name__)
EXPIRED = "This plan change link has expired: ask for a new one"
STALE = "The subscription changed since this plan change was offered: ask for a new link"
NO_CARD = "This subscription has no saved card to charge: update the card first"
BUSY = "Another plan change of this subscription is being charged: try again shortly"
PLAN_CHANGE_PERIOD = 0  # Payment.period of a plan change's charge: no billing period


class PlanChangeExpired(Conflict):
    default_code = "plan_change_expired"


class PlanChangeStale(Conflict):
    default_code = "plan_change_stale"


@dataclass(frozen=True, slots=True)
class _Claim:
    change: PlanChange
    payment: Payment | None = None


def _locked(change_id) -> tuple[PlanChange, Subscription, Order]:
    """Inside a transaction, always in this order: subscription, order, the change."""
    subscription_id = PlanChange.objects.values_list("subscription_id", flat=True).get(pk=change_id)
    subscription, order = lock(Order.objects.get(pk=subscription_id))
    subscription.order = order
    change = PlanChange.objects.select_for_update(of=("self",)).get(pk=change_id)
    change.subscription = subscription
    return change, subscription, order


def _event(name: str, change: PlanChange, order: Order) -> None:
    event_record(
        name=name,
        subject=order.public_id,
        payload={
            "orderId": order.public_id,
            "status": order.status,
            "planChangeId": change.public_id,
            "timing": change.timing,
            "dueNowMinor": change.due_now_minor,
        },
        store_id=order.store_id,
        environment=order.environment,
    )


def _switch(change: PlanChange, subscription: Subscription, order: Order, now: datetime) -> None:
    """The plan the subscription renews at becomes the change's target, from now on."""
    subscription.product_version_id = change.to_version_id
    subscription.billing_period = change.billing_period
    subscription.unit_amount_minor = change.unit_amount_minor
    subscription.tax_category = change.tax_category
    subscription.tax_included = change.tax_included
    subscription.save()
    change.status, change.applied_at = PlanChangeStatus.APPLIED, now
    change.save()
    if change.timing != NEXT_PERIOD and change.due_now_minor < 0:
        PlanCredit.objects.create(
            subscription=subscription, amount_minor=-change.due_now_minor, plan_change=change
        )
    _event("subscription.plan_changed", change, order)


def _check_confirmable(change: PlanChange, subscription: Subscription, order: Order) -> None:
    if timezone.now() > change.expires_at:
        raise PlanChangeExpired(EXPIRED, layer="order")
    stale = (
        order.status not in CHANGEABLE
        or subscription.period_number != change.period_number
        or subscription.product_version_id != change.from_version_id
        # The period the figure prorated is over: its renewal is due (or under way), and a
        # charge now would pay for time already spent.
        or subscription_now(subscription) >= subscription.current_period_end
    )
    if stale:
        raise PlanChangeStale(STALE, layer="order")
    charging = PlanChange.objects.filter(subscription=subscription, status="charging")
    if charging.exclude(pk=change.pk).exists() or _renewal_under_way(subscription, order):
        raise Conflict(BUSY, layer="order")


def _renewal_under_way(subscription: Subscription, order: Order) -> bool:
    return Payment.objects.filter(
        order=order, period=subscription.period_number + 1, status=PaymentStatus.PENDING
    ).exists()


def plan_change_charging(*, subscription: Subscription) -> bool:
    """Under the renewal's lock: a confirmed change is being charged. The renewal waits
    for it to settle, so the next period is charged at the plan it switches to."""
    return PlanChange.objects.filter(
        subscription=subscription, status=PlanChangeStatus.CHARGING
    ).exists()


def _schedule(change: PlanChange, subscription: Subscription, order: Order) -> None:
    """The latest scheduled change wins: an earlier one is superseded."""
    PlanChange.objects.filter(subscription=subscription, status=PlanChangeStatus.SCHEDULED).update(
        status=PlanChangeStatus.SUPERSEDED, updated_at=timezone.now()
    )
    change.status = PlanChangeStatus.SCHEDULED
    change.save()
    _event("subscription.plan_change_scheduled", change, order)


def _claim(change_id) -> _Claim:
    with transaction.atomic():
        change, subscription, order = _locked(change_id)
        if change.status != PlanChangeStatus.OPEN:
            return _Claim(change)  # decided by a twin (a double click, a retry)
        _check_confirmable(change, subscription, order)
        now = subscription_now(subscription)
        change.confirmed_at = now
        if change.timing == NEXT_PERIOD:
            _schedule(change, subscription, order)
            return _Claim(change)
        if change.due_now_minor <= 0:
            _switch(change, subscription, order, now)
            return _Claim(change)
        method = subscription.payment_method
        if method is None:  # nothing to charge: refused before any money moves
            raise Conflict(NO_CARD, layer="order")
        payment = Payment.objects.create(
            order=order,
            period=PLAN_CHANGE_PERIOD,
            amount_minor=change.due_now_minor,
            tax_minor=change.tax_now_minor,
            currency=change.currency,
            card_brand=method.brand,
            card_last4=method.last4,
            payment_method=method,
            processor=processor_for(order.environment).name,
        )
        change.payment, change.status = payment, PlanChangeStatus.CHARGING
        change.save()
        return _Claim(change, payment)


def _charge(payment: Payment) -> None:
    method = payment.payment_method
    try:
        result = processor_for(payment.order.environment).charge_saved(
            method_token=method.processor_token if method else "",
            amount_minor=payment.amount_minor,
            currency=payment.currency,
            idempotency_key=payment.public_id,
        )
    except ProcessorError:
        logger.exception("No answer for plan change charge %s; the reconciler asks", payment)
        return
    payment_record(payment=payment, result=result)


def _settle(change_id) -> PlanChange:
    with transaction.atomic():
        change, subscription, order = _locked(change_id)
        if change.status != PlanChangeStatus.CHARGING:
            return change
        payment = Payment.objects.get(pk=change.payment_id)
        if payment.status == PaymentStatus.SUCCEEDED:
            _switch(change, subscription, order, subscription_now(subscription))
        elif payment.status in (PaymentStatus.FAILED, PaymentStatus.CANCELED):
            change.status = PlanChangeStatus.FAILED
            change.failure_message = payment.failure_message or payment.failure_code
            change.save()
            _event("subscription.plan_change_failed", change, order)
        return change


def plan_change_confirm(*, change_id) -> PlanChange:
    """The customer confirmed: apply, schedule or charge-then-apply, exactly once."""
    claim = _claim(change_id)
    if claim.payment is None:
        return claim.change
    _charge(claim.payment)
    return _settle(change_id)


def plan_changes_settle_due(*, limit: int = 100) -> int:
    """The sweep: changes whose charge the reconciler resolved after the confirming request
    lost its answer."""
    due = PlanChange.objects.filter(status=PlanChangeStatus.CHARGING).exclude(
        payment__status=PaymentStatus.PENDING
    )
    done = 0
    for change_id in list(due.values_list("pk", flat=True)[:limit]):
        if _settle(change_id).status != PlanChangeStatus.CHARGING:
            done += 1
    return done


def apply_scheduled(*, subscription: Subscription, order: Order, now: datetime) -> None:
    """Under the renewal's locks, before its amount is computed: a scheduled change takes
    effect with the period it was scheduled for."""
    change = (
        PlanChange.objects.select_for_update(of=("self",))
        .filter(subscription=subscription, status=PlanChangeStatus.SCHEDULED)
        .first()
    )
    if change is not None:
        _switch(change, subscription, order, now)


def credit_balance(*, subscription: Subscription) -> int:
    """Credit left: entries, less spends whose renewal payment failed or was abandoned."""
    entries = PlanCredit.objects.filter(subscription=subscription).exclude(
        payment__status__in=(PaymentStatus.FAILED, PaymentStatus.CANCELED)
    )
    return entries.aggregate(total=Sum("amount_minor"))["total"] or 0


def credit_spent(*, payment: Payment) -> int:
    """What of the credit balance ``payment`` spent (0 when none)."""
    spend = PlanCredit.objects.filter(payment=payment).values_list("amount_minor", flat=True)
    return -sum(spend)


def credit_spend(*, subscription: Subscription, total_minor: int) -> int:
    """How much of a renewal's ``total_minor`` the balance pays (at most all of it)."""
    return max(0, min(credit_balance(subscription=subscription), total_minor))


def credit_record_spend(*, subscription: Subscription, payment: Payment, amount_minor: int):
    if amount_minor > 0:
        PlanCredit.objects.create(
            subscription=subscription, amount_minor=-amount_minor, payment=payment
        )
