"""Subscription product groups of the merchant's stores, in the caller's environment."""

import strawberry
from django.db.models import Prefetch
from strawberry.types import Info

from catalog import selectors
from catalog.models import ProductGroupMember
from graphql_api.scope import decode_id, page, scope_of
from graphql_api.types.groups import SubscriptionProductGroup


def _groups(info: Info, store_id: str | None):
    scope = scope_of(info)
    groups = selectors.groups_for_merchant(
        merchant_id=scope.merchant_id, environment=scope.environment
    )
    if store_id is not None:
        groups = groups.filter(store_id=decode_id("STO", store_id))
    return groups


@strawberry.type
class GroupQueries:
    @strawberry.field
    def subscription_product_groups(
        self,
        info: Info,
        store_id: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
    ) -> list[SubscriptionProductGroup]:
        members = ProductGroupMember.objects.select_related(
            "product__store", "product__test_version", "product__prod_version"
        ).prefetch_related("product__test_version__prices", "product__prod_version__prices")
        groups = _groups(info, store_id).order_by("-created_at", "-id")
        groups = groups.prefetch_related(Prefetch("members", queryset=members))
        return [
            SubscriptionProductGroup(row=row) for row in page(groups, limit=limit, offset=offset)
        ]

    @strawberry.field
    def subscription_product_groups_count(self, info: Info, store_id: str | None = None) -> int:
        return _groups(info, store_id).count()
