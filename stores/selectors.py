"""Reads for stores, always scoped to the merchant asking: another merchant's store is a 404."""

import uuid

from core.errors import NotFound
from stores.models import ApiKey, Store, StoreMembership, StoreStatus


def store_membership(*, merchant_id: uuid.UUID, store_id: uuid.UUID) -> StoreMembership:
    """The merchant's membership with the store loaded, in one query."""
    try:
        return StoreMembership.objects.select_related("store").get(
            merchant_id=merchant_id, store_id=store_id, store__deleted_at__isnull=True
        )
    except StoreMembership.DoesNotExist:
        raise NotFound("Store not found", layer="store") from None


def usable_api_keys(*, merchant_id: uuid.UUID) -> list[ApiKey]:
    """Keys that may verify a signature for this merchant, with the merchant's user."""
    return list(
        ApiKey.objects.usable()
        .filter(merchant_id=merchant_id, merchant__user__is_active=True)
        .select_related("merchant")
    )


def open_store(*, slug: str) -> Store | None:
    """The store a hosted storefront shows at ``/store/<slug>/``: alive and active, else
    None (a suspended or deleted store has no public pages)."""
    return Store.objects.alive().filter(slug=slug, status=StoreStatus.ACTIVE).first()
