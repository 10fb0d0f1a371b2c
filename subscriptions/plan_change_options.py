"""Self-service plan changes from the customer portal: which plans a buyer is offered for
one subscription, and opening the change they choose.

What is offered is what the customer API path would accept: the other plans of the
current plan's groups with ``selfServicePlanChange`` on (``catalog.selectors.
self_service_plan_ids``), on sale in the subscription's environment with a price in its
currency, for a subscription that may change (active or trialing) of an order that has a
buyer identity (the customer path's credential is that identity; an anonymous checkout
has none). Choosing one goes through ``plan_change_offer`` as the customer's token would,
so its three 403s hold here too, whatever the form posted.
"""

import uuid
from dataclasses import dataclass

from catalog.models import Product, ProductPrice, ProductType
from catalog.selectors import self_service_plan_ids
from checkout.tax import TaxLine, compute_tax
from core.errors import BadRequest
from core.ids import InvalidShortId, from_short_id
from orders.models import Order
from subscriptions.models import PlanChange, PlanChangeStatus, Subscription
from subscriptions.plan_change_request import PlanChangeRequest
from subscriptions.plan_changes import CHANGEABLE, Requester, buyer_of, plan_change_offer


@dataclass(frozen=True, slots=True)
class PlanOption:
    product_id: str  # the public ID the form posts
    name: str
    total_minor: int  # one period with tax for the subscription's billing address
    currency: str
    billing_period: str


def _changeable(order: Order, subscription: Subscription | None) -> bool:
    return (
        subscription is not None
        and order.product_type == ProductType.SUBSCRIPTION
        and order.status in CHANGEABLE
        and bool(order.buyer_identity)
    )


def self_service_options(*, order: Order, subscription: Subscription | None) -> list[PlanOption]:
    """The plans the portal offers for this subscription, in the group's order; none when
    it may not change on its own."""
    if not _changeable(order, subscription):
        return []
    environment = subscription.environment
    plan_ids = self_service_plan_ids(
        product_id=subscription.product_version.product_id, environment=environment
    )
    products = Product.objects.filter(pk__in=plan_ids, store_id=order.store_id).select_related(
        "test_version", "prod_version"
    )
    on_sale = {product.pk: product for product in products if product.is_sellable_in(environment)}
    versions = {pk: product.version_in(environment) for pk, product in on_sale.items()}
    prices = {
        price.version_id: price
        for price in ProductPrice.objects.filter(
            version__in=versions.values(), currency=subscription.currency
        )
    }
    buyer = buyer_of(subscription)
    options = []
    for plan_id in plan_ids:
        version = versions.get(plan_id)
        price = prices.get(version.pk) if version else None
        if price is None:
            continue
        line = TaxLine(
            price.amount_minor, subscription.quantity, price.tax_category, price.tax_included
        )
        total = compute_tax(lines=[line], currency=subscription.currency, buyer=buyer)
        options.append(
            PlanOption(
                product_id=on_sale[plan_id].public_id,
                name=version.name,
                total_minor=total.total_minor,
                currency=subscription.currency,
                billing_period=version.billing_period or "monthly",
            )
        )
    return options


def _product_id(text: str) -> uuid.UUID:
    try:
        return from_short_id("PROD", text)
    except InvalidShortId:
        raise BadRequest("Choose one of the plans offered", layer="product") from None


def portal_plan_change(
    *, order: Order, subscription: Subscription, product_id: str, success_url: str
) -> PlanChange:
    """The buyer chose a plan: the plan change session, offered as to the buyer's own
    customer token (the group and self-service rules checked by ``plan_change_offer``)."""
    requester = Requester(
        environment=order.environment, store_id=order.store_id, buyer_identity=order.buyer_identity
    )
    request = PlanChangeRequest(
        origin_order_id=order.pk,
        product_id=_product_id(product_id),
        currency=subscription.currency,
        success_url=success_url,
    )
    return plan_change_offer(requester=requester, request=request)


def scheduled_change(*, subscription: Subscription | None) -> PlanChange | None:
    """The confirmed change that takes effect at the next renewal, if any (at most one: a
    partial unique constraint), so the portal can say which plan comes next."""
    if subscription is None:
        return None
    return (
        PlanChange.objects.filter(subscription=subscription, status=PlanChangeStatus.SCHEDULED)
        .select_related("to_version")
        .first()
    )
