"""Emails to a store's owners and admins about its orders and subscriptions: the merchant's
``notify*`` notification settings (writable through the API and admin, on by default).

One email per event and recipient, through the same log, worker and retries as the buyer's
emails, written in the store's language. A chargeback notice (``notifyChargeback``) needs a
dispute event, which no processor integration records yet, so that setting sends nothing.
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import ProductType
from core.events import handles
from core.ids import InvalidShortId, from_short_id
from core.models import DomainEvent
from notifications.models import EmailKind, EmailLog
from notifications.services import email_queue
from orders.models import Order
from orders.selectors import order_by_public_id
from payments.models import Refund
from payments.selectors import period_payment
from stores.models import StoreMembership, StoreRole
from stores.settings_schema import effective_notification_settings
from subscriptions.renewals import renewal_amounts

NOTIFIED_ROLES = (StoreRole.OWNER, StoreRole.ADMIN)


@dataclass(frozen=True)
class Notice:
    setting: str
    headline: str  # lazy, with %(title)s: the product's name


NEW_ORDER = Notice("notifyNewOrders", _("New order: %(title)s"))
NEW_SUBSCRIPTION = Notice("notifyNewSubscriptions", _("New subscription: %(title)s"))
NOTICES = {
    "subscription.canceling": Notice(
        "notifySubscriptionCanceled", _("Subscription canceled: %(title)s")
    ),
    "subscription.canceled": Notice("notifySubscriptionEnded", _("Subscription ended: %(title)s")),
    "subscription.past_due": Notice("notifySubscriptionPastDue", _("Renewal declined: %(title)s")),
    "subscription.renewed": Notice(
        "notifySubscriptionRenewed", _("Subscription renewed: %(title)s")
    ),
    "subscription.activated": Notice(
        "notifySubscriptionRenewed", _("First payment after the trial: %(title)s")
    ),
    "subscription.uncanceled": Notice(
        "notifySubscriptionUncanceled", _("Subscription resumed: %(title)s")
    ),
    "subscription.plan_changed": Notice(
        "notifySubscriptionPlanChanged", _("Plan changed: %(title)s")
    ),
    "refund.succeeded": Notice("notifyRefundSucceeded", _("Refund completed: %(title)s")),
}


def notice_for(event: DomainEvent, order: Order) -> Notice:
    if event.name == "order.completed":
        return NEW_SUBSCRIPTION if order.product_type == ProductType.SUBSCRIPTION else NEW_ORDER
    return NOTICES[event.name]


def _order_of(event: DomainEvent) -> Order | None:
    """The order a notice is about; a refund's event names the refund, not the order."""
    if not event.name.startswith("refund."):
        return order_by_public_id(public_id=event.subject)
    try:
        pk = from_short_id("REF", event.subject)
    except InvalidShortId:
        return None
    refund = (
        Refund.objects.select_related("order__store", "order__checkout_session")
        .filter(pk=pk)
        .first()
    )
    return refund.order if refund else None


def recipients(store) -> list[str]:
    """The addresses of the store's owners and admins whose accounts are active."""
    return sorted(
        set(
            StoreMembership.objects.filter(
                store=store, role__in=NOTIFIED_ROLES, merchant__user__is_active=True
            )
            .exclude(merchant__user__email="")
            .values_list("merchant__user__email", flat=True)
        )
    )


def merchant_notify(event: DomainEvent) -> None:
    """Inside the handler's transaction: one email per owner and admin, if the store wants
    this notice."""
    order = _order_of(event)
    if order is None:
        return
    wanted = effective_notification_settings(order.store.notification_settings)
    if not wanted.get(notice_for(event, order).setting, True):
        return
    now = timezone.now()
    for address in recipients(order.store):
        email_queue(
            kind=EmailKind.MERCHANT,
            order=order,
            event=event,
            now=now,
            to_address=address,
            language="",
        )


for _name in ("order.completed", *NOTICES):
    handles(_name, name=f"notifications.merchant.{_name}")(merchant_notify)


def notice_context(email: EmailLog) -> dict:
    """What a merchant's notice says beyond the buyer's emails: the headline, the amount the
    event is about (none for a cancellation), the order's page in admin."""
    order, event = email.order, email.event
    notice = notice_for(event, order)
    amount_minor = _amount_minor(event, order)
    return {
        "headline": str(notice.headline) % {"title": order.checkout_session.title},
        "test_mode": order.environment != "prod",
        "buyer": order.buyer_email or order.buyer_identity,
        "notice_amount_minor": amount_minor,
        "admin_url": settings.PUBLIC_BASE_URL
        + reverse("admin:orders_order_change", args=[order.pk]),
    }


def _amount_minor(event: DomainEvent, order: Order) -> int | None:
    if event.name == "order.completed":
        return order.total_minor
    if event.name in ("subscription.renewed", "subscription.activated"):
        payment = period_payment(order_id=order.pk, period=event.payload.get("period"))
        return payment.amount_minor if payment else None
    if event.name == "subscription.past_due":
        return renewal_amounts(order.subscription).total_minor
    if event.name == "subscription.plan_changed":  # what it charged now; a credit is not
        return max(int(event.payload.get("dueNowMinor") or 0), 0) or None
    if event.name == "refund.succeeded":
        refund = Refund.objects.filter(pk=from_short_id("REF", event.subject)).first()
        return refund.amount_minor if refund else None
    return None
