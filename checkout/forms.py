"""The hosted checkout form: posted fields → billing detail, card and email, with field hints.

``checkout.billing.parse_billing_detail`` and ``payments.cards.parse_card`` stay the
authorities; the checks here only say *which* field a consumer should fix, because the
contract's billing error is a single ``Invalid billingDetail``.
"""

import re
from dataclasses import dataclass, field

from checkout.billing import REGIONS, BillingDetail, countries, parse_billing_detail
from checkout.models import CheckoutSession
from checkout.shipping import ADDRESS_FIELDS, NO_POSTAL_CODE, PROVINCES
from checkout.tax import EU_COUNTRIES, is_valid_tax_id
from core.errors import AppError
from payments.cards import Card, InvalidCard, parse_card
from stores.services import normalize_email

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_POSTCODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 \-]{0,15}$")
# Fields a re-rendered page may fill back in. Card number and CVC are never among them.
KEPT_FIELDS = (
    "email",
    "country",
    "state_us",
    "state_ca",
    "postcode",
    "business_name",
    "tax_id",
    "card_expiry",
    "token",
)
REGION_FIELD = {"US": "state_us", "CA": "state_ca"}


@dataclass
class Submission:
    values: dict
    errors: dict[str, str] = field(default_factory=dict)
    billing: BillingDetail | None = None
    card: Card | None = None
    email: str = ""
    token: str = ""

    @property
    def valid(self) -> bool:
        return not self.errors and self.billing is not None and self.card is not None


def initial_values(session: CheckoutSession, *, default_country: str | None) -> dict:
    """What a fresh page shows: the session's locked buyer details, else the shipping
    address when there is one, else a country guess."""
    billing = session.billing_detail or {}
    address = session.shipping_address or {}
    if not billing and address:
        billing = {
            "country": address.get("country_code") or "",
            "state": address.get("province_code") or "",
            "postcode": address.get("postal_code") or "",
        }
    country = billing.get("country") or ""
    if not country and default_country in countries():
        country = default_country
    values = dict.fromkeys(KEPT_FIELDS, "")
    values.update(
        email=session.buyer_email or address.get("email") or "",
        country=country,
        postcode=billing.get("postcode") or "",
        is_business=bool(billing.get("isBusiness")),
        business_name=billing.get("businessName") or "",
        tax_id=billing.get("taxId") or "",
    )
    if country in REGION_FIELD:
        values[REGION_FIELD[country]] = billing.get("state") or ""
    return values


def billing_for_address(address: dict | None) -> BillingDetail | None:
    """A consumer billing detail where goods are shipped: enough for a quote, since tax
    follows the shipping address (``checkout.pricing.tax_location``)."""
    if not address:
        return None
    payload: dict = {"country": address["country_code"], "isBusiness": False}
    if address.get("country_code") in REGION_FIELD and address.get("province_code"):
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


def _text(post, name: str, limit: int = 300) -> str:
    return (post.get(name) or "").strip()[:limit]


def _billing_hints(values: dict) -> dict[str, str]:
    errors = {}
    country = values["country"]
    if country not in countries():
        errors["country"] = "Choose your country."
        return errors
    if country in REGIONS and values[REGION_FIELD[country]] not in REGIONS[country]:
        field_name = REGION_FIELD[country]
        errors[field_name] = "Choose your state." if country == "US" else "Choose your province."
    if values["postcode"] and not _POSTCODE.match(values["postcode"]):
        errors["postcode"] = "Enter a valid postal code."
    if values["is_business"]:
        if not values["business_name"]:
            errors["business_name"] = "Enter your business name."
        if country in EU_COUNTRIES and not (
            values["tax_id"] and is_valid_tax_id(country=country, tax_id=values["tax_id"])
        ):
            errors["tax_id"] = "Enter a valid VAT number for a business in the EU."
    return errors


def billing_payload(values: dict) -> dict:
    """The seed's billingDetail object for what the form holds."""
    country = values["country"]
    payload: dict = {"country": country, "isBusiness": bool(values["is_business"])}
    if values["postcode"]:
        payload["postcode"] = values["postcode"]
    if country in REGION_FIELD and values[REGION_FIELD[country]]:
        payload["state"] = values[REGION_FIELD[country]]
    if values["is_business"]:
        if values["business_name"]:
            payload["businessName"] = values["business_name"]
        if values["tax_id"]:
            payload["taxId"] = values["tax_id"]
    return payload


def _card_field(message: str) -> str:
    lowered = message.lower()
    if "security code" in lowered:
        return "card_cvc"
    if "expir" in lowered:
        return "card_expiry"
    return "card_number"


def parse_submission(post) -> Submission:
    values = {name: _text(post, name, 4000 if name == "token" else 300) for name in KEPT_FIELDS}
    values["country"] = values["country"].upper()
    values["is_business"] = post.get("is_business") in ("on", "true", "1")
    submission = Submission(values=values, token=values["token"])

    email = normalize_email(values["email"]) if values["email"] else ""
    if not email:
        submission.errors["email"] = "Enter your email address."
    elif len(email) > 254 or not _EMAIL.match(email):
        submission.errors["email"] = "Enter a valid email address, like name@example.com."
    else:
        values["email"] = email
    submission.email = email

    hints = _billing_hints(values)
    submission.errors.update(hints)
    if not hints:
        try:
            submission.billing = parse_billing_detail(billing_payload(values))
        except AppError:
            submission.errors["billing"] = "Check your billing details."

    number, expiry, cvc = (
        _text(post, name, 64) for name in ("card_number", "card_expiry", "card_cvc")
    )
    if not number:
        submission.errors["card_number"] = "Enter your card number."
    elif not expiry:
        submission.errors["card_expiry"] = "Enter your card's expiry date (MM/YY)."
    elif not cvc:
        submission.errors["card_cvc"] = "Enter your card's security code."
    else:
        try:
            submission.card = parse_card(number=number, expiry=expiry, cvc=cvc)
        except InvalidCard as exc:
            submission.errors[_card_field(str(exc))] = str(exc)
    return submission


# --- shipping address ----------------------------------------------------------------------

SHIPPING_PREFIX = "ship_"
# The province input that holds ``province_code`` for each country with a fixed list; every
# other country uses the free-text one.
SHIPPING_REGION_INPUT = {
    "US": "ship_province_us",
    "CA": "ship_province_ca",
    "AU": "ship_province_au",
}
SHIPPING_REGION_OTHER = "ship_province"
SHIPPING_LABELS = {
    "email": "Email",
    "first_name": "First name",
    "last_name": "Last name",
    "address1": "Address",
    "address2": "Apartment, suite, etc.",
    "city": "City",
    "country_code": "Country",
    "province_code": "State / province",
    "postal_code": "ZIP / postal code",
    "phone": "Phone",
}
SHIPPING_REQUIRED = {
    "first_name": "Enter your first name.",
    "last_name": "Enter your last name.",
    "address1": "Enter your street address.",
    "city": "Enter your city.",
}
_METHOD_ID = re.compile(r"^[0-9]{1,18}$")
_SERVICE_FIELD = re.compile(r"buyer_info\.([a-z0-9_]+)")
SHIPPING_INPUT_NAMES = (
    *(SHIPPING_PREFIX + name for name in ADDRESS_FIELDS if name != "province_code"),
    *SHIPPING_REGION_INPUT.values(),
    SHIPPING_REGION_OTHER,
)


@dataclass
class ShippingSubmission:
    values: dict  # by input name (``ship_…``), to fill the form in again
    payload: dict  # seed 002's ``buyer_info`` object
    errors: dict[str, str] = field(default_factory=dict)  # by address field
    token: str = ""


def shipping_region_input(country: str) -> str:
    return SHIPPING_REGION_INPUT.get(country, SHIPPING_REGION_OTHER)


def shipping_initial(session: CheckoutSession, *, default_country: str | None) -> dict:
    """The address form as the session has it; a fresh form proposes the buyer's email and
    the billing country."""
    address = session.shipping_address or {}
    values = dict.fromkeys(SHIPPING_INPUT_NAMES, "")
    for name in ADDRESS_FIELDS:
        if name != "province_code":
            values[SHIPPING_PREFIX + name] = address.get(name) or ""
    country = address.get("country_code") or ""
    if address:
        values[shipping_region_input(country)] = address.get("province_code") or ""
    else:
        billing = session.billing_detail or {}
        country = billing.get("country") or ""
        if not country and default_country in countries():
            country = default_country
        values[SHIPPING_PREFIX + "country_code"] = country
        values[SHIPPING_PREFIX + "email"] = session.buyer_email or ""
        if billing.get("state") and country in SHIPPING_REGION_INPUT:
            values[SHIPPING_REGION_INPUT[country]] = billing["state"]
        values[SHIPPING_PREFIX + "postal_code"] = billing.get("postcode") or ""
    return values


def parse_shipping(post) -> ShippingSubmission:
    """The posted address form → ``buyer_info``, with a hint for every field to fix at once.

    ``checkout.shipping.parse_address`` stays the authority; these hints only save a buyer
    a round trip per missing field.
    """
    values = {name: _text(post, name, 300) for name in SHIPPING_INPUT_NAMES}
    country = values[SHIPPING_PREFIX + "country_code"].upper()
    values[SHIPPING_PREFIX + "country_code"] = country
    payload = {
        name: values[SHIPPING_PREFIX + name] for name in ADDRESS_FIELDS if name != "province_code"
    }
    payload["province_code"] = values[shipping_region_input(country)]
    submission = ShippingSubmission(
        values=values,
        payload={name: value for name, value in payload.items() if value},
        token=_text(post, "token", 4000),
    )
    errors = submission.errors
    for name, hint in SHIPPING_REQUIRED.items():
        if not payload[name]:
            errors[name] = hint
    if country not in countries():
        errors["country_code"] = "Choose the country to ship to."
    else:
        if country in PROVINCES and not payload["province_code"]:
            errors["province_code"] = "Choose your state or province."
        if country not in NO_POSTAL_CODE and not payload["postal_code"]:
            errors["postal_code"] = "Enter your ZIP or postal code."
    return submission


def shipping_error(message: str) -> tuple[str | None, str]:
    """The address field a service message is about, and the message in the page's words
    (``buyer_info.postal_code is …`` → ``ZIP / postal code is …``)."""
    match = _SERVICE_FIELD.search(message)
    name = match.group(1) if match and match.group(1) in SHIPPING_LABELS else None
    if name is None:
        return None, message
    text = _SERVICE_FIELD.sub(lambda m: SHIPPING_LABELS.get(m.group(1), m.group(1)), message)
    return name, text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def shipping_method_choice(post) -> int | None:
    raw = (post.get("shipping_method_id") or "").strip()
    return int(raw) if _METHOD_ID.match(raw) else None
