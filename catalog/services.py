"""Writes for products: create, version on change, publish test → prod, status per environment."""

from typing import Any

from django.db import transaction

from catalog import content
from catalog.models import Product, ProductPrice, ProductType, ProductVersion, VersionStatus
from core.errors import BadRequest, NotFound
from core.types import UNSET
from stores.models import Environment, Store


def _write_version(*, product: Product, new: content.VersionContent, digest: str) -> ProductVersion:
    product.version_count += 1
    version = ProductVersion.objects.create(
        product=product,
        number=product.version_count,
        name=new.name,
        description=new.description,
        media=new.media,
        metadata=new.metadata,
        success_url=new.success_url,
        billing_period=new.billing_period,
        requires_shipping=new.requires_shipping,
        content_hash=digest,
    )
    ProductPrice.objects.bulk_create(
        ProductPrice(
            version=version,
            currency=price.currency,
            amount_minor=price.amount_minor,
            tax_category=price.tax_category,
            tax_included=price.tax_included,
            trial_amount_minor=price.trial_amount_minor,
        )
        for price in new.prices
    )
    return version


def product_create(
    *,
    store: Store,
    product_type: str,
    name: Any,
    prices: Any,
    description: Any = None,
    media: Any = None,
    success_url: Any = None,
    metadata: Any = None,
    billing_period: Any = None,
    requires_shipping: Any = None,
) -> Product:
    """A product with its first version as the test version; prod waits for publish."""
    cleaned_metadata = content.clean_metadata(metadata)
    new = content.VersionContent(
        name=content.clean_name(name),
        description=content.clean_description(description),
        media=content.clean_media(media),
        metadata=cleaned_metadata,
        success_url=content.clean_success_url(success_url),
        billing_period=(
            content.clean_billing_period(billing_period)
            if product_type == ProductType.SUBSCRIPTION
            else None
        ),
        prices=content.clean_prices(prices, product_type=product_type, metadata=cleaned_metadata),
        requires_shipping=content.clean_requires_shipping(requires_shipping),
    )
    with transaction.atomic():
        product = Product(store=store, type=product_type)
        version = _write_version(product=product, new=new, digest=new.content_hash())
        product.test_version = version
        product.save()
    return product


def _or_current(value: Any, clean, current: Any) -> Any:
    """An update's field: the current version's value when omitted, else the cleaned one."""
    return current if value is UNSET else clean(value)


def product_update(
    *,
    product: Product,
    name: Any = UNSET,
    prices: Any = UNSET,
    description: Any = UNSET,
    media: Any = UNSET,
    success_url: Any = UNSET,
    metadata: Any = UNSET,
    billing_period: Any = UNSET,
    requires_shipping: Any = UNSET,
) -> Product:
    """A new immutable version from the current test version plus the given fields.

    Omitted fields keep their value; ``prices`` replaces the whole price map. When nothing
    changes, nothing is written. ``product`` must be locked by the caller's transaction.
    """
    current = product.test_version
    current_prices = tuple(
        content.PriceContent(
            p.currency, p.amount_minor, p.tax_category, p.tax_included, p.trial_amount_minor
        )
        for p in current.prices.all()
    )
    new_metadata = _or_current(metadata, content.clean_metadata, current.metadata)
    if billing_period is not UNSET and product.type != ProductType.SUBSCRIPTION:
        raise BadRequest("billingPeriod is only allowed on subscription products", layer="product")
    new = content.VersionContent(
        name=_or_current(name, content.clean_name, current.name),
        description=_or_current(description, content.clean_description, current.description),
        media=_or_current(media, content.clean_media, current.media),
        metadata=new_metadata,
        success_url=_or_current(success_url, content.clean_success_url, current.success_url),
        billing_period=_or_current(
            billing_period, content.clean_billing_period, current.billing_period
        ),
        prices=(
            content.clean_prices(prices, product_type=product.type, metadata=new_metadata)
            if prices is not UNSET
            else current_prices
        ),
        requires_shipping=_or_current(
            requires_shipping, content.clean_requires_shipping, current.requires_shipping
        ),
    )
    if prices is UNSET:
        content.require_trial_days(new.prices, new.metadata)
    digest = new.content_hash()
    if digest == current.content_hash:
        return product
    version = _write_version(product=product, new=new, digest=digest)
    product.test_version = version
    product.save(update_fields=["test_version", "version_count", "updated_at"])
    return product


def product_publish(*, product: Product) -> Product:
    """Promote the test version to prod. Publishing what prod already has changes nothing."""
    if product.test_version_id is None:
        raise NotFound("Product not found or not active for this environment", layer="product")
    if product.prod_version_id != product.test_version_id:
        product.prod_version_id = product.test_version_id
        product.prod_version = product.test_version
        product.save(update_fields=["prod_version", "updated_at"])
    return product


def product_set_status(*, product: Product, environment: str, status: Any) -> Product:
    if status is None:
        raise BadRequest("Missing required field: status", layer="product")
    if status not in VersionStatus.values:
        raise BadRequest(
            f'Invalid status: expected one of [active, inactive], got "{status}"', layer="product"
        )
    field = "prod_status" if environment == Environment.PROD else "test_status"
    if getattr(product, field) != status:
        setattr(product, field, status)
        product.save(update_fields=[field, "updated_at"])
    return product
