"""The product form: a product's content as the merchant reads it, written only through
``catalog.services`` (a new immutable version per change), never by editing version rows."""

import json
import re

from django import forms

from catalog import services
from catalog.admin_fields import MediaField, MetadataField, PricesField
from catalog.api.representations import price_json
from catalog.models import BillingPeriod, Product, ProductType, ProductVersion
from stores.admin_forms import ServiceModelForm

PRICES_HELP = (
    "One row per currency. Amounts in the currency's units as you would write them "
    "(29.00 USD, 4500 JPY); a subscription may add a lower trial amount (with a trialDays "
    "metadata key). Empty rows are ignored."
)
MEDIA_HELP = "Images or videos shown on the checkout, in this order; https URLs only."
METADATA_HELP = "Your own data, one key per row (at most 8 KB as JSON)."
# Form field -> service keyword; also what a service message names the field.
CONTENT_FIELDS = {
    "name": "name",
    "description": "description",
    "success_url": "successUrl",
    "billing_period": "billingPeriod",
    "prices": "prices",
    "media": "media",
    "metadata": "metadata",
    "requires_shipping": "requiresShipping",
}
_MESSAGE_FIELD_HINTS = [
    (re.compile(rf"\b{re.escape(word)}\b"), field) for field, word in CONTENT_FIELDS.items()
] + [(re.compile(r"\b[Cc]urrency\b"), "prices")]


class AmountsAsTextDecoder(json.JSONDecoder):
    """Prices never pass through float: a number typed without quotes stays its text."""

    def __init__(self, *args, **kwargs):
        kwargs["parse_float"] = str
        kwargs["parse_int"] = str
        super().__init__(*args, **kwargs)


def price_text(version: ProductVersion) -> dict:
    """A version's prices in the SDK's shape, exactly as the API shows them."""
    return {price.currency: price_json(price) for price in version.prices.all()}


class ProductForm(ServiceModelForm):
    name = forms.CharField(strip=False, help_text="Shown to buyers; at most 200 characters.")
    description = forms.CharField(
        required=False, strip=False, widget=forms.Textarea(attrs={"rows": 4, "cols": 80})
    )
    success_url = forms.CharField(
        label="Success URL",
        required=False,
        help_text="Where buyers go after paying (http or https).",
    )
    billing_period = forms.ChoiceField(
        choices=[("", "---------"), *BillingPeriod.choices],
        required=False,
        help_text="Subscriptions only.",
    )
    prices = PricesField(help_text=PRICES_HELP)
    media = MediaField(help_text=MEDIA_HELP)
    metadata = MetadataField(help_text=METADATA_HELP)
    requires_shipping = forms.BooleanField(
        label="Requires shipping",
        required=False,
        help_text="A physical good: buyers give a shipping address and choose a shipping method.",
    )

    class Meta:
        model = Product
        fields = ["store", "type"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        adding = self.instance._state.adding  # UUID keys exist before the row does
        if not adding and self.instance.type != ProductType.SUBSCRIPTION:
            self.fields.pop("billing_period", None)
        version = None if adding else self.instance.test_version
        if version is None:
            self.initial.setdefault("media", [])
            self.initial.setdefault("metadata", {})
            return
        current = {
            "name": version.name,
            "description": version.description or "",
            "success_url": version.success_url or "",
            "billing_period": version.billing_period or "",
            "prices": price_text(version),
            "media": version.media,
            "metadata": version.metadata,
            "requires_shipping": version.requires_shipping,
        }
        for field, value in current.items():
            self.initial.setdefault(field, value)

    def _service_value(self, field):
        value = self.cleaned_data.get(field)
        if field in ("description", "billing_period") and value == "":
            return None
        return value

    def perform(self):
        if self.instance._state.adding:
            product_type = self.cleaned_data["type"]
            return services.product_create(
                store=self.cleaned_data["store"],
                product_type=product_type,
                name=self.cleaned_data["name"],
                prices=self.cleaned_data["prices"],
                description=self._service_value("description"),
                media=self.cleaned_data["media"],
                success_url=self.cleaned_data["success_url"],
                metadata=self.cleaned_data["metadata"],
                requires_shipping=bool(self.cleaned_data.get("requires_shipping")),
                billing_period=(
                    self._service_value("billing_period")
                    if product_type == ProductType.SUBSCRIPTION
                    else None
                ),
            )
        changes = {
            field: self._service_value(field)
            for field in CONTENT_FIELDS
            if field in self.fields and field in self.changed_data
        }
        if not changes:
            return None
        # Lock the product like the API does (versions read after the lock, see
        # catalog.selectors); the service writes a new version, or nothing when the content
        # is unchanged.
        product = (
            Product.objects.select_for_update(of=("self",))
            .select_related("store")
            .get(pk=self.instance.pk)
        )
        return services.product_update(product=product, **changes)

    def service_error_field(self, error):
        hits = []
        for pattern, field in _MESSAGE_FIELD_HINTS:
            match = pattern.search(error.message)
            if match:
                hits.append((match.start(), field))
        return min(hits)[1] if hits else None
