"""Subscriptions in admin: read-only records of the plan, the period and the card, and the
test clock for merchants testing their integration (test environment only)."""

from django.contrib import admin, messages

from core.errors import AppError
from core.money import format_amount
from stores.admin import StoreRecordAdmin
from subscriptions.clock import clock_advance
from subscriptions.models import PlanChange, Subscription


@admin.register(Subscription)
class SubscriptionAdmin(StoreRecordAdmin):
    list_display = (
        "order_id_display",
        "status",
        "plan",
        "current_period_end",
        "environment",
        "store",
    )
    list_select_related = ("order", "store")
    list_filter = ("environment", "order__status", ("store", admin.RelatedOnlyFieldListFilter))
    search_fields = ("order__buyer_email",)
    fields = (
        "order",
        "status",
        "plan",
        "payment_method",
        "period_number",
        "current_period_start",
        "current_period_end",
        "trial_end",
        "trial_reminded_at",
        "failed_attempts",
        "next_retry_at",
        "ended_at",
        "clock",
    )
    readonly_fields = fields
    actions = ("advance_one_period",)

    @admin.display(description="Order")
    def order_id_display(self, subscription):
        return subscription.order.public_id

    @admin.display(description="Status", ordering="order__status")
    def status(self, subscription):
        return subscription.order.status

    @admin.display(description="Plan")
    def plan(self, subscription):
        amount = format_amount(subscription.unit_amount_minor, subscription.currency)
        return f"{amount} {subscription.currency} {subscription.billing_period} (before tax)"

    @admin.action(description="Advance the test clock by one billing period", permissions=["view"])
    def advance_one_period(self, request, queryset):
        for subscription in queryset.select_related("order"):
            try:
                moved = clock_advance(order=subscription.order, periods=1)
            except AppError as error:
                self.message_user(
                    request, f"{subscription.order.public_id}: {error.message}", messages.ERROR
                )
                continue
            self.message_user(
                request,
                f"{moved.order.public_id}: {moved.order.status}, period {moved.period_number} "
                f"ends {moved.current_period_end:%Y-%m-%d}",
            )


@admin.register(PlanChange)
class PlanChangeAdmin(StoreRecordAdmin):
    """Plan changes as they were offered and what came of them (read-only)."""

    list_display = ("public_id", "order_id_display", "status", "timing", "due_now", "created_at")
    list_select_related = ("subscription__order", "store")
    list_filter = ("environment", "status", "timing")
    fields = (
        "subscription",
        "status",
        "timing",
        "from_version",
        "to_version",
        "billing_period",
        "unit_amount_minor",
        "due_now_minor",
        "tax_now_minor",
        "payment",
        "failure_message",
        "expires_at",
        "confirmed_at",
        "applied_at",
    )
    readonly_fields = fields

    @admin.display(description="Order")
    def order_id_display(self, change):
        return change.subscription.order.public_id

    @admin.display(description="Due now")
    def due_now(self, change):
        return f"{format_amount(change.due_now_minor, change.currency)} {change.currency}"
