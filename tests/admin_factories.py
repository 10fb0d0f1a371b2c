"""Factories and helpers for the admin tests: merchants are made by the real service, so
their staff flag and group permissions are the ones production gives them."""

import json

import factory
from django.urls import reverse

from catalog.models import Product
from core.money import format_amount
from stores import services, settings_schema
from stores.admin_forms import NOTIFICATION_CHOICES
from stores.models import Merchant, Store
from stores.theme_form import theme_initial
from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"


class AdminMerchantFactory(factory.Factory):
    """A merchant through ``stores.services.merchant_create`` (staff, "Merchants" group)."""

    class Meta:
        model = Merchant

    email = factory.Sequence(lambda n: f"shop{n}@example.com")
    password = PASSWORD

    @classmethod
    def _create(cls, model_class, *, email, password):
        return services.merchant_create(email=email, password=password)

    _build = _create


class SuperuserFactory(UserFactory):
    username = factory.Sequence(lambda n: f"staff{n}@example.com")
    is_superuser = True


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def changelist_url(model) -> str:
    return admin_url(model, "changelist")


def add_url(model) -> str:
    return admin_url(model, "add")


def change_url(obj) -> str:
    return admin_url(type(obj), "change", obj.pk)


def store_form_data(store: Store, **overrides) -> dict:
    """What the store change form posts when the merchant changes only ``overrides``."""
    effective = settings_schema.effective_notification_settings(store.notification_settings)
    data = {
        "name": store.name,
        "status": store.status,
        "logo": store.logo,
        "support_email": store.support_email,
        "website": store.website,
        **{
            name: ("on" if value is True else value)
            for name, value in theme_initial(store.checkout_settings).items()
            if value is not False
        },
        "notifications": [key for key, _ in NOTIFICATION_CHOICES if effective[key]],
        "_save": "Save",
        **team_form_data(store),
    }
    data.update(overrides)
    return data


def team_form_data(store: Store, new: list[dict] | None = None) -> dict:
    """The store page's team inline as posted unchanged, plus ``new`` rows (email, role);
    override ``memberships-N-role`` or add ``memberships-N-DELETE`` to change a row."""
    rows = list(store.memberships.order_by("pk"))
    new = new or []
    data = {
        "memberships-TOTAL_FORMS": str(len(rows) + len(new)),
        "memberships-INITIAL_FORMS": str(len(rows)),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data |= {
            f"memberships-{index}-id": str(row.pk),
            f"memberships-{index}-store": str(store.pk),
            f"memberships-{index}-role": row.role,
        }
    for index, row in enumerate(new, start=len(rows)):
        data |= {
            f"memberships-{index}-store": str(store.pk),
            **{f"memberships-{index}-{key}": value for key, value in row.items()},
        }
    return data


def rows_data(name: str, rows: list[dict]) -> dict:
    """What a row editor (stores.admin_rows) posts: a row count and one input per cell;
    a ticked checkbox posts "on", an unticked one nothing."""
    data = {f"{name}-rows": str(len(rows))}
    for index, row in enumerate(rows):
        for key, value in row.items():
            if value is True:
                data[f"{name}-{index}-{key}"] = "on"
            elif value is not False:
                data[f"{name}-{index}-{key}"] = value
    return data


def price_rows(prices: dict) -> dict:
    """Price rows from a price map in the API's shape."""
    return rows_data(
        "prices",
        [
            {
                "currency": currency,
                "amount": price.get("amount", ""),
                "tax_category": price.get("taxCategory", ""),
                "tax_included": bool(price.get("taxIncluded")),
                "trial_amount": price.get("trialAmount", ""),
            }
            for currency, price in prices.items()
        ],
    )


def metadata_rows(metadata: dict) -> dict:
    return rows_data(
        "metadata",
        [
            {"key": key, "value": value if isinstance(value, str) else json.dumps(value)}
            for key, value in metadata.items()
        ],
    )


def media_rows(media: list) -> dict:
    return rows_data("media", [dict(item) for item in media])


def product_form_data(product: Product, **overrides) -> dict:
    """What the product change form posts when the merchant changes only ``overrides``
    (``prices``, ``media`` and ``metadata`` in the API's shape, posted as rows)."""
    version = product.test_version
    prices = {}
    for price in version.prices.all():
        prices[price.currency] = {
            "amount": format_amount(price.amount_minor, price.currency),
            "taxCategory": price.tax_category,
            "taxIncluded": price.tax_included,
        }
    data = {
        "name": version.name,
        "description": version.description or "",
        "success_url": version.success_url or "",
        "billing_period": version.billing_period or "",
        "_save": "Save",
    }
    data.update(price_rows(overrides.pop("prices", prices)))
    data.update(media_rows(overrides.pop("media", version.media)))
    data.update(metadata_rows(overrides.pop("metadata", version.metadata)))
    data.update(overrides)
    return data


def action_data(action: str, *objects) -> dict:
    return {
        "action": action,
        "_selected_action": [str(obj.pk) for obj in objects],
        "index": 0,
    }


def form_errors(response) -> dict:
    """Field errors (and ``__all__``) of the admin form in a re-rendered change page."""
    form = response.context["adminform"].form
    return {field: [str(error) for error in errors] for field, errors in form.errors.items()}
