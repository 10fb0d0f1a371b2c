"""The customer schema: a buyer with a session token reads their own orders, in the
token's store and the request's environment, and nothing else."""

import strawberry
from strawberry.types import Info

from graphql_api.filters import OnetimeOrderFilter, apply_filter
from graphql_api.queries.orders import with_payments
from graphql_api.scope import maybe_id, page, scope_of
from graphql_api.types.orders import OnetimeOrder, Order, SubscriptionOrder, order_node
from orders import selectors


def _own_orders(info: Info):
    credential = scope_of(info).credential
    return with_payments(
        selectors.orders_for_customer(
            store_id=credential.store_id,
            buyer_identity=credential.buyer_identity,
            environment=credential.environment,
        )
    )


@strawberry.type(name="Query")
class CustomerQuery:
    @strawberry.field(description="The buyer's own orders, one-time and subscription.")
    def orders(
        self,
        info: Info,
        limit: int | None = None,
        offset: int | None = None,
        filter: OnetimeOrderFilter | None = None,
    ) -> list[Order]:
        orders = apply_filter(_own_orders(info), filter).order_by("-created_at")
        return [order_node(row) for row in page(orders, limit=limit, offset=offset)]

    @strawberry.field
    def orders_count(
        self,
        info: Info,
        filter: OnetimeOrderFilter | None = None,
    ) -> int:
        return apply_filter(_own_orders(info), filter).count()

    @strawberry.field
    def order(self, info: Info, id: strawberry.ID) -> Order | None:
        pk = maybe_id("ORD", id)
        row = _own_orders(info).filter(pk=pk).first() if pk else None
        return order_node(row) if row else None


CUSTOMER_TYPES = (OnetimeOrder, SubscriptionOrder)
