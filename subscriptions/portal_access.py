"""Who a customer-portal visitor is: one buyer of one store in one environment, or, reached
from a receipt, the one order that receipt is for.

Two ways in, both turned once into a portal session (``subscriptions.web.session``):

- a customer session token (``auth/issue-session-token``, minted by the merchant's server
  for a buyer identity it vouches for) with the environment named beside it, as the SDK
  names it in ``X-Environment`` (the token carries none): that buyer's orders of the store;
- a portal link (``order_link``): a signed, expiring reference to one order, which the
  receipt page and receipt emails carry. Whoever holds a receipt can manage that order and
  nothing else: the buyer of an anonymous checkout has no identity to widen it to, and a
  receipt URL is a weaker credential than the merchant's word, so even a known buyer gets
  only that order this way.

Nothing here trusts the page: every read the portal makes filters by this identity.
"""

import time
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext_noop

from core import tokens
from core.errors import AppError
from core.ids import InvalidShortId, from_short_id
from orders.models import Order
from stores.models import Environment, Store

# English here, translated where they are shown (the messages are marked for extraction).
INVALID = gettext_noop("This link has expired or is not valid.")
OTHER_STORE = gettext_noop("This link is for another store.")
NO_ENVIRONMENT = gettext_noop("Choose the environment: test or prod.")
LINK_SALT = "subscriptions.portal_access.link"
RECEIPT_LINK_SECONDS = 15 * 60  # the receipt page renders a fresh one on every view
EMAIL_LINK_SECONDS = 7 * 24 * 3600  # the longest a link may live (a receipt email)


class PortalDenied(AppError):
    """The way in is expired, forged or for another store (401 or 403, never a trace)."""

    status = 401
    default_code = "portal_denied"
    default_layer = "user"


@dataclass(frozen=True, slots=True)
class PortalIdentity:
    store_id: uuid.UUID
    environment: str
    buyer_identity: str = ""  # a buyer's orders, or
    order_id: uuid.UUID | None = None  # one order (from a link)

    def as_dict(self) -> dict:
        return {
            "s": str(self.store_id),
            "e": self.environment,
            "b": self.buyer_identity,
            "o": str(self.order_id) if self.order_id else "",
        }

    @classmethod
    def from_dict(cls, data: dict) -> "PortalIdentity":
        """Raises ValueError/KeyError/TypeError for anything not written by ``as_dict``."""
        identity = cls(
            store_id=uuid.UUID(data["s"]),
            environment=data["e"],
            buyer_identity=str(data["b"]),
            order_id=uuid.UUID(data["o"]) if data["o"] else None,
        )
        if identity.environment not in Environment.values:
            raise ValueError("environment")
        if not identity.buyer_identity and identity.order_id is None:
            raise ValueError("nobody")
        return identity


def _environment(value) -> str:
    if value not in Environment.values:
        raise PortalDenied(NO_ENVIRONMENT, status=400, code="portal_environment")
    return value


def identity_from_token(*, token: str, store: Store, environment) -> PortalIdentity:
    """The buyer a customer session token names, when it is valid and this store's."""
    environment = _environment(environment)
    try:
        claims = tokens.read_customer_token(token)
    except tokens.InvalidToken:
        raise PortalDenied(INVALID) from None
    if not claims.buyer_identity:  # an empty identity would be every anonymous buyer
        raise PortalDenied(INVALID)
    if claims.store_id != str(store.pk):
        raise PortalDenied(OTHER_STORE, status=403, code="portal_store")
    return PortalIdentity(
        store_id=store.pk, environment=environment, buyer_identity=claims.buyer_identity
    )


def order_link(*, order: Order, seconds: int = RECEIPT_LINK_SECONDS, now: float | None = None):
    """A signed reference to ``order`` for its portal, good for ``seconds``."""
    issued = int(now if now is not None else time.time())
    seconds = min(seconds, EMAIL_LINK_SECONDS)
    return signing.dumps({"o": order.public_id, "x": issued + seconds}, salt=LINK_SALT)


def portal_link_url(*, order: Order, seconds: int = EMAIL_LINK_SECONDS) -> str:
    """The absolute portal URL for ``order`` that a receipt email carries."""
    query = urlencode({"link": order_link(order=order, seconds=seconds)})
    return f"{settings.PUBLIC_BASE_URL}/store/{order.store.slug}/portal?{query}"


def identity_from_link(*, link: str, store: Store, now: float | None = None) -> PortalIdentity:
    """The one order a portal link names, while it lasts and when it is this store's."""
    try:
        data = signing.loads(link, salt=LINK_SALT, max_age=EMAIL_LINK_SECONDS)
        order_public_id, expires = str(data["o"]), int(data["x"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise PortalDenied(INVALID) from None
    if expires < (now if now is not None else time.time()):
        raise PortalDenied(INVALID)
    order = Order.objects.filter(pk=_order_pk(order_public_id), store=store).first()
    if order is None:
        raise PortalDenied(OTHER_STORE, status=403, code="portal_store")
    return PortalIdentity(store_id=store.pk, environment=order.environment, order_id=order.pk)


def _order_pk(public_id: str):
    try:
        return from_short_id("ORD", public_id)
    except InvalidShortId:
        return None
