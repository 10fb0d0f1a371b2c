"""Billing details as seed 004 defines them, validated once for every entry point.

Every failure is the contract's single message, ``Invalid billingDetail``: a client fixes
the object as a whole, and the hosted page shows its own field-level hints.
"""

import re
from dataclasses import asdict, dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from babel import Locale

from checkout.tax import EU_COUNTRIES, BuyerLocation, is_valid_tax_id
from core.errors import AppError, BadRequest

if TYPE_CHECKING:  # for annotations only: the billing rules do not need the models
    from checkout.models import CheckoutSession

INVALID = "Invalid billingDetail"
US_STATES = frozenset(
    [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "DC",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
        "AS",
        "GU",
        "MP",
        "PR",
        "VI",
        "UM",
    ]
)
CA_PROVINCES = frozenset(
    ["AB", "BC", "MB", "NB", "NL", "NS", "NT", "NU", "ON", "PE", "QC", "SK", "YT"]
)
REGIONS = {"US": US_STATES, "CA": CA_PROVINCES}
_POSTCODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 \-]{0,15}$")
FIELDS = ("country", "isBusiness", "postcode", "state", "businessName", "taxId")


@cache
def countries() -> dict[str, str]:
    """ISO 3166-1 alpha-2 codes with English names (CLDR), without CLDR's pseudo-regions."""
    pseudo = {"EU", "EZ", "UN", "QO", "ZZ", "XA", "XB"}
    return {
        code: name
        for code, name in Locale("en").territories.items()
        if len(code) == 2 and code.isalpha() and code not in pseudo
    }


@dataclass(frozen=True, slots=True)
class BillingDetail:
    country: str
    is_business: bool
    postcode: str | None = None
    state: str | None = None
    business_name: str | None = None
    tax_id: str | None = None

    def as_json(self) -> dict:
        data = {
            "country": self.country,
            "isBusiness": self.is_business,
            "postcode": self.postcode,
            "state": self.state,
            "businessName": self.business_name,
            "taxId": self.tax_id,
        }
        return {key: value for key, value in data.items() if value is not None}

    def location(self) -> BuyerLocation:
        return BuyerLocation(
            country=self.country,
            region=self.state,
            postcode=self.postcode,
            is_business=self.is_business,
            tax_id=self.tax_id,
        )

    @classmethod
    def from_stored(cls, data: dict) -> "BillingDetail":
        return parse_billing_detail(data)


def _optional_text(value: Any, max_length: int) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value.strip()) > max_length:
        raise BadRequest(INVALID, layer="order")
    return value.strip() or None


def parse_billing_detail(value: Any) -> BillingDetail:
    if not isinstance(value, dict) or set(value) - set(FIELDS):
        raise BadRequest(INVALID, layer="order")
    country = value.get("country")
    if not isinstance(country, str) or country not in countries():
        raise BadRequest(INVALID, layer="order")
    is_business = value.get("isBusiness")
    if not isinstance(is_business, bool):
        raise BadRequest(INVALID, layer="order")
    postcode = _optional_text(value.get("postcode"), 16)
    if postcode is not None and not _POSTCODE.match(postcode):
        raise BadRequest(INVALID, layer="order")
    state = _optional_text(value.get("state"), 8)
    if country in REGIONS:
        state = state.upper() if state else None
        if state not in REGIONS[country]:
            raise BadRequest(INVALID, layer="order")
    business_name = _optional_text(value.get("businessName"), 200)
    tax_id = _optional_text(value.get("taxId"), 32)
    if is_business:
        if business_name is None:
            raise BadRequest(INVALID, layer="order")
        if country in EU_COUNTRIES and (
            tax_id is None or not is_valid_tax_id(country=country, tax_id=tax_id)
        ):
            raise BadRequest(INVALID, layer="order")
    else:
        business_name = tax_id = None  # a consumer's tax ID would only confuse the invoice
    return BillingDetail(country, is_business, postcode, state, business_name, tax_id)


# --- what a session is taxed on before (or without) the buyer's own billing details --------


def stored_billing(*, session: "CheckoutSession") -> BillingDetail | None:
    """The billing detail a session locked, or None when it has none (or none that still
    validates: a rule tightened since must not break the page of an open checkout)."""
    if not session.billing_detail:
        return None
    try:
        return BillingDetail.from_stored(session.billing_detail)
    except AppError:
        return None


def billing_for_address(*, address: dict | None) -> BillingDetail | None:
    """A consumer billing detail where goods are shipped: enough for a quote, since tax
    follows the shipping address (``checkout.pricing.tax_location``).

    The region and postcode are kept when they validate; an address whose postcode the
    billing rules refuse is still taxed by its country rather than not at all.
    """
    if not address:
        return None
    payload: dict = {"country": address["country_code"], "isBusiness": False}
    if address.get("country_code") in REGIONS and address.get("province_code"):
        payload["state"] = address["province_code"]
    if address.get("postal_code"):
        payload["postcode"] = address["postal_code"]
    try:
        return parse_billing_detail(payload)
    except AppError:
        try:
            return parse_billing_detail({"country": address["country_code"], "isBusiness": False})
        except AppError:
            return None


def shipping_tax_basis(*, session: "CheckoutSession") -> BillingDetail:
    """What the cart API quotes a session with a shipping address on: the buyer's billing
    detail when the session has one, else a consumer at the shipping address.

    Goods are taxed where they are shipped to (``checkout.pricing``), so the address alone
    is enough for the totals a shipping answer shows; the region and postcode are taken as
    the address has them, unvalidated, because only the pricing reads them.
    """
    stored = stored_billing(session=session)
    if stored is not None:
        return stored
    address = session.shipping_address
    return BillingDetail(
        country=address["country_code"],
        is_business=False,
        postcode=address.get("postal_code") or None,
        state=address.get("province_code") or None,
    )


__all__ = [
    "INVALID",
    "BillingDetail",
    "asdict",
    "billing_for_address",
    "countries",
    "parse_billing_detail",
    "shipping_tax_basis",
    "stored_billing",
]
