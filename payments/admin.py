"""Refunds in admin: platform staff review the queue of refund tickets (approve executes the
refund, reject needs a reason); merchants see their stores' tickets and refunds, read-only.

The review form posts to its own URL, which calls the same service as the
``review_refund_ticket`` command; nothing about a ticket changes through a model form.
"""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_POST

from core.errors import AppError
from core.money import format_amount
from orders.models import Order
from payments.models import Refund, RefundTicket, RefundTicketStatus
from payments.refund_amounts import refundable_minor
from payments.refund_tickets import refund_ticket_decide
from stores.admin import ReadOnlyChildInline, StoreRecordAdmin

REVIEWABLE = (RefundTicketStatus.PENDING, RefundTicketStatus.UNDER_REVIEW)


def _money(minor: int, currency: str) -> str:
    return f"{format_amount(minor, currency)} {currency}"


class RefundInline(ReadOnlyChildInline):
    """An order's refunds, on the order's page."""

    model = Refund
    fields = ("public_id", "status", "amount", "tax", "ticket", "failure_message", "executed_at")
    readonly_fields = fields

    @admin.display(description="Refund ID")
    def public_id(self, refund):
        return refund.public_id

    @admin.display(description="Amount")
    def amount(self, refund):
        return _money(refund.amount_minor, refund.currency)

    @admin.display(description="Of which tax")
    def tax(self, refund):
        return _money(refund.tax_minor, refund.currency)

    @admin.display(description="Ticket")
    def ticket(self, refund):
        return refund.ticket.public_id

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("ticket")


@admin.register(RefundTicket)
class RefundTicketAdmin(StoreRecordAdmin):
    list_display = (
        "public_id",
        "status",
        "requested",
        "order_link",
        "submitter_type",
        "store",
        "environment",
        "created_at",
    )
    list_select_related = ("store", "order", "current_version")
    list_filter = ("status", "environment", ("store", admin.RelatedOnlyFieldListFilter))
    search_fields = ("merchant_external_id", "submitter_id", "order__buyer_email")
    fields = (
        "public_id",
        "status",
        "requested",
        "reason",
        "order_link",
        "payment_summary",
        "submitter_type",
        "submitter_id",
        "merchant_external_id",
        "reviewer_id",
        "reviewed_at",
        "review_note",
        "reject_reason",
        "executed_at",
        "buyer_history",
        "created_at",
    )
    readonly_fields = fields
    change_form_template = "admin/payments/refundticket/change_form.html"

    @admin.display(description="Ticket ID")
    def public_id(self, ticket):
        return ticket.public_id

    @admin.display(description="Requested")
    def requested(self, ticket):
        version = ticket.current_version
        return _money(version.amount_minor, version.currency) if version else "—"

    @admin.display(description="Reason")
    def reason(self, ticket):
        version = ticket.current_version
        return f"{version.reason} (version {version.number})" if version else "—"

    @admin.display(description="Order")
    def order_link(self, ticket):
        url = reverse("admin:orders_order_change", args=[ticket.order_id])
        return format_html('<a href="{}">{}</a>', url, ticket.order.public_id)

    @admin.display(description="Payment")
    def payment_summary(self, ticket):
        payment = ticket.payment
        refunded = payment.amount_minor - refundable_minor(payment=payment)
        return format_html(
            "{} · {} paid · {} refunded or under way · {}",
            payment.public_id,
            _money(payment.amount_minor, payment.currency),
            _money(refunded, payment.currency),
            f"{payment.card_brand} •••• {payment.card_last4}".strip(),
        )

    @admin.display(description="Buyer's history in this store")
    def buyer_history(self, ticket):
        """What staff weigh a request against: the buyer's orders here and their tickets."""
        order = ticket.order
        orders = Order.objects.filter(
            store_id=order.store_id,
            environment=order.environment,
            buyer_email=order.buyer_email,
        ).order_by("-created_at")[:20]
        tickets = RefundTicket.objects.filter(
            store_id=order.store_id, order__buyer_email=order.buyer_email
        ).exclude(pk=ticket.pk)
        rows = format_html_join(
            "",
            "<li>{} · {} · {} · {}</li>",
            (
                (o.public_id, o.status, _money(o.total_minor, o.currency), o.created_at.date())
                for o in orders
            ),
        )
        return format_html(
            "<p>{} ({} other refund tickets)</p><ul>{}</ul>",
            order.buyer_email,
            tickets.count(),
            rows,
        )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("payment", "order")

    def get_urls(self):
        review = self.admin_site.admin_view(require_POST(self.review_view))
        return [
            path("<path:object_id>/review/", review, name="payments_refundticket_review"),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        ticket = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "can_review": request.user.is_superuser and ticket.status in REVIEWABLE,
            "review_url": reverse("admin:payments_refundticket_review", args=[ticket.pk]),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def review_view(self, request, object_id):
        """Platform staff only: merchants see their tickets but the merchant of record
        decides them."""
        if not request.user.is_superuser:
            raise PermissionDenied
        ticket = self.get_object(request, object_id)
        try:
            ticket = refund_ticket_decide(
                ticket_id=ticket.pk,
                decision=request.POST.get("decision", ""),
                reviewer_id=request.user.email or request.user.get_username(),
                reason=request.POST.get("reason", ""),
                note=request.POST.get("note", ""),
            )
        except AppError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(request, f"Ticket {ticket.public_id}: {ticket.status}")
        return HttpResponseRedirect(reverse("admin:payments_refundticket_change", args=[object_id]))


@admin.register(Refund)
class RefundAdmin(StoreRecordAdmin):
    list_display = ("public_id", "status", "amount", "order", "store", "environment", "created_at")
    list_select_related = ("store", "order")
    list_filter = ("status", "environment", ("store", admin.RelatedOnlyFieldListFilter))
    search_fields = ("merchant_external_id", "processor_reference")
    fields = (
        "public_id",
        "status",
        "amount",
        "tax",
        "order",
        "ticket",
        "reason",
        "merchant_external_id",
        "processor",
        "processor_reference",
        "failure_code",
        "failure_message",
        "created_at",
        "executed_at",
    )
    readonly_fields = fields

    @admin.display(description="Refund ID")
    def public_id(self, refund):
        return refund.public_id

    @admin.display(description="Amount", ordering="amount_minor")
    def amount(self, refund):
        return _money(refund.amount_minor, refund.currency)

    @admin.display(description="Of which tax")
    def tax(self, refund):
        return _money(refund.tax_minor, refund.currency)
