"""Rules a partner grant follows when a merchant makes or changes one.

A grant lets a partner sell one store: every product of it, or only those listed. The
listed products are checked against the grant's store here, once, for every surface.
"""

from catalog.models import Product
from core.errors import BadRequest
from stores.models import Store

PRODUCT_OF_OTHER_STORE = "Every product must belong to the chosen store."


def check_grant_products(*, store: Store | None, products: list[Product] | None) -> None:
    """A grant lists products of its own store only: a product of another store would be
    sold under a grant its merchant never gave."""
    if store and products and any(product.store_id != store.pk for product in products):
        raise BadRequest(PRODUCT_OF_OTHER_STORE, layer="store")
