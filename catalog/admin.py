"""Products in admin: content edited as text, every change a new immutable version made by
``catalog.services``; versions and prices are read-only history."""

from django.contrib import admin, messages
from django.db import transaction
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime

from catalog import services
from catalog.admin_forms import CONTENT_FIELDS, ProductForm
from catalog.models import Product, ProductType, ProductVersion, VersionStatus
from core.errors import AppError
from core.ids import to_short_id
from core.money import format_amount
from stores.admin import MerchantScopedAdmin
from stores.admin.display import key_values_html, media_html
from stores.models import Environment
from stores.roles import Capability

BOTH_LOCATIONS = [admin.ActionLocation.CHANGE_LIST, admin.ActionLocation.CHANGE_FORM]


def prices_line(version: ProductVersion | None) -> str:
    """ "EUR 27.00, JPY 4500, USD 29.00": exact per-currency strings, never a float."""
    if version is None:
        return "—"
    parts = []
    for price in version.prices.all():
        text = f"{price.currency} {format_amount(price.amount_minor, price.currency)}"
        if price.trial_amount_minor is not None:
            trial = format_amount(price.trial_amount_minor, price.currency)
            text += f" (trial {trial})"
        if price.tax_included:
            text += " incl. tax"
        parts.append(text)
    return ", ".join(parts) or "—"


def environment_state(product: Product, environment: str) -> str:
    """One state per environment, as a buyer meets it: "Selling v3", "Inactive (v3)",
    "Not published", and in prod whether it lags behind test."""
    version = product.version_in(environment)
    if version is None:
        return "Not published"
    selling = product.status_in(environment) == VersionStatus.ACTIVE
    state = f"Selling v{version.number}" if selling else f"Inactive (v{version.number})"
    if environment == Environment.PROD and product.prod_version_id != product.test_version_id:
        state += f", test has v{product.test_version.number}"
    return state


def _when(value) -> str:
    return date_format(localtime(value), "DATETIME_FORMAT")


@admin.register(Product)
class ProductAdmin(MerchantScopedAdmin):
    capability = Capability.CATALOG
    form = ProductForm
    list_display = (
        "name",
        "type",
        "store",
        "test_state",
        "prod_state",
        "test_prices",
        "updated_at",
    )
    list_select_related = ("store", "test_version", "prod_version")
    list_filter = (
        "type",
        "test_status",
        "prod_status",
        ("store", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("test_version__name",)
    actions = (
        "publish_to_prod",
        "activate_in_test",
        "deactivate_in_test",
        "activate_in_prod",
        "deactivate_in_prod",
    )

    def scope(self, queryset, merchant):
        return queryset.reachable_by(merchant.pk)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("test_version__prices")

    def get_fieldsets(self, request, obj=None):
        content = list(CONTENT_FIELDS)
        if obj is None:
            return [
                (None, {"fields": ["store", "type"]}),
                ("First version", {"fields": content}),
            ]
        if obj.type != ProductType.SUBSCRIPTION:
            content.remove("billing_period")
        if not self.has_change_permission(request, obj):
            content = ["name", "test_prices"]  # a role that only looks (stores.roles)
        return [
            (
                None,
                {
                    "fields": [
                        "public_id",
                        "store",
                        "type",
                        ("test_state", "prod_state"),
                        ("created_at", "updated_at"),
                    ]
                },
            ),
            (
                "Test version",
                {
                    "fields": content,
                    "description": "Saving a change makes a new version in test; versions "
                    "are never edited. Publish to prod with the “Publish test version to prod” "
                    "action.",
                },
            ),
            ("Version history", {"fields": ["version_history"]}),
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (
            "public_id",
            "store",
            "type",
            "test_state",
            "prod_state",
            "created_at",
            "updated_at",
            "version_history",
        )

    # Columns and read-only fields

    @admin.display(description="ID")
    def public_id(self, obj):
        return obj.public_id

    @admin.display(description="Name", ordering="test_version__name")
    def name(self, obj):
        return obj.test_version.name if obj.test_version_id else "(no version)"

    @admin.display(description="Test")
    def test_state(self, obj):
        return environment_state(obj, Environment.TEST)

    @admin.display(description="Prod")
    def prod_state(self, obj):
        return environment_state(obj, Environment.PROD)

    @admin.display(description="Test prices")
    def test_prices(self, obj):
        return prices_line(obj.test_version)

    @admin.display(description="Versions")
    def version_history(self, obj):
        versions = obj.versions.prefetch_related("prices").order_by("-number")
        rows = []
        for version in versions:
            live = [
                environment
                for environment, version_id in (
                    (Environment.TEST, obj.test_version_id),
                    (Environment.PROD, obj.prod_version_id),
                )
                if version_id == version.pk
            ]
            rows.append(
                (
                    reverse("admin:catalog_productversion_change", args=[version.pk]),
                    version.number,
                    version.name,
                    ", ".join(live) or "—",
                    prices_line(version),
                    _when(version.created_at),
                )
            )
        body = format_html_join(
            "",
            '<tr><td><a href="{}">v{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
            rows,
        )
        return format_html(
            "<table><thead><tr><th>Version</th><th>Name</th><th>Live in</th><th>Prices</th>"
            "<th>Created</th></tr></thead><tbody>{}</tbody></table>",
            body,
        )

    # Actions

    @admin.action(
        description="Publish test version to prod", permissions=["change"], location=BOTH_LOCATIONS
    )
    def publish_to_prod(self, request, queryset):
        self._apply(
            request,
            queryset,
            lambda product: services.product_publish(product=product),
            "published to prod",
        )

    @admin.action(description="Activate in test", permissions=["change"], location=BOTH_LOCATIONS)
    def activate_in_test(self, request, queryset):
        self._set_status(request, queryset, Environment.TEST, VersionStatus.ACTIVE)

    @admin.action(description="Deactivate in test", permissions=["change"], location=BOTH_LOCATIONS)
    def deactivate_in_test(self, request, queryset):
        self._set_status(request, queryset, Environment.TEST, VersionStatus.INACTIVE)

    @admin.action(description="Activate in prod", permissions=["change"], location=BOTH_LOCATIONS)
    def activate_in_prod(self, request, queryset):
        self._set_status(request, queryset, Environment.PROD, VersionStatus.ACTIVE)

    @admin.action(description="Deactivate in prod", permissions=["change"], location=BOTH_LOCATIONS)
    def deactivate_in_prod(self, request, queryset):
        self._set_status(request, queryset, Environment.PROD, VersionStatus.INACTIVE)

    def _set_status(self, request, queryset, environment, status):
        self._apply(
            request,
            queryset,
            lambda product: services.product_set_status(
                product=product, environment=environment, status=status
            ),
            f"{status} in {environment}",
        )

    def _apply(self, request, queryset, change, done: str):
        """Run a service on each selected product (already scoped to the merchant), each
        row locked the way the API locks it."""
        ids = list(queryset.prefetch_related(None).values_list("pk", flat=True))
        changed = 0
        with transaction.atomic():
            products = (
                Product.objects.select_for_update(of=("self",))
                .prefetch_related("test_version")  # read after the locks, never joined
                .filter(pk__in=ids)
                .order_by("pk")
            )
            for product in products:
                before = (product.prod_version_id, product.test_status, product.prod_status)
                try:
                    change(product)
                except AppError as error:
                    self.message_user(
                        request, f"{product.public_id}: {error.message}", messages.ERROR
                    )
                    continue
                changed += before != (
                    product.prod_version_id,
                    product.test_status,
                    product.prod_status,
                )
        self.message_user(request, f"{changed} product(s) {done}.", messages.SUCCESS)


@admin.register(ProductVersion)
class ProductVersionAdmin(MerchantScopedAdmin):
    """Read-only history: versions and their prices are written once, by the services."""

    list_display = ("version", "name", "product_link", "price_list", "created_at")
    search_fields = ("name",)
    ordering = ("-created_at",)
    fields = (
        "product_link",
        "number",
        "name",
        "description",
        "success_url",
        "billing_period",
        "requires_shipping",
        "media_list",
        "metadata_rows",
        "price_list",
        "content_hash",
        "created_at",
    )
    readonly_fields = fields

    def scope(self, queryset, merchant):
        return queryset.filter(
            product__store__memberships__merchant=merchant,
            product__store__deleted_at__isnull=True,
        )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("prices")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="Version", ordering="number")
    def version(self, obj):
        return f"v{obj.number}"

    @admin.display(description="Product")
    def product_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:catalog_product_change", args=[obj.product_id]),
            to_short_id(Product.public_prefix, obj.product_id),
        )

    @admin.display(description="Prices")
    def price_list(self, obj):
        return prices_line(obj)

    @admin.display(description="Media")
    def media_list(self, obj):
        return media_html(obj.media)

    @admin.display(description="Metadata")
    def metadata_rows(self, obj):
        return key_values_html(obj.metadata)
