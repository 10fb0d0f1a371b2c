"""Partner baskets (seed 003): creating partners, building baskets, validating them and
handing them over to a checkout session.

Every price a basket holds is the one the product had when the item was added; handing a
basket over locks those prices into a checkout session exactly as a template cart's begin
locks today's (``checkout.carts``). A basket changes state lazily: it is ``completed`` once
its checkout is paid and ``expired`` after ``expires_at``; either way it no longer changes.
"""

import re
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import get_application_model

from catalog.models import Product, ProductPrice, ProductType, ProductVersion
from checkout.lines import SessionLine
from checkout.models import CheckoutSession, CreatedVia
from checkout.selectors import SessionState, session_state
from checkout.services import check_store_sells, session_open
from core import ids, money
from core.errors import BadRequest, Conflict, Forbidden, NotFound, Unprocessable
from orders.selectors import payment_under_way
from partners.models import Basket, BasketItem, BasketState, ItemType, Partner, PartnerGrant
from stores.models import Environment

BASKET_NOT_FOUND = "Basket not found"
BASKET_ID = re.compile(r"basket-[A-Za-z0-9\-_]{32,36}")
POSITION = re.compile(r"[0-9]{1,5}")
POSITION_MAX = 32767  # BasketItem.position is a smallint
HANDED_OVER = (
    "Basket was handed over to a checkout that is still open; "
    "it can change once that checkout expires"
)
PAYMENT_UNDER_WAY = "A payment for this basket's checkout is under way"
ITEMS_MAX = 50
QUANTITY_MAX = 99
LAYER = "order"


# --- partners -------------------------------------------------------------------------------


def partner_create(*, name: str, environment: str, active: bool = True) -> tuple[Partner, str]:
    """A partner and its OAuth 2.0 client; returns the client secret, which is stored hashed
    and so can be shown this once only."""
    if not isinstance(name, str) or not name.strip():
        raise BadRequest("Missing required field: name", layer="user")
    if environment not in Environment.values:
        raise BadRequest("environment must be test or prod", layer="user")
    application_model = get_application_model()
    secret = generate_client_secret()
    with transaction.atomic():
        application = application_model.objects.create(
            name=f"Partner: {name.strip()}"[:255],
            client_type=application_model.CLIENT_CONFIDENTIAL,
            authorization_grant_type=application_model.GRANT_CLIENT_CREDENTIALS,
            client_secret=secret,
            hash_client_secret=True,
        )
        partner = Partner.objects.create(
            name=name.strip(), environment=environment, active=active, application=application
        )
    return partner, secret


# --- reading and checking items -------------------------------------------------------------


@dataclass(frozen=True)
class WantedItem:
    product_id: uuid.UUID
    version_id: uuid.UUID | None
    quantity: int
    type: str


def _bad(message: str) -> BadRequest:
    return BadRequest(message, layer=LAYER)


def _quantity(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= QUANTITY_MAX:
        raise _bad(f"{where}.quantity must be an integer from 1 to {QUANTITY_MAX}")
    return value


def _product_id(value: Any, where: str) -> uuid.UUID:
    try:
        return ids.from_short_id("PROD", value)
    except ids.InvalidShortId:
        raise _bad(f"{where}: {ids.format_error('PROD', value)}") from None


def parse_items(value: Any, *, field: str = "orderItems") -> list[WantedItem]:
    """``[{offer, quantity, type}]``: ``offer`` is ``PROD_…`` or ``{productId, versionId}``."""
    if value is None:
        raise _bad(f"Missing required field: {field}")
    if not isinstance(value, list) or len(value) > ITEMS_MAX:
        raise _bad(f"{field} must be a list of at most {ITEMS_MAX} items")
    wanted = []
    for index, item in enumerate(value):
        where = f"{field}[{index}]"
        if not isinstance(item, dict):
            raise _bad(f"{where} must be an object {{offer, quantity, type}}")
        unknown = sorted(set(item) - {"offer", "quantity", "type"})
        if unknown:
            raise _bad(f"{where}.{unknown[0]} is not a known field")
        offer = item.get("offer")
        version_id = None
        if isinstance(offer, dict):
            unknown = sorted(set(offer) - {"productId", "versionId"})
            if unknown:
                raise _bad(f"{where}.offer.{unknown[0]} is not a known field")
            if offer.get("productId") in (None, ""):
                raise _bad(f"Missing required field: {where}.offer.productId")
            product_id = _product_id(offer["productId"], f"{where}.offer.productId")
            if offer.get("versionId") is not None:
                try:
                    version_id = uuid.UUID(str(offer["versionId"]))
                except ValueError:
                    raise _bad(f"{where}.offer.versionId must be a version UUID") from None
        elif offer is None:
            raise _bad(f"Missing required field: {where}.offer")
        else:
            product_id = _product_id(offer, f"{where}.offer")
        item_type = item.get("type", ItemType.OFFER)
        if item_type not in ItemType.values:
            raise _bad(f"{where}.type must be offer or add_on")
        wanted.append(
            WantedItem(
                product_id=product_id,
                version_id=version_id,
                quantity=_quantity(item.get("quantity", 1), where),
                type=item_type,
            )
        )
    return wanted


def _grants(partner: Partner) -> dict[uuid.UUID, set[uuid.UUID] | None]:
    """Store ID → the product IDs the partner may sell there (None: every product)."""
    granted: dict[uuid.UUID, set[uuid.UUID] | None] = {}
    for grant in PartnerGrant.objects.filter(partner=partner).prefetch_related("products"):
        products = {product.pk for product in grant.products.all()}
        granted[grant.store_id] = products or None
    return granted


def _may_sell(grants: dict, product: Product) -> bool:
    if product.store_id not in grants:
        return False
    allowed = grants[product.store_id]
    return allowed is None or product.pk in allowed


def _new_items(
    *, partner: Partner, environment: str, currency: str, wanted: list[WantedItem]
) -> tuple[Any, list[BasketItem]]:
    """Unsaved items at today's prices; 400 for anything the partner may not put in."""
    products = {
        product.pk: product
        for product in Product.objects.select_related("store").filter(
            pk__in={item.product_id for item in wanted}
        )
    }
    grants = _grants(partner)
    rows, stores = [], set()
    for item in wanted:
        product = products.get(item.product_id)
        public_id = ids.to_short_id("PROD", item.product_id)
        if product is None or not _may_sell(grants, product):
            # An unknown product and one the partner may not sell look the same.
            raise _bad(f"Product {public_id} is not available to this partner")
        if not product.is_sellable_in(environment) or not _store_sells(product.store, environment):
            raise _bad(f"Product {public_id} is not available in {environment}")
        version = product.version_in(environment)
        if item.version_id is not None and item.version_id != version.pk:
            # A pinned version guards the partner against changes; it never picks a price
            # other than the one on sale.
            raise _bad(
                f"Version {item.version_id} is not the version of product {public_id} "
                f"on sale in {environment}"
            )
        stores.add(product.store_id)
        rows.append((product, version, item))
    if len(stores) > 1:
        raise _bad("All items of a basket must come from one store")
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
            raise _bad(f"Product {product.public_id} is not offered in {currency}")
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


def _store_sells(store, environment: str) -> bool:
    try:
        check_store_sells(store, environment)
    except Forbidden:
        return False
    return True


def _check_composition(items: list[BasketItem]) -> None:
    if len(items) > ITEMS_MAX:
        raise _bad(f"A basket holds at most {ITEMS_MAX} items")
    if any(i.type == ItemType.ADD_ON for i in items) and not any(
        i.type == ItemType.OFFER for i in items
    ):
        raise _bad("An add_on item needs an offer item in the same basket")
    subscriptions = [i for i in items if i.product.type == ProductType.SUBSCRIPTION]
    if subscriptions and (len(items) > 1 or items[0].quantity != 1):
        raise _bad("A basket with a subscription must hold that one subscription only")


def _clean_currency(value: Any) -> str:
    if value is None or value == "":
        raise _bad("Missing required field: order.currency")
    if not isinstance(value, str):
        raise _bad('order.currency must be a currency code such as "USD"')
    if not money.is_currency_code(value):
        raise _bad(
            f'Invalid currency format: "{value}". Must be 3 uppercase letters '
            '(e.g., "USD", "EUR", "JPY")'
        )
    if value not in money.sellable_currencies():
        raise _bad(f"Currency {value} is not supported")
    return value


# --- state ----------------------------------------------------------------------------------


def effective_state(basket: Basket, *, now=None) -> str:
    """The basket's state as of now: completed once its checkout is paid, expired after
    ``expires_at``. Reads only."""
    if basket.state != BasketState.ACTIVE:
        return basket.state
    session = basket.checkout_session
    if session is not None and session_state(session) == SessionState.COMPLETED:
        return BasketState.COMPLETED
    if (now or timezone.now()) >= basket.expires_at:
        return BasketState.EXPIRED
    return BasketState.ACTIVE


def basket_complete(*, session_id: uuid.UUID) -> int:
    """The checkout a basket was handed over to is paid (``checkout.session.completed``).
    Until this runs, ``effective_state`` already reads the basket as completed."""
    return Basket.objects.filter(checkout_session_id=session_id, state=BasketState.ACTIVE).update(
        state=BasketState.COMPLETED, updated_at=timezone.now()
    )


class _Moved(Exception):
    """The basket moved to another checkout between reading it and locking it."""


def _locked(basket: Basket) -> Basket:
    """The basket row locked, and before it the checkout it was handed over to.

    Paying a checkout locks the session and then completes its basket, so the session is
    locked first here as well and the two never deadlock. The basket is re-read after its
    lock is held, never joined: a waiter's join would show the row from before the winner's
    change (PostgreSQL re-checks only the locked row). When the basket moved to another
    checkout in between, the attempt's savepoint is rolled back, which releases its locks,
    and the locks are taken again in order.
    """
    for _ in range(5):
        session_id = (
            Basket.objects.filter(pk=basket.pk).values_list("checkout_session_id", flat=True).get()
        )
        try:
            with transaction.atomic():
                if session_id is not None:
                    CheckoutSession.objects.select_for_update(of=("self",)).filter(
                        pk=session_id
                    ).exists()
                locked = (
                    Basket.objects.select_for_update(of=("self",))
                    .select_related("store", "partner")
                    .get(pk=basket.pk)
                )
                if locked.checkout_session_id != session_id:
                    raise _Moved
                return locked
        except _Moved:
            continue
    raise Conflict("Basket is changing in another request; retry", layer=LAYER)


def _checkout_hold(session: CheckoutSession) -> str | None:
    """Why the checkout the basket was handed over to still holds it, or None when it expired
    unpaid: it is open and may be paid, or a payment claimed before it expired is under way
    (and may have charged already)."""
    state = session_state(session)
    if state == SessionState.COMPLETED:
        return None
    if state == SessionState.OPEN:
        return HANDED_OVER
    return PAYMENT_UNDER_WAY if payment_under_way(session_id=session.pk) else None


def _check_changeable(basket: Basket) -> None:
    state = effective_state(basket)
    if state == BasketState.COMPLETED:
        raise Conflict("Basket is completed and can no longer change", layer=LAYER)
    if state == BasketState.EXPIRED:
        raise Conflict("Basket has expired and can no longer change", layer=LAYER)


def basket_for_partner(*, partner: Partner, basket_id: Any) -> Basket:
    """``basket-<uuid>`` of this partner, else 404 (another partner's basket included)."""
    pk = parse_basket_id(basket_id)
    basket = (
        Basket.objects.select_related("checkout_session", "store", "partner")
        .filter(pk=pk, partner=partner)
        .first()
        if pk
        else None
    )
    if basket is None:
        raise NotFound(BASKET_NOT_FOUND, layer=LAYER)
    return basket


def parse_basket_id(value: Any) -> uuid.UUID | None:
    """``basket-<uuid>`` as seed 003 spells it (``^basket-[A-Za-z0-9\\-_]{32,36}$``)."""
    if not isinstance(value, str) or not BASKET_ID.fullmatch(value):
        return None
    try:
        return uuid.UUID(value.removeprefix("basket-"))
    except ValueError:
        return None


# --- writes ---------------------------------------------------------------------------------


def basket_initiate(*, partner: Partner, environment: str, items: Any, currency: Any) -> Basket:
    currency = _clean_currency(currency)
    wanted = parse_items(items)
    if not wanted:
        raise _bad("orderItems must list at least one item")
    store, new = _new_items(
        partner=partner, environment=environment, currency=currency, wanted=wanted
    )
    _check_composition(new)
    with transaction.atomic():
        basket = Basket.objects.create(
            partner=partner, store=store, environment=environment, currency=currency
        )
        for position, item in enumerate(new):
            item.basket, item.position = basket, position
        BasketItem.objects.bulk_create(new)
    return basket


def _select(items: list[BasketItem], key: Any, where: str) -> list[BasketItem]:
    """Items named by position (an integer, or its digits as a string) or by ``PROD_…``."""
    if isinstance(key, str) and POSITION.fullmatch(key):
        key = int(key)
    if isinstance(key, int) and not isinstance(key, bool):
        chosen = [item for item in items if item.position == key]
    elif isinstance(key, str) and key.startswith("PROD_"):
        product_id = _product_id(key, where)
        chosen = [item for item in items if item.product_id == product_id]
    else:
        raise _bad(f"{where} must be an item position or a product ID (PROD_…)")
    if not chosen:
        raise _bad(f"{where}: no item {key} in this basket")
    return chosen


def basket_update(
    *, basket: Basket, add: Any = None, remove: Any = None, quantities: Any = None
) -> Basket:
    """Change quantities, then remove, then add (positions name items as they were before the
    update; added items go to the end)."""
    add_wanted = parse_items(add if add is not None else [], field="add")
    if remove is not None and not isinstance(remove, list):
        raise _bad("remove must be a list of item positions or product IDs")
    if quantities is not None and not isinstance(quantities, dict):
        raise _bad("quantities must be an object of item position or product ID to quantity")
    with transaction.atomic():
        basket = _locked(basket)
        _check_changeable(basket)
        session = basket.checkout_session
        if session is not None:
            hold = _checkout_hold(session)
            if hold:
                raise Conflict(hold, layer=LAYER)
            basket.checkout_session = None  # that checkout expired unpaid
        items = list(basket.items.select_related("product", "version"))
        for key, quantity in (quantities or {}).items():
            where = f"quantities.{key}"
            for item in _select(items, key, where):
                item.quantity = _quantity(quantity, where)
        removed: set[int] = set()
        for index, key in enumerate(remove or []):
            removed |= {item.pk for item in _select(items, key, f"remove[{index}]")}
        kept = [item for item in items if item.pk not in removed]
        added: list[BasketItem] = []
        if add_wanted:
            store, added = _new_items(
                partner=basket.partner,
                environment=basket.environment,
                currency=basket.currency,
                wanted=add_wanted,
            )
            if store.pk != basket.store_id:
                raise _bad("All items of a basket must come from one store")
        _check_composition(kept + added)
        basket.items.filter(pk__in=removed).delete()
        for item in kept:
            item.save(update_fields=["quantity"])
        top = basket.items.aggregate(top=Max("position"))["top"]
        start = 0 if top is None else top + 1
        if start + len(added) > POSITION_MAX:
            raise _bad("This basket has been changed too often; start a new basket")
        for offset, item in enumerate(added):
            item.basket, item.position = basket, start + offset
        BasketItem.objects.bulk_create(added)
        basket.save()
    return basket


# --- validation and hand-over ---------------------------------------------------------------


@dataclass(frozen=True)
class Appraisal:
    """What a basket would sell today: every problem, and each item's current version and
    price (None for an item that cannot be sold)."""

    problems: list[dict]
    offers: list[tuple[BasketItem, ProductVersion | None, ProductPrice | None]]


def _appraise(basket: Basket) -> Appraisal:
    items = list(basket.items.select_related("product__test_version", "product__prod_version"))
    environment, currency = basket.environment, basket.currency
    grants = _grants(basket.partner)
    current = {item.pk: item.product.version_in(environment) for item in items}
    prices = {
        price.version_id: price
        for price in ProductPrice.objects.filter(
            version_id__in={v.pk for v in current.values() if v}, currency=currency
        )
    }
    problems, offers = [], []
    if not _store_sells(basket.store, environment):
        problems.append(
            {
                "code": "store_unavailable",
                "message": f"The store {basket.store.name} is not selling in {environment}",
            }
        )
    for item in items:
        product_id = item.product.public_id
        base = {"position": item.position, "productId": product_id}
        version = current[item.pk]
        price = prices.get(version.pk) if version else None
        offers.append((item, version, price))
        if not _may_sell(grants, item.product):
            problems.append(
                {
                    **base,
                    "code": "not_permitted",
                    "message": f"Product {product_id} may not be sold by this partner",
                }
            )
        if not item.product.is_sellable_in(environment) or version is None:
            problems.append(
                {
                    **base,
                    "code": "product_unavailable",
                    "message": f"Product {product_id} is no longer available",
                }
            )
            continue
        if price is None:
            problems.append(
                {
                    **base,
                    "code": "product_unavailable",
                    "message": f"Product {product_id} is no longer offered in {currency}",
                }
            )
            continue
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
    return Appraisal(problems=problems, offers=offers)


def basket_validate(*, basket: Basket) -> list[dict]:
    """Every problem of the basket, without changing anything: the store no longer selling,
    products no longer available (or not offered in the basket's currency), products the
    partner may no longer sell, pinned versions replaced, and prices changed since an item
    was added. Any of them stops a hand-over."""
    return _appraise(basket).problems


def basket_checkout(*, basket: Basket) -> CheckoutSession:
    """The end customer's checkout, with each item's current version at the price the basket
    showed: a basket with any problem (a changed price included) is refused, so the buyer
    pays neither a stale price nor one the partner never saw. Handing over again while that
    checkout is open returns it; once it expired unpaid, a new one is made."""
    with transaction.atomic():
        basket = _locked(basket)
        _check_changeable(basket)
        session = basket.checkout_session
        hold = _checkout_hold(session) if session is not None else None
        if hold == HANDED_OVER:
            return session
        if hold:  # a new checkout could be paid as well: the basket would be paid twice
            raise Conflict(hold, layer=LAYER)
        check_store_sells(basket.store, basket.environment)
        appraisal = _appraise(basket)
        if appraisal.problems:
            raise Unprocessable(appraisal.problems[0]["message"], layer="product")
        if not appraisal.offers:
            raise Unprocessable("Basket has no items", layer=LAYER)
        lines = [
            SessionLine.at_list_price(
                product=item.product, version=version, price=price, quantity=item.quantity
            )
            for item, version, price in appraisal.offers
        ]
        session = session_open(
            store=basket.store,
            environment=basket.environment,
            created_via=CreatedVia.PARTNER_BASKET,
            partner_id=basket.partner_id,
            currency=basket.currency,
            lines=lines,
            not_after=basket.expires_at,
        )
        basket.checkout_session = session
        basket.save(update_fields=["checkout_session", "updated_at"])
    return session
