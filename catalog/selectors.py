"""Reads for products, scoped to the merchant asking: anyone else's product is a 404."""

import uuid

from catalog.models import Product, ProductPrice, ProductVersion
from core.errors import NotFound
from stores.models import Store


def product_for_merchant(
    *, merchant_id: uuid.UUID, product_id: uuid.UUID, product_type: str, for_update: bool = False
) -> Product:
    queryset = Product.objects.reachable_by(merchant_id).filter(type=product_type)
    if for_update:
        # The versions are read once the lock is held, never joined into the locking query:
        # a waiter's join would still show the versions from before the winner's update
        # (PostgreSQL re-checks only the locked row), so it would build on a stale version.
        queryset = queryset.select_for_update(of=("self",)).select_related("store")
    else:
        queryset = queryset.select_related("store", "test_version", "prod_version")
    try:
        return queryset.get(pk=product_id)
    except Product.DoesNotExist:
        raise NotFound("Product not found", layer="product") from None


def version_prices(*, version_id: uuid.UUID) -> list[ProductPrice]:
    return list(ProductPrice.objects.filter(version_id=version_id).order_by("currency"))


def storefront_listing(
    *, store: Store, environment: str
) -> list[tuple[Product, ProductVersion, list[ProductPrice]]]:
    """The store's products on sale in ``environment``, oldest first, each with the version
    sold there and that version's prices: two queries, whatever the number of products."""
    products = [
        product
        for product in store.products.select_related("test_version", "prod_version").order_by(
            "created_at"
        )
        if product.is_sellable_in(environment)
    ]
    versions = {product.pk: product.version_in(environment) for product in products}
    prices: dict = {}
    for price in ProductPrice.objects.filter(version__in=versions.values()):
        prices.setdefault(price.version_id, []).append(price)
    return [
        (product, versions[product.pk], prices.get(versions[product.pk].pk, []))
        for product in products
    ]
