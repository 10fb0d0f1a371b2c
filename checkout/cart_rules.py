"""What a template cart may hold, for every place that edits one: the ``template-cart/*``
actions (``checkout.carts``) and the admin. Each surface words its own errors; the rules
are these.

``cart_begin`` applies the same rules when a buyer opens the link, so a cart saved against
them fails only when something changed since (a price removed, a product withdrawn).
"""

from catalog.models import Product, ProductPrice, ProductType


def unpriced_products(*, products: list[Product], environment: str, currency: str) -> list[Product]:
    """The products (in the order given) whose version in ``environment`` has no price in
    ``currency``. A product not yet published there has no version and passes: the cart
    works once it is published with that price."""
    versions = {product.pk: product.version_in(environment) for product in products}
    priced = set(
        ProductPrice.objects.filter(
            version_id__in=[v.pk for v in versions.values() if v], currency=currency
        ).values_list("version_id", flat=True)
    )
    return [
        product
        for product in products
        if versions[product.pk] is not None and versions[product.pk].pk not in priced
    ]


def breaks_subscription_rule(*, items: list[tuple[Product, int]]) -> bool:
    """A cart with a subscription must hold that one subscription only, quantity 1: a
    checkout starts one subscription and has no way to bill goods alongside it."""
    subscriptions = [product for product, _ in items if product.type == ProductType.SUBSCRIPTION]
    return bool(subscriptions) and (len(items) > 1 or items[0][1] != 1)
