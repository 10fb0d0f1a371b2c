"""Reads for orders."""

import uuid

from django.db.models import Case, CharField, Count, F, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Concat

from catalog.models import ProductType
from core.errors import NotFound
from core.ids import InvalidShortId, from_short_id
from orders.models import (
    ONETIME_STATUSES,
    SUBSCRIPTION_STATUSES,
    Order,
    OrderLine,
)
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


def order_by_public_id(*, public_id: str | None) -> Order | None:
    """An order named by an event, with what its emails and webhooks read (None when the
    ID is malformed or the order is gone: a handler then has nothing to do)."""
    try:
        pk = from_short_id("ORD", public_id or "")
    except InvalidShortId:
        return None
    return Order.objects.select_related("store", "checkout_session").filter(pk=pk).first()


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


def buyer_key(*, via: str = "") -> Case:
    """Who bought, as the analytics count buyers: the merchant's identity for them when the
    checkout carried one, else their email (stored normalized), as ``orders.trials`` tells
    buyers apart. Prefixed so an identity spelled like an email never merges with the
    anonymous buyer of that email. ``via`` is the path to the order (``"order__"``)."""
    return Case(
        When(
            **{f"{via}buyer_identity": ""},
            then=Concat(Value("email:"), F(f"{via}buyer_email")),
        ),
        default=Concat(Value("identity:"), F(f"{via}buyer_identity")),
        output_field=CharField(),
    )


def buyer_counts(*, orders: QuerySet[Order], earlier: QuerySet[Order]) -> tuple[int, int]:
    """(buyers in ``orders``, of whom new: no order among ``earlier``), by ``buyer_key``."""
    buyers = orders.order_by().annotate(buyer=buyer_key()).values("buyer").distinct()
    returning = buyers.filter(
        buyer__in=earlier.order_by().annotate(buyer=buyer_key()).values("buyer")
    )
    return buyers.count(), buyers.count() - returning.count()


def orders_matching(*, orders: QuerySet[Order], term: str) -> QuerySet[Order]:
    """Orders a merchant's search box means: an order ID (``ORD_…``), a payment ID
    (``PAY_…``) or a session ID (``cs_…``) is that one object; anything else is a buyer's
    email (part of it), their identity or the merchant's own external ID (exactly).

    IDs are decoded to keys so the search stays an index lookup, and a payment is matched
    through a subquery so an order with several payments is listed once."""
    term = term.strip()
    if not term:
        return orders
    if term.startswith(("ORD_", "PAY_")):
        try:
            key = from_short_id(term[:3], term)
        except InvalidShortId:
            return orders.none()
        if term.startswith("PAY_"):
            return orders.filter(pk__in=_orders_paid_by(key))
        return orders.filter(pk=key)
    if term.startswith("cs_"):
        try:
            return orders.filter(checkout_session_id=uuid.UUID(term[3:]))
        except ValueError:
            return orders.none()
    return orders.filter(
        Q(buyer_email__icontains=term) | Q(buyer_identity=term) | Q(order_merchant_external_id=term)
    )


def _orders_paid_by(payment_id: uuid.UUID) -> QuerySet:
    # Through the reverse relation, so that orders does not import payments.
    return Order.objects.filter(payments__pk=payment_id).values("pk")


def statuses_for(*, product_type: str | None) -> tuple[str, ...]:
    """The statuses an order of ``product_type`` can have; both kinds' when it is unknown."""
    if product_type == ProductType.ONETIME:
        return ONETIME_STATUSES
    if product_type == ProductType.SUBSCRIPTION:
        return SUBSCRIPTION_STATUSES
    return tuple(dict.fromkeys(ONETIME_STATUSES + SUBSCRIPTION_STATUSES))
