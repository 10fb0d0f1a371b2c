"""Small text rules shared by every entry point: emails, URLs, free-form JSON metadata.

Kept in one place so "a valid email" or "a URL we will redirect to" means the same thing
on the API, on hosted pages and in admin.
"""

import json
import math
import re
from decimal import Decimal
from typing import Any

from django.conf import settings

from core.errors import BadRequest

EMAIL = re.compile(r"^[^@\s\x00]+@[^@\s\x00]+\.[^@\s\x00]+$")
EMAIL_MAX = 254
_HTTP_URL = re.compile(r"^https?://[^\s\"'<>\\\x00]{1,2000}$")
_HTTPS_URL = re.compile(r"^https://[^\s\"'<>\\\x00]{1,2000}$")


def normalize_email(email: str) -> str:
    """trim + lowercase, as the seeds require before storage and comparison."""
    return (email or "").strip().lower()


def is_email(value: str) -> bool:
    return len(value) <= EMAIL_MAX and bool(EMAIL.match(value))


def is_redirect_url(value: str) -> bool:
    """A URL we may send a buyer to after paying. Outside development only https: browsers
    apply the page's CSP ``form-action`` to the redirect that follows a form post."""
    pattern = _HTTP_URL if settings.RELAXED else _HTTPS_URL
    return isinstance(value, str) and bool(pattern.match(value))


def _plain(value: Any, where: str) -> Any:
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise BadRequest(f"Invalid {where}: numbers must be finite")
        if value == value.to_integral_value() and abs(value) < 10**15:
            return int(value)
        as_float = float(value)  # metadata is free-form merchant data, never money
        if not math.isfinite(as_float):
            raise BadRequest(f"Invalid {where}: number out of range")
        return as_float
    if isinstance(value, dict):
        return {str(key): _plain(item, where) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item, where) for item in value]
    return value


def clean_metadata(value: Any, *, max_bytes: int = 8192, layer: str = "gateway") -> dict:
    """A JSON object of at most ``max_bytes``, with finite numbers kept as JSON numbers."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise BadRequest("Invalid metadata: expected an object", layer=layer)
    plain = _plain(value, "metadata")
    if len(json.dumps(plain)) > max_bytes:
        raise BadRequest(f"metadata must be at most {max_bytes} bytes as JSON", layer=layer)
    return plain
