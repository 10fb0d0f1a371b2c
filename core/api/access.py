"""The permission hook of the actions API: which store a request acts on, and who decides
whether the caller may.

``core`` knows no store and no role. An action view declares the ``capability`` it needs
and, when the answer depends on the store, where the request names it (``StoreOf``); the
base view hands both, with the parsed body, to the authorizer ``ACTION_AUTHORIZER`` names
(``stores.api.access.authorize``) before ``perform`` runs, so no view checks roles itself.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db import models
from django.utils.module_loading import import_string

from core import ids


@dataclass(frozen=True, slots=True)
class StoreOf:
    """A store ID in ``field`` (``model`` None), or the ID of a ``model`` row that belongs to
    a store through ``store_path``. ``prefix`` is the short-ID prefix; without one the field
    is read by ``parse`` (default: a UUID). An ID that does not read gives None, and so does
    a row that does not exist, once the authorizer looks: the view then answers its own 400
    or 404."""

    field: str
    prefix: str = ""
    model: type[models.Model] | None = None
    store_path: str = "store_id"
    parse: Callable[[object], uuid.UUID | None] | None = None

    def store_ref(self, payload: dict) -> uuid.UUID | models.Subquery | None:
        """The store's ID, or a subquery that yields it (so the authorizer's one query
        reads the row's store and the caller's role together)."""
        key = self._key(payload.get(self.field))
        if key is None or self.model is None:
            return key
        rows = self.model._default_manager.filter(pk=key).values(self.store_path)
        return models.Subquery(rows[:1])

    def _key(self, value: object) -> uuid.UUID | None:
        if self.prefix:
            try:
                return ids.from_short_id(self.prefix, value)
            except ids.InvalidShortId:
                return None
        if self.parse is not None:
            return self.parse(value)
        try:
            return uuid.UUID(str(value))
        except ValueError:
            return None


def authorize(*, request, view, payload: dict) -> None:
    """Raise the refusal when the caller may not run ``view`` on what ``payload`` names."""
    _authorizer()(request=request, view=view, payload=payload)


@cache
def _authorizer():
    return import_string(settings.ACTION_AUTHORIZER)
