"""Reads for stores, always scoped to the merchant asking: another merchant's store is a 404."""

import uuid

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from core.errors import NotFound
from stores import key_cache
from stores.models import ApiKey, Merchant, Store, StoreMembership, StoreStatus


def store_membership(*, merchant_id: uuid.UUID, store_id: uuid.UUID) -> StoreMembership:
    """The merchant's membership with the store loaded, in one query."""
    try:
        return StoreMembership.objects.select_related("store").get(
            merchant_id=merchant_id, store_id=store_id, store__deleted_at__isnull=True
        )
    except StoreMembership.DoesNotExist:
        raise NotFound("Store not found", layer="store") from None


def live_store_with_member(*, store_id: uuid.UUID, member_id: uuid.UUID) -> Store | None:
    """A live store (None when there is none), carrying ``store_has_member``: "no such
    store" and "not this merchant's store" are different answers, read in one statement."""
    return (
        Store.objects.alive()
        .filter(pk=store_id)
        .annotate(
            store_has_member=Exists(
                StoreMembership.objects.filter(store_id=OuterRef("pk"), merchant_id=member_id)
            )
        )
        .first()
    )


def role_in_store(*, merchant_id: uuid.UUID, store_id: uuid.UUID | Subquery) -> str | None:
    """The merchant's role in a live store, None when it is not a member. ``store_id`` may
    be a subquery (the store of a product, a payment, …): one statement either way."""
    return (
        StoreMembership.objects.filter(
            merchant_id=merchant_id, store_id=store_id, store__deleted_at__isnull=True
        )
        .values_list("role", flat=True)
        .first()
    )


def usable_api_keys(*, merchant_id: uuid.UUID) -> list[ApiKey]:
    """Keys that may verify a signature for this merchant, with the merchant's user (kept a
    few seconds per process: ``stores.key_cache``)."""
    return key_cache.cached_keys(
        merchant_id=merchant_id,
        load=lambda: list(
            ApiKey.objects.usable()
            .filter(merchant_id=merchant_id, merchant__user__is_active=True)
            .select_related("merchant")
        ),
    )


def open_store(*, slug: str) -> Store | None:
    """The store a hosted storefront shows at ``/store/<slug>/``: alive and active, else
    None (a suspended or deleted store has no public pages)."""
    return Store.objects.alive().filter(slug=slug, status=StoreStatus.ACTIVE).first()


def stores_for_merchant(*, merchant_id: uuid.UUID) -> QuerySet[Store]:
    """Every live store the merchant is a member of (the read API's lists start here)."""
    return Store.objects.reachable_by(merchant_id)


def memberships_of_merchant(*, merchant_id: uuid.UUID) -> QuerySet[StoreMembership]:
    """The merchant's memberships of live stores, each with its store."""
    return StoreMembership.objects.filter(
        merchant_id=merchant_id, store__deleted_at__isnull=True
    ).select_related("store")


def api_keys_of_merchant(*, merchant_id: uuid.UUID) -> QuerySet[ApiKey]:
    """The merchant's own API keys, revoked ones included (a key list shows history)."""
    return ApiKey.objects.filter(merchant_id=merchant_id)


def merchant_itself(*, merchant_id: uuid.UUID, asked_id: uuid.UUID) -> Merchant | None:
    """A merchant sees only itself: any other merchant is None (not found)."""
    if asked_id != merchant_id:
        return None
    return Merchant.objects.select_related("user").filter(pk=merchant_id).first()
