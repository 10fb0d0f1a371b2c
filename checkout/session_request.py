"""A create-session request, checked field by field in the order the seeds' table reads.

Merchant-only fields (priceSnapshot, expiresInSeconds, metadata, orderMerchantExternalId,
withTrial) are dropped before any check when the caller is a browser with a store slug.
"""

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from catalog.models import TaxCategory
from checkout.billing import BillingDetail, parse_billing_detail
from core import ids, money
from core.errors import BadRequest
from core.languages import catalog_language
from core.text import clean_metadata, is_email, is_redirect_url, normalize_email

DEFAULT_TTL_SECONDS = 2700
MIN_TTL_SECONDS = 60
MAX_TTL_SECONDS = 7 * 24 * 3600
MERCHANT_ONLY_FIELDS = (
    "priceSnapshot",
    "expiresInSeconds",
    "metadata",
    "orderMerchantExternalId",
    "withTrial",
)
LANGUAGES = frozenset(
    [
        "en",
        "pt-BR",
        "es-MX",
        "id-ID",
        "vi-VN",
        "ru-RU",
        "en-KE",
        "es-PE",
        "es-CO",
        "es-CL",
        "zh-Hant-TW",
        "zh-Hant-HK",
        "th-TH",
        "ja-JP",
        "en-NG",
        "ko-KR",
        "en-HK",
        "zh-Hans-HK",
        "pl-PL",
        "tr-TR",
        "zh-Hans",
        "ms-MY",
    ]
)
PAYMENT_METHODS = frozenset({"card", "applepay", "googlepay", "wechat"})
METADATA_MAX_BYTES = 8192


@dataclass(frozen=True)
class PriceOverride:
    amount_minor: int
    tax_category: str
    tax_included: bool


@dataclass(frozen=True)
class SessionRequest:
    product_id: uuid.UUID
    currency: str
    billing_detail: BillingDetail | None = None
    buyer_email: str = ""
    success_url: str = ""
    dark_mode: bool | None = None
    language: str = ""
    payment_methods: list[str] = field(default_factory=list)
    price_override: PriceOverride | None = None
    expires_in_seconds: int = DEFAULT_TTL_SECONDS
    metadata: dict = field(default_factory=dict)
    order_merchant_external_id: str = ""
    with_trial: bool | None = None


def _bad(message: str) -> BadRequest:
    return BadRequest(message, layer="order")


def parse_session_request(payload: dict, *, from_merchant: bool) -> SessionRequest:
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
    billing = None
    if payload.get("billingDetail") is not None:
        billing = parse_billing_detail(payload["billingDetail"])
    try:
        product_id = ids.from_short_id("PROD", product_text)
    except ids.InvalidShortId:
        raise _bad(ids.format_error("PROD", product_text)) from None
    return SessionRequest(
        product_id=product_id,
        currency=currency,
        billing_detail=billing,
        order_merchant_external_id=_external_id(payload.get("orderMerchantExternalId")),
        expires_in_seconds=_ttl(payload.get("expiresInSeconds")),
        price_override=_price_override(payload.get("priceSnapshot"), currency),
        buyer_email=_email(payload.get("buyerEmail")),
        success_url=_success_url(payload.get("successUrl")),
        dark_mode=_optional_bool(payload.get("darkMode"), "darkMode"),
        with_trial=_optional_bool(payload.get("withTrial"), "withTrial"),
        language=parse_language(payload.get("language")),
        payment_methods=_payment_methods(payload),
        metadata=_metadata(payload.get("metadata")),
    )


def _external_id(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _bad("orderMerchantExternalId must be a string")
    value = value.strip()
    if not value:
        raise _bad("orderMerchantExternalId must not be empty")
    if len(value) > 128:
        raise _bad("orderMerchantExternalId must be at most 128 characters")
    return value


def _ttl(value: Any) -> int:
    if value is None:
        return DEFAULT_TTL_SECONDS
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        value = None
    if value is None or not MIN_TTL_SECONDS <= value <= MAX_TTL_SECONDS:
        raise _bad(
            f"expiresInSeconds must be an integer between {MIN_TTL_SECONDS} and {MAX_TTL_SECONDS}"
        )
    return value


def _price_override(value: Any, currency: str) -> PriceOverride | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _bad("Invalid priceSnapshot: expected an object")
    if money.is_currency_code(currency) and currency not in money.sellable_currencies():
        raise BadRequest(f"Currency {currency} is not supported for this product", layer="product")
    return parse_price_override(value, currency)


def parse_price_override(value: Any, currency: str) -> PriceOverride | None:
    """A merchant's ``priceSnapshot`` in ``currency`` (its minor units), checked field by
    field; plan change sessions read theirs with the same rule."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _bad("Invalid priceSnapshot: expected an object")
    try:
        amount = money.parse_amount(value.get("amount"), currency)
    except money.InvalidAmount:
        raise _bad(
            f'Invalid priceSnapshot.amount: "{value.get("amount")}" is not a valid '
            f"{currency} amount"
        ) from None
    category = value.get("taxCategory")
    if category not in TaxCategory.values:
        raise _bad(
            f"Invalid priceSnapshot.taxCategory: expected one of "
            f'[{", ".join(TaxCategory.values)}], got "{category}"'
        )
    tax_included = value.get("taxIncluded", False)
    if not isinstance(tax_included, bool):
        raise _bad("Invalid priceSnapshot.taxIncluded: expected boolean")
    return PriceOverride(amount, category, tax_included)


def _email(value: Any) -> str:
    if value is None or value == "":
        return ""
    email = normalize_email(value) if isinstance(value, str) else ""
    if not is_email(email):
        raise _bad("Invalid buyerEmail")
    return email


def _success_url(value: Any) -> str:
    if value is None or value == "":
        return ""
    if not is_redirect_url(value):
        raise _bad("Invalid successUrl: expected an https URL")
    return value


def _optional_bool(value: Any, name: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raise _bad(f"Invalid {name}: expected boolean")


def parse_language(value: Any) -> str:
    """A session's page ``language`` (plan change sessions take theirs by the same rule)."""
    if value is None:
        return ""
    # The SDK's cashier languages, and any tag a translated page speaks ("de", "fr-CA").
    if not isinstance(value, str) or (value not in LANGUAGES and not catalog_language(value)):
        raise _bad(f"Unsupported language: {value}")
    return value


def _payment_methods(payload: dict) -> list[str]:
    include, exclude = payload.get("includePaymentMethods"), payload.get("excludePaymentMethods")
    if include is not None and exclude is not None:
        raise _bad("includePaymentMethods and excludePaymentMethods are mutually exclusive")
    chosen = include if include is not None else exclude
    if chosen is None:
        return []
    if not isinstance(chosen, list) or any(
        not isinstance(m, str) or m not in PAYMENT_METHODS for m in chosen
    ):
        raise _bad(f"Invalid payment methods: expected values from {sorted(PAYMENT_METHODS)}")
    if include is not None:
        if "card" not in include:
            raise _bad("includePaymentMethods must include card, the only method offered")
        return ["card"]
    if "card" in exclude:
        raise _bad("excludePaymentMethods cannot exclude card, the only method offered")
    return ["card"]


def _metadata(value: Any) -> dict:
    return clean_metadata(value, max_bytes=METADATA_MAX_BYTES, layer="order")
