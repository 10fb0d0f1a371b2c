"""Webhooks in admin: a store's endpoints (with the public keys to verify them), and the
delivery log with every attempt, per store and per webhook, with re-send."""

from django.contrib import admin, messages
from django.utils.html import format_html

from stores.admin.base import MerchantScopedAdmin, ReadOnlyChildInline, StoreRecordAdmin
from stores.admin_forms import merchant_of
from stores.roles import Capability
from webhooks.deliveries import delivery_resend
from webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from webhooks.selectors import deliveries_for_order_id
from webhooks.services import may_manage, webhook_update
from webhooks.signing import SigningKeyMissing, public_key_pem


class OrderFilter(admin.SimpleListFilter):
    """``?order=ORD_…``: the deliveries about one order, linked from the order's page.
    The sidebar shows it only while it is in use."""

    title = "order"
    parameter_name = "order"

    def lookups(self, request, model_admin):
        return [(self.value(), self.value())] if self.value() else []

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(pk__in=deliveries_for_order_id(order_id=self.value()))
        return queryset


def _public_key(environment: str) -> str:
    try:
        return public_key_pem(environment)
    except SigningKeyMissing as exc:
        return str(exc)


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(MerchantScopedAdmin):
    """Endpoints are added, edited and removed with the SDK (store/*-webhook); here they are
    shown, and a disabled one can be enabled again."""

    capability = Capability.WEBHOOKS

    list_display = ("url", "channel", "store", "test_mode", "events", "disabled_reason")
    list_filter = (("store", admin.RelatedOnlyFieldListFilter), "channel", "test_mode")
    readonly_fields = (
        "id",
        "store",
        "channel",
        "url",
        "events",
        "test_mode",
        "failing_since",
        "disabled_at",
        "disabled_reason",
        "created_at",
        "updated_at",
        "verify_with",
    )
    exclude = ("secret",)
    actions = ("enable_again",)

    def scope(self, queryset, merchant):
        return queryset.filter(store__memberships__merchant=merchant)

    def has_add_permission(self, request):
        return False

    @admin.display(description="Public key to verify with (verifyWebhook publicKey)")
    def verify_with(self, endpoint):
        return format_html("<pre>{}</pre>", _public_key(endpoint.environment))

    @admin.action(description="Enable the selected webhooks again", permissions=("change",))
    def enable_again(self, request, queryset):
        merchant = merchant_of(request.user)
        for endpoint in queryset:
            if request.user.is_superuser or (
                merchant and may_manage(merchant_id=merchant.pk, store_id=endpoint.store_id)
            ):
                webhook_update(endpoint=endpoint)
        messages.success(request, "Webhooks you manage are enabled again.")

    def changelist_view(self, request, extra_context=None):
        if not request.GET and not request.POST:
            messages.info(
                request,
                "Webhook public keys: python manage.py webhook_public_key --environment "
                "test|prod (also shown on each webhook's page).",
            )
        return super().changelist_view(request, extra_context)


class AttemptInline(ReadOnlyChildInline):
    model = WebhookAttempt
    fields = ("number", "started_at", "finished_at", "succeeded", "http_status", "error")
    readonly_fields = fields


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(StoreRecordAdmin):
    list_display = (
        "id",
        "event_type",
        "event_id",
        "status",
        "attempts",
        "last_http_status",
        "store",
        "endpoint",
        "created_at",
    )
    list_filter = (
        OrderFilter,
        "status",
        "event_type",
        "environment",
        ("store", admin.RelatedOnlyFieldListFilter),
        ("endpoint", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("=id", "event_id")
    readonly_fields = (
        "id",
        "store",
        "endpoint",
        "environment",
        "channel",
        "url",
        "event_type",
        "event_id",
        "status",
        "attempts",
        "next_attempt_at",
        "last_http_status",
        "last_error",
        "last_response_body",
        "signature",
        "signed_at",
        "body",
        "created_at",
        "completed_at",
    )
    inlines = (AttemptInline,)
    actions = ("resend",)

    @admin.action(description="Re-send the selected deliveries (same id, new signature)")
    def resend(self, request, queryset):
        merchant = merchant_of(request.user)
        sent = skipped = 0
        for delivery in queryset:
            if request.user.is_superuser or (
                merchant and may_manage(merchant_id=merchant.pk, store_id=delivery.store_id)
            ):
                delivery_resend(delivery=delivery)
                sent += 1
            else:
                skipped += 1
        messages.success(request, f"{sent} delivery(ies) queued again.")
        if skipped:
            messages.warning(request, f"{skipped} skipped: only store owners and admins re-send.")
