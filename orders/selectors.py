"""Reads for orders."""

import uuid

from django.db.models import Count, Prefetch, QuerySet, Sum

from core.errors import NotFound
from orders.models import Order, OrderLine, OrderStatus
from stores.models import Store


def order_for_customer(
    *, order_id: uuid.UUID, store_id: uuid.UUID, buyer_identity: str, environment: str
) -> Order:
    """A buyer's own order in their store and environment; anything else is not found."""
    order = (
        Order.objects.filter(pk=order_id, store_id=store_id, environment=environment)
        .filter(buyer_identity=buyer_identity)
        .first()
    )
    if order is None:
        raise NotFound("Order not found", layer="order")
    return order


def sessions_paying(*, session_ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Of ``session_ids``, those whose order has a pending payment (one query)."""
    return set(
        Order.objects.filter(
            checkout_session_id__in=session_ids, payments__status="pending", payments__period=1
        ).values_list("checkout_session_id", flat=True)
    )


def payment_under_way(*, session_id: uuid.UUID) -> bool:
    """Whether a payment of the session's order is pending (it may have charged already).
    Read through the reverse relation so that orders does not depend on payments."""
    return Order.objects.filter(
        checkout_session_id=session_id, payments__status="pending", payments__period=1
    ).exists()


def order_lines() -> QuerySet[OrderLine]:
    """Lines in order, with the product (its store and versions) and the version sold."""
    return OrderLine.objects.select_related(
        "product__store", "product__test_version", "product__prod_version", "product_version"
    ).order_by("position")


def _with_lines(orders: QuerySet[Order]) -> QuerySet[Order]:
    lines = Prefetch("lines", queryset=order_lines())
    return orders.select_related("store").prefetch_related(lines)


def orders_for_merchant(
    *, merchant_id: uuid.UUID, environment: str, product_type: str | None = None
) -> QuerySet[Order]:
    """Orders of the merchant's live stores in one environment, lines loaded with them."""
    orders = Order.objects.filter(
        store__in=Store.objects.reachable_by(merchant_id), environment=environment
    )
    if product_type is not None:
        orders = orders.filter(product_type=product_type)
    return _with_lines(orders)


def orders_for_customer(
    *, store_id: uuid.UUID, buyer_identity: str, environment: str
) -> QuerySet[Order]:
    """A buyer's own orders in their store and environment (the rule of
    ``order_for_customer``, as a list)."""
    return _with_lines(
        Order.objects.filter(store_id=store_id, environment=environment).filter(
            buyer_identity=buyer_identity
        )
    )


def order_counts_by_status(*, orders: QuerySet[Order]) -> list[tuple[str, int]]:
    """(status, number of orders), most frequent first."""
    rows = orders.order_by().values("status").annotate(count=Count("pk")).order_by("-count")
    return [(row["status"], row["count"]) for row in rows]


def revenue_by_currency(*, orders: QuerySet[Order]) -> list[tuple[str, int, int]]:
    """(currency, total in minor units, paid orders) of the completed orders: each has
    exactly one succeeded payment (a database constraint), so this is what was paid."""
    rows = (
        orders.filter(status=OrderStatus.COMPLETED)
        .order_by()
        .values("currency")
        .annotate(total=Sum("total_minor"), count=Count("pk"))
        .order_by("currency")
    )
    return [(row["currency"], row["total"], row["count"]) for row in rows]


def buyer_counts(*, orders: QuerySet[Order], earlier: QuerySet[Order]) -> tuple[int, int]:
    """(buyers in ``orders``, of whom new: no order among ``earlier``), by buyer email."""
    buyers = orders.order_by().values("buyer_email").distinct()
    returning = buyers.filter(buyer_email__in=earlier.order_by().values("buyer_email"))
    return buyers.count(), buyers.count() - returning.count()
