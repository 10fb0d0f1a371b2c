"""Orders and payments of the merchant's stores in the key's environment.

Tenancy is ``orders.selectors.orders_for_merchant``'s; payments are those of the orders it
returns, so no rule is repeated here. Lines, payments and cards load with the page: a page
costs the same few statements whatever its length."""

import strawberry
from django.db.models import Prefetch
from strawberry.types import Info

from catalog.models import ProductType
from graphql_api.filters import (
    OnetimeOrderFilter,
    PaymentFilter,
    SubscriptionOrderFilter,
    apply_filter,
)
from graphql_api.scope import decode_id, maybe_id, page, scope_of
from graphql_api.types.orders import OnetimeOrder, Payment, SubscriptionOrder
from orders import selectors
from payments.models import Payment as PaymentRow


def with_payments(orders, *, subscriptions: bool = True):
    """Orders with what their GraphQL types read. ``subscriptions=False`` for one-time
    orders only: the subscription's plan is then never read, and joining it made the list's
    query a nine-table join that PostgreSQL spent longer planning than running."""
    payments = (
        PaymentRow.objects.select_related("payment_method")
        .prefetch_related("refunds")
        .order_by("-created_at")
    )
    orders = orders.prefetch_related(Prefetch("payments", queryset=payments))
    if not subscriptions:
        return orders
    return orders.select_related(
        "subscription__product_version__product__store",
        "subscription__product_version__product__test_version",
        "subscription__product_version__product__prod_version",
    ).prefetch_related("subscription__product_version__prices")


def merchant_orders(info: Info, product_type: str | None = None):
    scope = scope_of(info)
    return selectors.orders_for_merchant(
        merchant_id=scope.merchant_id, environment=scope.environment, product_type=product_type
    )


def _orders(info: Info, product_type: str, store_id: str | None, order_filter):
    orders = merchant_orders(info, product_type)
    if store_id is not None:
        orders = orders.filter(store_id=decode_id("STO", store_id))
    return apply_filter(orders, order_filter)


def _order_page(info, product_type, store_id, order_filter, limit, offset):
    orders = with_payments(
        _orders(info, product_type, store_id, order_filter),
        subscriptions=product_type == ProductType.SUBSCRIPTION,
    )
    return page(orders.order_by("-created_at"), limit=limit, offset=offset)


def _one_order(info: Info, product_type: str, order_id: str):
    pk = maybe_id("ORD", order_id)
    if pk is None:
        return None
    orders = with_payments(
        merchant_orders(info, product_type),
        subscriptions=product_type == ProductType.SUBSCRIPTION,
    )
    return orders.filter(pk=pk).first()


def _payments(info: Info, store_id: str | None, payment_filter):
    orders = merchant_orders(info)
    if store_id is not None:
        orders = orders.filter(store_id=decode_id("STO", store_id))
    payments = PaymentRow.objects.filter(order__in=orders.values("pk"))
    return apply_filter(payments, payment_filter)


def _payment_page(info, store_id, payment_filter, limit, offset):
    lines = selectors.order_lines()
    payments = (
        _payments(info, store_id, payment_filter)
        .select_related("order__store", "payment_method")
        .prefetch_related(Prefetch("order__lines", queryset=lines), "refunds")
        .order_by("-created_at")
    )
    return page(payments, limit=limit, offset=offset)


@strawberry.type
class OrderQueries:
    @strawberry.field
    def onetime_orders(
        self,
        info: Info,
        store_id: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
        filter: OnetimeOrderFilter | None = None,
    ) -> list[OnetimeOrder]:
        rows = _order_page(info, ProductType.ONETIME, store_id, filter, limit, offset)
        return [OnetimeOrder(row=row) for row in rows]

    @strawberry.field
    def onetime_orders_count(
        self,
        info: Info,
        store_id: str | None = None,
        filter: OnetimeOrderFilter | None = None,
    ) -> int:
        return _orders(info, ProductType.ONETIME, store_id, filter).count()

    @strawberry.field
    def onetime_order(self, info: Info, id: strawberry.ID) -> OnetimeOrder | None:
        row = _one_order(info, ProductType.ONETIME, id)
        return OnetimeOrder(row=row) if row else None

    @strawberry.field
    def subscription_orders(
        self,
        info: Info,
        store_id: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
        filter: SubscriptionOrderFilter | None = None,
    ) -> list[SubscriptionOrder]:
        rows = _order_page(info, ProductType.SUBSCRIPTION, store_id, filter, limit, offset)
        return [SubscriptionOrder(row=row) for row in rows]

    @strawberry.field
    def subscription_orders_count(
        self,
        info: Info,
        store_id: str | None = None,
        filter: SubscriptionOrderFilter | None = None,
    ) -> int:
        return _orders(info, ProductType.SUBSCRIPTION, store_id, filter).count()

    @strawberry.field
    def subscription_order(
        self,
        info: Info,
        id: strawberry.ID,
    ) -> SubscriptionOrder | None:
        row = _one_order(info, ProductType.SUBSCRIPTION, id)
        return SubscriptionOrder(row=row) if row else None

    @strawberry.field
    def payments(
        self,
        info: Info,
        store_id: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
        filter: PaymentFilter | None = None,
    ) -> list[Payment]:
        return [Payment(row=row) for row in _payment_page(info, store_id, filter, limit, offset)]

    @strawberry.field
    def payments_count(
        self,
        info: Info,
        store_id: str | None = None,
        filter: PaymentFilter | None = None,
    ) -> int:
        return _payments(info, store_id, filter).count()

    @strawberry.field
    def payment(self, info: Info, id: strawberry.ID) -> Payment | None:
        pk = maybe_id("PAY", id)
        if pk is None:
            return None
        payments = _payments(info, None, None).filter(pk=pk)
        row = (
            payments.select_related("order__store", "payment_method")
            .prefetch_related("refunds")
            .first()
        )
        return Payment(row=row) if row else None
