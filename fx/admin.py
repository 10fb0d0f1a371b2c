"""Reference rates in admin: staff may look, nobody edits (``import_exchange_rates`` writes)."""

from django.contrib import admin

from fx.models import ReferenceRate
from stores.admin.base import PlatformAdmin


@admin.register(ReferenceRate)
class ReferenceRateAdmin(PlatformAdmin):
    list_display = ("rate_date", "currency", "per_euro", "imported_at")
    list_filter = ("rate_date",)
    search_fields = ("=currency",)
    date_hierarchy = "rate_date"
    fields = readonly_fields = ("rate_date", "currency", "per_euro", "imported_at")

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
