"""Template carts and shipping methods in admin, scoped to the merchant's stores like the rest
of the merchant admin (see ``stores.admin.MerchantScopedAdmin``).

Money is typed as display strings ("5.00", "4500" for JPY) and stored in minor units; a cart's
change page shows its public link and a QR code of it, made here with segno.
"""

import segno
from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.html import format_html

from catalog.admin_forms import AmountsAsTextDecoder
from catalog.models import Product
from checkout.cart_rules import breaks_subscription_rule, unpriced_products
from checkout.links import public_cart_url
from checkout.models import ShippingMethod, TemplateCart, TemplateCartItem
from checkout.shipping_methods import (
    check_free_above,
    currency_in_use,
    parse_amounts,
    parse_ship_to,
)
from core.errors import AppError
from core.money import format_amount
from stores.admin import MerchantScopedAdmin
from stores.admin_forms import AdminRequestForm, PrettyJSONField, merchant_of

QR_SCALE = 6
QR_BORDER = 4


def _scoped_to_merchant_stores(queryset, merchant, store_path: str = "store"):
    return queryset.filter(
        **{
            f"{store_path}__memberships__merchant": merchant,
            f"{store_path}__deleted_at__isnull": True,
        }
    )


def _form_error(rule, *args, **kwargs):
    """A domain rule's answer as the form's error: the rule's message, word for word."""
    try:
        return rule(*args, **kwargs)
    except AppError as error:
        raise ValidationError(error.message) from None


def _display_amounts(amounts: dict | None) -> dict[str, str]:
    return {
        currency: format_amount(int(minor), currency)
        for currency, minor in sorted((amounts or {}).items())
    }


def amounts_line(amounts: dict | None) -> str:
    """ "EUR 4.50, USD 5.00": exact per-currency strings, never a float."""
    return ", ".join(f"{c} {text}" for c, text in _display_amounts(amounts).items()) or "—"


# Template carts ----------------------------------------------------------------------------


class TemplateCartForm(AdminRequestForm):
    class Meta:
        model = TemplateCart
        fields = ["store", "environment", "name", "currency", "success_url", "active"]
        labels = {"success_url": "Success URL"}
        help_texts = {
            "currency": "ISO 4217 code, e.g. USD. Every item must have a price in it.",
            "success_url": "Where buyers go after paying; empty shows the receipt.",
        }

    def clean_name(self):
        name = (self.cleaned_data.get("name") or "").strip()
        if not name:
            raise ValidationError("Enter a name.")
        return name

    def clean_currency(self):
        return _form_error(currency_in_use, self.cleaned_data.get("currency"))

    def clean_success_url(self):
        url = (self.cleaned_data.get("success_url") or "").strip()
        # Outside development only https, like a product's success URL: browsers apply the
        # checkout page's CSP form-action to the redirect after paying.
        schemes = ("https://", "http://") if settings.RELAXED else ("https://",)
        if url and not url.lower().startswith(schemes):
            raise ValidationError(
                "Enter an https URL." if len(schemes) == 1 else "Enter an http or https URL."
            )
        return url


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
        return _scoped_to_merchant_stores(queryset, merchant)

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


# Shipping methods --------------------------------------------------------------------------

PRICES_HELP = (
    'Price per currency as text in the currency\'s units, e.g. {"USD": "5.00", "EUR": "4.50", '
    '"JPY": "700"}. Buyers paying in a currency not listed here are not offered this method.'
)
FREE_ABOVE_HELP = (
    'Optional: from which goods subtotal shipping is free, per currency, e.g. {"USD": "100.00"}.'
)
COUNTRIES_HELP = (
    "ISO 3166-1 alpha-2 codes separated by commas, e.g. “US, CA”. Empty ships everywhere."
)


class ShippingMethodForm(AdminRequestForm):
    prices = PrettyJSONField(decoder=AmountsAsTextDecoder, help_text=PRICES_HELP)
    free_above = PrettyJSONField(
        label="Free above",
        required=False,
        decoder=AmountsAsTextDecoder,
        help_text=FREE_ABOVE_HELP,
    )
    countries = forms.CharField(required=False, help_text=COUNTRIES_HELP)

    class Meta:
        model = ShippingMethod
        fields = [
            "store",
            "name",
            "prices",
            "countries",
            "free_above",
            "delivery_estimate",
            "active",
            "position",
        ]
        help_texts = {
            "delivery_estimate": "Shown to buyers, e.g. “3 to 5 business days”.",
            "position": "Methods are offered in this order.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in ("prices", "free_above"):
            self.fields[field].widget.attrs.update(rows=5, cols=40)
        method = self.instance
        if not method._state.adding:
            self.initial["prices"] = _display_amounts(method.prices)
            self.initial["free_above"] = _display_amounts(method.free_above)
            self.initial["countries"] = ", ".join(method.countries or [])
        else:
            self.initial.setdefault("prices", {})
            self.initial.setdefault("free_above", {})

    def clean_name(self):
        name = (self.cleaned_data.get("name") or "").strip()
        if not name:
            raise ValidationError("Enter a name.")
        return name

    def clean_prices(self):
        return _form_error(
            parse_amounts, self.cleaned_data.get("prices"), label="price", required=True
        )

    def clean_free_above(self):
        return _form_error(
            parse_amounts, self.cleaned_data.get("free_above"), label="amount", required=False
        )

    def clean_countries(self):
        return _form_error(parse_ship_to, self.cleaned_data.get("countries") or "")

    def clean(self):
        cleaned = super().clean()
        prices, free_above = cleaned.get("prices"), cleaned.get("free_above")
        if prices and free_above:
            try:
                check_free_above(prices=prices, free_above=free_above)
            except AppError as error:
                self.add_error("free_above", error.message)
        return cleaned


@admin.register(ShippingMethod)
class ShippingMethodAdmin(MerchantScopedAdmin):
    form = ShippingMethodForm
    list_display = (
        "name",
        "store",
        "price_list",
        "country_list",
        "free_above_list",
        "delivery_estimate",
        "active",
        "position",
    )
    list_select_related = ("store",)
    list_filter = ("active", ("store", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name",)
    ordering = ("store__name", "position", "id")

    def scope(self, queryset, merchant):
        return _scoped_to_merchant_stores(queryset, merchant)

    def get_readonly_fields(self, request, obj=None):
        # A method stays in its store: sessions and orders name it by its ID.
        return () if obj is None else ("store",)

    @admin.display(description="Prices")
    def price_list(self, obj):
        return amounts_line(obj.prices)

    @admin.display(description="Ships to")
    def country_list(self, obj):
        return ", ".join(obj.countries) if obj.countries else "Everywhere"

    @admin.display(description="Free above")
    def free_above_list(self, obj):
        return amounts_line(obj.free_above)
