"""The hosted shipping step: the posted address form → seed 002's ``buyer_info``, with a
hint for every field to fix, and everything the step shows (form, methods, chosen one).

``checkout.shipping.parse_address`` stays the authority; the checks here only say *which*
field a buyer should fix, and save a round trip per missing field.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import get_language, gettext, gettext_lazy

from checkout.billing import countries
from checkout.models import CheckoutSession
from checkout.shipping import ADDRESS_FIELDS, NO_POSTAL_CODE, PROVINCES
from checkout.web.choices import country_name, shipping_region_choices
from checkout.web.locale import PageLocale
from checkout.web.summaries import address_lines, shipping_amount


def _text(post, name: str, limit: int = 300) -> str:
    return (post.get(name) or "").strip()[:limit]


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
    "email": gettext_lazy("Email"),
    "first_name": gettext_lazy("First name"),
    "last_name": gettext_lazy("Last name"),
    "address1": gettext_lazy("Address"),
    "address2": gettext_lazy("Apartment, suite, etc."),
    "city": gettext_lazy("City"),
    "country_code": gettext_lazy("Country"),
    "province_code": gettext_lazy("State / province"),
    "postal_code": gettext_lazy("ZIP / postal code"),
    "phone": gettext_lazy("Phone"),
}
SHIPPING_REQUIRED = {
    "first_name": gettext_lazy("Enter your first name."),
    "last_name": gettext_lazy("Enter your last name."),
    "address1": gettext_lazy("Enter your street address."),
    "city": gettext_lazy("Enter your city."),
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
        errors["country_code"] = gettext("Choose the country to ship to.")
    else:
        if country in PROVINCES and not payload["province_code"]:
            errors["province_code"] = gettext("Choose your state or province.")
        if country not in NO_POSTAL_CODE and not payload["postal_code"]:
            errors["postal_code"] = gettext("Enter your ZIP or postal code.")
    return submission


def shipping_error(message: str) -> tuple[str | None, str]:
    """The address field a service message is about, and the message in the page's words
    (``buyer_info.postal_code is …`` → ``ZIP / postal code is …``)."""
    match = _SERVICE_FIELD.search(message)
    name = match.group(1) if match and match.group(1) in SHIPPING_LABELS else None
    if name is None:
        return None, message
    if not (get_language() or "en").startswith("en"):
        # The service's sentence is English: other pages name the field to check.
        return name, gettext("Please check this entry: %(field)s.") % {
            "field": SHIPPING_LABELS[name]
        }
    text = _SERVICE_FIELD.sub(lambda m: str(SHIPPING_LABELS.get(m.group(1), m.group(1))), message)
    return name, text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def shipping_method_choice(post) -> int | None:
    raw = (post.get("shipping_method_id") or "").strip()
    return int(raw) if _METHOD_ID.match(raw) else None


# Text inputs of the address form: (field, input type, autocomplete, maxlength, required).
_ADDRESS_INPUTS = (
    ("email", "email", "email", 254, False),
    ("first_name", "text", "shipping given-name", 100, True),
    ("last_name", "text", "shipping family-name", 100, True),
    ("address1", "text", "shipping address-line1", 200, True),
    ("address2", "text", "shipping address-line2", 200, False),
    ("city", "text", "shipping address-level2", 100, True),
    ("postal_code", "text", "shipping postal-code", 12, False),
    ("phone", "tel", "shipping tel", 20, False),
)
_ADDRESS_HINTS = {
    "email": gettext_lazy(
        "For delivery updates; we use your checkout email if you leave it empty."
    ),
    "phone": gettext_lazy("With country code, for the carrier."),
}

_PROVINCE_SELECTS = (
    ("US", gettext_lazy("State (United States)"), gettext_lazy("Select your state")),
    ("CA", gettext_lazy("Province (Canada)"), gettext_lazy("Select your province")),
    (
        "AU",
        gettext_lazy("State or territory (Australia)"),
        gettext_lazy("Select your state or territory"),
    ),
)


def _address_fields(values: dict, errors: dict) -> dict:
    fields = {}
    for name, input_type, autocomplete, maxlength, required in _ADDRESS_INPUTS:
        input_id = SHIPPING_PREFIX + name
        fields[name] = {
            "id": input_id,
            "label": SHIPPING_LABELS[name],
            "type": input_type,
            "autocomplete": autocomplete,
            "maxlength": maxlength,
            "required": required,
            "value": values.get(input_id, ""),
            "error": errors.get(name, ""),
            "hint": _ADDRESS_HINTS.get(name, ""),
            # A postal code is required almost everywhere: never labelled optional.
            "optional": not required and name != "postal_code",
        }
    return fields


def _province_inputs(country: str, values: dict, errors: dict) -> tuple[list[dict], dict]:
    """The fixed-list selects (US, CA, AU) and the free-text input; only the one the
    country uses carries the province error."""
    province_input = shipping_region_input(country)
    province_error = errors.get("province_code", "")
    regions = shipping_region_choices()
    selects = [
        {
            "id": SHIPPING_REGION_INPUT[code],
            "box": f"ship-region-{code.lower()}",
            "label": label,
            "placeholder": placeholder,
            "choices": regions[code],
            "value": values.get(SHIPPING_REGION_INPUT[code], ""),
            "error": province_error if province_input == SHIPPING_REGION_INPUT[code] else "",
        }
        for code, label, placeholder in _PROVINCE_SELECTS
    ]
    other = {
        "id": SHIPPING_REGION_OTHER,
        "value": values.get(SHIPPING_REGION_OTHER, ""),
        "error": province_error if province_input == SHIPPING_REGION_OTHER else "",
    }
    return selects, other


def error_list(country: str, errors: dict) -> list[tuple[str, str]]:
    """The error summary's entries: the input each error is about, and the text."""
    return [
        (
            "ship_country_code"
            if name == "country_code"
            else shipping_region_input(country)
            if name == "province_code"
            else SHIPPING_PREFIX + name,
            text,
        )
        for name, text in errors.items()
    ]


def _method_rows(session: CheckoutSession, locale: PageLocale, options: list) -> list[dict]:
    """The methods as radio rows: the chosen one checked, else the cheapest proposed (the
    buyer still confirms it; nothing is selected on the session until they do)."""
    chosen_id = (session.shipping_method or {}).get("id")
    if chosen_id is None and options:
        chosen_id = min(options, key=lambda option: option.amount_minor).id
    return [
        {
            "id": option.id,
            "name": option.name,
            "amount": shipping_amount(option.amount_minor, session.currency, locale),
            "estimate": option.delivery_estimate,
            "checked": option.id == chosen_id,
        }
        for option in options
    ]


def _chosen_row(session: CheckoutSession, locale: PageLocale) -> dict | None:
    chosen = session.shipping_method or {}
    if not chosen:
        return None
    return {
        "name": chosen["name"],
        "amount": shipping_amount(chosen["amount_minor"], session.currency, locale),
        "estimate": chosen.get("delivery_estimate") or "",
    }


def _country_name(code: str, locale: PageLocale) -> str:
    return country_name(code, locale=locale.babel) if code in countries() else ""


def shipping_step(
    session: CheckoutSession,
    locale: PageLocale,
    *,
    values: dict,
    errors: dict,
    message: str,
    method_message: str = "",
    options: list,
    destinations: list[str],
) -> dict:
    """Everything the shipping step shows: the address form, the methods that serve the
    saved address (priced), the chosen one, and whether payment may go ahead."""
    address = session.shipping_address
    chosen = session.shipping_method or {}
    country = values.get(SHIPPING_PREFIX + "country_code") or ""
    province_selects, province_other = _province_inputs(country, values, errors)
    return {
        "fields": _address_fields(values, errors),
        "country": country,
        "country_error": errors.get("country_code", ""),
        "province_selects": province_selects,
        "province_other": province_other,
        "values": values,
        "errors": errors,
        "error_list": error_list(country, errors),
        "message": message,
        "method_message": method_message,
        "address": address,
        "address_lines": address_lines(address, locale),
        "country_name": _country_name((address or {}).get("country_code", ""), locale),
        "methods": _method_rows(session, locale, options),
        "chosen": _chosen_row(session, locale),
        "complete": bool(address and chosen),
        "destinations": destinations,
    }
