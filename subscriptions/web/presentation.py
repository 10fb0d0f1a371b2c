"""What the portal's templates show: orders, subscriptions and payments as rows of text in
the visitor's locale, and the one-line notices a POST-redirect-GET lands on.

Every string a buyer reads goes through gettext, so the pages can be translated."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from checkout.web.locale import PageLocale, money
from checkout.web.pages import receipt_path
from checkout.web.summaries import PER_PERIOD
from orders.models import Order
from payments.models import PaymentStatus
from subscriptions import portal_selectors as reads
from subscriptions.models import PlanChange, Subscription
from subscriptions.plan_change_options import PlanOption

STATUS_LABELS = {
    "pending": gettext_lazy("Awaiting payment"),
    "active": gettext_lazy("Active"),
    "trialing": gettext_lazy("Trial"),
    "canceling": gettext_lazy("Cancels at period end"),
    "past_due": gettext_lazy("Payment overdue"),
    "closed": gettext_lazy("Closed"),
    "canceled": gettext_lazy("Canceled"),
    "expired": gettext_lazy("Expired"),
    "completed": gettext_lazy("Paid"),
}
PAYMENT_LABELS = {
    PaymentStatus.SUCCEEDED: gettext_lazy("Paid"),
    PaymentStatus.FAILED: gettext_lazy("Declined"),
    PaymentStatus.PENDING: gettext_lazy("Processing"),
    PaymentStatus.CANCELED: gettext_lazy("Not completed"),
}
# The notices a redirect may name (``?notice=``): a code in the URL, never a message.
NOTICES = {
    "canceled": gettext_lazy(
        "Your subscription is canceled. It stays active until the end of the period you "
        "paid for; you can undo this until then."
    ),
    "reactivated": gettext_lazy("Your subscription will continue. Nothing else changes."),
    "card_updated": gettext_lazy("Your new card is saved. The next payment will use it."),
    "card_renewed": gettext_lazy(
        "Your new card is saved and the overdue payment went through. Your subscription "
        "is active again."
    ),
    "card_declined": gettext_lazy(
        "Your new card is saved, but the overdue payment was declined. Please try another card."
    ),
    "card_processing": gettext_lazy(
        "Your new card is saved. The overdue payment is being processed."
    ),
    "refused": gettext_lazy("This subscription cannot be changed in its current state."),
    "plan_changed": gettext_lazy("Your plan change is confirmed."),
    "plan_unavailable": gettext_lazy(
        "This plan is not available for your subscription. Please choose one of the plans shown."
    ),
}
ERROR_NOTICES = ("card_declined", "refused", "plan_unavailable")


def notice(code: str) -> str:
    return str(NOTICES.get(code, ""))


def order_url(order: Order) -> str:
    return reverse("portal:order", args=[order.store.slug, order.public_id])


def _card(subscription: Subscription | None) -> str:
    method = subscription.payment_method if subscription else None
    if method is None or not method.last4:
        return ""
    return _("%(brand)s ending in %(last4)s") % {
        "brand": (method.brand or _("Card")).title(),
        "last4": method.last4,
    }


def _upcoming(order: Order, subscription: Subscription | None, locale: PageLocale):
    charge = reads.upcoming_charge(order=order, subscription=subscription)
    if charge is None:
        return None
    amount = (
        None if charge.amount_minor is None else money(charge.amount_minor, charge.currency, locale)
    )
    return {"at": charge.at, "ends": charge.ends, "amount": amount}


def order_row(order: Order, subscription: Subscription | None, locale: PageLocale) -> dict:
    is_subscription = order.product_type == "subscription"
    session = order.checkout_session
    return {
        "id": order.public_id,
        "title": session.title,
        "status": order.status,
        "status_label": str(STATUS_LABELS.get(order.status, order.status)),
        "is_subscription": is_subscription,
        "created_at": order.completed_at or order.created_at,
        "total": money(order.total_minor, order.currency, locale),
        "period": subscription.billing_period if subscription else "",
        "plan": subscription.product_version.name if subscription else "",
        "upcoming": _upcoming(order, subscription, locale) if is_subscription else None,
        "card": _card(subscription),
        "url": order_url(order),
        "receipt_url": receipt_path(session) if order.completed_at else "",
        "can_cancel": is_subscription and subscription is not None and reads.can_cancel(order),
        "can_reactivate": is_subscription and reads.can_reactivate(order),
        "can_update_card": subscription is not None
        and order.status in ("active", "trialing", "past_due", "canceling"),
        "past_due": order.status == "past_due",
    }


def next_plan(change: PlanChange | None) -> dict | None:
    """A scheduled change: the plan that starts with the next period, and when."""
    if change is None:
        return None
    at = change.subscription.current_period_end
    return {"name": change.to_version.name, "at": at, "date": at.strftime("%Y-%m-%d")}


def plan_options(options: list[PlanOption], locale: PageLocale) -> list[dict]:
    return [
        {
            "id": option.product_id,
            "name": option.name,
            "price": money(option.total_minor, option.currency, locale),
            "per_period": str(PER_PERIOD.get(option.billing_period, option.billing_period)),
        }
        for option in options
    ]


def order_rows(orders: list[Order], locale: PageLocale) -> list[dict]:
    subscriptions = reads.subscriptions_of(orders=orders)
    return [order_row(order, subscriptions.get(order.pk), locale) for order in orders]


def payment_rows(order: Order, locale: PageLocale) -> list[dict]:
    rows = []
    for payment in reads.order_payments(order=order):
        card = ""
        if payment.card_last4:
            card = _("%(brand)s ending in %(last4)s") % {
                "brand": (payment.card_brand or _("Card")).title(),
                "last4": payment.card_last4,
            }
        rows.append(
            {
                "id": payment.public_id,
                "period": payment.period,
                "date": payment.resolved_at or payment.created_at,
                "amount": money(payment.amount_minor, payment.currency, locale),
                "status": payment.status,
                "status_label": str(PAYMENT_LABELS.get(payment.status, payment.status)),
                "card": card,
                "failure": payment.failure_message if payment.status == "failed" else "",
            }
        )
    return rows
