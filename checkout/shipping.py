"""Shipping for sessions whose lines need it: the address, the methods that serve it, the
chosen method, and what it costs.

Addresses use seed 002's ``buyer_info`` fields. Where goods are shipped decides the tax
(place of supply), so a shipping address, once set, is what ``checkout.pricing`` taxes.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from checkout.billing import CA_PROVINCES, US_STATES, countries
from checkout.embargo import check_sale
from checkout.models import CheckoutSession, ShippingMethod
from checkout.selectors import SessionState, session_state
from checkout.services import SessionExpired, session_lock
from core.errors import BadRequest, Conflict, Unprocessable
from core.text import is_email, normalize_email

ADDRESS_FIELDS = (
    "address1",
    "address2",
    "city",
    "country_code",
    "email",
    "first_name",
    "last_name",
    "phone",
    "postal_code",
    "province_code",
)
AU_STATES = frozenset(["ACT", "NSW", "NT", "QLD", "SA", "TAS", "VIC", "WA"])
PROVINCES = {"US": US_STATES, "CA": CA_PROVINCES, "AU": AU_STATES}
# Countries without a postal code system (UPU); everywhere else a postal code is required.
NO_POSTAL_CODE = frozenset(
    [
        "AE",
        "AG",
        "AO",
        "AW",
        "BF",
        "BI",
        "BJ",
        "BO",
        "BS",
        "BW",
        "BZ",
        "CD",
        "CF",
        "CG",
        "CI",
        "CK",
        "CM",
        "DJ",
        "DM",
        "ER",
        "FJ",
        "GA",
        "GD",
        "GH",
        "GM",
        "GQ",
        "GY",
        "HK",
        "JM",
        "KI",
        "KM",
        "KN",
        "KP",
        "LC",
        "ML",
        "MO",
        "MR",
        "MW",
        "NR",
        "NU",
        "QA",
        "RW",
        "SB",
        "SC",
        "SL",
        "SR",
        "ST",
        "SY",
        "TD",
        "TF",
        "TG",
        "TK",
        "TL",
        "TO",
        "TV",
        "UG",
        "VU",
        "YE",
        "ZW",
    ]
)
POSTAL_PATTERNS = {
    "US": re.compile(r"^\d{5}(-\d{4})?$"),
    "CA": re.compile(r"^[A-Z]\d[A-Z] ?\d[A-Z]\d$"),
}
GENERIC_POSTAL = re.compile(r"^[A-Z0-9][A-Z0-9 -]{1,9}$")
PHONE = re.compile(r"^\+?[0-9 ().-]{6,20}$")
ALREADY_SUBMITTED = "Checkout has already been submitted"
NO_METHOD_FOR_ADDRESS = "No shipping method is available for this address"


def _bad(message: str) -> BadRequest:
    return BadRequest(message, layer="order")


def _text(info: dict, field: str, *, required: bool, max_length: int = 200) -> str:
    value = info.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise _bad(f"buyer_info.{field} is required")
        return ""
    if not isinstance(value, str) or len(value.strip()) > max_length:
        raise _bad(f"buyer_info.{field} must be a string of at most {max_length} characters")
    return value.strip()


def parse_address(value: Any) -> dict:
    """The ten ``buyer_info`` fields, checked and normalized; one clear message per problem."""
    if not isinstance(value, dict):
        raise _bad("buyer_info must be an object")
    unknown = set(value) - set(ADDRESS_FIELDS)
    if unknown:
        raise _bad(f"buyer_info.{sorted(unknown)[0]} is not a known field")
    country = _text(value, "country_code", required=True, max_length=2).upper()
    if country not in countries():
        raise _bad("buyer_info.country_code must be an ISO 3166-1 alpha-2 country code")
    address = {
        "first_name": _text(value, "first_name", required=True, max_length=100),
        "last_name": _text(value, "last_name", required=True, max_length=100),
        "address1": _text(value, "address1", required=True),
        "address2": _text(value, "address2", required=False),
        "city": _text(value, "city", required=True, max_length=100),
        "country_code": country,
        "province_code": _text(value, "province_code", required=False, max_length=8).upper(),
        "postal_code": _text(value, "postal_code", required=False, max_length=12).upper(),
        "phone": _text(value, "phone", required=False, max_length=20),
        "email": normalize_email(_text(value, "email", required=False, max_length=254)),
    }
    provinces = PROVINCES.get(country)
    if provinces is not None and address["province_code"] not in provinces:
        raise _bad(f"buyer_info.province_code must be a valid state or province of {country}")
    if country not in NO_POSTAL_CODE:
        pattern = POSTAL_PATTERNS.get(country, GENERIC_POSTAL)
        if not address["postal_code"]:
            raise _bad(f"buyer_info.postal_code is required for {country}")
        if not pattern.match(address["postal_code"]):
            raise _bad(f"buyer_info.postal_code is not a valid postal code for {country}")
    if address["phone"] and not PHONE.match(address["phone"]):
        raise _bad("buyer_info.phone must be a phone number with country code")
    if address["email"] and not is_email(address["email"]):
        raise _bad("buyer_info.email must be an email address")
    return address


@dataclass(frozen=True, slots=True)
class MethodOption:
    id: int
    name: str
    amount_minor: int
    delivery_estimate: str

    def snapshot(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "amount_minor": self.amount_minor,
            "delivery_estimate": self.delivery_estimate,
        }


def goods_subtotal(session: CheckoutSession) -> int:
    return sum(line.charged_unit_amount * line.quantity for line in session.line_items)


def available_methods(*, session: CheckoutSession, country: str) -> list[MethodOption]:
    """The store's methods that ship to ``country`` in the session's currency, priced for it."""
    currency, subtotal = session.currency, goods_subtotal(session)
    options = []
    for method in ShippingMethod.objects.filter(store_id=session.store_id, active=True):
        price = (method.prices or {}).get(currency)
        if price is None or (method.countries and country not in method.countries):
            continue
        threshold = (method.free_above or {}).get(currency)
        amount = 0 if threshold is not None and subtotal >= threshold else int(price)
        options.append(MethodOption(method.pk, method.name, amount, method.delivery_estimate))
    return options


def _locked_open_session(session_id) -> CheckoutSession:
    session = session_lock(session_id)
    state = session_state(session)
    if state == SessionState.COMPLETED:
        raise Conflict(ALREADY_SUBMITTED, layer="order")
    if state == SessionState.EXPIRED:
        raise SessionExpired()
    if not session.requires_shipping:
        raise Unprocessable("This checkout has nothing to ship", layer="order")
    return session


def shipping_set_address(
    *,
    session: CheckoutSession,
    address: dict,
    refuse_unserved: bool = False,
    preselect_cheapest: bool = False,
) -> list[MethodOption]:
    """Store the address; keep the chosen method only if it still serves it (re-priced).

    ``preselect_cheapest`` (the hosted page): with no method kept, the cheapest that serves
    the address is chosen in the same transaction, so a buyer who is happy with it goes
    straight to paying; the API's contract leaves the choice to the caller.

    An address no method serves is kept (the hosted page explains where the store ships),
    unless ``refuse_unserved``: then nothing is saved and the caller gets a 422. An embargoed
    destination is refused in prod before anything is saved (``checkout.embargo``).
    """
    check_sale(environment=session.environment, shipping_address=address)
    with transaction.atomic():
        session = _locked_open_session(session.pk)
        options = available_methods(session=session, country=address["country_code"])
        if not options and refuse_unserved:
            raise Unprocessable(NO_METHOD_FOR_ADDRESS, layer="order")
        chosen = (session.shipping_method or {}).get("id")
        still = next((option for option in options if option.id == chosen), None)
        session.shipping_address = address
        if still is None and options and preselect_cheapest:
            still = min(options, key=lambda option: option.amount_minor)
        session.shipping_method = still.snapshot() if still else None
        session.save(update_fields=["shipping_address", "shipping_method"])
    return options


def shipping_select_method(*, session: CheckoutSession, method_id: Any) -> MethodOption:
    if not isinstance(method_id, int) or isinstance(method_id, bool):
        raise _bad("shipping_method_id must be an integer")
    with transaction.atomic():
        session = _locked_open_session(session.pk)
        if not session.shipping_address:
            raise Unprocessable("Set a shipping address first", layer="order")
        options = available_methods(
            session=session, country=session.shipping_address["country_code"]
        )
        option = next((o for o in options if o.id == method_id), None)
        if option is None:
            raise Unprocessable(
                "This shipping method is not available for the address", layer="order"
            )
        session.shipping_method = option.snapshot()
        session.save(update_fields=["shipping_method"])
    return option
