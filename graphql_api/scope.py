"""Who is asking, as the resolvers need it: the actions API's credential, nothing else.

A merchant (signed API key) reads its own stores in the key's environment; a buyer
(customer session token) reads only their own orders in one store and environment.
"""

import uuid
from dataclasses import dataclass

from django.db.models import Q
from graphql import GraphQLError
from strawberry.types import Info

from core import ids
from core.api.credentials import Credential
from stores.selectors import stores_for_merchant

PAGE_DEFAULT = 20
PAGE_MAX = 100


@dataclass(frozen=True, slots=True)
class Scope:
    credential: Credential

    @property
    def merchant_id(self) -> uuid.UUID:
        return self.credential.merchant_id

    @property
    def environment(self) -> str:
        return self.credential.environment


def scope_of(info: Info) -> Scope:
    return info.context["scope"]


def decode_id(prefix: str, text: str) -> uuid.UUID:
    """A public ID as a UUID; anything else is the API's format error."""
    try:
        return ids.from_short_id(prefix, text)
    except ids.InvalidShortId:
        raise GraphQLError(f'Expected format: {prefix}_xxx, got "{text}"') from None


def maybe_id(prefix: str, text: str) -> uuid.UUID | None:
    """Like ``decode_id`` for look-ups by ID: what does not decode names nothing (null)."""
    try:
        return ids.from_short_id(prefix, text)
    except ids.InvalidShortId:
        return None


def analytics_store(info: Info, *, store_id: str | None, store_slug: str | None) -> Q:
    """The one store an analytics query reads, as a filter on rows that carry ``store``:
    named by ``storeId`` or ``storeSlug``, exactly one of them. A slug is looked for among
    the merchant's own stores only (in the same statement as the rows), so another
    merchant's slug names nothing, as an unknown ID does: the answer is empty, never an
    error that would tell whether the store exists."""
    if store_id is not None and store_slug is not None:
        raise GraphQLError("Give storeId or storeSlug, not both")
    if store_id is not None:
        return Q(store_id=decode_id("STO", store_id))
    if store_slug is None:
        raise GraphQLError("storeId or storeSlug is required")
    mine = stores_for_merchant(merchant_id=scope_of(info).merchant_id).filter(slug=store_slug)
    return Q(store_id__in=mine.values("pk"))


def page(queryset, *, limit: int | None, offset: int | None):
    """``limit`` (1…100, default 20) and ``offset`` (≥ 0) applied to a list."""
    limit = PAGE_DEFAULT if limit is None else limit
    offset = offset or 0
    if not 1 <= limit <= PAGE_MAX:
        raise GraphQLError(f"limit must be between 1 and {PAGE_MAX}")
    if offset < 0:
        raise GraphQLError("offset must not be negative")
    return list(queryset[offset : offset + limit])
