"""Partner baskets (seed 003): creating partners, building baskets, validating them and
handing them over to a checkout session.

Every price a basket holds is the one the product had when the item was added; handing a
basket over locks those prices into a checkout session exactly as a template cart's begin
locks today's (``checkout.carts``). A basket changes state lazily: it is ``completed`` once
its checkout is paid and ``expired`` after ``expires_at``; either way it no longer changes.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import get_application_model

from catalog.models import Product, ProductPrice, ProductType, ProductVersion
from checkout.lines import SessionLine
from checkout.models import CheckoutSession, CreatedVia, SessionStatus
from checkout.services import check_store_sells, session_is_expired
from checkout.session_request import DEFAULT_TTL_SECONDS
from core import ids, money
from core.errors import BadRequest, Conflict, NotFound, Unprocessable
from orders.models import Payment, PaymentStatus
from partners.models import Basket, BasketItem, BasketState, ItemType, Partner, PartnerGrant
from stores.models import Environment
from stores.settings_schema import effective_checkout_settings

BASKET_NOT_FOUND = "Basket not found"
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
            product_id = _product_id(offer.get("productId"), f"{where}.offer.productId")
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
    pinned = {
        version.pk: version
        for version in ProductVersion.objects.filter(
            pk__in={item.version_id for item in wanted if item.version_id}
        )
    }
    rows, stores = [], set()
    for item in wanted:
        product = products.get(item.product_id)
        public_id = ids.to_short_id("PROD", item.product_id)
        if product is None or not _may_sell(grants, product):
            # An unknown product and one the partner may not sell look the same.
            raise _bad(f"Product {public_id} is not available to this partner")
        if not product.is_sellable_in(environment):
            raise _bad(f"Product {public_id} is not available in {environment}")
        if item.version_id is not None:
            version = pinned.get(item.version_id)
            if version is None or version.product_id != product.pk:
                raise _bad(f"Version {item.version_id} is not a version of product {public_id}")
        else:
            version = product.version_in(environment)
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
    if session is not None and session.status == SessionStatus.COMPLETED:
        return BasketState.COMPLETED
    if (now or timezone.now()) >= basket.expires_at:
        return BasketState.EXPIRED
    return BasketState.ACTIVE


def basket_complete(*, session: CheckoutSession) -> None:
    """Inside the payment's transaction: the basket handed over to this session is paid."""
    Basket.objects.filter(checkout_session=session, state=BasketState.ACTIVE).update(
        state=BasketState.COMPLETED, updated_at=timezone.now()
    )


def _refresh_state(basket: Basket) -> None:
    state = effective_state(basket)
    if state != basket.state:
        basket.state = state
        basket.save(update_fields=["state", "updated_at"])


def _locked(basket: Basket) -> Basket:
    """The basket row locked, and before it the checkout it was handed over to.

    Paying a checkout locks the session and then completes its basket, so the session is
    locked first here as well and the two never deadlock. The basket is re-read after its
    lock is held, never joined: a waiter's join would show the row from before the winner's
    change (PostgreSQL re-checks only the locked row). When the basket moved to another
    checkout in between, the locks are taken again.
    """
    for _ in range(3):
        session_id = (
            Basket.objects.filter(pk=basket.pk).values_list("checkout_session_id", flat=True).get()
        )
        if session_id is not None:
            CheckoutSession.objects.select_for_update(of=("self",)).filter(pk=session_id).exists()
        locked = (
            Basket.objects.select_for_update(of=("self",))
            .select_related("store", "partner")
            .get(pk=basket.pk)
        )
        if locked.checkout_session_id == session_id:
            return locked
    raise Conflict("Basket is changing in another request; retry", layer=LAYER)


def _checkout_hold(session: CheckoutSession) -> str | None:
    """Why the checkout the basket was handed over to still holds it, or None when it expired
    unpaid: it is open and may be paid, or a payment claimed before it expired is under way
    (and may have charged already)."""
    if session.status != SessionStatus.OPEN:
        return None
    if not session_is_expired(session):
        return HANDED_OVER
    paying = Payment.objects.filter(order__checkout_session=session, status=PaymentStatus.PENDING)
    return PAYMENT_UNDER_WAY if paying.exists() else None


def _check_changeable(basket: Basket) -> None:
    if basket.state == BasketState.COMPLETED:
        raise Conflict("Basket is completed and can no longer change", layer=LAYER)
    if basket.state == BasketState.EXPIRED:
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
    if not isinstance(value, str) or not value.startswith("basket-"):
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
    if isinstance(key, str) and key.isdigit():
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
        _refresh_state(basket)
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
        for offset, item in enumerate(added):
            item.basket, item.position = basket, start + offset
        BasketItem.objects.bulk_create(added)
        basket.save()
    return basket


# --- validation and hand-over ---------------------------------------------------------------


def basket_validate(*, basket: Basket) -> list[dict]:
    """Every problem of the basket, without changing anything: products no longer available
    (or not offered in the basket's currency), prices changed since an item was added, and
    products the partner may no longer sell."""
    items = list(
        basket.items.select_related("product__test_version", "product__prod_version", "version")
    )
    grants = _grants(basket.partner)
    current_versions = {item.pk: item.product.version_in(basket.environment) for item in items}
    prices = {
        price.version_id: price.amount_minor
        for price in ProductPrice.objects.filter(
            version_id__in={v.pk for v in current_versions.values() if v}
            | {i.version_id for i in items},
            currency=basket.currency,
        )
    }
    problems = []
    for item in items:
        product_id = item.product.public_id
        base = {"position": item.position, "productId": product_id}
        if not _may_sell(grants, item.product):
            problems.append(
                {
                    **base,
                    "code": "not_permitted",
                    "message": f"Product {product_id} may not be sold by this partner",
                }
            )
        current = current_versions[item.pk]
        sellable = item.product.is_sellable_in(basket.environment) and current is not None
        if not sellable or item.version_id not in prices:
            problems.append(
                {
                    **base,
                    "code": "product_unavailable",
                    "message": f"Product {product_id} is no longer available",
                }
            )
            continue
        now_minor = prices.get(current.pk)
        if now_minor is None:
            problems.append(
                {
                    **base,
                    "code": "product_unavailable",
                    "message": f"Product {product_id} is no longer offered in {basket.currency}",
                }
            )
        elif now_minor != item.unit_amount_minor:
            problems.append(
                {
                    **base,
                    "code": "price_changed",
                    "message": f"The price of product {product_id} changed since it was added",
                    "addedAmount": money.format_amount(item.unit_amount_minor, basket.currency),
                    "currentAmount": money.format_amount(now_minor, basket.currency),
                }
            )
    return problems


BLOCKING = {"not_permitted", "product_unavailable"}


def basket_checkout(*, basket: Basket) -> CheckoutSession:
    """The end customer's checkout, at the basket's prices. Handing over again while that
    checkout is open returns it; once it expired unpaid, a new one is made."""
    with transaction.atomic():
        basket = _locked(basket)
        _refresh_state(basket)
        _check_changeable(basket)
        session = basket.checkout_session
        hold = _checkout_hold(session) if session is not None else None
        if hold == HANDED_OVER:
            return session
        if hold:  # a new checkout could be paid as well: the basket would be paid twice
            raise Conflict(hold, layer=LAYER)
        check_store_sells(basket.store, basket.environment)
        blocking = [p for p in basket_validate(basket=basket) if p["code"] in BLOCKING]
        if blocking:
            raise Unprocessable(blocking[0]["message"], layer="product")
        items = list(basket.items.select_related("product", "version"))
        if not items:
            raise Unprocessable("Basket has no items", layer=LAYER)
        prices = {
            price.version_id: price
            for price in ProductPrice.objects.filter(
                version_id__in={item.version_id for item in items}, currency=basket.currency
            )
        }
        lines = []
        for item in items:
            price, version = prices[item.version_id], item.version
            lines.append(
                SessionLine(
                    product_id=item.product_id,
                    product_version_id=version.pk,
                    product_type=item.product.type,
                    name=version.name,
                    quantity=item.quantity,
                    unit_amount_minor=item.unit_amount_minor,
                    tax_category=price.tax_category,
                    tax_included=price.tax_included,
                    billing_period=version.billing_period or "",
                    price_overridden=item.unit_amount_minor != price.amount_minor,
                    requires_shipping=version.requires_shipping,
                )
            )
        store = basket.store
        theme = effective_checkout_settings(store.checkout_settings)
        theme["storeLogo"] = store.logo or None
        session = CheckoutSession.objects.create(
            store=store,
            environment=basket.environment,
            created_via=CreatedVia.PARTNER_BASKET,
            partner=basket.partner,
            product_type=lines[0].product_type,
            currency=basket.currency,
            lines=[line.to_json() for line in lines],
            requires_shipping=any(line.requires_shipping for line in lines),
            store_name=store.name,
            theme=theme,
            expires_at=min(
                timezone.now() + timedelta(seconds=DEFAULT_TTL_SECONDS), basket.expires_at
            ),
        )
        basket.checkout_session = session
        basket.save(update_fields=["checkout_session", "updated_at"])
    return session
