"""What an order page lists below the order: its lines and its payments (read-only).
A refunds inline belongs here too once refunds exist."""

from django.contrib import admin

from core.money import format_amount
from orders.models import OrderLine
from payments.models import Payment
from stores.admin import ReadOnlyChildInline


def money(minor: int, currency: str) -> str:
    return f"{format_amount(minor, currency)} {currency}"


class OrderLineInline(ReadOnlyChildInline):
    model = OrderLine
    fields = ("position", "kind", "name", "quantity", "unit", "subtotal", "tax", "total")
    readonly_fields = fields

    @admin.display(description="Unit price")
    def unit(self, line):
        return format_amount(line.unit_amount_minor, line.order.currency)

    @admin.display(description="Subtotal")
    def subtotal(self, line):
        return format_amount(line.subtotal_minor, line.order.currency)

    @admin.display(description="Tax")
    def tax(self, line):
        return format_amount(line.tax_minor, line.order.currency)

    @admin.display(description="Total")
    def total(self, line):
        return format_amount(line.total_minor, line.order.currency)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("order")


class PaymentInline(ReadOnlyChildInline):
    model = Payment
    fields = ("public_id", "status", "amount", "card", "failure_message", "created_at")
    readonly_fields = fields

    @admin.display(description="Payment ID")
    def public_id(self, payment):
        return payment.public_id

    @admin.display(description="Amount")
    def amount(self, payment):
        return money(payment.amount_minor, payment.currency)

    @admin.display(description="Card")
    def card(self, payment):
        if not payment.card_last4:
            return "—"
        return f"{payment.card_brand} •••• {payment.card_last4}".strip()
