"""Which live checkout sessions a caller of the cart API (seed 002) may see.

A session outside a caller's reach is "not found", never "forbidden": the answer must not
tell a caller that a session it may not see exists.
"""

import uuid

from checkout.models import CheckoutSession
from checkout.selectors import SESSION_NOT_FOUND, session_by_public_id
from core.errors import NotFound
from stores.models import StoreMembership


def _live_session(public_id: object) -> CheckoutSession:
    session = session_by_public_id(public_id)
    if session is None or session.store.deleted_at is not None:
        raise NotFound(SESSION_NOT_FOUND, layer="order")
    return session


def session_for_merchant(
    *, public_id: object, merchant_id: uuid.UUID | None, environment: str
) -> CheckoutSession:
    """A session of one of the merchant's stores, in its key's environment, else 404.

    Membership, not the key's store: a merchant's keys reach every store it belongs to.
    """
    session = _live_session(public_id)
    allowed = (
        session.environment == environment
        and StoreMembership.objects.filter(
            store_id=session.store_id, merchant_id=merchant_id
        ).exists()
    )
    if not allowed:
        raise NotFound(SESSION_NOT_FOUND, layer="order")
    return session


def session_for_customer_token(
    *,
    public_id: object,
    store_id: uuid.UUID | None,
    environment: str,
    buyer_identity: str | None,
) -> CheckoutSession:
    """A session of the token's store (and environment, when the caller named one), else 404.

    A token minted by ``/checkout/cst`` without an email (identity ``cst:<session>``) was
    handed out for one checkout only, so it reaches that session and no other of the store.
    """
    session = _live_session(public_id)
    identity = buyer_identity or ""
    allowed = (
        session.store_id == store_id
        and environment in ("", session.environment)
        and (not identity.startswith("cst:") or identity == f"cst:{session.public_id}")
    )
    if not allowed:
        raise NotFound(SESSION_NOT_FOUND, layer="order")
    return session
