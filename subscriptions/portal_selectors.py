"""What the customer portal reads, always through the visitor's ``PortalIdentity``: a
buyer's orders of one store and environment (``orders.selectors.orders_for_customer``, the
API's own rule), or the one order a portal link names. Anything else is not found."""

import copy
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet

from core.errors import NotFound
from core.ids import InvalidShortId, from_short_id
from orders.models import Order
from orders.selectors import orders_for_customer
from payments.models import Payment
from stores.models import Store
from subscriptions import states
from subscriptions.models import Subscription
from subscriptions.plan_change_apply import credit_balance
from subscriptions.plan_change_options import scheduled_change
from subscriptions.portal_access import PortalIdentity
from subscriptions.renewals import renewal_amounts
from subscriptions.selectors import next_charge


@dataclass(frozen=True, slots=True)
class UpcomingCharge:
    at: datetime
    ends: bool  # canceling: the subscription ends then, nothing is charged
    amount_minor: int | None
    currency: str


def portal_store(*, slug: str) -> Store | None:
    """A live store by slug. Unlike the storefront, a suspended store still has its portal:
    its buyers must be able to cancel what it would otherwise keep charging."""
    return Store.objects.alive().filter(slug=slug).first()


def portal_orders(*, identity: PortalIdentity) -> QuerySet[Order]:
    """The visitor's orders, newest first."""
    if identity.order_id is not None:
        orders = Order.objects.filter(
            pk=identity.order_id, store_id=identity.store_id, environment=identity.environment
        )
    else:
        orders = orders_for_customer(
            store_id=identity.store_id,
            buyer_identity=identity.buyer_identity,
            environment=identity.environment,
        )
    return orders.select_related("checkout_session", "store").order_by("-created_at")


def portal_order(*, identity: PortalIdentity, public_id: str) -> Order:
    try:
        pk: uuid.UUID = from_short_id("ORD", public_id)
    except InvalidShortId:
        raise NotFound("Order not found", layer="order") from None
    order = portal_orders(identity=identity).filter(pk=pk).first()
    if order is None:
        raise NotFound("Order not found", layer="order")
    return order


def identity_covers(*, identity: PortalIdentity, order_id) -> bool:
    """Whether ``identity`` already sees the order (a signed-in buyer following a receipt's
    link for one of their own orders keeps their session)."""
    return portal_orders(identity=identity).filter(pk=order_id).exists()


def subscriptions_of(*, orders: list[Order]) -> dict[uuid.UUID, Subscription]:
    """The subscriptions of ``orders`` by order, with their cards and current plans, in one
    query."""
    found = Subscription.objects.filter(order_id__in=[order.pk for order in orders])
    return {sub.order_id: sub for sub in found.select_related("payment_method", "product_version")}


def upcoming_charge(*, order: Order, subscription: Subscription | None) -> UpcomingCharge | None:
    """When the subscription next charges and how much (the locked price with today's tax
    for its billing address, as the renewal computes it), or when it ends."""
    when = next_charge(order=order)
    if when is None or subscription is None:
        return None
    if when.ends:
        return UpcomingCharge(when.at, True, None, subscription.currency)
    subscription.order = order
    return UpcomingCharge(when.at, False, _next_amount(subscription), subscription.currency)


def _next_amount(subscription: Subscription) -> int:
    """What the renewal will charge: the plan it renews at (a scheduled change's, from the
    next period on), less the credit balance it will spend, as the renewal computes it."""
    plan = copy.copy(subscription)
    change = scheduled_change(subscription=subscription)
    if change is not None:
        plan.unit_amount_minor = change.unit_amount_minor
        plan.tax_category, plan.tax_included = change.tax_category, change.tax_included
    total = renewal_amounts(plan).total_minor
    return total - min(max(credit_balance(subscription=subscription), 0), total)


def order_payments(*, order: Order) -> QuerySet[Payment]:
    """Every payment of the order, each period's, oldest first (the portal's receipts)."""
    return Payment.objects.filter(order=order).order_by("created_at")


def can_cancel(order: Order) -> bool:
    return order.status in (states.ACTIVE, states.TRIALING, states.PAST_DUE)


def can_reactivate(order: Order) -> bool:
    return order.status == states.CANCELING
