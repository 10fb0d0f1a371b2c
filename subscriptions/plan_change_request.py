"""A create-session request in plan change mode (``originOrderId`` present), checked field
by field. Merchant-only fields are dropped before any check for a customer's token, as the
SDK documents; ``buyerEmail`` and ``billingDetail`` are ignored (the origin subscription
supplies the buyer, the address and so the tax)."""

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from checkout.session_request import (
    DEFAULT_TTL_SECONDS,
    MAX_TTL_SECONDS,
    MIN_TTL_SECONDS,
    parse_language,
    parse_price_override,
)
from core import ids, money
from core.errors import BadRequest
from core.text import is_redirect_url

IMMEDIATE, NEXT_PERIOD = "immediate", "next_period"
MERCHANT_ONLY_FIELDS = (
    "changeAmount",
    "changeCreditAmount",
    "withTrial",
    "priceSnapshot",
    "expiresInSeconds",
    "metadata",
    "orderMerchantExternalId",
    "includePaymentMethods",
    "excludePaymentMethods",
)
BOTH_AMOUNTS = "changeAmount and changeCreditAmount are mutually exclusive: send one"
# Both price what happens now; a change at the next renewal charges the new plan then.
AMOUNT_NEXT_PERIOD = (
    'changeAmount and changeCreditAmount price a change made now: send changeTiming "immediate"'
    " or leave it out"
)


@dataclass(frozen=True, slots=True)
class PriceOverride:
    amount_minor: int
    tax_category: str
    tax_included: bool


@dataclass(frozen=True, slots=True)
class PlanChangeRequest:
    origin_order_id: uuid.UUID
    product_id: uuid.UUID
    currency: str
    timing: str | None = None  # None: derived from the direction
    change_amount_minor: int | None = None
    change_credit_minor: int | None = None
    success_url: str = ""
    dark_mode: bool | None = None
    language: str = ""
    expires_in_seconds: int = DEFAULT_TTL_SECONDS
    price_override: PriceOverride | None = None


def _bad(message: str) -> BadRequest:
    return BadRequest(message, layer="order")


def is_plan_change(payload: dict) -> bool:
    return payload.get("originOrderId") not in (None, "")


def _short_id(prefix: str, text: Any) -> uuid.UUID:
    try:
        return ids.from_short_id(prefix, text)
    except ids.InvalidShortId:
        raise _bad(ids.format_error(prefix, text)) from None


def parse_plan_change_request(payload: dict, *, from_merchant: bool) -> PlanChangeRequest:
    if not from_merchant:
        payload = {k: v for k, v in payload.items() if k not in MERCHANT_ONLY_FIELDS}
    product_text, currency = payload.get("productId"), payload.get("currency")
    if product_text in (None, "") or currency in (None, ""):
        raise _bad("Missing required fields: productId, currency")
    if not money.is_currency_code(currency):
        raise _bad(
            f'Invalid currency format: "{currency}". Must be 3 uppercase letters '
            '(e.g., "USD", "EUR", "JPY")'
        )
    fixed = [payload.get(name) for name in ("changeAmount", "changeCreditAmount")]
    if None not in fixed:
        raise _bad(BOTH_AMOUNTS)
    timing = _timing(payload.get("changeTiming"))
    if timing == NEXT_PERIOD and fixed != [None, None]:
        raise _bad(AMOUNT_NEXT_PERIOD)
    return PlanChangeRequest(
        origin_order_id=_short_id("ORD", payload["originOrderId"]),
        product_id=_short_id("PROD", product_text),
        currency=currency,
        timing=timing,
        change_amount_minor=_amount(payload.get("changeAmount"), "changeAmount", currency),
        change_credit_minor=_amount(
            payload.get("changeCreditAmount"), "changeCreditAmount", currency
        ),
        success_url=_success_url(payload.get("successUrl")),
        dark_mode=_dark_mode(payload.get("darkMode")),
        language=_language(payload.get("language")),
        expires_in_seconds=_ttl(payload.get("expiresInSeconds")),
        price_override=parse_price_override(payload.get("priceSnapshot"), currency),
    )


def _timing(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or value not in (IMMEDIATE, NEXT_PERIOD):
        raise _bad('Invalid changeTiming: expected "immediate" or "next_period"')
    return value


def _amount(value: Any, name: str, currency: str) -> int | None:
    if value is None:
        return None
    try:
        return money.parse_amount(value, currency)
    except money.InvalidAmount:
        raise _bad(f'Invalid {name}: "{value}" is not a valid {currency} amount') from None


def _success_url(value: Any) -> str:
    if value is None or value == "":
        return ""
    if not is_redirect_url(value):
        raise _bad("Invalid successUrl: expected an https URL")
    return value


def _dark_mode(value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise _bad("Invalid darkMode: expected boolean")


def _language(value: Any) -> str:
    return "" if value == "" else parse_language(value)


def _ttl(value: Any) -> int:
    if value is None:
        return DEFAULT_TTL_SECONDS
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    if (
        not isinstance(value, int)
        or isinstance(value, bool)
        or not MIN_TTL_SECONDS <= value <= MAX_TTL_SECONDS
    ):
        raise _bad(
            f"expiresInSeconds must be an integer between {MIN_TTL_SECONDS} and {MAX_TTL_SECONDS}"
        )
    return value
