"""What a basket would sell today, and every reason it cannot: the one reading behind
validate (which only reports) and hand-over (which refuses on any problem)."""

from dataclasses import dataclass

from catalog.models import ProductPrice, ProductVersion
from core import money
from partners.basket_items import may_sell, partner_grants, store_sells
from partners.models import Basket, BasketItem


@dataclass(frozen=True)
class Appraisal:
    """What a basket would sell today: every problem, and each item's current version and
    price (None for an item that cannot be sold)."""

    problems: list[dict]
    offers: list[tuple[BasketItem, ProductVersion | None, ProductPrice | None]]


def appraise(basket: Basket) -> Appraisal:
    items = list(basket.items.select_related("product__test_version", "product__prod_version"))
    environment, currency = basket.environment, basket.currency
    grants = partner_grants(basket.partner)
    current = {item.pk: item.product.version_in(environment) for item in items}
    prices = {
        price.version_id: price
        for price in ProductPrice.objects.filter(
            version_id__in={v.pk for v in current.values() if v}, currency=currency
        )
    }
    problems, offers = [], []
    if not store_sells(basket.store, environment):
        problems.append(
            {
                "code": "store_unavailable",
                "message": f"The store {basket.store.name} is not selling in {environment}",
            }
        )
    for item in items:
        version = current[item.pk]
        price = prices.get(version.pk) if version else None
        offers.append((item, version, price))
        problems.extend(
            _item_problems(
                item,
                version,
                price,
                permitted=may_sell(grants, item.product),
                environment=environment,
                currency=currency,
            )
        )
    return Appraisal(problems=problems, offers=offers)


def _item_problems(
    item: BasketItem,
    version: ProductVersion | None,
    price: ProductPrice | None,
    *,
    permitted: bool,
    environment: str,
    currency: str,
) -> list[dict]:
    product_id = item.product.public_id
    base = {"position": item.position, "productId": product_id}
    problems = []
    if not permitted:
        problems.append(
            {
                **base,
                "code": "not_permitted",
                "message": f"Product {product_id} may not be sold by this partner",
            }
        )
    if not item.product.is_sellable_in(environment) or version is None:
        message = f"Product {product_id} is no longer available"
        return [*problems, {**base, "code": "product_unavailable", "message": message}]
    if price is None:
        message = f"Product {product_id} is no longer offered in {currency}"
        return [*problems, {**base, "code": "product_unavailable", "message": message}]
    if item.version_pinned and version.pk != item.version_id:
        problems.append(
            {
                **base,
                "code": "version_changed",
                "message": f"Product {product_id} has a new version since it was added",
                "addedVersionId": str(item.version_id),
                "currentVersionId": str(version.pk),
            }
        )
    if price.amount_minor != item.unit_amount_minor:
        problems.append(
            {
                **base,
                "code": "price_changed",
                "message": f"The price of product {product_id} changed since it was added",
                "addedAmount": money.format_amount(item.unit_amount_minor, currency),
                "currentAmount": money.format_amount(price.amount_minor, currency),
            }
        )
    return problems
