"""Merchant-of-record tax engine: a pure module over a rate table kept as data (rates.csv)."""

from checkout.tax.engine import (
    REVERSE_CHARGE,
    BuyerLocation,
    InvalidTaxId,
    LineTax,
    TaxLine,
    TaxResult,
    compute_tax,
    is_valid_tax_id,
)
from checkout.tax.rates import (
    EU_COUNTRIES,
    TAX_CATEGORIES,
    RateTableError,
    TaxRate,
    load_rates,
    rate_for,
)

__all__ = [
    "EU_COUNTRIES",
    "REVERSE_CHARGE",
    "TAX_CATEGORIES",
    "BuyerLocation",
    "InvalidTaxId",
    "LineTax",
    "RateTableError",
    "TaxLine",
    "TaxRate",
    "TaxResult",
    "compute_tax",
    "is_valid_tax_id",
    "load_rates",
    "rate_for",
]
