"""Platform staff only: merchants and store memberships."""

from django.contrib import admin
from django.db.models import Count

from stores.admin.base import SuperuserOnlyAdmin
from stores.admin_forms import MerchantAddForm
from stores.models import Merchant, StoreMembership


@admin.register(Merchant)
class MerchantAdmin(SuperuserOnlyAdmin):
    add_form = MerchantAddForm
    list_display = ("public_id", "email", "is_active", "store_count", "created_at")
    list_select_related = ("user",)
    search_fields = ("user__email", "user__username")
    readonly_fields = ("public_id", "user", "created_at")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(store_count=Count("memberships"))

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["email", "password"]})]
        return [(None, {"fields": ["public_id", "user", "created_at"]})]

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    @admin.display(description="ID")
    def public_id(self, obj):
        return obj.public_id

    @admin.display(description="Email", ordering="user__email")
    def email(self, obj):
        return obj.user.email

    @admin.display(description="Active", boolean=True, ordering="user__is_active")
    def is_active(self, obj):
        return obj.user.is_active

    @admin.display(description="Stores", ordering="store_count")
    def store_count(self, obj):
        return obj.store_count


@admin.register(StoreMembership)
class StoreMembershipAdmin(SuperuserOnlyAdmin):
    """Every membership, to look up; teams change on the store's page (``team_inline``),
    through the same services as the API, so this list writes nothing."""

    list_display = ("store", "merchant", "role", "created_at", "updated_at")
    list_select_related = ("store", "merchant__user")
    list_filter = ("role",)
    search_fields = ("store__name", "store__slug", "merchant__user__email")
    fields = ("store", "merchant", "role", "created_at", "updated_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
