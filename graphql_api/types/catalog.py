"""Products and their versions. ``prices`` is ``[CurrencyPrice!]!`` here (the guide: a
list of ``{currency, priceInfo}``), not the REST API's currency-keyed object."""

import strawberry
from strawberry.scalars import JSON

from catalog import models
from core.money import format_amount
from core.timefmt import iso_utc


@strawberry.type
class PriceInfo:
    amount: str
    tax_category: str
    tax_included: bool
    trial_amount: str | None


@strawberry.type
class CurrencyPrice:
    currency: str
    price_info: PriceInfo


def currency_prices(version: models.ProductVersion | None) -> list[CurrencyPrice]:
    if version is None:
        return []
    return [
        CurrencyPrice(
            currency=price.currency,
            price_info=PriceInfo(
                amount=format_amount(price.amount_minor, price.currency),
                tax_category=price.tax_category,
                tax_included=price.tax_included,
                trial_amount=None
                if price.trial_amount_minor is None
                else format_amount(price.trial_amount_minor, price.currency),
            ),
        )
        for price in version.prices.all()
    ]


@strawberry.type
class MediaItem:
    type: str | None
    url: str | None
    alt: str | None
    thumbnail: str | None


def media_items(version: models.ProductVersion) -> list[MediaItem]:
    return [
        MediaItem(
            type=item.get("type"),
            url=item.get("url"),
            alt=item.get("alt"),
            thumbnail=item.get("thumbnail"),
        )
        for item in version.media or []
        if isinstance(item, dict)
    ]


def shown_version(product: models.Product, environment: str) -> models.ProductVersion | None:
    """The version ``environment`` sells; before a first publish prod shows the test one."""
    return product.version_in(environment) or product.test_version


def shown_status(product: models.Product, environment: str) -> str:
    annotated = getattr(product, "shown_status", None)
    if annotated is not None:
        return annotated
    if product.version_in(environment) is None:
        return models.VersionStatus.INACTIVE
    return product.status_in(environment)


@strawberry.interface
class Product:
    row: strawberry.Private[models.Product]
    version: strawberry.Private[models.ProductVersion | None]
    environment: strawberry.Private[str]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.row.public_id)

    @strawberry.field
    def store_id(self) -> str:
        return self.row.store.public_id

    @strawberry.field
    def name(self) -> str:
        return self.version.name if self.version else ""

    @strawberry.field
    def description(self) -> str | None:
        return self.version.description if self.version else None

    @strawberry.field(description="active | inactive, in the caller's environment")
    def status(self) -> str:
        return shown_status(self.row, self.environment)

    @strawberry.field
    def prices(self) -> list[CurrencyPrice]:
        return currency_prices(self.version)

    @strawberry.field
    def media(self) -> list[MediaItem]:
        return media_items(self.version) if self.version else []

    @strawberry.field
    def metadata(self) -> JSON:
        return self.version.metadata if self.version else {}

    @strawberry.field
    def success_url(self) -> str | None:
        return self.version.success_url if self.version else None

    @strawberry.field
    def has_prod_version(self) -> bool:
        return self.row.prod_version_id is not None

    @strawberry.field
    def created_at(self) -> str:
        return iso_utc(self.row.created_at)

    @strawberry.field
    def updated_at(self) -> str:
        return iso_utc(self.row.updated_at)


@strawberry.type
class OnetimeProduct(Product):
    pass


@strawberry.type
class SubscriptionProduct(Product):
    @strawberry.field(description="weekly | monthly | quarterly | yearly")
    def billing_period(self) -> str | None:
        return self.version.billing_period if self.version else None


def product_node(product: models.Product, environment: str, version=None) -> Product:
    kind = (
        SubscriptionProduct if product.type == models.ProductType.SUBSCRIPTION else OnetimeProduct
    )
    version = version or shown_version(product, environment)
    return kind(row=product, version=version, environment=environment)


@strawberry.interface
class ProductVersion:
    row: strawberry.Private[models.ProductVersion]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.row.pk))

    @strawberry.field
    def product_id(self) -> str:
        return self.row.product.public_id

    @strawberry.field
    def version_number(self) -> int:
        return self.row.number

    @strawberry.field
    def name(self) -> str:
        return self.row.name

    @strawberry.field
    def description(self) -> str | None:
        return self.row.description

    @strawberry.field
    def prices(self) -> list[CurrencyPrice]:
        return currency_prices(self.row)

    @strawberry.field
    def media(self) -> list[MediaItem]:
        return media_items(self.row)

    @strawberry.field
    def metadata(self) -> JSON:
        return self.row.metadata

    @strawberry.field(description="The version test checkouts sell now.")
    def is_test_version(self) -> bool:
        return self.row.product.test_version_id == self.row.pk

    @strawberry.field(description="The version prod checkouts sell now.")
    def is_prod_version(self) -> bool:
        return self.row.product.prod_version_id == self.row.pk

    @strawberry.field
    def created_at(self) -> str:
        return iso_utc(self.row.created_at)


@strawberry.type
class OnetimeProductVersion(ProductVersion):
    pass


@strawberry.type
class SubscriptionProductVersion(ProductVersion):
    @strawberry.field
    def billing_period(self) -> str | None:
        return self.row.billing_period
