"""Template carts (seed 002): looking one up by either spelling of its ID, and beginning a
live checkout from it.

Beginning only reads the template, so any number of buyers can begin at once; each gets a
session of their own with the current prices locked.
"""

import uuid
from datetime import timedelta

from django.utils import timezone
from ulid import ULID

from catalog.models import ProductPrice, ProductType
from checkout.lines import SessionLine
from checkout.models import CheckoutSession, CreatedVia, TemplateCart
from checkout.session_request import DEFAULT_TTL_SECONDS
from core.errors import Forbidden, NotFound, Unprocessable
from stores.models import Environment, StoreStatus
from stores.settings_schema import effective_checkout_settings

CART_NOT_FOUND = "Cart not found"


def parse_cart_id(text: object) -> uuid.UUID | None:
    """A ULID (26 Crockford base32 characters) or the UUID spelling of the same 128 bits."""
    if not isinstance(text, str):
        return None
    if len(text) == 26:
        try:
            return ULID.from_str(text.upper()).to_uuid()
        except ValueError:
            return None
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def cart_for_merchant(*, cart_id: object, merchant_id: uuid.UUID, environment: str) -> TemplateCart:
    pk = parse_cart_id(cart_id)
    cart = (
        TemplateCart.objects.select_related("store")
        .filter(
            pk=pk,
            environment=environment,
            store__deleted_at__isnull=True,
            store__memberships__merchant_id=merchant_id,
        )
        .first()
        if pk
        else None
    )
    if cart is None:
        raise NotFound(CART_NOT_FOUND, layer="order")
    return cart


def public_cart(*, cart_id: object) -> TemplateCart:
    pk = parse_cart_id(cart_id)
    cart = (
        TemplateCart.objects.select_related("store")
        .filter(pk=pk, active=True, store__deleted_at__isnull=True)
        .first()
        if pk
        else None
    )
    if cart is None:
        raise NotFound(CART_NOT_FOUND, layer="order")
    return cart


def _sellable_lines(cart: TemplateCart) -> list[SessionLine]:
    version_field = "prod_version" if cart.environment == Environment.PROD else "test_version"
    items = list(cart.items.select_related(f"product__{version_field}").order_by("position", "id"))
    if not items:
        raise Unprocessable("Cart has no items", layer="order")
    versions = {item.product_id: getattr(item.product, version_field) for item in items}
    prices = {
        price.version_id: price
        for price in ProductPrice.objects.filter(
            version_id__in=[v.pk for v in versions.values() if v], currency=cart.currency
        )
    }
    lines = []
    for item in items:
        product, version = item.product, versions[item.product_id]
        if not product.is_sellable_in(cart.environment):
            raise Unprocessable(
                f"Product {product.public_id} is not available in {cart.environment}",
                layer="product",
            )
        price = prices.get(version.pk)
        if price is None:
            raise Unprocessable(
                f"Product {product.public_id} is not offered in {cart.currency}", layer="product"
            )
        lines.append(
            SessionLine(
                product_id=product.pk,
                product_version_id=version.pk,
                product_type=product.type,
                name=version.name,
                quantity=item.quantity,
                unit_amount_minor=price.amount_minor,
                tax_category=price.tax_category,
                tax_included=price.tax_included,
                billing_period=version.billing_period or "",
                requires_shipping=version.requires_shipping,
            )
        )
    subscriptions = [line for line in lines if line.product_type == ProductType.SUBSCRIPTION]
    if subscriptions and (len(lines) > 1 or lines[0].quantity != 1):
        raise Unprocessable(
            "A cart with a subscription must hold that one subscription only", layer="order"
        )
    return lines


def cart_begin(*, cart: TemplateCart) -> CheckoutSession:
    """A live checkout from the template with today's prices locked; the template is untouched."""
    store = cart.store
    if not cart.active:
        raise Unprocessable("Cart is not active", layer="order")
    if store.status != StoreStatus.ACTIVE:
        raise Forbidden("Store is not active", layer="store")
    if cart.environment == Environment.PROD and not store.prod_enabled:
        raise Forbidden("Store is not approved for production payments", layer="store")
    lines = _sellable_lines(cart)
    theme = effective_checkout_settings(store.checkout_settings)
    theme["storeLogo"] = store.logo or None
    return CheckoutSession.objects.create(
        store=store,
        environment=cart.environment,
        created_via=CreatedVia.TEMPLATE_CART,
        template_cart=cart,
        product_type=lines[0].product_type,
        currency=cart.currency,
        lines=[line.to_json() for line in lines],
        requires_shipping=any(line.requires_shipping for line in lines),
        store_name=store.name,
        theme=theme,
        success_url=cart.success_url,
        expires_at=timezone.now() + timedelta(seconds=DEFAULT_TTL_SECONDS),
    )
