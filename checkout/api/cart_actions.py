"""``template-cart/*`` actions: merchants manage template carts with their signed keys.

The cart's environment is the calling key's; its ULID is what the seed-002 endpoints and
the public link ``/c/<id>`` take.
"""

from django.conf import settings

from checkout import carts
from checkout.api import schema
from checkout.carts import parse_cart_id
from checkout.links import public_cart_url
from checkout.models import TemplateCart
from core.api.access import StoreOf
from core.api.openapi import action
from core.api.params import optional, required_short_id
from core.api.views import ActionView
from core.timefmt import iso_utc
from stores.roles import Capability
from stores.selectors import store_membership


def cart_json(cart: TemplateCart) -> dict:
    items = cart.items.select_related("product").order_by("position", "id")
    url = public_cart_url(cart)
    return {
        "id": cart.public_id,
        "storeId": cart.store.public_id,
        "environment": cart.environment,
        "name": cart.name,
        "currency": cart.currency,
        "items": [
            {"productId": item.product.public_id, "quantity": item.quantity} for item in items
        ],
        "successUrl": cart.success_url or None,
        "active": cart.active,
        "url": url,
        "qrPngUrl": f"{settings.PUBLIC_BASE_URL}/checkout/{cart.public_id}/qr.png",
        "qrSvgUrl": f"{settings.PUBLIC_BASE_URL}/checkout/{cart.public_id}/qr.svg",
        "createdAt": iso_utc(cart.created_at),
        "updatedAt": iso_utc(cart.updated_at),
    }


@action(
    tag="template cart",
    summary="Create a template cart",
    request=schema.CREATE_CART,
    data=schema.CART_DATA,
)
class CreateTemplateCart(ActionView):
    capability, store_of = Capability.CATALOG, StoreOf("storeId", "STO")

    def perform(self, request, payload):
        store_id = required_short_id(payload, "storeId", "STO", layer="store")
        store = store_membership(merchant_id=request.auth.merchant_id, store_id=store_id).store
        cart = carts.cart_create(
            store=store,
            environment=request.auth.environment,
            name=payload.get("name"),
            currency=payload.get("currency"),
            items=payload.get("items"),
            success_url=payload.get("successUrl"),
        )
        return {"cart": cart_json(cart)}


@action(
    tag="template cart",
    summary="Update a template cart",
    request=schema.UPDATE_CART,
    data=schema.CART_DATA,
)
class UpdateTemplateCart(ActionView):
    capability = Capability.CATALOG
    store_of = StoreOf("id", model=TemplateCart, parse=parse_cart_id)

    def perform(self, request, payload):
        cart = carts.cart_for_merchant(
            cart_id=payload.get("id"),
            merchant_id=request.auth.merchant_id,
            environment=request.auth.environment,
        )
        cart = carts.cart_update(
            cart=cart,
            name=optional(payload, "name"),
            items=optional(payload, "items"),
            success_url=optional(payload, "successUrl"),
            active=optional(payload, "active"),
        )
        return {"cart": cart_json(cart)}
