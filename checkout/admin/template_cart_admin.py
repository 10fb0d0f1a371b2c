"""Template carts in admin, scoped to the merchant's stores; a cart's change page shows its
public link and a QR code of it, made here with segno. What a cart may hold is
``checkout.cart_rules``, the rules the ``template-cart/*`` actions apply too."""

import segno
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.html import format_html

from catalog.models import Product
from checkout.admin.common import form_error, scoped_to_merchant_stores
from checkout.cart_rules import breaks_subscription_rule, unpriced_products
from checkout.carts import clean_cart_currency, clean_cart_name, clean_cart_success_url
from checkout.links import public_cart_url
from checkout.models import TemplateCart, TemplateCartItem
from stores.admin import MerchantScopedAdmin
from stores.admin_forms import AdminRequestForm, merchant_of
from stores.roles import Capability

QR_SCALE = 6
QR_BORDER = 4


class TemplateCartForm(AdminRequestForm):
    class Meta:
        model = TemplateCart
        fields = ["store", "environment", "name", "currency", "success_url", "active"]
        labels = {"success_url": "Success URL"}
        help_texts = {
            "currency": "ISO 4217 code, e.g. USD. Every item must have a price in it.",
            "success_url": "Where buyers go after paying; empty shows the receipt.",
        }

    # The rules of the template-cart/* actions, word for word (one rule, two doors); the
    # admin only spares a typist the case of a currency code.
    def clean_name(self):
        return form_error(clean_cart_name, value=self.cleaned_data.get("name") or "")

    def clean_currency(self):
        code = self.cleaned_data.get("currency") or ""
        return form_error(clean_cart_currency, value=code.strip().upper())

    def clean_success_url(self):
        url = (self.cleaned_data.get("success_url") or "").strip()
        return form_error(clean_cart_success_url, value=url)


class ProductChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, product):
        return str(product)


class TemplateCartItemForm(forms.ModelForm):
    product = ProductChoiceField(queryset=Product.objects.none())
    quantity = forms.IntegerField(min_value=1, max_value=99, initial=1)

    class Meta:
        model = TemplateCartItem
        fields = ["product", "quantity", "position"]


class TemplateCartItemFormSet(forms.BaseInlineFormSet):
    """Products to choose from are the merchant's (the cart's store's once it exists); on
    save every product must belong to the cart's store and be sold in its currency."""

    admin_request = None  # set per request by the inline

    def product_queryset(self):
        products = Product.objects.select_related("test_version", "prod_version")
        request = self.admin_request
        if request is not None and not request.user.is_superuser:
            merchant = merchant_of(request.user)
            if merchant is None:
                return products.none()
            products = products.reachable_by(merchant.pk)
        cart = self.instance
        if cart is not None and not cart._state.adding and cart.store_id:
            products = products.filter(store_id=cart.store_id)
        return products.order_by("store__name", "created_at")

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if not hasattr(self, "_products"):
            self._products = self.product_queryset()
        form.fields["product"].queryset = self._products

    def clean(self):
        super().clean()
        cart = self.instance
        chosen = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            product = form.cleaned_data.get("product")
            if product is None:
                continue
            if cart.store_id and product.store_id != cart.store_id:
                form.add_error(
                    "product", "This product belongs to another store than the cart's store."
                )
                continue
            chosen.append((form, product, form.cleaned_data.get("quantity") or 1))
        self._check_prices(cart, chosen)
        if chosen and breaks_subscription_rule(items=[(p, quantity) for _, p, quantity in chosen]):
            raise ValidationError(
                "A cart with a subscription must hold that one subscription only, quantity 1."
            )

    @staticmethod
    def _check_prices(cart, chosen):
        if not (cart.currency and cart.environment and chosen):
            return
        unpriced = unpriced_products(
            products=[product for _, product, _ in chosen],
            environment=cart.environment,
            currency=cart.currency,
        )
        unpriced_ids = {product.pk for product in unpriced}
        for form, product, _ in chosen:
            if product.pk in unpriced_ids:
                form.add_error(
                    "product",
                    f"This product has no {cart.currency} price in {cart.environment}.",
                )


class TemplateCartItemInline(admin.TabularInline):
    model = TemplateCartItem
    form = TemplateCartItemForm
    formset = TemplateCartItemFormSet
    fields = ("product", "quantity", "position")
    extra = 1
    verbose_name = "item"
    verbose_name_plural = "items"

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)  # a new class per call
        formset.admin_request = request
        return formset

    # Items are part of the cart: whoever may add or change the cart may edit its items.
    def _cart_perm(self, request, action: str) -> bool:
        return request.user.has_perm(f"checkout.{action}_templatecart")

    def has_view_permission(self, request, obj=None):
        return self._cart_perm(request, "view") or self._cart_perm(request, "change")

    def has_add_permission(self, request, obj=None):
        return self._cart_perm(request, "change" if obj is not None else "add")

    def has_change_permission(self, request, obj=None):
        return self._cart_perm(request, "change" if obj is not None else "add")

    def has_delete_permission(self, request, obj=None):
        return obj is not None and self._cart_perm(request, "change")


@admin.register(TemplateCart)
class TemplateCartAdmin(MerchantScopedAdmin):
    capability = Capability.CATALOG
    form = TemplateCartForm
    inlines = (TemplateCartItemInline,)
    list_display = (
        "name",
        "store",
        "environment",
        "currency",
        "item_count",
        "active",
        "created_at",
    )
    list_select_related = ("store",)
    list_filter = ("environment", "active", ("store", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name",)

    def scope(self, queryset, merchant):
        return scoped_to_merchant_stores(queryset, merchant)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(items_total=Count("items", distinct=True))

    def get_fieldsets(self, request, obj=None):
        main = ["store", "environment", "name", "currency", "success_url", "active"]
        if obj is None:
            return [(None, {"fields": main})]
        return [
            (None, {"fields": main}),
            (
                "Public link",
                {
                    "fields": ["public_id", "public_link", "qr_code"],
                    "description": "Buyers who open the link or scan the code get a checkout "
                    "of their own with today's prices; the cart itself never changes.",
                },
            ),
            ("History", {"fields": ["created_at", "updated_at"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        # A cart stays in its store: its items and printed codes belong to it.
        return ("store", "public_id", "public_link", "qr_code", "created_at", "updated_at")

    @admin.display(description="Items", ordering="items_total")
    def item_count(self, obj):
        return obj.items_total

    @admin.display(description="Cart ID (ULID)")
    def public_id(self, obj):
        return format_html("<code>{}</code>", obj.public_id)

    @admin.display(description="Public URL")
    def public_link(self, obj):
        url = public_cart_url(obj)
        return format_html('<a href="{0}" id="cart-public-url">{0}</a>', url)

    @admin.display(description="QR code")
    def qr_code(self, obj):
        url = public_cart_url(obj)
        qr = segno.make(url, error="m", micro=False)
        width, height = qr.symbol_size(scale=QR_SCALE, border=QR_BORDER)
        data_uri = qr.png_data_uri(scale=QR_SCALE, border=QR_BORDER)
        return format_html(
            '<img src="{}" alt="QR code of {}" width="{}" height="{}" id="cart-qr-code">'
            '<br><a href="{}" download="cart-{}.png">Download PNG</a>',
            data_uri,
            url,
            width,
            height,
            data_uri,
            obj.public_id,
        )
