"""Partner baskets (seed 003): creating partners, building baskets, validating them and
handing them over to a checkout session.

Every price a basket holds is the one the product had when the item was added; handing a
basket over locks those prices into a checkout session exactly as a template cart's begin
locks today's (``checkout.carts``). A basket changes state lazily: it is ``completed`` once
its checkout is paid and ``expired`` after ``expires_at``; either way it no longer changes.
"""

import re
import uuid
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import get_application_model

from checkout.lines import SessionLine
from checkout.models import CheckoutSession, CreatedVia
from checkout.selectors import SessionState, session_state
from checkout.services import check_store_sells, session_lock, session_open
from core.errors import BadRequest, Conflict, NotFound, Unprocessable
from orders.selectors import payment_under_way
from partners.basket_appraisal import appraise
from partners.basket_items import (
    LAYER,
    bad,
    check_composition,
    clean_currency,
    new_items,
    parse_items,
    parse_product_id,
    parse_quantity,
)
from partners.models import Basket, BasketItem, BasketState, Partner
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
                    session_lock(session_id)
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
    currency = clean_currency(currency)
    wanted = parse_items(items)
    if not wanted:
        raise bad("orderItems must list at least one item")
    store, new = new_items(
        partner=partner, environment=environment, currency=currency, wanted=wanted
    )
    check_composition(new)
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
        product_id = parse_product_id(key, where)
        chosen = [item for item in items if item.product_id == product_id]
    else:
        raise bad(f"{where} must be an item position or a product ID (PROD_…)")
    if not chosen:
        raise bad(f"{where}: no item {key} in this basket")
    return chosen


def basket_update(
    *, basket: Basket, add: Any = None, remove: Any = None, quantities: Any = None
) -> Basket:
    """Change quantities, then remove, then add (positions name items as they were before the
    update; added items go to the end)."""
    add_wanted = parse_items(add if add is not None else [], field="add")
    if remove is not None and not isinstance(remove, list):
        raise bad("remove must be a list of item positions or product IDs")
    if quantities is not None and not isinstance(quantities, dict):
        raise bad("quantities must be an object of item position or product ID to quantity")
    with transaction.atomic():
        basket = _locked(basket)
        _check_changeable(basket)
        _release_expired_checkout(basket)
        items = list(basket.items.select_related("product", "version"))
        for key, quantity in (quantities or {}).items():
            where = f"quantities.{key}"
            for item in _select(items, key, where):
                item.quantity = parse_quantity(quantity, where)
        removed: set[int] = set()
        for index, key in enumerate(remove or []):
            removed |= {item.pk for item in _select(items, key, f"remove[{index}]")}
        kept = [item for item in items if item.pk not in removed]
        added = _added_items(basket, add_wanted)
        check_composition(kept + added)
        basket.items.filter(pk__in=removed).delete()
        for item in kept:
            item.save(update_fields=["quantity"])
        _append(basket, added)
        basket.save()
    return basket


def _release_expired_checkout(basket: Basket) -> None:
    """A basket whose checkout is still open (or being paid) cannot change; one whose
    checkout expired unpaid lets go of it."""
    if basket.checkout_session is None:
        return
    hold = _checkout_hold(basket.checkout_session)
    if hold:
        raise Conflict(hold, layer=LAYER)
    basket.checkout_session = None


def _added_items(basket: Basket, wanted: list) -> list[BasketItem]:
    if not wanted:
        return []
    store, added = new_items(
        partner=basket.partner,
        environment=basket.environment,
        currency=basket.currency,
        wanted=wanted,
    )
    if store.pk != basket.store_id:
        raise bad("All items of a basket must come from one store")
    return added


def _append(basket: Basket, added: list[BasketItem]) -> None:
    top = basket.items.aggregate(top=Max("position"))["top"]
    start = 0 if top is None else top + 1
    if start + len(added) > POSITION_MAX:
        raise bad("This basket has been changed too often; start a new basket")
    for offset, item in enumerate(added):
        item.basket, item.position = basket, start + offset
    BasketItem.objects.bulk_create(added)


def basket_validate(*, basket: Basket) -> list[dict]:
    """Every problem of the basket, without changing anything: the store no longer selling,
    products no longer available (or not offered in the basket's currency), products the
    partner may no longer sell, pinned versions replaced, and prices changed since an item
    was added. Any of them stops a hand-over."""
    return appraise(basket).problems


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
        appraisal = appraise(basket)
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
