"""One-time and subscription products and their versions, in the caller's environment."""

import strawberry
from strawberry.types import Info

from catalog import selectors
from catalog.models import ProductType
from graphql_api.filters import (
    OnetimeProductFilter,
    ProductVersionFilter,
    SubscriptionProductFilter,
    apply_filter,
)
from graphql_api.scope import decode_id, maybe_id, page, scope_of
from graphql_api.types.catalog import (
    OnetimeProduct,
    OnetimeProductVersion,
    SubscriptionProduct,
    SubscriptionProductVersion,
    product_node,
)


def _products(info: Info, product_type: str, store_id: str | None, product_filter):
    scope = scope_of(info)
    products = selectors.products_for_merchant(
        merchant_id=scope.merchant_id, product_type=product_type, environment=scope.environment
    )
    if store_id is not None:
        products = products.filter(store_id=decode_id("STO", store_id))
    return apply_filter(products, product_filter)


def _list(info, product_type, store_id, product_filter, limit, offset):
    products = _products(info, product_type, store_id, product_filter).order_by("-created_at")
    environment = scope_of(info).environment
    return [product_node(row, environment) for row in page(products, limit=limit, offset=offset)]


def _one(info: Info, product_type: str, product_id: str):
    pk = maybe_id("PROD", product_id)
    row = _products(info, product_type, None, None).filter(pk=pk).first() if pk else None
    return product_node(row, scope_of(info).environment) if row else None


def _versions(info, product_type, product_id, version_filter):
    versions = selectors.versions_for_merchant(
        merchant_id=scope_of(info).merchant_id,
        product_id=decode_id("PROD", product_id),
        product_type=product_type,
    )
    return apply_filter(versions, version_filter)


@strawberry.type
class CatalogQueries:
    @strawberry.field
    def onetime_products(
        self,
        info: Info,
        store_id: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
        filter: OnetimeProductFilter | None = None,
    ) -> list[OnetimeProduct]:
        return _list(info, ProductType.ONETIME, store_id, filter, limit, offset)

    @strawberry.field
    def onetime_products_count(
        self,
        info: Info,
        store_id: str | None = None,
        filter: OnetimeProductFilter | None = None,
    ) -> int:
        return _products(info, ProductType.ONETIME, store_id, filter).count()

    @strawberry.field
    def onetime_product(self, info: Info, id: strawberry.ID) -> OnetimeProduct | None:
        return _one(info, ProductType.ONETIME, id)

    @strawberry.field
    def subscription_products(
        self,
        info: Info,
        store_id: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
        filter: SubscriptionProductFilter | None = None,
    ) -> list[SubscriptionProduct]:
        return _list(info, ProductType.SUBSCRIPTION, store_id, filter, limit, offset)

    @strawberry.field
    def subscription_products_count(
        self,
        info: Info,
        store_id: str | None = None,
        filter: SubscriptionProductFilter | None = None,
    ) -> int:
        return _products(info, ProductType.SUBSCRIPTION, store_id, filter).count()

    @strawberry.field
    def subscription_product(
        self,
        info: Info,
        id: strawberry.ID,
    ) -> SubscriptionProduct | None:
        return _one(info, ProductType.SUBSCRIPTION, id)

    @strawberry.field
    def onetime_product_versions(
        self,
        info: Info,
        product_id: str,
        limit: int | None = None,
        offset: int | None = None,
        filter: ProductVersionFilter | None = None,
    ) -> list[OnetimeProductVersion]:
        rows = _versions(info, ProductType.ONETIME, product_id, filter)
        return [OnetimeProductVersion(row=row) for row in page(rows, limit=limit, offset=offset)]

    @strawberry.field
    def onetime_product_versions_count(
        self, info: Info, product_id: str, filter: ProductVersionFilter | None = None
    ) -> int:
        return _versions(info, ProductType.ONETIME, product_id, filter).count()

    @strawberry.field
    def subscription_product_versions(
        self,
        info: Info,
        product_id: str,
        limit: int | None = None,
        offset: int | None = None,
        filter: ProductVersionFilter | None = None,
    ) -> list[SubscriptionProductVersion]:
        rows = page(
            _versions(info, ProductType.SUBSCRIPTION, product_id, filter),
            limit=limit,
            offset=offset,
        )
        return [SubscriptionProductVersion(row=row) for row in rows]

    @strawberry.field
    def subscription_product_versions_count(
        self, info: Info, product_id: str, filter: ProductVersionFilter | None = None
    ) -> int:
        return _versions(info, ProductType.SUBSCRIPTION, product_id, filter).count()
