"""The hosted checkout form: posted fields → billing detail, card and email, with field hints.

``checkout.billing.parse_billing_detail`` and ``payments.cards.parse_card`` stay the
authorities; the checks here only say *which* field a consumer should fix, because the
contract's billing error is a single ``Invalid billingDetail``.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from checkout.billing import REGIONS, BillingDetail, countries, parse_billing_detail
from checkout.models import CheckoutSession
from checkout.tax import EU_COUNTRIES, is_valid_tax_id
from checkout.web.error_text import card_message
from core.errors import AppError
from payments.cards import Card, InvalidCard, parse_card
from payments.processors.base import BrowserMethod
from stores.services import normalize_email

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_BROWSER_TOKEN = re.compile(r"^(tok|pm)_[A-Za-z0-9]{1,200}$")
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
    card: Card | BrowserMethod | None = None
    email: str = ""
    token: str = ""

    @property
    def valid(self) -> bool:
        return not self.errors and self.billing is not None and self.card is not None


def initial_values(
    session: CheckoutSession,
    *,
    default_country: str | None,
    billing_detail: dict | None = None,
    email: str = "",
) -> dict:
    """What a fresh page shows: the session's locked buyer details, else the shipping
    address when there is one, else a country guess. ``billing_detail`` and ``email``: what
    the buyer entered for a payment that failed after leaving the page (3-D Secure)."""
    billing = billing_detail or session.billing_detail or {}
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
        # Ticked by default on a checkout that ships, unless other billing details were kept.
        billing_same=session.requires_shipping and not (billing_detail or session.billing_detail),
        email=email or session.buyer_email or address.get("email") or "",
        country=country,
        postcode=billing.get("postcode") or "",
        is_business=bool(billing.get("isBusiness")),
        business_name=billing.get("businessName") or "",
        tax_id=billing.get("taxId") or "",
    )
    if country in REGION_FIELD:
        values[REGION_FIELD[country]] = billing.get("state") or ""
    return values


def billing_from_address(address: dict) -> dict:
    """The billing fields "billing same as shipping" fills from a shipping address: its
    country, region (where the billing form asks for one) and a postcode the billing rules
    take. The page script fills the same ones from the JSON step's answer."""
    country = address.get("country_code") or ""
    postcode = address.get("postal_code") or ""
    values = {
        "country": country,
        "state_us": "",
        "state_ca": "",
        "postcode": postcode if _POSTCODE.match(postcode) else "",
    }
    if country in REGION_FIELD:
        values[REGION_FIELD[country]] = address.get("province_code") or ""
    return values


def _text(post, name: str, limit: int = 300) -> str:
    return (post.get(name) or "").strip()[:limit]


def _billing_hints(values: dict) -> dict[str, str]:
    errors = {}
    country = values["country"]
    if country not in countries():
        errors["country"] = _("Choose your country.")
        return errors
    if country in REGIONS and values[REGION_FIELD[country]] not in REGIONS[country]:
        field_name = REGION_FIELD[country]
        errors[field_name] = (
            _("Choose your state.") if country == "US" else _("Choose your province.")
        )
    if values["postcode"] and not _POSTCODE.match(values["postcode"]):
        errors["postcode"] = _("Enter a valid postal code.")
    if values["is_business"]:
        if not values["business_name"]:
            errors["business_name"] = _("Enter your business name.")
        if country in EU_COUNTRIES and not (
            values["tax_id"] and is_valid_tax_id(country=country, tax_id=values["tax_id"])
        ):
            errors["tax_id"] = _("Enter a valid VAT number for a business in the EU.")
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


def parse_submission_billing(values: dict) -> BillingDetail | None:
    """The billing detail ``values`` hold, when they are valid (else None)."""
    if _billing_hints(values):
        return None
    try:
        return parse_billing_detail(billing_payload(values))
    except AppError:
        return None


def _card_field(message: str) -> str:
    lowered = message.lower()
    if "security code" in lowered:
        return "card_cvc"
    if "expir" in lowered:
        return "card_expiry"
    return "card_number"


def parse_submission(
    post, *, browser_method: bool = False, shipping_address: dict | None = None
) -> Submission:
    """``browser_method``: the processor's script took the card (Stripe Elements) and the
    form carries only its token (``payment_method``), never card fields. ``shipping_address``
    (a session that ships): with "billing same as shipping" ticked, its country, region and
    postcode are the billing ones, whatever the billing fields say."""
    values = {name: _text(post, name, 4000 if name == "token" else 300) for name in KEPT_FIELDS}
    values["billing_same"] = bool(shipping_address) and post.get("billing_same") in (
        "on",
        "true",
        "1",
    )
    if values["billing_same"]:
        values.update(billing_from_address(shipping_address))
    values["country"] = values["country"].upper()
    values["is_business"] = post.get("is_business") in ("on", "true", "1")
    submission = Submission(values=values, token=values["token"])

    email = normalize_email(values["email"]) if values["email"] else ""
    if not email:
        submission.errors["email"] = _("Enter your email address.")
    elif len(email) > 254 or not _EMAIL.match(email):
        submission.errors["email"] = _("Enter a valid email address, like name@example.com.")
    else:
        values["email"] = email
    submission.email = email

    hints = _billing_hints(values)
    submission.errors.update(hints)
    if not hints:
        try:
            submission.billing = parse_billing_detail(billing_payload(values))
        except AppError:
            submission.errors["billing"] = _("Check your billing details.")

    card, errors = browser_method_field(post) if browser_method else card_fields(post)
    submission.card = card
    submission.errors.update(errors)
    return submission


def card_fields(post) -> tuple[Card | None, dict[str, str]]:
    """The card typed into a hosted form (the checkout's, the portal's): the card, or what
    to say, by field."""
    number, expiry, cvc = (
        _text(post, name, 64) for name in ("card_number", "card_expiry", "card_cvc")
    )
    if not number:
        return None, {"card_number": _("Enter your card number.")}
    if not expiry:
        return None, {
            "card_expiry": _("Enter your card's expiry date as MM/YY, for example 12/30.")
        }
    if not cvc:
        return None, {"card_cvc": _("Enter your card's security code.")}
    try:
        return parse_card(number=number, expiry=expiry, cvc=cvc), {}
    except InvalidCard as exc:
        return None, {_card_field(str(exc)): card_message(str(exc))}


def browser_method_field(post) -> tuple[BrowserMethod | None, dict[str, str]]:
    """The processor script's token for a card it took (Stripe Elements), never card fields."""
    token = _text(post, "payment_method", 256)
    if _BROWSER_TOKEN.match(token):
        return BrowserMethod(token), {}
    return None, {"card": _("Enter your card details.")}
