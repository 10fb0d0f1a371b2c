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
from checkout.models import CheckoutSession
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
                "amount": money(line.unit_amount_minor * line.quantity, currency, locale),
            }
            for line in items
        ],
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
