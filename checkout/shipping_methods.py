"""A store's shipping methods: where they reach, and the rules a method's settings follow.

``checkout.shipping`` ships one session (its address, the methods that serve it, the chosen
one); this module is about the methods a merchant sets up. The admin form raises what these
functions raise (``AppError`` messages are the admin's field errors).
"""

import uuid
from typing import Any

from checkout.billing import countries
from checkout.models import ShippingMethod
from core.errors import BadRequest
from core.money import InvalidAmount, UnknownCurrency, format_amount, parse_amount, require_currency


def shipping_destinations(*, store_id: uuid.UUID, currency: str) -> frozenset[str]:
    """Country codes the store's active methods priced in ``currency`` ship to; empty when
    one of them ships everywhere (then there is nothing to tell a buyer) or none exists."""
    codes: set[str] = set()
    for method in ShippingMethod.objects.filter(store_id=store_id, active=True).only(
        "prices", "countries"
    ):
        if currency not in (method.prices or {}):
            continue
        if not method.countries:
            return frozenset()
        codes.update(method.countries)
    return frozenset(codes)


# --- a method's settings, as a merchant types them ------------------------------------------


def currency_in_use(*, value: Any) -> str:
    """An ISO 4217 code in use (any case, surrounding blanks ignored), uppercased."""
    code = (value or "").strip().upper() if isinstance(value, str) else value
    try:
        return require_currency(code)
    except (UnknownCurrency, TypeError):
        raise BadRequest(
            f"“{value}” is not a currency code in use (ISO 4217, e.g. USD, EUR, JPY)."
        ) from None


def parse_amounts(*, value: Any, label: str, required: bool) -> dict[str, int]:
    """``{"USD": "5.00"}`` (display strings) → ``{"USD": 500}`` (minor units): amounts are
    typed in the currency's units and stored exactly, never as floats."""
    if value in (None, "", {}):
        if required:
            raise BadRequest(f'Enter at least one {label}, e.g. {{"USD": "5.00"}}.')
        return {}
    if not isinstance(value, dict):
        raise BadRequest('Expected a JSON object of currency → amount, e.g. {"USD": "5.00"}.')
    amounts = {}
    for key, amount in value.items():
        currency = currency_in_use(value=key)
        if currency in amounts:
            raise BadRequest(f"{currency} is given twice.")
        try:
            amounts[currency] = parse_amount(amount, currency)
        except InvalidAmount:
            example = format_amount(500, currency)
            raise BadRequest(
                f"{currency} {label} “{amount}” is not a valid amount: write it as text in "
                f'the currency\'s units, e.g. "{example}".'
            ) from None
    return amounts


def parse_ship_to(*, text: str) -> list[str]:
    """Country codes separated by commas, semicolons, blanks or lines → known ISO 3166-1
    alpha-2 codes, uppercased, first mention kept; empty means everywhere."""
    known = countries()
    codes, unknown = [], []
    for part in text.replace(";", ",").replace("\n", ",").split(","):
        for code in part.split():
            code = code.upper()
            if code not in known:
                unknown.append(code)
            elif code not in codes:
                codes.append(code)
    if unknown:
        raise BadRequest(f"Not ISO 3166-1 alpha-2 country codes: {', '.join(unknown)}.")
    return codes


def check_free_above(*, prices: dict[str, int], free_above: dict[str, int]) -> None:
    """Free shipping above an amount only in a currency the method is priced in: elsewhere
    the method is never offered, so the threshold could never apply."""
    unpriced = sorted(set(free_above) - set(prices))
    if unpriced:
        raise BadRequest(
            f"No price in {', '.join(unpriced)}: add one to prices, or remove it here."
        )
