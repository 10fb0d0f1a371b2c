"""Stores, the merchant itself, its memberships and keys: only what the key's merchant
may reach (another merchant's store is null by ID and absent from every list)."""

import strawberry
from django.db.models import Prefetch
from strawberry.types import Info

from graphql_api.filters import StoreFilter, apply_filter
from graphql_api.scope import maybe_id, page, scope_of
from graphql_api.types.stores import ApiKey, Merchant, Store, StoreMerchant
from stores import selectors
from webhooks.selectors import endpoints_seen_by


def _stores(info: Info, store_filter: StoreFilter | None):
    merchant_id = scope_of(info).merchant_id
    stores = selectors.stores_for_merchant(merchant_id=merchant_id)
    # The endpoints the merchant's role may see, for every store of the page in one query.
    seen = Prefetch("webhooks", endpoints_seen_by(merchant_id=merchant_id), to_attr="webhooks_seen")
    return apply_filter(stores, store_filter).prefetch_related(seen)


@strawberry.type
class StoreQueries:
    @strawberry.field
    def stores(
        self,
        info: Info,
        limit: int | None = None,
        offset: int | None = None,
        filter: StoreFilter | None = None,
    ) -> list[Store]:
        rows = page(_stores(info, filter).order_by("-created_at"), limit=limit, offset=offset)
        return [Store(row=row) for row in rows]

    @strawberry.field
    def stores_count(self, info: Info, filter: StoreFilter | None = None) -> int:
        return _stores(info, filter).count()

    @strawberry.field
    def store(self, info: Info, id: strawberry.ID) -> Store | None:
        store_id = maybe_id("STO", id)
        row = _stores(info, None).filter(pk=store_id).first() if store_id else None
        return Store(row=row) if row else None

    @strawberry.field
    def merchant(self, info: Info, id: strawberry.ID) -> Merchant | None:
        merchant_id = scope_of(info).merchant_id
        asked = maybe_id("MER", id)
        row = asked and selectors.merchant_itself(merchant_id=merchant_id, asked_id=asked)
        if not row:
            return None
        memberships = selectors.memberships_of_merchant(merchant_id=merchant_id)
        keys = selectors.api_keys_of_merchant(merchant_id=merchant_id)
        return Merchant(
            row=row,
            store_merchants=[StoreMerchant(row=membership) for membership in memberships],
            api_keys=[ApiKey(row=key) for key in keys],
        )

    @strawberry.field
    def store_merchants(
        self, info: Info, limit: int | None = None, offset: int | None = None
    ) -> list[StoreMerchant]:
        memberships = selectors.memberships_of_merchant(merchant_id=scope_of(info).merchant_id)
        rows = page(memberships.order_by("-created_at"), limit=limit, offset=offset)
        return [StoreMerchant(row=row) for row in rows]

    @strawberry.field
    def store_merchants_count(self, info: Info) -> int:
        return selectors.memberships_of_merchant(merchant_id=scope_of(info).merchant_id).count()

    @strawberry.field
    def api_keys(
        self, info: Info, limit: int | None = None, offset: int | None = None
    ) -> list[ApiKey]:
        keys = selectors.api_keys_of_merchant(merchant_id=scope_of(info).merchant_id)
        return [ApiKey(row=row) for row in page(keys, limit=limit, offset=offset)]

    @strawberry.field
    def api_keys_count(self, info: Info) -> int:
        return selectors.api_keys_of_merchant(merchant_id=scope_of(info).merchant_id).count()
