"""Template carts (seed 002): looking one up by either spelling of its ID, and beginning a
live checkout from it.

Beginning only reads the template, so any number of buyers can begin at once; each gets a
session of their own with the current prices locked.
"""

import uuid
from typing import Any

from django.db import transaction
from ulid import ULID

from catalog.models import Product, ProductPrice, ProductType
from checkout.lines import SessionLine
from checkout.models import CheckoutSession, CreatedVia, TemplateCart, TemplateCartItem
from checkout.services import check_store_sells, session_open
from core import ids, money
from core.errors import BadRequest, NotFound, Unprocessable
from core.text import is_redirect_url
from core.types import UNSET
from stores.models import Environment, Store

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
            SessionLine.at_list_price(
                product=product, version=version, price=price, quantity=item.quantity
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
    if not cart.active:
        raise Unprocessable("Cart is not active", layer="order")
    check_store_sells(cart.store, cart.environment)
    return session_open(
        store=cart.store,
        environment=cart.environment,
        created_via=CreatedVia.TEMPLATE_CART,
        template_cart=cart,
        currency=cart.currency,
        lines=_sellable_lines(cart),
        success_url=cart.success_url,
    )


# --- managing templates (the template-cart/* actions and the admin forms alike) ----------

CART_NAME_MAX = 100
CART_ITEMS_MAX = 50


def clean_cart_name(*, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise BadRequest("Missing required field: name", layer="order")
    if len(value.strip()) > CART_NAME_MAX:
        raise BadRequest(f"name must be at most {CART_NAME_MAX} characters", layer="order")
    return value.strip()


def clean_cart_currency(*, value: Any) -> str:
    if not money.is_currency_code(value):
        raise BadRequest(
            f'Invalid currency format: "{value}". Must be 3 uppercase letters '
            '(e.g., "USD", "EUR", "JPY")',
            layer="order",
        )
    if value not in money.sellable_currencies():
        raise BadRequest(f"Currency {value} is not supported", layer="order")
    return value


def clean_cart_success_url(*, value: Any) -> str:
    if value in (None, ""):
        return ""
    if not is_redirect_url(value):
        raise BadRequest("Invalid successUrl: expected an https URL", layer="order")
    return value


def _clean_items(value: Any, *, store_id: uuid.UUID) -> list[tuple[Product, int]]:
    if not isinstance(value, list) or not 1 <= len(value) <= CART_ITEMS_MAX:
        raise BadRequest(f"items must list 1 to {CART_ITEMS_MAX} products", layer="order")
    wanted = []
    for index, item in enumerate(value):
        if not isinstance(item, dict) or set(item) - {"productId", "quantity"}:
            raise BadRequest(f"Invalid items[{index}]: expected {{productId, quantity}}")
        try:
            product_id = ids.from_short_id("PROD", item.get("productId"))
        except ids.InvalidShortId:
            raise BadRequest(
                ids.format_error("PROD", item.get("productId")), layer="order"
            ) from None
        quantity = item.get("quantity", 1)
        if not isinstance(quantity, int) or isinstance(quantity, bool) or not 1 <= quantity <= 99:
            raise BadRequest(f"items[{index}].quantity must be an integer from 1 to 99")
        wanted.append((product_id, quantity))
    products = {
        product.pk: product
        for product in Product.objects.filter(pk__in=[pk for pk, _ in wanted], store_id=store_id)
    }
    if len(products) != len({pk for pk, _ in wanted}):
        raise NotFound("Product not found", layer="product")
    return [(products[pk], quantity) for pk, quantity in wanted]


def _check_sellable(*, items: list[tuple[Product, int]], environment: str, currency: str) -> None:
    """The same rules begin applies, checked when the template is saved."""
    # Imported here: the import block above belongs to the lookup half of this module.
    from checkout.cart_rules import breaks_subscription_rule, unpriced_products

    unpriced = unpriced_products(
        products=[product for product, _ in items], environment=environment, currency=currency
    )
    if unpriced:
        raise Unprocessable(
            f"Product {unpriced[0].public_id} is not offered in {currency}", layer="product"
        )
    if breaks_subscription_rule(items=items):
        raise Unprocessable(
            "A cart with a subscription must hold that one subscription only", layer="order"
        )


def _write_items(cart: TemplateCart, items: list[tuple[Product, int]]) -> None:
    cart.items.all().delete()
    TemplateCartItem.objects.bulk_create(
        TemplateCartItem(cart=cart, product=product, quantity=quantity, position=position)
        for position, (product, quantity) in enumerate(items)
    )


def cart_create(
    *,
    store: Store,
    environment: str,
    name: Any,
    currency: Any,
    items: Any,
    success_url: Any = None,
) -> TemplateCart:
    name, currency = clean_cart_name(value=name), clean_cart_currency(value=currency)
    success_url = clean_cart_success_url(value=success_url)
    cleaned = _clean_items(items, store_id=store.pk)
    _check_sellable(items=cleaned, environment=environment, currency=currency)
    with transaction.atomic():
        cart = TemplateCart.objects.create(
            store=store,
            environment=environment,
            name=name,
            currency=currency,
            success_url=success_url,
        )
        _write_items(cart, cleaned)
    return cart


def cart_update(
    *,
    cart: TemplateCart,
    name: Any = UNSET,
    items: Any = UNSET,
    success_url: Any = UNSET,
    active: Any = UNSET,
) -> TemplateCart:
    """Change a template; live checkouts begun from it keep what they locked."""
    with transaction.atomic():
        cart = TemplateCart.objects.select_for_update().get(pk=cart.pk)
        if name is not UNSET:
            cart.name = clean_cart_name(value=name)
        if success_url is not UNSET:
            cart.success_url = clean_cart_success_url(value=success_url)
        if active is not UNSET:
            if not isinstance(active, bool):
                raise BadRequest("Invalid active: expected boolean", layer="order")
            cart.active = active
        if items is not UNSET:
            cleaned = _clean_items(items, store_id=cart.store_id)
            _check_sellable(items=cleaned, environment=cart.environment, currency=cart.currency)
            _write_items(cart, cleaned)
        cart.save()
    return cart
