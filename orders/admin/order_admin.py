"""Orders in admin: read-only records a merchant looks up (who bought what, for how much,
through which partner), with their lines, payments and refunds, searchable by every ID a merchant
holds and exportable as CSV. Orders change only through the checkout and payment
services, never through a form."""

from django.contrib import admin

from checkout.admin.addresses import billing_html, shipping_html
from orders.admin.export import OrderExportMixin
from orders.admin.filters import OrderStatusFilter, ProductTypeFilter, SoldThroughFilter
from orders.admin.inlines import OrderLineInline, PaymentInline, money
from orders.admin.links import links_html, order_links
from orders.models import Order
from orders.selectors import orders_matching
from payments.admin import RefundInline
from payments.refund_selectors import order_refunds
from stores.admin import StoreRecordAdmin
from stores.admin.display import key_values_html
from stores.admin.lists import BoundedCountPaginator, UsedRelatedFilter

SEARCH_HELP = (
    "An order ID (ORD_…), payment ID (PAY_…) or session ID (cs_…); or a buyer's email "
    "(or part of it), buyer identity or your orderMerchantExternalId."
)


@admin.register(Order)
class OrderAdmin(OrderExportMixin, StoreRecordAdmin):
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
    # Cheap with hundreds of thousands of orders (stores.admin.lists): no full COUNT(*) per
    # page view, filter choices by indexed EXISTS, and dates filtered by fixed ranges (a date
    # hierarchy reads the distinct years of every listed order).
    paginator = BoundedCountPaginator
    show_full_result_count = False
    list_filter = (
        ProductTypeFilter,
        OrderStatusFilter,
        "environment",
        SoldThroughFilter,
        ("partner", UsedRelatedFilter),
        ("store", UsedRelatedFilter),
        ("created_at", admin.DateFieldListFilter),
    )
    # The search itself is orders.selectors.orders_matching; this only shows the box.
    search_fields = ("buyer_email",)
    search_help_text = SEARCH_HELP
    inlines = (OrderLineInline, PaymentInline, RefundInline)
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
                )
            },
        ),
        ("Buyer", {"fields": ("buyer_email", "buyer_identity", "billing", "shipping")}),
        (
            "Amounts",
            {
                "fields": (
                    ("subtotal", "tax", "total"),
                    ("refunded", "net"),
                    "tax_summary",
                    "reverse_charge",
                    "with_trial",
                )
            },
        ),
        ("Merchant data", {"fields": ("order_merchant_external_id", "metadata_rows")}),
        ("History", {"fields": ("created_at", "updated_at", "completed_at", "canceled_at")}),
    )
    readonly_fields = tuple(
        name
        for _, options in fieldsets
        for field in options["fields"]
        for name in (field if isinstance(field, tuple) else (field,))
    )

    def get_search_results(self, request, queryset, search_term):
        return orders_matching(orders=queryset, term=search_term), False

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["order_links"] = links_html(order_links(order=obj, user=request.user))
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.display(description="Order ID")
    def public_id(self, order):
        return order.public_id

    @admin.display(description="Sold through")
    def sold_through(self, order):
        # Plain text: the partner's own admin page is for platform superusers only.
        return f"Partner: {order.partner.name}" if order.partner else "Direct"

    @admin.display(description="Billing details")
    def billing(self, order):
        return billing_html(order.billing_detail)

    @admin.display(description="Shipping address")
    def shipping(self, order):
        return shipping_html(order.shipping_address)

    @admin.display(description="Metadata")
    def metadata_rows(self, order):
        return key_values_html(order.metadata)

    @admin.display(description="Subtotal")
    def subtotal(self, order):
        return money(order.subtotal_minor, order.currency)

    @admin.display(description="Tax")
    def tax(self, order):
        return money(order.tax_minor, order.currency)

    @admin.display(description="Total", ordering="total_minor")
    def total(self, order):
        return money(order.total_minor, order.currency)

    @admin.display(description="Refunded")
    def refunded(self, order):
        refunds = order_refunds(order_id=order.pk)
        tax = money(refunds.refunded_tax_minor, order.currency)
        return f"{money(refunds.refunded_minor, order.currency)} (of which tax {tax})"

    @admin.display(description="Net paid")
    def net(self, order):
        return money(order_refunds(order_id=order.pk).net_minor, order.currency)

    @admin.display(description="Tax rule")
    def tax_summary(self, order):
        place = "-".join(part for part in (order.tax_country, order.tax_region) if part)
        name = f"{order.tax_name} " if order.tax_name else ""
        return f"{name}{order.tax_rate.normalize():f} % ({place})"
