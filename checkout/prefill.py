"""Buyer details a merchant may prefill into a customer session token (``/checkout/cst``).

They end up as token claims the hosted page fills its forms from, so they are held to the
same shapes the shipping address accepts (``checkout.shipping``): a prefill the page could
not submit would only move the error in front of the buyer.
"""

from typing import Any

from checkout.billing import countries
from checkout.shipping import PHONE, PROVINCES
from core.errors import BadRequest
from core.text import is_email, normalize_email

PREFILL_LIMITS = {
    "address1": 200,
    "address2": 200,
    "city": 100,
    "country_code": 2,
    "email": 254,
    "first_name": 100,
    "last_name": 100,
    "phone": 20,
    "postal_code": 12,
    "province_code": 8,
}
_UPPERCASE = ("country_code", "province_code", "postal_code")


def _bad(message: str) -> BadRequest:
    return BadRequest(message, layer="order")


def _trimmed_fields(payload: dict[str, Any]) -> dict[str, str]:
    """Every known field that holds text, trimmed; empty ones are left out."""
    prefill = {}
    for field, limit in PREFILL_LIMITS.items():
        value = payload.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if not isinstance(value, str) or len(value.strip()) > limit:
            raise _bad(f"{field} must be a string of at most {limit} characters")
        prefill[field] = value.strip()
    for field in _UPPERCASE:
        if field in prefill:
            prefill[field] = prefill[field].upper()
    return prefill


def _check_shapes(prefill: dict[str, str]) -> None:
    if "email" in prefill and not is_email(prefill["email"]):
        raise _bad("email must be an email address")
    country = prefill.get("country_code")
    if country is not None and country not in countries():
        raise _bad("country_code must be an ISO 3166-1 alpha-2 country code")
    province = prefill.get("province_code")
    if province is not None and country in PROVINCES and province not in PROVINCES[country]:
        raise _bad(f"province_code must be a valid state or province of {country}")
    if "phone" in prefill and not PHONE.match(prefill["phone"]):
        raise _bad("phone must be a phone number with country code")


def parse_prefill(*, payload: dict[str, Any]) -> dict[str, str]:
    """The optional buyer fields of a token request, normalized; empty ones are left out.

    Checked in a fixed order (lengths, email, country, province, phone) so that a request
    with several problems always gets the same one message.
    """
    prefill = _trimmed_fields(payload)
    if "email" in prefill:
        prefill["email"] = normalize_email(prefill["email"])
    _check_shapes(prefill)
    return prefill
