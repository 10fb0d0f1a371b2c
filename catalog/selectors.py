"""Reads for products, scoped to the merchant asking: anyone else's product is a 404."""

import uuid

from django.db.models import Prefetch

from catalog.models import Product, ProductPrice, ProductVersion
from core.errors import NotFound


def product_for_merchant(
    *, merchant_id: uuid.UUID, product_id: uuid.UUID, product_type: str, for_update: bool = False
) -> Product:
    queryset = Product.objects.reachable_by(merchant_id).filter(type=product_type)
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    try:
        return queryset.select_related("store", "test_version", "prod_version").get(pk=product_id)
    except Product.DoesNotExist:
        raise NotFound("Product not found", layer="product") from None


def version_with_prices(*, version_id: uuid.UUID) -> ProductVersion:
    return ProductVersion.objects.prefetch_related(
        Prefetch("prices", queryset=ProductPrice.objects.order_by("currency"))
    ).get(pk=version_id)
