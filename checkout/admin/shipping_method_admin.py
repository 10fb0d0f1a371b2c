"""Shipping methods in admin, scoped to the merchant's stores. Prices are typed as display
strings ("5.00", "4500" for JPY) and stored in minor units; the rules a method's settings
follow are ``checkout.shipping_methods``'s."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from catalog.admin_forms import AmountsAsTextDecoder
from checkout.admin.common import (
    amounts_line,
    display_amounts,
    form_error,
    scoped_to_merchant_stores,
)
from checkout.models import ShippingMethod
from checkout.shipping_methods import check_free_above, parse_amounts, parse_ship_to
from core.errors import AppError
from stores.admin import MerchantScopedAdmin
from stores.admin_forms import AdminRequestForm, PrettyJSONField
from stores.roles import Capability

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
            self.initial["prices"] = display_amounts(method.prices)
            self.initial["free_above"] = display_amounts(method.free_above)
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
        return form_error(
            parse_amounts, value=self.cleaned_data.get("prices"), label="price", required=True
        )

    def clean_free_above(self):
        return form_error(
            parse_amounts, value=self.cleaned_data.get("free_above"), label="amount", required=False
        )

    def clean_countries(self):
        return form_error(parse_ship_to, text=self.cleaned_data.get("countries") or "")

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
    capability = Capability.STORE_SETTINGS
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
        return scoped_to_merchant_stores(queryset, merchant)

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
