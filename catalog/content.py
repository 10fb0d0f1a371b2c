"""What a product version may contain, normalized so that equal content hashes equal.

Every check raises ``BadRequest`` with a message that names the field, so a merchant can
fix the request without reading our code.
"""

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from catalog.models import BillingPeriod, ProductType, TaxCategory
from core import money, text
from core.errors import BadRequest
from core.text import is_redirect_url

NAME_MAX = 200
DESCRIPTION_MAX = 5000
MEDIA_MAX = 20
METADATA_MAX_BYTES = 8192
_HTTPS_URL = re.compile(r"^https://[^\s\"'<>\\]{1,2000}$")


def _bad(message: str) -> BadRequest:
    return BadRequest(message, layer="product")


@dataclass(frozen=True)
class PriceContent:
    currency: str
    amount_minor: int
    tax_category: str
    tax_included: bool
    trial_amount_minor: int | None

    def as_dict(self) -> dict:
        return {
            "currency": self.currency,
            "amount": self.amount_minor,
            "taxCategory": self.tax_category,
            "taxIncluded": self.tax_included,
            "trialAmount": self.trial_amount_minor,
        }


@dataclass(frozen=True)
class VersionContent:
    name: str
    description: str | None
    media: list
    metadata: dict
    success_url: str | None
    billing_period: str | None
    prices: tuple[PriceContent, ...]
    requires_shipping: bool = False

    def content_hash(self) -> str:
        canonical = json.dumps(
            {
                "name": self.name,
                "description": self.description,
                "media": self.media,
                "metadata": self.metadata,
                "successUrl": self.success_url,
                "billingPeriod": self.billing_period,
                "prices": [price.as_dict() for price in self.prices],
                # Only present when set, so hashes of existing versions stay what they were.
                **({"requiresShipping": True} if self.requires_shipping else {}),
            },
            sort_keys=True,
            separators=(",", ":"),
            default=str,
        )
        return hashlib.sha256(canonical.encode()).hexdigest()


def clean_name(value: Any) -> str:
    if value is None:
        raise _bad("Missing required field: name")
    if not isinstance(value, str):
        raise _bad("Invalid name: expected a string")
    value = value.strip()
    if not value:
        raise _bad("name cannot be empty")
    if len(value) > NAME_MAX:
        raise _bad(f"name must be at most {NAME_MAX} characters")
    return value


def clean_description(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _bad("Invalid description: expected a string")
    if len(value) > DESCRIPTION_MAX:
        raise _bad(f"description must be at most {DESCRIPTION_MAX} characters")
    return value


def clean_success_url(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if not is_redirect_url(value):
        raise _bad("Invalid successUrl: expected an https URL")
    return value


def clean_media(value: Any) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _bad("Invalid media: expected an array")
    if len(value) > MEDIA_MAX:
        raise _bad(f"media must have at most {MEDIA_MAX} items")
    return [_clean_media_item(item, f"media[{index}]") for index, item in enumerate(value)]


def _clean_media_item(item: Any, where: str) -> dict:
    if not isinstance(item, dict):
        raise _bad(f"Invalid {where}: expected an object")
    unknown = set(item) - {"type", "url", "alt", "thumbnail"}
    if unknown:
        raise _bad(f"Invalid {where}: unknown field {sorted(unknown)[0]}")
    if item.get("type") not in ("image", "video"):
        raise _bad(f'Invalid {where}.type: expected "image" or "video"')
    for key in ("url", "thumbnail"):
        if key in item and (not isinstance(item[key], str) or not _HTTPS_URL.match(item[key])):
            raise _bad(f"Invalid {where}.{key}: expected an https URL")
    if "url" not in item:
        raise _bad(f"Missing required field: {where}.url")
    if "alt" in item and not isinstance(item["alt"], str):
        raise _bad(f"Invalid {where}.alt: expected a string")
    return {key: item[key] for key in ("type", "url", "alt", "thumbnail") if key in item}


def clean_metadata(value: Any) -> dict:
    return text.clean_metadata(value, max_bytes=METADATA_MAX_BYTES, layer="product")


def clean_requires_shipping(value: Any) -> bool:
    if value is None:
        return False
    if not isinstance(value, bool):
        raise _bad("Invalid requiresShipping: expected boolean")
    return value


def clean_billing_period(value: Any) -> str:
    if value is None:
        raise _bad("Missing required field: billingPeriod")
    if value not in BillingPeriod.values:
        allowed = ", ".join(BillingPeriod.values)
        raise _bad(f'Invalid billingPeriod: expected one of [{allowed}], got "{value}"')
    return value


def clean_prices(value: Any, *, product_type: str, metadata: dict) -> tuple[PriceContent, ...]:
    if value is None:
        raise _bad("Missing required field: prices")
    if not isinstance(value, dict) or not value:
        raise _bad("prices must contain at least one currency")
    cleaned = []
    for currency, info in sorted(value.items()):
        if not money.is_currency_code(currency):
            raise _bad(
                f'Invalid currency format: "{currency}". Must be 3 uppercase letters '
                '(e.g., "USD", "EUR", "JPY")'
            )
        if currency not in money.sellable_currencies():
            raise _bad(f"Currency {currency} is not supported")
        cleaned.append(_clean_price(currency, info, product_type=product_type, metadata=metadata))
    return tuple(cleaned)


def _clean_price(currency: str, info: Any, *, product_type: str, metadata: dict) -> PriceContent:
    where = f"prices.{currency}"
    if not isinstance(info, dict):
        raise _bad(f"Invalid {where}: expected an object")
    unknown = set(info) - {"amount", "taxCategory", "taxIncluded", "trialAmount"}
    if unknown:
        raise _bad(f"Invalid {where}: unknown field {sorted(unknown)[0]}")
    amount = _amount(info.get("amount"), currency, f"{where}.amount")
    category = info.get("taxCategory")
    if category is None:
        raise _bad(f"Missing required field: {where}.taxCategory")
    if category not in TaxCategory.values:
        raise _bad(
            f"Invalid {where}.taxCategory: expected one of [{', '.join(TaxCategory.values)}], "
            f'got "{category}"'
        )
    tax_included = info.get("taxIncluded", False)
    if not isinstance(tax_included, bool):
        raise _bad(f"Invalid {where}.taxIncluded: expected boolean")
    trial = None
    if info.get("trialAmount") is not None:
        if product_type != ProductType.SUBSCRIPTION:
            raise _bad(f"{where}.trialAmount is only allowed on subscription products")
        trial = _amount(info["trialAmount"], currency, f"{where}.trialAmount")
        if trial >= amount:
            raise _bad(f"{where}.trialAmount must be lower than amount")
    price = PriceContent(currency, amount, category, tax_included, trial)
    require_trial_days((price,), metadata)
    return price


def require_trial_days(prices: tuple[PriceContent, ...], metadata: dict) -> None:
    """A trial price means nothing without a trial length, which lives in metadata.trialDays."""
    trial_days = metadata.get("trialDays")
    valid = isinstance(trial_days, int) and not isinstance(trial_days, bool) and trial_days >= 1
    for price in prices:
        if price.trial_amount_minor is not None and not valid:
            raise _bad(
                f"prices.{price.currency}.trialAmount requires metadata.trialDays "
                "(a positive integer)"
            )


def _amount(value: Any, currency: str, where: str) -> int:
    if value is None:
        raise _bad(f"Missing required field: {where}")
    try:
        return money.parse_amount(value, currency)
    except money.InvalidAmount:
        digits = money.minor_units(currency)
        raise _bad(
            f'Invalid {where}: "{value}" is not a valid {currency} amount '
            f"(a non-negative number with at most {digits} decimal places)"
        ) from None
