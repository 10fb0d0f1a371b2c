"""Money as integer minor units, with the currency deciding what a valid amount is.

Amounts travel as display strings ("29.00", "4500" for JPY). Minor units per currency come
from CLDR through babel, and the set of sellable currencies is what some territory uses as
legal tender today. Nothing here ever constructs a float.
"""

import re
from decimal import Decimal
from functools import cache

from babel.core import get_global
from babel.numbers import format_currency, get_currency_precision, get_territory_currencies

# At most 12 integer digits: a trillion in any currency fits a 64-bit column in minor units.
_AMOUNT_RE = re.compile(r"^(?P<units>[0-9]{1,12})(?:\.(?P<fraction>[0-9]+))?$")
_CURRENCY_CODE_RE = re.compile(r"^[A-Z]{3}$")


class InvalidAmount(ValueError):
    """An amount string that the currency cannot represent."""


class UnknownCurrency(ValueError):
    """A currency code that is not legal tender anywhere."""


@cache
def sellable_currencies() -> frozenset[str]:
    codes: set[str] = set()
    for territory in get_global("territory_currencies"):
        codes.update(get_territory_currencies(territory, tender=True))
    return frozenset(codes)


def is_currency_code(text: object) -> bool:
    """Shape only: three uppercase letters, as ISO 4217 writes them."""
    return isinstance(text, str) and bool(_CURRENCY_CODE_RE.match(text))


def require_currency(code: str) -> str:
    if code not in sellable_currencies():
        raise UnknownCurrency(code)
    return code


@cache
def minor_units(currency: str) -> int:
    return get_currency_precision(require_currency(currency))


def parse_amount(text: object, currency: str) -> int:
    """Parse a display string into minor units, refusing more decimals than the currency has."""
    if not isinstance(text, str):
        raise InvalidAmount(text)
    match = _AMOUNT_RE.match(text)
    if match is None:
        raise InvalidAmount(text)
    digits = minor_units(currency)
    fraction = match["fraction"] or ""
    if len(fraction) > digits:
        raise InvalidAmount(text)
    return int(match["units"]) * 10**digits + int(fraction.ljust(digits, "0") or "0")


def to_decimal(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-minor_units(currency))


def format_amount(minor: int, currency: str) -> str:
    """Display string with exactly the currency's minor digits: 2900 USD -> "29.00"."""
    digits = minor_units(currency)
    sign = "-" if minor < 0 else ""
    units, fraction = divmod(abs(minor), 10**digits)
    return f"{sign}{units}.{fraction:0{digits}d}" if digits else f"{sign}{units}"


def format_localized(minor: int, currency: str, locale: str = "en_US") -> str:
    """What a consumer reads on the hosted page: "29,00 €" in de_DE, "￥4,500" in ja_JP."""
    return format_currency(to_decimal(minor, currency), currency, locale=locale)
