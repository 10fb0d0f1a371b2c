"""Invoices and credit notes in admin: read-only (a document is never edited; a refund is
corrected by its credit note), scoped to the merchant's stores, each linked to the page and
PDF the buyer sees."""

from django.contrib import admin
from django.utils.html import format_html

from core.money import format_amount
from orders.invoices import invoice_path
from orders.models import Invoice
from stores.admin.base import StoreRecordAdmin
from stores.admin_forms import merchant_of


class MerchantsMayView:
    """Merchants see their stores' documents and emails without a permission of their own:
    they are part of the orders the merchant already sees (the scoping does the rest)."""

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or merchant_of(request.user) is not None

    def has_module_permission(self, request):
        return super().has_module_permission(request) or merchant_of(request.user) is not None


@admin.register(Invoice)
class InvoiceAdmin(MerchantsMayView, StoreRecordAdmin):
    list_display = ("number", "kind", "order", "environment", "issued_at", "total", "document")
    list_filter = ("kind", "environment")
    search_fields = ("=number", "refund_reference")
    list_select_related = ("order__checkout_session__store",)
    exclude = ("seller", "buyer", "lines", "tax_breakdown")
    readonly_fields = (
        "number",
        "kind",
        "environment",
        "sequence",
        "order",
        "period",
        "credited_invoice",
        "refund_reference",
        "issued_at",
        "currency",
        "subtotal_minor",
        "tax_minor",
        "total_minor",
        "reverse_charge",
        "document",
    )

    def scope(self, queryset, merchant):
        return queryset.filter(order__store__memberships__merchant=merchant)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Total")
    def total(self, invoice):
        sign = "-" if invoice.is_credit_note else ""
        return f"{sign}{format_amount(invoice.total_minor, invoice.currency)} {invoice.currency}"

    @admin.display(description="Buyer's copy")
    def document(self, invoice):
        path = invoice_path(invoice)
        return format_html('<a href="{}">page</a> · <a href="{}.pdf">PDF</a>', path, path)
