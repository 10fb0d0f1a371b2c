"""The email log in admin: read-only, a merchant sees its stores' emails with their status,
attempts and last error; the document each one carried is linked."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from notifications.models import EmailLog
from orders.admin.invoice_admin import MerchantsMayView
from stores.admin.base import StoreRecordAdmin


@admin.register(EmailLog)
class EmailLogAdmin(MerchantsMayView, StoreRecordAdmin):
    list_display = (
        "id",
        "kind",
        "to_address",
        "status",
        "attempts",
        "order",
        "store",
        "environment",
        "created_at",
        "sent_at",
    )
    list_filter = ("status", "kind", "environment", ("store", admin.RelatedOnlyFieldListFilter))
    search_fields = ("=to_address", "subject")
    list_select_related = ("order", "store")
    fields = readonly_fields = (
        "id",
        "kind",
        "status",
        "to_address",
        "language",
        "subject",
        "store",
        "environment",
        "order",
        "document_link",
        "event",
        "attempts",
        "next_attempt_at",
        "last_error",
        "message_id",
        "created_at",
        "sent_at",
    )

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Attached document")
    def document_link(self, email):
        if email.document_id is None:
            return "—"
        url = reverse("admin:orders_invoice_change", args=[email.document_id])
        return format_html('<a href="{}">{}</a>', url, email.document.number)
