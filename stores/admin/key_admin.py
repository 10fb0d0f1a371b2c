"""A merchant's credentials in admin: API keys (RSA public keys; a generated private key is
downloaded once) and secret keys (bearer secrets of the cart checkout API, shown once)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from stores import secret_keys, services
from stores.admin.base import MerchantScopedAdmin, TimestampSetFilter
from stores.admin.one_time_secrets import (
    RevealOnceAdminMixin,
    pop_private_key,
    private_key_available,
    stash_private_key,
)
from stores.admin_forms import ApiKeyAddForm, ApiKeyChangeForm, merchant_of
from stores.models import ApiKey, SecretKey


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
            fields = ["environment", "both_environments", "name", "public_key_pem", "generate"]
            if request.user.is_superuser:
                fields.insert(0, "merchant")
            return [(None, {"fields": fields})]
        fields = ["environment", "both_environments", "name", "fingerprint", "public_key"]
        fields += ["created_at"]
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
            "both_environments",
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
            "available": private_key_available(request, api_key, token),
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
