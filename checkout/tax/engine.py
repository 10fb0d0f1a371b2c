"""Tax on an order, computed exactly and rounded once.

Every line's exact tax is a rational number (amount x rate, or amount x rate / (100 + rate) when
the price already includes tax). The engine keeps those as integer numerator/denominator pairs
over one common denominator, so rounding happens exactly once per figure and at an exact half,
never at an artefact of a finite-precision division. No float is constructed anywhere.
"""

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from stdnum.eu import vat as eu_vat
from stdnum.util import clean, get_cc_module

from checkout.tax.rates import (
    EU_COUNTRIES,
    TAX_CATEGORIES,
    default_table,
    normalize_country,
    normalize_region,
    today_utc,
)
from core.money import minor_units

REVERSE_CHARGE = "Reverse charge"

_ZERO = Decimal(0)
_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")


class InvalidTaxId(ValueError):
    """An EU business claimed reverse charge with a VAT number that fails its check digits."""


@dataclass(frozen=True, slots=True)
class TaxLine:
    amount_minor: int
    quantity: int
    tax_category: str
    tax_included: bool

    def __post_init__(self) -> None:
        # bool is an int subclass and a float would slip through arithmetic; both are bugs upstream.
        if type(self.amount_minor) is not int or self.amount_minor < 0:
            raise ValueError(f"amount_minor must be a non-negative int: {self.amount_minor!r}")
        if type(self.quantity) is not int or self.quantity < 1:
            raise ValueError(f"quantity must be an int >= 1: {self.quantity!r}")
        if self.tax_category not in TAX_CATEGORIES:
            raise ValueError(f"unknown tax category {self.tax_category!r}")
        if type(self.tax_included) is not bool:
            raise ValueError(f"tax_included must be a bool: {self.tax_included!r}")


@dataclass(frozen=True, slots=True)
class BuyerLocation:
    country: str
    region: str | None = None
    postcode: str | None = None
    is_business: bool = False
    tax_id: str | None = None


@dataclass(frozen=True, slots=True)
class LineTax:
    subtotal_minor: int
    tax_minor: int
    total_minor: int
    rate: Decimal


@dataclass(frozen=True, slots=True)
class TaxResult:
    currency: str
    subtotal_minor: int
    tax_minor: int
    total_minor: int
    rate: Decimal
    tax_name: str | None
    country: str
    region: str | None
    reverse_charge: bool
    lines: tuple[LineTax, ...]


def _vat_prefix(country: str) -> str:
    return "EL" if country == "GR" else country


def is_valid_tax_id(*, country: str, tax_id: str) -> bool:
    """Check-digit validation only (no VIES call): cheap enough to run on every checkout."""
    country = normalize_country(country)
    number = clean(tax_id or "", " -./").upper().strip()
    if not number or not _COUNTRY_RE.match(country):
        return False
    if country in EU_COUNTRIES:
        prefix = _vat_prefix(country)
        if country == "GR" and number.startswith("GR"):
            number = "EL" + number[2:]
        if not number.startswith(prefix):
            number = prefix + number
        # The prefix is forced to the buyer's country, so another state's number cannot pass.
        return eu_vat.is_valid(number)
    module = get_cc_module(country, "vat")
    if module is None:
        return True
    candidates = [number]
    if number.startswith(country):
        candidates.append(number[len(country) :])
    return any(module.is_valid(candidate) for candidate in candidates)


def _round_half_up(numerator: int, denominator: int) -> int:
    """HALF_UP on an exact rational: integers see a true half as a half, where a finite-precision
    quotient could land a hair below it and round the wrong way (n >= 0, d > 0)."""
    return (2 * numerator + denominator) // (2 * denominator)


def _allocate(total: int, numerators: list[int], denominator: int) -> list[int]:
    """Largest remainder: floors first, then one unit each to the largest fractional parts.

    Callers pass a total between the sum of floors and that sum plus the number of non-zero
    remainders, so no line ever gets more than its exact share rounded up, and a line whose
    exact share is a whole number (a 0 % line in particular) never receives a stray unit.
    """
    shares = [n // denominator for n in numerators]
    left = total - sum(shares)
    order = sorted(range(len(numerators)), key=lambda i: (-(numerators[i] % denominator), i))
    for i in order[:left]:
        shares[i] += 1
    return shares


def _is_reverse_charge(country: str, buyer: BuyerLocation) -> bool:
    """An EU business with a tax ID pays no VAT (the buyer accounts for it); a malformed ID
    is refused rather than silently charged."""
    if country in EU_COUNTRIES and buyer.is_business and (buyer.tax_id or "").strip():
        if not is_valid_tax_id(country=country, tax_id=buyer.tax_id or ""):
            raise InvalidTaxId(buyer.tax_id)
        return True
    return False


def _line_rates(
    lines: Sequence[TaxLine], *, country: str, region: str | None, on: date, reverse_charge: bool
) -> tuple[list[Decimal], list[str | None]]:
    """Each line's rate and, when it is taxed at all, the tax's name."""
    table = default_table()
    rates: list[Decimal] = []
    names: list[str | None] = []
    for line in lines:
        row = None
        if not reverse_charge:
            row = table.lookup(
                country=country, region=region, tax_category=line.tax_category, on=on
            )
        rate = row.rate if row is not None else _ZERO
        rates.append(rate)
        names.append(row.tax_name if row is not None and rate > 0 else None)
    return rates, names


def _rounded_tax(
    lines: Sequence[TaxLine], amounts: list[int], rates: list[Decimal]
) -> tuple[int, int, list[int]]:
    """The order's tax, the part of it on tax-excluded lines, and each line's share."""
    # Exact tax of line i is amount_i * p_i / d_i; bring every line over one denominator.
    fractions: list[tuple[int, int]] = []
    for line, amount, rate in zip(lines, amounts, rates, strict=True):
        p, s = rate.as_integer_ratio()
        fractions.append((amount * p, 100 * s + p if line.tax_included else 100 * s))
    denominator = math.lcm(*(d for _, d in fractions))
    exact = [n * (denominator // d) for n, d in fractions]

    excluded = [i for i, line in enumerate(lines) if not line.tax_included]
    included = [i for i, line in enumerate(lines) if line.tax_included]
    tax = _round_half_up(sum(exact), denominator)
    tax_excluded = _round_half_up(sum(exact[i] for i in excluded), denominator)
    tax_included = tax - tax_excluded

    line_tax = [0] * len(lines)
    for group, group_tax in ((excluded, tax_excluded), (included, tax_included)):
        shares = _allocate(group_tax, [exact[i] for i in group], denominator)
        for i, share in zip(group, shares, strict=True):
            line_tax[i] = share
    return tax, tax_excluded, line_tax


def _line_result(line: TaxLine, amount: int, tax: int, rate: Decimal) -> LineTax:
    if line.tax_included:
        return LineTax(amount - tax, tax, amount, rate)
    return LineTax(amount, tax, amount + tax, rate)


def compute_tax(
    *,
    lines: Sequence[TaxLine],
    currency: str,
    buyer: BuyerLocation,
    on: date | None = None,
) -> TaxResult:
    """Tax for one order.

    Rounding: the headline tax is the exact sum over all lines rounded once, half-up, to the
    currency's minor unit. Tax-included prices are honoured to the minor unit (the buyer pays
    exactly the gross), tax on tax-excluded lines is their exact tax rounded once and added on
    top, and the subtotal is total minus tax, so total == subtotal + tax always holds. Per-line
    figures are a largest-remainder allocation of those rounded totals.
    """
    if not lines:
        raise ValueError("an order needs at least one line")
    minor_units(currency)  # an unknown currency is a caller bug; fail before any arithmetic
    on = on if on is not None else today_utc()
    country = normalize_country(buyer.country)
    region = normalize_region(country, buyer.region)
    reverse_charge = _is_reverse_charge(country, buyer)
    rates, names = _line_rates(
        lines, country=country, region=region, on=on, reverse_charge=reverse_charge
    )
    amounts = [line.amount_minor * line.quantity for line in lines]
    tax, tax_excluded, line_tax = _rounded_tax(lines, amounts, rates)
    total = sum(amounts) + tax_excluded
    subtotal = total - tax
    results = [
        _line_result(line, amounts[i], line_tax[i], rates[i]) for i, line in enumerate(lines)
    ]

    # "The" rate of a mixed cart is the largest line's (by total, first on ties); the name comes
    # from the largest line that is actually taxed, so a taxed cart never shows a nameless tax.
    largest = max(range(len(lines)), key=lambda i: (results[i].total_minor, -i))
    taxed = [i for i in range(len(lines)) if names[i] is not None]
    tax_name = names[max(taxed, key=lambda i: (results[i].total_minor, -i))] if taxed else None
    if reverse_charge:
        tax_name = REVERSE_CHARGE

    return TaxResult(
        currency=currency,
        subtotal_minor=subtotal,
        tax_minor=tax,
        total_minor=total,
        rate=rates[largest],
        tax_name=tax_name,
        country=country,
        region=region,
        reverse_charge=reverse_charge,
        lines=tuple(results),
    )
