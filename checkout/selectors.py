"""Reads for checkout sessions and what a session sells."""

import uuid
from datetime import datetime
from enum import StrEnum

from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from catalog.models import Product, ProductPrice
from checkout.models import CheckoutSession, SessionStatus
from core.errors import NotFound
from stores.models import Environment, StoreMembership

SESSION_NOT_FOUND = "Checkout session not found"


class SessionState(StrEnum):
    OPEN = "open"
    EXPIRED = "expired"
    COMPLETED = "completed"


def session_state(session: CheckoutSession, *, now: datetime | None = None) -> SessionState:
    """The one answer to "can this session still be paid?": completed once paid, expired
    from ``expires_at`` on (whether or not the sweep has marked it yet), else open."""
    if session.status == SessionStatus.COMPLETED:
        return SessionState.COMPLETED
    if session.status == SessionStatus.EXPIRED or (now or timezone.now()) >= session.expires_at:
        return SessionState.EXPIRED
    return SessionState.OPEN


def sellable_price(
    *,
    product_id: uuid.UUID,
    currency: str,
    environment: str,
    merchant_id: uuid.UUID | None = None,
    store_slug: str | None = None,
) -> ProductPrice | None:
    """The price row a new session would lock, with version, product and store, in one query.

    None means "something is not right": the caller asks ``diagnose`` what exactly.
    """
    version_field = "prod_version" if environment == Environment.PROD else "test_version"
    status_field = "prod_status" if environment == Environment.PROD else "test_status"
    queryset = ProductPrice.objects.select_related("version__product__store").filter(
        Q(**{f"version__product__{version_field}": F("version")}),
        version__product_id=product_id,
        currency=currency,
        **{f"version__product__{status_field}": "active"},
        version__product__store__deleted_at__isnull=True,
    )
    if merchant_id is not None:
        queryset = queryset.filter(version__product__store__memberships__merchant_id=merchant_id)
    if store_slug is not None:
        queryset = queryset.filter(version__product__store__slug=store_slug)
    return queryset.first()


def product_with_store(
    *, product_id: uuid.UUID, member_id: uuid.UUID | None = None
) -> Product | None:
    """With ``member_id``, the product also carries ``store_has_member``: whether that
    merchant is a member of its store, answered in the same statement."""
    queryset = Product.objects.select_related("store", "test_version", "prod_version").filter(
        pk=product_id, store__deleted_at__isnull=True
    )
    if member_id is not None:
        queryset = queryset.annotate(
            store_has_member=Exists(
                StoreMembership.objects.filter(store_id=OuterRef("store_id"), merchant_id=member_id)
            )
        )
    return queryset.first()


def session_by_public_id(text: object) -> CheckoutSession | None:
    """``cs_<uuid>`` → session (with its store), or None for anything that is not one."""
    if not isinstance(text, str) or not text.startswith("cs_"):
        return None
    try:
        session_id = uuid.UUID(text[3:])
    except ValueError:
        return None
    if text[3:] != str(session_id):
        return None
    return CheckoutSession.objects.select_related("store").filter(pk=session_id).first()


def session_for_customer(
    *, public_id: object, store_id: uuid.UUID | None, store_slug: str | None, environment: str
) -> CheckoutSession:
    """A session as a browser credential may see it: its own store and environment only."""
    session = session_by_public_id(public_id)
    if (
        session is None
        or session.environment != environment
        or (store_id is not None and session.store_id != store_id)
        or (store_slug is not None and session.store.slug != store_slug)
    ):
        raise NotFound(SESSION_NOT_FOUND, layer="order")
    return session


def sessions_past_expiry(*, limit: int) -> list[uuid.UUID]:
    """Open sessions whose time is up, oldest first: candidates for the expiry sweep."""
    return list(
        CheckoutSession.objects.filter(status=SessionStatus.OPEN, expires_at__lte=timezone.now())
        .order_by("expires_at")
        .values_list("pk", flat=True)[:limit]
    )
