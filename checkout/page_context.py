"""Presentation helpers for the hosted pages: locale, theme, and the figures a page shows.

Everything here reads a session's locked values (never live product rows) and turns them
into display strings; nothing decides a price or a tax rate.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.numbers import format_percent
from django.utils.translation.trans_real import parse_accept_lang_header

from checkout.billing import CA_PROVINCES, US_STATES, countries
from checkout.forms import (
    SHIPPING_LABELS,
    SHIPPING_PREFIX,
    SHIPPING_REGION_INPUT,
    SHIPPING_REGION_OTHER,
    shipping_region_input,
)
from checkout.models import CheckoutSession
from checkout.shipping import PROVINCES
from checkout.tax import EU_COUNTRIES, TaxResult
from core.money import format_localized
from stores.settings_schema import DEFAULT_THEMES

DEFAULT_LOCALE = "en_US"
PERIOD_NOUNS = {"weekly": "week", "monthly": "month", "quarterly": "quarter", "yearly": "year"}
# The same narrow shapes stores.settings_schema accepts; checked again because the values
# are written into a <style> block.
_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$")
_RADIUS = re.compile(r"^(?:0|\d{1,3}(?:\.\d{1,2})?(?:px|rem|em|%))$")
_LOGO = re.compile(
    r"^(?:https://[^\s\"'<>()\\]{1,2000}|data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+=*)$"
)
THEME_VARIABLES = (
    ("primary", "checkoutColorPrimary", _COLOR),
    ("background", "checkoutColorBackground", _COLOR),
    ("card", "checkoutColorCard", _COLOR),
    ("text", "checkoutColorText", _COLOR),
    ("radius", "checkoutBorderRadius", _RADIUS),
)


@dataclass(frozen=True)
class PageLocale:
    babel: str  # "pt_BR", for babel
    tag: str  # "pt-BR", for <html lang> and Intl in the browser
    territory: str | None


def _parse_tag(tag: str) -> Locale | None:
    try:
        return Locale.parse(tag.replace("_", "-"), sep="-")
    except (ValueError, TypeError, UnknownLocaleError):
        return None


def resolve_locale(*, language: str = "", accept_language: str = "") -> PageLocale:
    """The session's language first, then the browser's preferences, then en_US."""
    candidates = [language] if language else []
    candidates += [tag for tag, _ in parse_accept_lang_header(accept_language or "") if tag != "*"]
    for tag in candidates:
        locale = _parse_tag(tag)
        if locale is not None:
            break
    else:
        locale = Locale.parse(DEFAULT_LOCALE)
    parts = [locale.language, locale.script, locale.territory]
    return PageLocale(
        babel=str(locale), tag="-".join(p for p in parts if p), territory=locale.territory
    )


def locale_for_request(request, session: CheckoutSession | None = None) -> PageLocale:
    return resolve_locale(
        language=session.language if session is not None else "",
        accept_language=request.headers.get("Accept-Language", ""),
    )


def is_dark(session: CheckoutSession) -> bool:
    if session.dark_mode is not None:
        return session.dark_mode
    return bool((session.theme or {}).get("defaultDarkMode", False))


def theme_for(theme: dict | None, *, dark: bool) -> dict:
    """CSS custom properties and the logo of the light or dark theme, defaults for anything
    missing or not of the expected shape."""
    mode = "dark" if dark else "light"
    chosen = (theme or {}).get(mode) or {}
    defaults = DEFAULT_THEMES[mode]
    variables = {}
    for name, field, pattern in THEME_VARIABLES:
        value = chosen.get(field)
        variables[name] = (
            value if isinstance(value, str) and pattern.match(value) else defaults[field]
        )
    logo = None
    for candidate in (chosen.get("checkoutLogo"), (theme or {}).get("storeLogo")):
        if isinstance(candidate, str) and _LOGO.match(candidate):
            logo = candidate
            break
    variables["on_primary"] = _readable_on(variables["primary"])
    return {"mode": mode, "dark": dark, "vars": variables, "logo": logo}


def _readable_on(color: str) -> str:
    """White or near-black text, whichever contrasts more with ``color`` (WCAG luminance)."""
    digits = color[1:]
    if len(digits) in (3, 4):
        digits = "".join(ch * 2 for ch in digits[:3])
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    # Contrast with white is 1.05 / (L + 0.05); with #111827 (L ~ 0.0097) it is (L + 0.05) / 0.0597.
    return "#ffffff" if 1.05 / (luminance + 0.05) >= (luminance + 0.05) / 0.0597 else "#111827"


def money(minor: int, currency: str, locale: PageLocale) -> str:
    return format_localized(minor, currency, locale.babel)


def percent(rate: Decimal, locale: PageLocale) -> str:
    return format_percent(rate / 100, locale=locale.babel, decimal_quantization=False)


def tax_label(result: TaxResult, locale: PageLocale) -> str:
    if result.reverse_charge:
        return "Reverse charge"
    if not result.tax_name:
        return "Tax"
    return f"{result.tax_name} {percent(result.rate, locale)}"


def summary(session: CheckoutSession, locale: PageLocale, quote: TaxResult | None) -> dict:
    """What the order summary shows: the locked price, trial terms, and totals.

    Without a quote (no billing details yet) the total is the price before tax and the page
    says tax is calculated at payment.
    """
    currency = session.currency
    items = session.line_items
    first = items[0]
    due = sum(line.charged_unit_amount * line.quantity for line in items)
    method = session.shipping_method if session.requires_shipping else None
    if method:
        due += method["amount_minor"]
    period = PERIOD_NOUNS.get(first.billing_period, "")
    data = {
        "product_name": session.title,
        "store_name": session.store_name,
        "currency": currency,
        "price": money(
            sum(line.unit_amount_minor * line.quantity for line in items), currency, locale
        ),
        "lines": [
            {
                "name": line.name,
                "quantity": line.quantity,
                "unit": money(line.unit_amount_minor, currency, locale),
                "amount": money(line.unit_amount_minor * line.quantity, currency, locale),
            }
            for line in items
        ],
        # One line of quantity 1 is the headline price itself; anything else is listed.
        "show_lines": len(items) > 1 or items[0].quantity > 1 or session.requires_shipping,
        "requires_shipping": session.requires_shipping,
        "shipping": (
            {
                "name": method["name"],
                "amount": shipping_amount(method["amount_minor"], currency, locale),
                "free": method["amount_minor"] == 0,
            }
            if method
            else None
        ),
        "period": period,
        "is_subscription": session.product_type == "subscription",
        "with_trial": first.with_trial,
        "trial_days": first.trial_days,
        "trial_price": (
            money(first.trial_amount_minor, currency, locale)
            if first.with_trial and first.trial_amount_minor is not None
            else None
        ),
        "tax_included": all(line.tax_included for line in items),
        "due": money(due, currency, locale),
        "quoted": quote is not None,
    }
    if quote is None:
        data.update(subtotal=data["due"], tax=None, tax_label=None, total=data["due"])
    else:
        data.update(
            subtotal=money(quote.subtotal_minor, currency, locale),
            tax=money(quote.tax_minor, currency, locale),
            tax_label=tax_label(quote, locale),
            total=money(quote.total_minor, currency, locale),
        )
    return data


def shipping_amount(minor: int, currency: str, locale: PageLocale) -> str:
    return "Free" if minor == 0 else money(minor, currency, locale)


def order_lines(order, locale: PageLocale) -> list[dict]:
    """A receipt's lines as the order stored them, the shipping line last."""
    currency = order.currency
    rows = []
    for line in order.lines.all():
        shipping = line.kind == "shipping"
        amount = line.unit_amount_minor * line.quantity
        rows.append(
            {
                "name": line.name,
                "quantity": line.quantity,
                "shipping": shipping,
                "unit": money(line.unit_amount_minor, currency, locale),
                "amount": shipping_amount(amount, currency, locale)
                if shipping
                else money(amount, currency, locale),
            }
        )
    return rows


def address_lines(address: dict | None) -> list[str]:
    """A shipping address as it is written on a parcel, one line per entry."""
    if not address:
        return []
    name = " ".join(p for p in (address.get("first_name"), address.get("last_name")) if p)
    locality = " ".join(p for p in (address.get("province_code"), address.get("postal_code")) if p)
    city = ", ".join(p for p in (address.get("city"), locality) if p)
    country = countries().get(address.get("country_code") or "", address.get("country_code"))
    return [
        line
        for line in (name, address.get("address1"), address.get("address2"), city, country)
        if line
    ]


def order_amounts(order, locale: PageLocale) -> dict:
    """A receipt's figures, from what the order stored when it was placed."""
    currency = order.currency
    if order.reverse_charge:
        label = "Reverse charge"
    elif order.tax_name:
        label = f"{order.tax_name} {percent(order.tax_rate, locale)}"
    else:
        label = "Tax"
    return {
        "subtotal": money(order.subtotal_minor, currency, locale),
        "tax": money(order.tax_minor, currency, locale),
        "tax_label": label,
        "total": money(order.total_minor, currency, locale),
    }


def product_card(product, version, prices, *, locale: PageLocale) -> dict:
    """One storefront entry: the environment's version and its prices, by currency."""
    period = PERIOD_NOUNS.get(version.billing_period or "", "")
    return {
        "id": product.public_id,
        "name": version.name,
        "description": version.description or "",
        "period": period,
        "prices": [
            {
                "currency": price.currency,
                "amount": money(price.amount_minor, price.currency, locale),
            }
            for price in sorted(prices, key=lambda price: price.currency)
        ],
    }


def country_choices() -> list[tuple[str, str]]:
    return sorted(countries().items(), key=lambda item: item[1])


def region_choices() -> dict[str, list[tuple[str, str]]]:
    """State and province codes with their names, by name."""
    return {
        "US": sorted(((code, REGION_NAMES.get(code, code)) for code in US_STATES), key=_name),
        "CA": sorted(((code, PROVINCE_NAMES.get(code, code)) for code in CA_PROVINCES), key=_name),
    }


def _name(item: tuple[str, str]) -> str:
    return item[1]


def shipping_region_choices() -> dict[str, list[tuple[str, str]]]:
    """The lists ``checkout.shipping.parse_address`` checks a province against, by name."""
    regions = region_choices()
    regions["AU"] = sorted(
        ((code, AU_STATE_NAMES.get(code, code)) for code in PROVINCES["AU"]), key=_name
    )
    return regions


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
    "email": "For delivery updates; we use your checkout email if you leave it empty.",
    "phone": "With country code, for the carrier.",
}


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
    province_input = shipping_region_input(country)
    province_error = errors.get("province_code", "")
    regions = shipping_region_choices()
    province_selects = [
        {
            "id": SHIPPING_REGION_INPUT[code],
            "box": f"ship-region-{code.lower()}",
            "label": label,
            "placeholder": placeholder,
            "choices": regions[code],
            "value": values.get(SHIPPING_REGION_INPUT[code], ""),
            "error": province_error if province_input == SHIPPING_REGION_INPUT[code] else "",
        }
        for code, label, placeholder in (
            ("US", "State (United States)", "Select your state"),
            ("CA", "Province (Canada)", "Select your province"),
            ("AU", "State or territory (Australia)", "Select your state or territory"),
        )
    ]
    return {
        "fields": fields,
        "country": country,
        "country_error": errors.get("country_code", ""),
        "province_selects": province_selects,
        "province_other": {
            "id": SHIPPING_REGION_OTHER,
            "value": values.get(SHIPPING_REGION_OTHER, ""),
            "error": province_error if province_input == SHIPPING_REGION_OTHER else "",
        },
        "values": values,
        "errors": errors,
        "error_list": [
            (
                "ship_country_code"
                if name == "country_code"
                else shipping_region_input(country)
                if name == "province_code"
                else SHIPPING_PREFIX + name,
                text,
            )
            for name, text in errors.items()
        ],
        "message": message,
        "method_message": method_message,
        "address": address,
        "address_lines": address_lines(address),
        "country_name": countries().get((address or {}).get("country_code", ""), ""),
        "methods": [
            {
                "id": option.id,
                "name": option.name,
                "amount": shipping_amount(option.amount_minor, session.currency, locale),
                "estimate": option.delivery_estimate,
                "checked": option.id == chosen.get("id"),
            }
            for option in options
        ],
        "chosen": (
            {
                "name": chosen["name"],
                "amount": shipping_amount(chosen["amount_minor"], session.currency, locale),
                "estimate": chosen.get("delivery_estimate") or "",
            }
            if chosen
            else None
        ),
        "complete": bool(address and chosen),
        "destinations": destinations,
    }


def eu_countries() -> str:
    return " ".join(sorted(EU_COUNTRIES))


REGION_NAMES = {
    "AL": "Alabama",
    "AK": "Alaska",
    "AZ": "Arizona",
    "AR": "Arkansas",
    "CA": "California",
    "CO": "Colorado",
    "CT": "Connecticut",
    "DE": "Delaware",
    "DC": "District of Columbia",
    "FL": "Florida",
    "GA": "Georgia",
    "HI": "Hawaii",
    "ID": "Idaho",
    "IL": "Illinois",
    "IN": "Indiana",
    "IA": "Iowa",
    "KS": "Kansas",
    "KY": "Kentucky",
    "LA": "Louisiana",
    "ME": "Maine",
    "MD": "Maryland",
    "MA": "Massachusetts",
    "MI": "Michigan",
    "MN": "Minnesota",
    "MS": "Mississippi",
    "MO": "Missouri",
    "MT": "Montana",
    "NE": "Nebraska",
    "NV": "Nevada",
    "NH": "New Hampshire",
    "NJ": "New Jersey",
    "NM": "New Mexico",
    "NY": "New York",
    "NC": "North Carolina",
    "ND": "North Dakota",
    "OH": "Ohio",
    "OK": "Oklahoma",
    "OR": "Oregon",
    "PA": "Pennsylvania",
    "RI": "Rhode Island",
    "SC": "South Carolina",
    "SD": "South Dakota",
    "TN": "Tennessee",
    "TX": "Texas",
    "UT": "Utah",
    "VT": "Vermont",
    "VA": "Virginia",
    "WA": "Washington",
    "WV": "West Virginia",
    "WI": "Wisconsin",
    "WY": "Wyoming",
    "AS": "American Samoa",
    "GU": "Guam",
    "MP": "Northern Mariana Islands",
    "PR": "Puerto Rico",
    "VI": "U.S. Virgin Islands",
    "UM": "U.S. Minor Outlying Islands",
}
PROVINCE_NAMES = {
    "AB": "Alberta",
    "BC": "British Columbia",
    "MB": "Manitoba",
    "NB": "New Brunswick",
    "NL": "Newfoundland and Labrador",
    "NS": "Nova Scotia",
    "NT": "Northwest Territories",
    "NU": "Nunavut",
    "ON": "Ontario",
    "PE": "Prince Edward Island",
    "QC": "Quebec",
    "SK": "Saskatchewan",
    "YT": "Yukon",
}
AU_STATE_NAMES = {
    "ACT": "Australian Capital Territory",
    "NSW": "New South Wales",
    "NT": "Northern Territory",
    "QLD": "Queensland",
    "SA": "South Australia",
    "TAS": "Tasmania",
    "VIC": "Victoria",
    "WA": "Western Australia",
}
