"""Offering a plan change: the plan change session behind ``/store/{slug}/change/{id}``.

Who may offer what: a merchant's key may move any subscription of its stores to any
subscription plan of the same store; a customer's token only their own subscription
(``buyerIdentity`` and store of the token), only to a plan in a product group with the
current plan, and only where that group opened self-service (the SDK's three 403s). The
figure is fixed when the change is offered (``proration``), for the period it was offered
in: confirming in a later period is refused, so what the page shows is what is charged.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from catalog.models import Product, ProductPrice, ProductType, ProductVersion
from catalog.selectors import groups_with_both
from checkout.billing import parse_billing_detail
from checkout.pricing import buyer_location
from checkout.tax import BuyerLocation
from core.errors import BadRequest, Forbidden, NotFound
from orders.models import Order
from orders.selectors import orders_for_merchant
from subscriptions import proration, states
from subscriptions.models import PlanChange, Subscription
from subscriptions.plan_change_invoice import invoice_rows
from subscriptions.plan_change_request import IMMEDIATE, NEXT_PERIOD, PlanChangeRequest
from subscriptions.services import subscription_start

NOT_OWNED = "Subscription order does not belong to this credential"
NOT_IN_GROUP = "Target plan is not in the same product group as the current plan"
SELF_SERVICE_OFF = "Self-service plan change is not enabled for this product group"
CHANGEABLE = (states.ACTIVE, states.TRIALING)


@dataclass(frozen=True, slots=True)
class Requester:
    """Who asks: a merchant (``merchant_id``) or a buyer (``store_id`` + identity)."""

    environment: str
    merchant_id: uuid.UUID | None = None
    store_id: uuid.UUID | None = None
    buyer_identity: str = ""


def _bad(message: str) -> BadRequest:
    return BadRequest(message, layer="order")


def _origin(requester: Requester, order_id: uuid.UUID) -> Order:
    if requester.merchant_id is not None:
        orders = orders_for_merchant(
            merchant_id=requester.merchant_id, environment=requester.environment
        )
        order = orders.filter(pk=order_id).first()
        if order is None:
            raise NotFound("Order not found", layer="order")
        return order
    # A buyer learns nothing of orders that are not theirs: missing or another's, one 403.
    order = Order.objects.filter(
        pk=order_id,
        store_id=requester.store_id,
        environment=requester.environment,
        buyer_identity=requester.buyer_identity,
    ).first()
    if order is None or not requester.buyer_identity:
        raise Forbidden(NOT_OWNED, layer="order")
    return order


def _subscription(order: Order, currency: str) -> Subscription:
    if order.product_type != ProductType.SUBSCRIPTION:
        raise _bad("Order is not a subscription order")
    subscription = subscription_start(order=order)
    if subscription is None or order.status not in CHANGEABLE:
        raise _bad(f"Cannot change the plan of a {order.status} subscription")
    if currency != subscription.currency:
        raise _bad(
            f"Currency {currency} does not match the subscription's currency "
            f"({subscription.currency})"
        )
    return subscription


def _target(subscription: Subscription, product_id: uuid.UUID, currency: str):
    product = (
        Product.objects.select_related("test_version", "prod_version")
        .filter(pk=product_id, store_id=subscription.store_id)
        .first()
    )
    if product is None:
        raise NotFound("Product not found", layer="product")
    if product.type != ProductType.SUBSCRIPTION:
        raise BadRequest("Target plan must be a subscription product", layer="product")
    if product.pk == subscription.product_version.product_id:
        raise BadRequest("Target plan is the current plan", layer="product")
    if not product.is_sellable_in(subscription.environment):
        raise BadRequest("Product is not available", layer="product")
    version = product.version_in(subscription.environment)
    price = ProductPrice.objects.filter(version=version, currency=currency).first()
    if price is None:
        raise BadRequest(f"Currency {currency} is not supported for this product", layer="product")
    return version, price


def _check_group(subscription: Subscription, target: ProductVersion) -> None:
    """The customer path only: a group holding both plans, with self-service on."""
    groups = groups_with_both(
        product_id=subscription.product_version.product_id,
        other_id=target.product_id,
        environment=subscription.environment,
    )
    if not groups:
        raise Forbidden(NOT_IN_GROUP, layer="order")
    if not any(group.self_service_plan_change for group in groups):
        raise Forbidden(SELF_SERVICE_OFF, layer="order")


def buyer_of(subscription: Subscription) -> BuyerLocation:
    order = subscription.order
    return buyer_location(
        billing=parse_billing_detail(order.billing_detail), shipping_address=order.shipping_address
    )


def current_plan(subscription: Subscription) -> proration.Plan:
    return proration.Plan(
        subscription.unit_amount_minor,
        subscription.quantity,
        subscription.tax_category,
        subscription.tax_included,
        subscription.billing_period,
    )


def _quote(subscription, target: proration.Plan, request: PlanChangeRequest, timing, now):
    if timing == NEXT_PERIOD:
        return proration.Quote(0, 0, 0, 0)
    fixed = request.change_amount_minor, request.change_credit_minor
    if fixed == (None, None) and subscription.in_trial:
        # Nothing of the plan's price was paid yet: the trial goes on with the new plan,
        # and its first charge at trial end is the new plan's. Prorating here would credit
        # the current plan's price for the rest of a trial nobody paid for.
        return proration.Quote(0, 0, 0, 0)
    if fixed != (None, None):
        return proration.fixed_quote(
            target=target,
            currency=subscription.currency,
            buyer=buyer_of(subscription),
            amount_minor=fixed[0] if fixed[0] is not None else fixed[1],
            credit=fixed[0] is None,
        )
    return proration.prorated_quote(
        current=current_plan(subscription),
        target=target,
        currency=subscription.currency,
        buyer=buyer_of(subscription),
        period_start=subscription.current_period_start,
        period_end_at=subscription.current_period_end,
        now=now,
    )


def subscription_now(subscription: Subscription) -> datetime:
    """The subscription's own "now": its test clock when one was moved, else real time."""
    return max(subscription.clock, timezone.now()) if subscription.clock else timezone.now()


def plan_change_offer(*, requester: Requester, request: PlanChangeRequest) -> PlanChange:
    """Check the request and write the plan change session the confirmation page shows."""
    order = _origin(requester, request.origin_order_id)
    subscription = _subscription(order, request.currency)
    version, price = _target(subscription, request.product_id, request.currency)
    if requester.merchant_id is None:
        _check_group(subscription, version)
    price = request.price_override or price  # the merchant's own price, when given
    target = proration.Plan(
        price.amount_minor,
        subscription.quantity,
        price.tax_category,
        price.tax_included,
        version.billing_period or "monthly",
    )
    upgrade = proration.annual_minor(target) >= proration.annual_minor(current_plan(subscription))
    # A merchant's own figure prices a change made now, whichever way it goes.
    fixed = (request.change_amount_minor, request.change_credit_minor) != (None, None)
    timing = request.timing or (IMMEDIATE if upgrade or fixed else NEXT_PERIOD)
    now = subscription_now(subscription)
    quote = _quote(subscription, target, request, timing, now)
    return PlanChange.objects.create(
        subscription=subscription,
        store_id=subscription.store_id,
        environment=subscription.environment,
        timing=timing,
        from_version_id=subscription.product_version_id,
        to_version=version,
        billing_period=target.billing_period,
        currency=subscription.currency,
        unit_amount_minor=target.unit_amount_minor,
        tax_category=target.tax_category,
        tax_included=target.tax_included,
        period_number=subscription.period_number,
        due_now_minor=quote.due_minor,
        tax_now_minor=quote.tax_minor,
        invoice_lines=invoice_rows(
            quote=quote,
            current=current_plan(subscription),
            target=target,
            from_name=subscription.product_version.name,
            to_name=version.name,
        ),
        quoted_at=now,
        success_url=request.success_url,
        dark_mode=request.dark_mode,
        language=request.language,
        expires_at=timezone.now() + timedelta(seconds=request.expires_in_seconds),
    )


def plan_change_by_public_id(public_id: str) -> PlanChange | None:
    if not isinstance(public_id, str) or not public_id.startswith("pcs_"):
        return None
    try:
        key = uuid.UUID(public_id[4:])
    except ValueError:
        return None
    return (
        PlanChange.objects.select_related(
            "store", "subscription__order", "from_version", "to_version", "payment"
        )
        .filter(pk=key)
        .first()
    )
