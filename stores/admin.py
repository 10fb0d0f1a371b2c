"""Admin for merchants (staff users in the "Merchants" group) and platform superusers.

A merchant sees only what its store memberships reach: every queryset, every foreign-key
choice and every object URL is scoped, and an object outside the scope is a 404.
Superusers see everything, including merchants and memberships.
"""

import hashlib
import json
import time

from cryptography.fernet import Fernet, InvalidToken
from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST

from stores import secret_keys, services, settings_schema
from stores.admin_forms import (
    ApiKeyAddForm,
    ApiKeyChangeForm,
    MerchantAddForm,
    StoreAddForm,
    StoreChangeForm,
    merchant_of,
)
from stores.models import (
    ApiKey,
    Merchant,
    SecretKey,
    Store,
    StoreMembership,
    StoreRole,
    StoreStatus,
)

admin.site.site_header = "Pancake Checkout admin"
admin.site.site_title = "Pancake Checkout"
admin.site.index_title = "Stores, products and API keys"

STORE_EDITOR_ROLES = (StoreRole.OWNER, StoreRole.ADMIN)


class PlatformAdmin(admin.ModelAdmin):
    """Defaults for every admin of the platform: the request reaches the form, an object
    that is out of reach is a 404, and nothing is hard-deleted (stores are soft-deleted,
    keys revoked, versions kept)."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.admin_request = request  # a fresh class per call, so per request
        return form

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            # Django's default is a redirect with "doesn't exist"; out of scope is a 404.
            raise Http404(f"{self.opts.verbose_name} not found")
        return obj

    def save_model(self, request, obj, form, change):
        if getattr(form, "service_done", False):
            return  # the service already wrote it
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        return False


class MerchantScopedAdmin(PlatformAdmin):
    """Rows a merchant reaches through its memberships; everything for superusers."""

    def scope(self, queryset, merchant: Merchant):
        raise NotImplementedError

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        merchant = merchant_of(request.user)
        if merchant is None:
            return queryset.none()
        return self.scope(queryset, merchant)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Store:
            kwargs["queryset"] = stores_for(request)
        elif db_field.related_model is Merchant:
            kwargs["queryset"] = merchants_for(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadOnlyChildInline(admin.TabularInline):
    """Rows that are part of their parent (an order's lines, a basket's items): whoever may
    view the parent sees them, and nobody edits them in admin."""

    extra = 0
    can_delete = False

    def has_view_permission(self, request, obj=None):
        opts = self.parent_model._meta
        return request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def stores_for(request):
    """Stores the user may pick in a form: alive and, for a merchant, its own."""
    stores = Store.objects.alive()
    if request.user.is_superuser:
        return stores
    merchant = merchant_of(request.user)
    return stores.reachable_by(merchant.pk) if merchant else stores.none()


def merchants_for(request):
    merchants = Merchant.objects.select_related("user")
    if request.user.is_superuser:
        return merchants
    merchant = merchant_of(request.user)
    return merchants.filter(pk=merchant.pk) if merchant else merchants.none()


class SuperuserOnlyAdmin(PlatformAdmin):
    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


# Stores ------------------------------------------------------------------------------------


class TimestampSetFilter(admin.SimpleListFilter):
    """Filter on whether a nullable timestamp (deleted_at, revoked_at) is set."""

    field = ""
    labels = ("Not set", "Set")

    def lookups(self, request, model_admin):
        return [("no", self.labels[0]), ("yes", self.labels[1])]

    def queryset(self, request, queryset):
        if self.value() in ("no", "yes"):
            return queryset.filter(**{f"{self.field}__isnull": self.value() == "no"})
        return queryset


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
        return self.role_of(request, obj) in STORE_EDITOR_ROLES

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

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            fields = ["name", "owner"] if request.user.is_superuser else ["name"]
            return [(None, {"fields": fields})]
        if not self.has_change_permission(request, obj):
            settings_fields = ["checkout_settings_display", "notifications_display"]
        else:
            settings_fields = ["checkout_settings", "notifications"]
        history = ["created_at", "updated_at"]
        if request.user.is_superuser:
            history.append("deleted_at")
        return [
            (None, {"fields": ["public_id", "name", "slug", "status", "prod_enabled"]}),
            (
                "Branding and support",
                {"fields": ["logo", "logo_preview", "support_email", "website"]},
            ),
            ("Checkout and notifications", {"fields": settings_fields}),
            ("History", {"fields": history}),
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
            "checkout_settings_display",
            "notifications_display",
        ]
        if not request.user.is_superuser:
            readonly.append("prod_enabled")
            if obj.status == StoreStatus.SUSPENDED:
                readonly.append("status")
        return readonly

    def save_model(self, request, obj, form, change):
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

    @admin.display(description="Checkout theme")
    def checkout_settings_display(self, obj):
        effective = settings_schema.effective_checkout_settings(obj.checkout_settings)
        return format_html("<pre>{}</pre>", json.dumps(effective, indent=2))

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


# API keys ----------------------------------------------------------------------------------

PRIVATE_KEY_SESSION_KEY = "admin_generated_private_keys"
PRIVATE_KEY_TTL_SECONDS = 15 * 60


def _private_key_entry_id(api_key: ApiKey, token: str) -> str:
    return hashlib.sha256(f"{api_key.pk}:{token}".encode()).hexdigest()


def stash_private_key(
    request, api_key, private_pem: str, *, slot: str = PRIVATE_KEY_SESSION_KEY
) -> str:
    """Keep a generated private key for one download, and return the URL token.

    The session holds only ciphertext; the token in the download URL is the key that
    decrypts it. The first download removes the entry; unclaimed entries expire.
    """
    token = Fernet.generate_key().decode()
    now = int(time.time())
    entries = {
        entry_id: entry
        for entry_id, entry in request.session.get(slot, {}).items()
        if now - entry["at"] < PRIVATE_KEY_TTL_SECONDS
    }
    entries[_private_key_entry_id(api_key, token)] = {
        "ciphertext": Fernet(token.encode()).encrypt(private_pem.encode()).decode(),
        "at": now,
    }
    request.session[slot] = entries
    return token


def _private_key_available(request, api_key: ApiKey, token: str) -> bool:
    entry = request.session.get(PRIVATE_KEY_SESSION_KEY, {}).get(
        _private_key_entry_id(api_key, token)
    )
    return entry is not None and time.time() - entry["at"] < PRIVATE_KEY_TTL_SECONDS


def pop_private_key(
    request, api_key, token: str, *, slot: str = PRIVATE_KEY_SESSION_KEY
) -> str | None:
    entries = dict(request.session.get(slot, {}))
    entry = entries.pop(_private_key_entry_id(api_key, token), None)
    if entry is None:
        return None
    request.session[slot] = entries
    request.session.save()  # gone before the response leaves, whatever happens next
    if time.time() - entry["at"] >= PRIVATE_KEY_TTL_SECONDS:
        return None
    try:
        return Fernet(token.encode()).decrypt(entry["ciphertext"].encode()).decode()
    except (InvalidToken, ValueError):
        return None


class RevokedFilter(TimestampSetFilter):
    title = parameter_name = "revoked"
    field = "revoked_at"
    labels = ("Usable", "Revoked")


@admin.register(ApiKey)
class ApiKeyAdmin(MerchantScopedAdmin):
    form = ApiKeyChangeForm
    add_form = ApiKeyAddForm
    list_display = (
        "environment",
        "name",
        "short_fingerprint",
        "created_at",
        "last_used_at",
        "revoked",
    )
    list_filter = ("environment", RevokedFilter)
    search_fields = ("name", "fingerprint")
    actions = ("revoke",)

    def scope(self, queryset, merchant):
        return queryset.filter(merchant=merchant)

    def get_list_display(self, request):
        if request.user.is_superuser:
            return ("merchant", *self.list_display)
        return self.list_display

    def get_list_select_related(self, request):
        return ("merchant__user",) if request.user.is_superuser else ()

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            fields = ["environment", "name", "public_key_pem", "generate"]
            if request.user.is_superuser:
                fields.insert(0, "merchant")
            return [(None, {"fields": fields})]
        fields = ["environment", "name", "fingerprint", "public_key", "created_at"]
        fields += ["last_used_at", "revoked_at"]
        if request.user.is_superuser:
            fields.insert(0, "merchant")
        return [(None, {"fields": fields})]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        # Only the name of a key can change; a new key is a new row.
        return (
            "merchant",
            "environment",
            "fingerprint",
            "public_key",
            "created_at",
            "last_used_at",
            "revoked_at",
        )

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        merchant = merchant_of(request.user)
        if request.user.is_superuser and merchant is not None:
            initial.setdefault("merchant", merchant.pk)
        return initial

    @admin.display(description="Fingerprint", ordering="fingerprint")
    def short_fingerprint(self, obj):
        return f"{obj.fingerprint[:16]}…"

    @admin.display(description="Revoked", boolean=True, ordering="revoked_at")
    def revoked(self, obj):
        return obj.is_revoked

    @admin.action(
        description="Revoke",
        permissions=["change"],
        location=[admin.ActionLocation.CHANGE_LIST, admin.ActionLocation.CHANGE_FORM],
    )
    def revoke(self, request, queryset):
        revoked = 0
        for api_key in queryset.filter(revoked_at__isnull=True):
            services.api_key_revoke(api_key=api_key)
            revoked += 1
        self.message_user(request, f"{revoked} key(s) revoked.", messages.SUCCESS)

    # One-time delivery of a generated private key

    def response_add(self, request, obj, post_url_continue=None):
        private_pem = getattr(obj, "generated_private_pem", None)
        if not private_pem:
            return super().response_add(request, obj, post_url_continue)
        obj.generated_private_pem = None
        token = stash_private_key(request, obj, private_pem)
        return HttpResponseRedirect(
            reverse("admin:stores_apikey_private_key", args=[obj.pk, token])
        )

    def get_urls(self):
        return [
            path(
                "<int:object_id>/private-key/<str:token>/",
                self.admin_site.admin_view(self.private_key_view),
                name="stores_apikey_private_key",
            ),
            path(
                "<int:object_id>/private-key/<str:token>/download/",
                self.admin_site.admin_view(require_POST(self.private_key_download_view)),
                name="stores_apikey_private_key_download",
            ),
            *super().get_urls(),
        ]

    def _key_for(self, request, object_id):
        api_key = self.get_object(request, str(object_id))  # 404 outside the scope
        if not self.has_view_permission(request, api_key):
            raise PermissionDenied
        return api_key

    def private_key_view(self, request, object_id, token):
        api_key = self._key_for(request, object_id)
        context = {
            **self.admin_site.each_context(request),
            "title": "Download your private key",
            "opts": self.opts,
            "original": api_key,
            "available": _private_key_available(request, api_key, token),
            "download_url": reverse(
                "admin:stores_apikey_private_key_download", args=[api_key.pk, token]
            ),
            "filename": private_key_filename(api_key),
        }
        return TemplateResponse(request, "admin/stores/apikey/private_key.html", context)

    def private_key_download_view(self, request, object_id, token):
        api_key = self._key_for(request, object_id)
        private_pem = pop_private_key(request, api_key, token)
        if private_pem is None:
            raise Http404("This private key was already downloaded or has expired")
        response = HttpResponse(private_pem, content_type="application/x-pem-file")
        response["Content-Disposition"] = f'attachment; filename="{private_key_filename(api_key)}"'
        response["Cache-Control"] = "no-store"
        return response


def private_key_filename(api_key: ApiKey) -> str:
    return f"merchant-{api_key.environment}-private-key.pem"


# Secret keys (bearer secrets of the cart checkout API) -----------------------------------

SECRET_KEY_SESSION = "admin_generated_secret_keys"


class SecretKeyAddForm(forms.ModelForm):
    class Meta:
        model = SecretKey
        fields = ("merchant", "environment", "name")


class RevealOnceAdminMixin:
    """After an add that generated a secret (``obj.generated_secret``), show it on a page of
    its own, once: the session keeps only ciphertext whose key is in the page's URL."""

    reveal_slot = ""
    reveal_title = ""
    reveal_template = ""

    def _reveal_url_name(self) -> str:
        return f"{self.opts.app_label}_{self.opts.model_name}_reveal"

    def response_add(self, request, obj, post_url_continue=None):
        token = stash_private_key(request, obj, obj.generated_secret, slot=self.reveal_slot)
        return HttpResponseRedirect(
            reverse(f"admin:{self._reveal_url_name()}", args=[obj.pk, token])
        )

    def get_urls(self):
        return [
            path(
                "<str:object_id>/reveal/<str:token>/",
                self.admin_site.admin_view(self.reveal_view),
                name=self._reveal_url_name(),
            ),
            *super().get_urls(),
        ]

    def reveal_view(self, request, object_id, token):
        obj = self.get_object(request, str(object_id))  # 404 outside the admin's scope
        if obj is None or not self.has_view_permission(request, obj):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": self.reveal_title,
            "opts": self.opts,
            "original": obj,
            "secret": pop_private_key(request, obj, token, slot=self.reveal_slot),
        }
        response = TemplateResponse(request, self.reveal_template, context)
        response["Cache-Control"] = "no-store"
        return response


@admin.register(SecretKey)
class SecretKeyAdmin(RevealOnceAdminMixin, MerchantScopedAdmin):
    """Secrets are made by ``stores.secret_keys`` and shown once; only their hash is kept."""

    list_display = ("environment", "name", "prefix", "created_at", "last_used_at", "revoked")
    list_filter = ("environment", RevokedFilter)
    search_fields = ("name", "prefix")
    actions = ("revoke",)
    form = SecretKeyAddForm
    reveal_slot = SECRET_KEY_SESSION
    reveal_title = "Your new secret key"
    reveal_template = "admin/stores/secretkey/reveal.html"

    def scope(self, queryset, merchant):
        return queryset.filter(merchant=merchant)

    def get_fields(self, request, obj=None):
        fields = ["environment", "name"]
        if obj is not None:
            fields += ["prefix", "created_at", "last_used_at", "revoked_at"]
        return ["merchant", *fields] if request.user.is_superuser else fields

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("merchant", "environment", "prefix", "created_at", "last_used_at", "revoked_at")

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["name"])
            return
        merchant = obj.merchant if request.user.is_superuser else merchant_of(request.user)
        created, secret = secret_keys.secret_key_create(
            merchant=merchant, environment=obj.environment, name=obj.name
        )
        obj.pk, obj.merchant = created.pk, merchant
        obj._state.adding = False
        obj.generated_secret = secret

    @admin.display(description="Revoked", boolean=True, ordering="revoked_at")
    def revoked(self, obj):
        return obj.revoked_at is not None

    @admin.action(description="Revoke", permissions=["change"])
    def revoke(self, request, queryset):
        count = 0
        for key in queryset.filter(revoked_at__isnull=True):
            secret_keys.secret_key_revoke(secret_key=key)
            count += 1
        self.message_user(request, f"{count} secret key(s) revoked.", messages.SUCCESS)


# Platform staff only -----------------------------------------------------------------------


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
    list_display = ("store", "merchant", "role", "created_at")
    list_select_related = ("store", "merchant__user")
    list_filter = ("role",)
    search_fields = ("store__name", "store__slug", "merchant__user__email")
    fields = ("store", "merchant", "role")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "merchant":
            kwargs["queryset"] = Merchant.objects.select_related("user")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser
