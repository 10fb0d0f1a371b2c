"""What a partner may put in a basket: parsing the items of a request, checking them
against the partner's grants and today's catalogue, and pricing them in the basket's
currency. Nothing here writes; ``partners.services`` does."""

import uuid
from dataclasses import dataclass
from typing import Any

from catalog.models import Product, ProductPrice, ProductType
from checkout.services import check_store_sells
from core import ids, money
from core.errors import BadRequest, Forbidden
from partners.models import BasketItem, ItemType, Partner, PartnerGrant

ITEMS_MAX = 50
QUANTITY_MAX = 99
LAYER = "order"


@dataclass(frozen=True)
class WantedItem:
    product_id: uuid.UUID
    version_id: uuid.UUID | None
    quantity: int
    type: str


def bad(message: str) -> BadRequest:
    return BadRequest(message, layer=LAYER)


def parse_quantity(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= QUANTITY_MAX:
        raise bad(f"{where}.quantity must be an integer from 1 to {QUANTITY_MAX}")
    return value


def parse_product_id(value: Any, where: str) -> uuid.UUID:
    try:
        return ids.from_short_id("PROD", value)
    except ids.InvalidShortId:
        raise bad(f"{where}: {ids.format_error('PROD', value)}") from None


def parse_items(value: Any, *, field: str = "orderItems") -> list[WantedItem]:
    """``[{offer, quantity, type}]``: ``offer`` is ``PROD_…`` or ``{productId, versionId}``."""
    if value is None:
        raise bad(f"Missing required field: {field}")
    if not isinstance(value, list) or len(value) > ITEMS_MAX:
        raise bad(f"{field} must be a list of at most {ITEMS_MAX} items")
    wanted = []
    for index, item in enumerate(value):
        where = f"{field}[{index}]"
        if not isinstance(item, dict):
            raise bad(f"{where} must be an object {{offer, quantity, type}}")
        unknown = sorted(set(item) - {"offer", "quantity", "type"})
        if unknown:
            raise bad(f"{where}.{unknown[0]} is not a known field")
        product_id, version_id = _parse_offer(item.get("offer"), where)
        item_type = item.get("type", ItemType.OFFER)
        if item_type not in ItemType.values:
            raise bad(f"{where}.type must be offer or add_on")
        wanted.append(
            WantedItem(
                product_id=product_id,
                version_id=version_id,
                quantity=parse_quantity(item.get("quantity", 1), where),
                type=item_type,
            )
        )
    return wanted


def _parse_offer(offer: Any, where: str) -> tuple[uuid.UUID, uuid.UUID | None]:
    """``PROD_…``, or ``{productId, versionId}`` to pin the version on sale."""
    if offer is None:
        raise bad(f"Missing required field: {where}.offer")
    if not isinstance(offer, dict):
        return parse_product_id(offer, f"{where}.offer"), None
    unknown = sorted(set(offer) - {"productId", "versionId"})
    if unknown:
        raise bad(f"{where}.offer.{unknown[0]} is not a known field")
    if offer.get("productId") in (None, ""):
        raise bad(f"Missing required field: {where}.offer.productId")
    product_id = parse_product_id(offer["productId"], f"{where}.offer.productId")
    if offer.get("versionId") is None:
        return product_id, None
    try:
        return product_id, uuid.UUID(str(offer["versionId"]))
    except ValueError:
        raise bad(f"{where}.offer.versionId must be a version UUID") from None


def partner_grants(partner: Partner) -> dict[uuid.UUID, set[uuid.UUID] | None]:
    """Store ID → the product IDs the partner may sell there (None: every product)."""
    granted: dict[uuid.UUID, set[uuid.UUID] | None] = {}
    for grant in PartnerGrant.objects.filter(partner=partner).prefetch_related("products"):
        products = {product.pk for product in grant.products.all()}
        granted[grant.store_id] = products or None
    return granted


def may_sell(grants: dict, product: Product) -> bool:
    if product.store_id not in grants:
        return False
    allowed = grants[product.store_id]
    return allowed is None or product.pk in allowed


def new_items(
    *, partner: Partner, environment: str, currency: str, wanted: list[WantedItem]
) -> tuple[Any, list[BasketItem]]:
    """Unsaved items at today's prices; 400 for anything the partner may not put in."""
    products = {
        product.pk: product
        for product in Product.objects.select_related("store").filter(
            pk__in={item.product_id for item in wanted}
        )
    }
    grants = partner_grants(partner)
    rows, stores = [], set()
    for item in wanted:
        product = products.get(item.product_id)
        public_id = ids.to_short_id("PROD", item.product_id)
        if product is None or not may_sell(grants, product):
            # An unknown product and one the partner may not sell look the same.
            raise bad(f"Product {public_id} is not available to this partner")
        if not product.is_sellable_in(environment) or not store_sells(product.store, environment):
            raise bad(f"Product {public_id} is not available in {environment}")
        version = product.version_in(environment)
        if item.version_id is not None and item.version_id != version.pk:
            # A pinned version guards the partner against changes; it never picks a price
            # other than the one on sale.
            raise bad(
                f"Version {item.version_id} is not the version of product {public_id} "
                f"on sale in {environment}"
            )
        stores.add(product.store_id)
        rows.append((product, version, item))
    if len(stores) > 1:
        raise bad("All items of a basket must come from one store")
    prices = {
        price.version_id: price
        for price in ProductPrice.objects.filter(
            version_id__in={version.pk for _, version, _ in rows}, currency=currency
        )
    }
    items = []
    for product, version, item in rows:
        price = prices.get(version.pk)
        if price is None:
            raise bad(f"Product {product.public_id} is not offered in {currency}")
        items.append(
            BasketItem(
                product=product,
                version=version,
                version_pinned=item.version_id is not None,
                quantity=item.quantity,
                type=item.type,
                unit_amount_minor=price.amount_minor,
                currency=currency,
            )
        )
    store = rows[0][0].store if rows else None
    return store, items


def store_sells(store, environment: str) -> bool:
    try:
        check_store_sells(store, environment)
    except Forbidden:
        return False
    return True


def check_composition(items: list[BasketItem]) -> None:
    if len(items) > ITEMS_MAX:
        raise bad(f"A basket holds at most {ITEMS_MAX} items")
    if any(i.type == ItemType.ADD_ON for i in items) and not any(
        i.type == ItemType.OFFER for i in items
    ):
        raise bad("An add_on item needs an offer item in the same basket")
    subscriptions = [i for i in items if i.product.type == ProductType.SUBSCRIPTION]
    if subscriptions and (len(items) > 1 or items[0].quantity != 1):
        raise bad("A basket with a subscription must hold that one subscription only")


def clean_currency(value: Any) -> str:
    if value is None or value == "":
        raise bad("Missing required field: order.currency")
    if not isinstance(value, str):
        raise bad('order.currency must be a currency code such as "USD"')
    if not money.is_currency_code(value):
        raise bad(
            f'Invalid currency format: "{value}". Must be 3 uppercase letters '
            '(e.g., "USD", "EUR", "JPY")'
        )
    if value not in money.sellable_currencies():
        raise bad(f"Currency {value} is not supported")
    return value
