"""Links from an order page to what belongs to the order elsewhere in admin: its checkout
session, its payments, its refund tickets, the webhook deliveries about it, its invoices and
credit notes and the emails sent to its buyer.

Each link is one small function in ``ORDER_LINKS`` (a function returning ``None`` shows
nothing). A link is shown only to a user who may view what it points at.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.html import format_html, format_html_join

from notifications.models import EmailLog
from orders.models import Invoice, Order
from payments.models import RefundTicket
from webhooks.selectors import deliveries_for_order


@dataclass(frozen=True)
class OrderLink:
    label: str
    url: str
    text: str
    permission: str = ""


def _session(order: Order) -> OrderLink:
    return OrderLink(
        "Checkout session",
        reverse("admin:checkout_checkoutsession_change", args=[order.checkout_session_id]),
        f"cs_{order.checkout_session_id}",
        "checkout.view_checkoutsession",
    )


def _payments(order: Order) -> OrderLink:
    count = order.payments.count()
    return OrderLink("Payments", "#payments-group", f"{count} payment(s), listed below")


def _webhook_deliveries(order: Order) -> OrderLink:
    url = reverse("admin:webhooks_webhookdelivery_changelist")
    count = deliveries_for_order(order=order).count()
    return OrderLink(
        "Webhook deliveries",
        f"{url}?{urlencode({'order': order.public_id})}",
        f"{count} delivery(ies)",
        "webhooks.view_webhookdelivery",
    )


def _refund_tickets(order: Order) -> OrderLink:
    url = reverse("admin:payments_refundticket_changelist")
    count = RefundTicket.objects.filter(order=order).count()
    return OrderLink(
        "Refund tickets",
        f"{url}?{urlencode({'order__id__exact': order.pk})}",
        f"{count} ticket(s); refunds are listed below",
        "payments.view_refundticket",
    )


def _invoices(order: Order) -> OrderLink | None:
    numbers = [invoice.number for invoice in Invoice.objects.filter(order=order)]
    if not numbers:
        return None
    url = reverse("admin:orders_invoice_changelist")
    # Part of the order: whoever sees the order sees its documents.
    return OrderLink(
        "Invoices and credit notes",
        f"{url}?{urlencode({'order__id__exact': order.pk})}",
        ", ".join(numbers),
        "orders.view_order",
    )


def _emails(order: Order) -> OrderLink:
    url = reverse("admin:notifications_emaillog_changelist")
    count = EmailLog.objects.filter(order=order).count()
    return OrderLink(
        "Emails", f"{url}?{urlencode({'order__id__exact': order.pk})}", f"{count} email(s)"
    )


ORDER_LINKS = [_session, _payments, _refund_tickets, _webhook_deliveries, _invoices, _emails]


def order_links(*, order: Order, user) -> list[OrderLink]:
    links = (link(order) for link in ORDER_LINKS)
    return [
        link
        for link in links
        if link is not None and (not link.permission or user.has_perm(link.permission))
    ]


def links_html(links: list[OrderLink]):
    if not links:
        return "—"
    rows = format_html_join(
        "",
        '<li>{}: <a href="{}">{}</a></li>',
        ((link.label, link.url, link.text) for link in links),
    )
    return format_html('<ul class="order-links">{}</ul>', rows)
