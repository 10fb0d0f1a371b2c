"""Stores in admin: merchants edit the stores they own or administer; platform staff also
approve stores for prod and see deleted ones."""

from django.contrib import admin, messages
from django.db.models import F
from django.utils.html import format_html

from stores import roles, services, settings_schema, theme_form
from stores.admin.base import MerchantScopedAdmin, TimestampSetFilter
from stores.admin.team_inline import TeamInline, save_team
from stores.admin_forms import StoreAddForm, StoreChangeForm, merchant_of
from stores.models import Store, StoreMembership, StoreStatus
from stores.theme_contrast import contrast_warnings


class DeletedFilter(TimestampSetFilter):
    title = parameter_name = "deleted"
    field = "deleted_at"
    labels = ("Not deleted", "Deleted")


@admin.register(Store)
class StoreAdmin(MerchantScopedAdmin):
    form = StoreChangeForm
    add_form = StoreAddForm
    list_display = ("name", "slug", "status", "prod_enabled", "created_at")
    list_filter = ("status", "prod_enabled")
    search_fields = ("name", "slug")
    actions = ("approve_for_prod", "revoke_prod_approval")

    def scope(self, queryset, merchant):
        # The role comes from the same membership join the filter uses.
        return queryset.reachable_by(merchant.pk).annotate(merchant_role=F("memberships__role"))

    # Permissions

    def has_add_permission(self, request):
        if request.user.is_superuser:
            return True
        # Adding always goes through store_create, which makes the merchant the owner.
        return merchant_of(request.user) is not None and request.user.has_perm("stores.add_store")

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or request.user.is_superuser:
            return True
        return roles.role_allows(
            role=self.role_of(request, obj), capability=roles.Capability.STORE_SETTINGS
        )

    def has_prod_approval_permission(self, request):
        return request.user.is_superuser

    def role_of(self, request, store) -> str | None:
        role = getattr(store, "merchant_role", None)
        if role is None:
            merchant = merchant_of(request.user)
            membership = StoreMembership.objects.filter(store=store, merchant=merchant).first()
            role = membership.role if membership else None
        return role

    # Pages

    def get_list_display(self, request):
        if request.user.is_superuser:
            return (*self.list_display, "deleted")
        return (*self.list_display, "your_role")

    def get_list_filter(self, request):
        if request.user.is_superuser:
            return (*self.list_filter, DeletedFilter)
        return self.list_filter

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, change=change, **kwargs)

    def get_inlines(self, request, obj):
        return (TeamInline,) if obj is not None else ()

    def save_formset(self, request, form, formset, change):
        if formset.model is StoreMembership:
            save_team(request, formset)  # the team services write, never the formset
            return
        super().save_formset(request, form, formset, change)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            fields = ["name", "owner"] if request.user.is_superuser else ["name"]
            return [(None, {"fields": fields})]
        history = ["created_at", "updated_at"]
        if request.user.is_superuser:
            history.append("deleted_at")
        return [
            (None, {"fields": ["public_id", "name", "slug", "status", "prod_enabled"]}),
            (
                "Branding and support",
                {"fields": ["logo", "logo_preview", "support_email", "website"]},
            ),
            *self._theme_fieldsets(request, obj),
            ("Notifications", {"fields": [self._editable(request, obj, "notifications")]}),
            ("History", {"fields": history}),
        ]

    def _editable(self, request, obj, field: str) -> str:
        return field if self.has_change_permission(request, obj) else f"{field}_display"

    def _theme_fieldsets(self, request, obj):
        """The theme editor: the default mode, then light and dark side by side with the
        live preview below (read-only users see the preview alone)."""
        if not self.has_change_permission(request, obj):
            return [("Checkout theme", {"fields": ["theme_preview"]})]
        rows = [
            tuple(theme_form.field_name(mode, suffix) for mode in theme_form.MODES)
            for suffix in theme_form.THEME_KEYS
        ]
        return [
            (
                "Checkout theme",
                {
                    "fields": [theme_form.DARK_DEFAULT, *rows, "theme_preview"],
                    "description": "Colours as #rgb, #rrggbb or #rrggbbaa. The preview "
                    "follows your changes; save to apply them to new checkouts.",
                },
            )
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        readonly = [
            "public_id",
            "slug",
            "logo_preview",
            "created_at",
            "updated_at",
            "deleted_at",
            "theme_preview",
            "notifications_display",
        ]
        if not request.user.is_superuser:
            readonly.append("prod_enabled")
            if obj.status == StoreStatus.SUSPENDED:
                readonly.append("status")
        return readonly

    def save_model(self, request, obj, form, change):
        self._save_store(request, obj, form, change)
        if set(theme_form.THEME_FIELD_NAMES) & set(form.changed_data):
            for warning in contrast_warnings(obj.checkout_settings):
                self.message_user(request, warning, messages.WARNING)

    def _save_store(self, request, obj, form, change):
        if change and "prod_enabled" in form.changed_data:
            # Approval goes through its service (superusers only: merchants never get
            # the field in their form).
            enabled = obj.prod_enabled
            obj.prod_enabled = not enabled
            super().save_model(request, obj, form, change)
            services.store_set_prod_enabled(store=obj, enabled=enabled)
            return
        super().save_model(request, obj, form, change)

    # Columns and read-only fields

    @admin.display(description="ID")
    def public_id(self, obj):
        return obj.public_id

    @admin.display(description="Your role")
    def your_role(self, obj):
        return getattr(obj, "merchant_role", "") or ""

    @admin.display(description="Deleted", boolean=True, ordering="deleted_at")
    def deleted(self, obj):
        return obj.deleted_at is not None

    @admin.display(description="Logo preview")
    def logo_preview(self, obj):
        if obj.logo and settings_schema.is_valid_logo(obj.logo):
            return format_html('<img src="{}" alt="Store logo" height="48">', obj.logo)
        return "—"

    @admin.display(description="Preview")
    def theme_preview(self, obj):
        return theme_form.preview_html(
            stored=obj.checkout_settings, store_name=obj.name, store_logo=obj.logo
        )

    @admin.display(description="Notifications")
    def notifications_display(self, obj):
        effective = settings_schema.effective_notification_settings(obj.notification_settings)
        enabled = [key for key in settings_schema.MERCHANT_WRITABLE_NOTIFICATIONS if effective[key]]
        return ", ".join(enabled) or "none"

    # Actions (platform staff)

    @admin.action(description="Approve for prod", permissions=["prod_approval"])
    def approve_for_prod(self, request, queryset):
        self._set_prod_enabled(request, queryset, enabled=True)

    @admin.action(description="Revoke prod approval", permissions=["prod_approval"])
    def revoke_prod_approval(self, request, queryset):
        self._set_prod_enabled(request, queryset, enabled=False)

    def _set_prod_enabled(self, request, queryset, *, enabled):
        changed = 0
        for store in queryset:
            if store.prod_enabled != enabled:
                services.store_set_prod_enabled(store=store, enabled=enabled)
                changed += 1
        verb = "approved for prod" if enabled else "no longer approved for prod"
        self.message_user(request, f"{changed} store(s) {verb}.", messages.SUCCESS)
