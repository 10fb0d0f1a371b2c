"""Reading identifiers out of a request payload with the contract's messages."""

import uuid
from typing import Any

from core import ids
from core.errors import BadRequest
from core.types import UNSET


def required_short_id(payload: dict, field: str, prefix: str, *, layer: str) -> uuid.UUID:
    value = payload.get(field)
    if value is None or value == "":
        raise BadRequest(f"Missing required field: {field}", layer=layer)
    try:
        return ids.from_short_id(prefix, value)
    except ids.InvalidShortId:
        raise BadRequest(ids.format_error(prefix, value), layer=layer) from None


def optional(payload: dict, field: str) -> Any:
    """The value when the field is present (``null`` included), ``UNSET`` when it is absent."""
    return payload.get(field, UNSET)
