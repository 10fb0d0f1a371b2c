"""Checkout sessions in admin: read-only records a merchant opens from an order (what was
locked when the buyer started: lines, theme, buyer, addresses). Sessions change only
through ``checkout.services``."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from checkout.admin.addresses import billing_html, shipping_html
from checkout.models import CheckoutSession
from checkout.selectors import session_state
from core.money import format_amount
from stores.admin import StoreRecordAdmin
from stores.admin.display import key_values_html


@admin.register(CheckoutSession)
class CheckoutSessionAdmin(StoreRecordAdmin):
    list_display = (
        "public_id",
        "store",
        "environment",
        "state",
        "created_via",
        "buyer_email",
        "created_at",
    )
    list_select_related = ("store",)
    list_filter = ("status", "environment", "created_via")
    search_fields = ("=buyer_email", "=order_merchant_external_id")
    date_hierarchy = "created_at"
    fieldsets = (
        (None, {"fields": ("public_id", "store", "environment", "state", "created_via", "order")}),
        ("What is sold", {"fields": ("product_type", "currency", "line_list")}),
        ("Buyer", {"fields": ("buyer_email", "billing", "shipping", "shipping_method")}),
        (
            "Merchant data",
            {"fields": ("order_merchant_external_id", "metadata_rows", "success_url")},
        ),
        ("History", {"fields": ("created_at", "expires_at", "completed_at")}),
    )
    readonly_fields = tuple(field for _, options in fieldsets for field in options["fields"])

    @admin.display(description="Session ID")
    def public_id(self, session):
        return session.public_id

    @admin.display(description="State")
    def state(self, session):
        return session_state(session)

    @admin.display(description="Order")
    def order(self, session):
        order_id = getattr(getattr(session, "order", None), "pk", None)
        if order_id is None:
            return "No order yet"
        url = reverse("admin:orders_order_change", args=[order_id])
        return format_html('<a href="{}">{}</a>', url, session.order.public_id)

    @admin.display(description="Lines")
    def line_list(self, session):
        rows = [
            (line.quantity, line.name, format_amount(line.unit_amount_minor, session.currency))
            for line in session.line_items
        ]
        if not rows:
            return "—"
        return format_html("<ul>{}</ul>", format_html_join("", "<li>{} x {} at {}</li>", rows))

    @admin.display(description="Metadata")
    def metadata_rows(self, session):
        return key_values_html(session.metadata)

    @admin.display(description="Billing details")
    def billing(self, session):
        return billing_html(session.billing_detail)

    @admin.display(description="Shipping address")
    def shipping(self, session):
        return shipping_html(session.shipping_address)
