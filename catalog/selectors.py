"""Reads for products, scoped to the merchant asking: anyone else's product is a 404."""

import uuid

from catalog.models import Product, ProductPrice
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


def version_prices(*, version_id: uuid.UUID) -> list[ProductPrice]:
    return list(ProductPrice.objects.filter(version_id=version_id).order_by("currency"))
