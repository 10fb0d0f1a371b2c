"""Orders in admin: read-only records a merchant looks up (who bought what, for how much,
through which partner), with their lines and payments. Orders change only through the
checkout and payment services, never through a form."""

from django.contrib import admin

from core.money import format_amount
from orders.models import Order, OrderLine
from payments.models import Payment
from stores.admin import ReadOnlyChildInline, StoreRecordAdmin
from stores.admin.lists import BoundedCountPaginator, UsedRelatedFilter


def _money(minor: int, currency: str) -> str:
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
        return _money(payment.amount_minor, payment.currency)

    @admin.display(description="Card")
    def card(self, payment):
        if not payment.card_last4:
            return "—"
        return f"{payment.card_brand} •••• {payment.card_last4}".strip()


class SoldThroughFilter(admin.SimpleListFilter):
    """Direct sales versus partner sales; the partner column names the partner."""

    title = "sold through"
    parameter_name = "sold_through"

    def lookups(self, request, model_admin):
        return (("partner", "A partner"), ("direct", "Direct"))

    def queryset(self, request, queryset):
        if self.value() == "partner":
            return queryset.filter(partner__isnull=False)
        if self.value() == "direct":
            return queryset.filter(partner__isnull=True)
        return queryset


@admin.register(Order)
class OrderAdmin(StoreRecordAdmin):
    list_display = (
        "public_id",
        "store",
        "environment",
        "status",
        "total",
        "buyer_email",
        "partner",
        "created_at",
    )
    list_select_related = ("store", "partner")
    # --- speed (issue 18): cheap with hundreds of thousands of orders (stores.admin.lists):
    # no full COUNT(*) per page view, filter choices by indexed EXISTS, and dates filtered by
    # fixed ranges (a date hierarchy reads the distinct years of every listed order).
    paginator = BoundedCountPaginator
    show_full_result_count = False
    list_filter = (
        "status",
        "environment",
        SoldThroughFilter,
        ("partner", UsedRelatedFilter),
        ("store", UsedRelatedFilter),
        ("created_at", admin.DateFieldListFilter),
    )
    # --- end speed ---
    search_fields = ("buyer_email", "order_merchant_external_id")
    inlines = (OrderLineInline, PaymentInline)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "public_id",
                    "store",
                    "environment",
                    "status",
                    "product_type",
                    "sold_through",
                    "session",
                )
            },
        ),
        ("Buyer", {"fields": ("buyer_email", "billing_detail", "shipping_address")}),
        (
            "Amounts",
            {"fields": ("subtotal", "tax", "total", "tax_summary", "reverse_charge", "with_trial")},
        ),
        ("Merchant data", {"fields": ("order_merchant_external_id", "metadata")}),
        ("History", {"fields": ("created_at", "updated_at", "completed_at", "canceled_at")}),
    )
    readonly_fields = tuple(field for _, options in fieldsets for field in options["fields"])

    @admin.display(description="Order ID")
    def public_id(self, order):
        return order.public_id

    @admin.display(description="Sold through")
    def sold_through(self, order):
        # Plain text: the partner's own admin page is for platform superusers only.
        return f"Partner: {order.partner.name}" if order.partner else "Direct"

    @admin.display(description="Checkout session")
    def session(self, order):
        return f"cs_{order.checkout_session_id}"

    @admin.display(description="Subtotal")
    def subtotal(self, order):
        return _money(order.subtotal_minor, order.currency)

    @admin.display(description="Tax")
    def tax(self, order):
        return _money(order.tax_minor, order.currency)

    @admin.display(description="Total", ordering="total_minor")
    def total(self, order):
        return _money(order.total_minor, order.currency)

    @admin.display(description="Tax rule")
    def tax_summary(self, order):
        place = "-".join(part for part in (order.tax_country, order.tax_region) if part)
        name = f"{order.tax_name} " if order.tax_name else ""
        return f"{name}{order.tax_rate.normalize():f} % ({place})"
