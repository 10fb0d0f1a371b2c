"""Creating checkout sessions and customer session tokens."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from catalog.models import Product, ProductType
from checkout import selectors
from checkout.embargo import check_sale
from checkout.lines import SessionLine
from checkout.models import CheckoutSession, CreatedVia, SessionStatus, TemplateCart
from checkout.selectors import SessionState
from checkout.session_request import DEFAULT_TTL_SECONDS, SessionRequest
from core import tokens
from core.errors import AppError, BadRequest, Conflict, Forbidden, NotFound
from core.events import event_record
from core.text import normalize_email
from stores import selectors as store_selectors
from stores.models import Environment, Store, StoreMembership, StoreStatus
from stores.settings_schema import store_theme

PRODUCT_NOT_ACTIVE = "Product not found or not active for this environment"
SESSION_COMPLETED = "Checkout session is already completed"


class SessionExpired(AppError):
    status = 410
    default_layer = "order"
    default_code = "session_expired"

    def __init__(self):
        super().__init__("Checkout session has expired")


def check_store_sells(store: Store, environment: str) -> None:
    """A store sells (and takes money) only while active, and in prod only once approved."""
    if store.deleted_at is not None or store.status != StoreStatus.ACTIVE:
        raise Forbidden("Store is not active", layer="store")
    if environment == Environment.PROD and not store.prod_enabled:
        raise Forbidden("Store is not approved for production payments", layer="store")


def _check_visitor_success_url(url: str, store: Store) -> None:
    """A browser (store slug) may only send buyers back to the store's own website: anyone
    can make such a session, and the real checkout page must not become an open redirect."""
    allowed = urlsplit(store.website).hostname if store.website else None
    host = urlsplit(url).hostname
    if not allowed or not host or not (host == allowed or host.endswith("." + allowed)):
        raise BadRequest("successUrl must be on the store's website", layer="order")


def _diagnose(*, request: SessionRequest, environment: str, merchant_id, store_slug) -> Product:
    """Why the one-query lookup found nothing, in the seeds' order of precedence.

    Returns the product when only the currency is missing and a price override applies.
    """
    visiting_store = None
    if store_slug is not None:
        visiting_store = Store.objects.alive().filter(slug=store_slug).first()
        if visiting_store is None:
            raise NotFound("Store not found", layer="store")
    product = selectors.product_with_store(product_id=request.product_id)
    if product is None:
        raise NotFound("Product not found", layer="product")
    if visiting_store is not None and product.store_id != visiting_store.pk:
        raise Forbidden("Product does not belong to this store", layer="product")
    if (
        merchant_id is not None
        and not StoreMembership.objects.filter(
            store_id=product.store_id, merchant_id=merchant_id
        ).exists()
    ):
        raise NotFound("Product not found", layer="product")
    check_store_sells(product.store, environment)
    if not product.is_sellable_in(environment):
        raise NotFound(PRODUCT_NOT_ACTIVE, layer="product")
    if request.price_override is None:
        raise BadRequest(
            f"Currency {request.currency} is not supported for this product", layer="product"
        )
    return product


def session_create(
    *,
    request: SessionRequest,
    environment: str,
    merchant_id: uuid.UUID | None = None,
    store_slug: str | None = None,
) -> CheckoutSession:
    """Lock version, price, names and theme for the session's lifetime.

    The happy path reads one row (price + version + product + store) and writes one.
    """
    price = selectors.sellable_price(
        product_id=request.product_id,
        currency=request.currency,
        environment=environment,
        merchant_id=merchant_id,
        store_slug=store_slug,
    )
    if price is not None:
        version = price.version
        product = version.product
        check_store_sells(product.store, environment)
    else:
        product = _diagnose(
            request=request, environment=environment, merchant_id=merchant_id, store_slug=store_slug
        )
        version = product.version_in(environment)
    store = product.store
    if store_slug is not None and request.success_url:
        _check_visitor_success_url(request.success_url, store)

    check_sale(environment=environment, billing=request.billing_detail)
    line = _requested_line(request=request, product=product, version=version, price=price)
    return session_open(
        store=store,
        environment=environment,
        created_via=CreatedVia.API_KEY if merchant_id else CreatedVia.STORE_SLUG,
        currency=request.currency,
        lines=[line],
        ttl_seconds=request.expires_in_seconds,
        dark_mode=request.dark_mode,
        language=request.language,
        payment_methods=request.payment_methods,
        buyer_email=request.buyer_email,
        billing_detail=request.billing_detail.as_json() if request.billing_detail else None,
        success_url=request.success_url or version.success_url or "",
        metadata=request.metadata,
        order_merchant_external_id=request.order_merchant_external_id,
    )


def _requested_line(*, request: SessionRequest, product, version, price) -> SessionLine:
    """The one line a create-session request sells, with the merchant's price override and
    the trial the request asks for (``withTrial`` is three-state: absent means the
    product's trial applies)."""
    override = request.price_override
    trial_days = version.metadata.get("trialDays") if isinstance(version.metadata, dict) else None
    # An override replaces the period price only; the trial price stays the product's, and a
    # trial without a trial price is free.
    trial_amount = price.trial_amount_minor if price is not None else None
    is_subscription = product.type == ProductType.SUBSCRIPTION
    has_trial = is_subscription and isinstance(trial_days, int) and trial_days > 0
    if request.with_trial and not has_trial:
        raise BadRequest("withTrial requires a subscription product with a trial", layer="order")
    with_trial = has_trial and (request.with_trial is not False)
    return SessionLine(
        product_id=product.pk,
        product_version_id=version.pk,
        product_type=product.type,
        name=version.name,
        quantity=1,
        unit_amount_minor=override.amount_minor if override else price.amount_minor,
        tax_category=override.tax_category if override else price.tax_category,
        tax_included=override.tax_included if override else price.tax_included,
        billing_period=version.billing_period or "",
        price_overridden=override is not None,
        with_trial=with_trial,
        trial_amount_minor=(trial_amount or 0) if with_trial else None,
        trial_days=trial_days if with_trial else None,
        requires_shipping=version.requires_shipping,
    )


def session_open(
    *,
    store: Store,
    environment: str,
    created_via: str,
    currency: str,
    lines: Sequence[SessionLine],
    ttl_seconds: int = DEFAULT_TTL_SECONDS,
    not_after: datetime | None = None,
    template_cart: TemplateCart | None = None,
    partner_id: uuid.UUID | None = None,
    **locked: Any,
) -> CheckoutSession:
    """The one constructor of a checkout session, whatever started it (signed API, store
    slug, template cart, partner basket): the store must sell, and names, theme and lines
    are copied so nothing edited later reaches the session. ``not_after`` caps the
    lifetime (a partner basket's own expiry); ``locked`` are the buyer-facing fields the
    API may set (email, billing detail, success URL, metadata, language, …)."""
    check_store_sells(store, environment)
    expires_at = timezone.now() + timedelta(seconds=ttl_seconds)
    if not_after is not None:
        expires_at = min(expires_at, not_after)
    return CheckoutSession.objects.create(
        store=store,
        environment=environment,
        created_via=created_via,
        template_cart=template_cart,
        partner_id=partner_id,
        product_type=lines[0].product_type,
        currency=currency,
        lines=[line.to_json() for line in lines],
        requires_shipping=any(line.requires_shipping for line in lines),
        store_name=store.name,
        theme=store_theme(store),
        expires_at=expires_at,
        **locked,
    )


def session_lock(session_id: uuid.UUID) -> CheckoutSession:
    """The session row locked (and its store read along, unlocked): every decision that
    depends on a session's state (paying, cancelling, shipping, completing) takes this lock
    first, so they run one after the other and never deadlock."""
    return (
        CheckoutSession.objects.select_for_update(of=("self",))
        .select_related("store")
        .get(pk=session_id)
    )


def session_complete(*, session: CheckoutSession, now: datetime) -> None:
    """The first write of the transaction that records a checkout's payment: it is paid.
    The update takes the session lock itself, so recording a success needs no locking read
    first; ``session`` may be a copy of any age, as the event reads only what never changes.
    Whoever else cares (partner baskets, webhooks) learns it from the event."""
    CheckoutSession.objects.filter(pk=session.pk).update(
        status=SessionStatus.COMPLETED, completed_at=now
    )
    session.status, session.completed_at = SessionStatus.COMPLETED, now
    _record(session, "checkout.session.completed")


def session_forfeit_trial(*, session_id: uuid.UUID) -> None:
    """The buyer already had this trial (``orders.trials``): from now on the session is
    priced in full, on the page and in the order (``CheckoutSession.line_items``)."""
    with transaction.atomic():
        session = session_lock(session_id)
        if not session.trial_forfeited and session.status == SessionStatus.OPEN:
            session.trial_forfeited = True
            session.save(update_fields=["trial_forfeited"])


def session_expire(*, session_id: uuid.UUID) -> bool:
    """Mark an unpaid session past its expiry as expired (the sweep). The caller makes sure
    no payment is under way: none can start once a session has expired."""
    with transaction.atomic():
        session = session_lock(session_id)
        if session.status != SessionStatus.OPEN:
            return False
        if selectors.session_state(session) != SessionState.EXPIRED:
            return False
        session.status = SessionStatus.EXPIRED
        session.save(update_fields=["status"])
        _record(session, "checkout.session.expired")
    return True


def _record(session: CheckoutSession, name: str) -> None:
    event_record(
        name=name,
        subject=session.public_id,
        payload={
            "checkoutSessionId": session.public_id,
            "createdVia": session.created_via,
            "partnerId": str(session.partner_id) if session.partner_id else None,
        },
        store_id=session.store_id,
        environment=session.environment,
    )


def session_check_open(session: CheckoutSession) -> None:
    """Refuse a change to a session that is paid (409) or expired (410)."""
    state = selectors.session_state(session)
    if state == SessionState.COMPLETED:
        raise Conflict(SESSION_COMPLETED, layer="order")
    if state == SessionState.EXPIRED:
        raise SessionExpired()


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expires_at: datetime
    store: Store


def normalize_buyer_identity(value: object) -> str:
    """Trimmed; an identity shaped like an email is compared as one (lowercase)."""
    if not isinstance(value, str) or not value.strip():
        raise BadRequest("Missing required field: buyerIdentity", layer="user")
    identity = value.strip()
    if len(identity) > 256:
        raise BadRequest("buyerIdentity must be at most 256 characters", layer="user")
    return normalize_email(identity) if "@" in identity else identity


def session_token_issue(
    *,
    merchant_id: uuid.UUID,
    buyer_identity: str,
    store_id: uuid.UUID | None = None,
    product_id: uuid.UUID | None = None,
) -> IssuedToken:
    """Seed 000: a token for one store and one buyer, the store taken from the product when
    only a product is named."""
    if store_id is not None:
        store = store_selectors.live_store_with_member(store_id=store_id, member_id=merchant_id)
        if store is None:
            raise NotFound("Store not found", layer="store")
        is_member = store.store_has_member
    else:
        product = selectors.product_with_store(product_id=product_id, member_id=merchant_id)
        if product is None:
            raise NotFound("Product not found", layer="product")
        store, is_member = product.store, product.store_has_member
    if not is_member:
        raise Forbidden("Access denied: you do not have permission to this store", layer="store")
    named_both = store_id is not None and product_id is not None
    if named_both and not Product.objects.filter(pk=product_id, store=store).exists():
        raise NotFound("Product not found", layer="product")
    if store.status != StoreStatus.ACTIVE:
        raise BadRequest("Store is not active", layer="store")
    token, expires_at = tokens.issue_customer_token(
        buyer_identity=buyer_identity, store_id=str(store.pk)
    )
    return IssuedToken(token=token, expires_at=expires_at, store=store)
