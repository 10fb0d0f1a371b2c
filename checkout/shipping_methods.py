"""A store's shipping methods: where they reach, and the rules a method's settings follow.

``checkout.shipping`` ships one session (its address, the methods that serve it, the chosen
one); this module is about the methods a merchant sets up. The admin form raises what these
functions raise (``AppError`` messages are the admin's field errors).
"""

import uuid

from checkout.models import ShippingMethod


def shipping_destinations(*, store_id: uuid.UUID, currency: str) -> frozenset[str]:
    """Country codes the store's active methods priced in ``currency`` ship to; empty when
    one of them ships everywhere (then there is nothing to tell a buyer) or none exists."""
    codes: set[str] = set()
    for method in ShippingMethod.objects.filter(store_id=store_id, active=True).only(
        "prices", "countries"
    ):
        if currency not in (method.prices or {}):
            continue
        if not method.countries:
            return frozenset()
        codes.update(method.countries)
    return frozenset(codes)
