"""Partner checkout in admin: platform superusers create partners (the OAuth client secret
is shown once), merchants grant partners their stores and products, and see the baskets
(and the orders they became) of their stores."""

from django import forms
from django.contrib import admin
from django.db.models import Count

from catalog.models import Product
from core.errors import AppError
from partners import services
from partners.grants import check_grant_products
from partners.models import Basket, BasketItem, BasketState, Partner, PartnerGrant
from partners.selectors import baskets_in_state, grantable_partners
from stores.admin import (
    MerchantScopedAdmin,
    ReadOnlyChildInline,
    RevealOnceAdminMixin,
    StoreRecordAdmin,
    SuperuserOnlyAdmin,
)
from stores.admin_forms import merchant_of
from stores.roles import Capability

PARTNER_SECRET_SLOT = "admin_generated_partner_secrets"


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ("name", "environment", "active")


@admin.register(Partner)
class PartnerAdmin(RevealOnceAdminMixin, SuperuserOnlyAdmin):
    form = PartnerForm
    reveal_slot = PARTNER_SECRET_SLOT
    reveal_title = "Partner client credentials"
    reveal_template = "admin/partners/partner/reveal.html"
    list_display = ("name", "environment", "active", "client_id", "created_at")
    list_filter = ("environment", "active")
    list_select_related = ("application",)
    search_fields = ("name",)

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("environment", "client_id", "created_at")

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("name", "environment", "active")
        return ("name", "environment", "active", "client_id", "created_at")

    @admin.display(description="Client ID")
    def client_id(self, obj):
        return obj.application.client_id

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["name", "active"])
            return
        partner, secret = services.partner_create(
            name=obj.name, environment=obj.environment, active=obj.active
        )
        obj.pk, obj.application = partner.pk, partner.application
        obj._state.adding = False
        obj.generated_secret = secret


class PartnerGrantForm(forms.ModelForm):
    class Meta:
        model = PartnerGrant
        fields = ("partner", "store", "products")

    def clean(self):
        cleaned = super().clean()
        try:
            check_grant_products(store=cleaned.get("store"), products=cleaned.get("products"))
        except AppError as error:
            raise forms.ValidationError(error.message) from None
        return cleaned


@admin.register(PartnerGrant)
class PartnerGrantAdmin(MerchantScopedAdmin):
    capability = Capability.STORE_SETTINGS
    form = PartnerGrantForm
    list_display = ("partner", "store", "product_scope", "granted_by", "created_at")
    list_select_related = ("partner", "store", "granted_by__user")
    filter_horizontal = ("products",)

    def scope(self, queryset, merchant):
        return queryset.filter(store__memberships__merchant=merchant, store__deleted_at=None)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Partner:
            kwargs["queryset"] = grantable_partners()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "products":
            products = Product.objects.select_related("test_version")
            merchant = merchant_of(request.user)
            if not request.user.is_superuser:
                products = products.reachable_by(merchant.pk) if merchant else products.none()
            kwargs["queryset"] = products
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.granted_by = merchant_of(request.user)
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        # Withdrawing a grant is a plain delete; baskets already made keep their items and
        # validate reports them as not permitted.
        return request.user.has_perm("partners.change_partnergrant") and (
            self.has_change_permission(request, obj)
        )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(product_count=Count("products"))

    @admin.display(description="Products", ordering="product_count")
    def product_scope(self, obj):
        count = obj.product_count
        return f"{count} product(s)" if count else "All products"


class BasketItemInline(ReadOnlyChildInline):
    model = BasketItem
    fields = ("position", "product", "quantity", "type", "unit_amount_minor", "currency")
    readonly_fields = fields


class BasketStateFilter(admin.SimpleListFilter):
    """The state as the list shows it: a basket past ``expires_at`` is expired even while
    its stored state (updated lazily) still says active."""

    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return BasketState.choices

    def queryset(self, request, queryset):
        return baskets_in_state(baskets=queryset, state=self.value())


@admin.register(Basket)
class BasketAdmin(StoreRecordAdmin):
    """Read-only: baskets are made by partners through the API."""

    list_display = (
        "public_id",
        "partner",
        "store",
        "environment",
        "current_state",
        "order",
        "created_at",
    )
    list_filter = (BasketStateFilter, "environment")
    list_select_related = ("partner", "store", "checkout_session__order")
    inlines = (BasketItemInline,)
    readonly_fields = (
        "public_id",
        "partner",
        "store",
        "environment",
        "currency",
        "current_state",
        "checkout_session",
        "order",
        "expires_at",
        "created_at",
        "updated_at",
    )
    fields = readonly_fields

    @admin.display(description="Basket ID")
    def public_id(self, obj):
        return obj.public_id

    @admin.display(description="State")
    def current_state(self, obj):
        # The stored state catches up lazily; show what it is now.
        return services.effective_state(obj)

    @admin.display(description="Partner order")
    def order(self, obj):
        session = obj.checkout_session
        order = getattr(session, "order", None) if session else None
        return f"{order.public_id} ({order.status})" if order else "—"
