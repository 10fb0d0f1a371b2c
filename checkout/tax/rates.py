"""The rate table: tax rates kept as data in rates.csv, validated once and looked up by date.

Rates change by statute, not by release, so they live in a CSV that a reviewer can diff against
the cited source. The loader refuses anything it cannot interpret: a wrong rate silently charged
on every order is worse than an error. Call default_table() at startup to surface that error
before the first order rather than during it.
"""

import csv
import re
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

TAX_CATEGORIES = (
    "digital_goods",
    "saas",
    "software",
    "ebook",
    "online_course",
    "consulting",
    "professional_service",
    # Beyond the SDK's seven (it passes any string): tangible goods that ship.
    "physical_goods",
)

ANY_CATEGORY = "*"

EU_COUNTRIES = frozenset(
    {
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE",
        "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
    }
)  # fmt: skip

RATES_CSV = Path(__file__).with_name("rates.csv")

COLUMNS = ("country", "region", "category", "rate", "tax_name", "effective_from", "source")

_COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
_REGION_RE = re.compile(r"^[A-Z0-9]{1,3}$")
_RATE_RE = re.compile(r"^\d{1,2}(?:\.\d{1,4})?$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class RateTableError(ValueError):
    """rates.csv holds a row the engine cannot trust; raised when the file is loaded."""


@dataclass(frozen=True, slots=True)
class TaxRate:
    country: str
    region: str | None
    category: str  # one of TAX_CATEGORIES, or "*" for every category
    rate: Decimal  # percent
    tax_name: str | None  # None only on an explicit 0 % row (a checked exemption)
    effective_from: date
    source: str


def today_utc() -> date:
    return datetime.now(UTC).date()


def normalize_country(country: str) -> str:
    return country.strip().upper()


def normalize_region(country: str, region: str | None) -> str | None:
    """Accept "us-tx" or "TX" alike; the table stores bare subdivision codes."""
    if region is None:
        return None
    region = region.strip().upper()
    prefix = f"{country}-"
    if region.startswith(prefix):
        region = region[len(prefix) :]
    return region or None


def _fail(line: int, message: str) -> RateTableError:
    return RateTableError(f"rates.csv line {line}: {message}")


def _parse_row(line: int, row: dict[str, str]) -> TaxRate:
    country = row["country"]
    if not _COUNTRY_RE.match(country):
        raise _fail(line, f"country {country!r} is not an uppercase ISO 3166-1 alpha-2 code")
    region = row["region"] or None
    if region is not None and not _REGION_RE.match(region):
        raise _fail(line, f"region {region!r} is not an uppercase subdivision code")
    category = row["category"]
    if category != ANY_CATEGORY and category not in TAX_CATEGORIES:
        raise _fail(line, f"category {category!r} is not '*' or one of {TAX_CATEGORIES}")
    text = row["rate"]
    if not _RATE_RE.match(text):
        raise _fail(line, f"rate {text!r} is not a plain percentage such as 19 or 8.875")
    rate = Decimal(text)
    tax_name = row["tax_name"] or None
    if rate > 0 and tax_name is None:
        raise _fail(line, "a non-zero rate needs a tax_name")
    if rate == 0 and tax_name is not None:
        raise _fail(line, "a 0 % row is an exemption and must leave tax_name empty")
    text = row["effective_from"]
    try:
        if not _DATE_RE.match(text):
            raise ValueError(text)
        effective_from = date.fromisoformat(text)
    except ValueError:
        raise _fail(line, f"effective_from {text!r} is not an ISO date (YYYY-MM-DD)") from None
    source = row["source"]
    if not source:
        raise _fail(line, "every row needs a source")
    return TaxRate(country, region, category, rate, tax_name, effective_from, source)


class RateTable:
    """Rows indexed by jurisdiction and category, each list ordered by effective_from."""

    def __init__(self, rows: Iterable[TaxRate]) -> None:
        self.rows: tuple[TaxRate, ...] = tuple(rows)
        index: dict[tuple[str, str | None, str], list[TaxRate]] = {}
        for row in self.rows:
            index.setdefault((row.country, row.region, row.category), []).append(row)
        for key, entries in index.items():
            entries.sort(key=lambda r: r.effective_from)
            dates = [r.effective_from for r in entries]
            if len(set(dates)) != len(dates):
                raise RateTableError(f"rates.csv: two rows for {key} share an effective_from")
        self._index = index
        self._dates = {key: [r.effective_from for r in entries] for key, entries in index.items()}

    def _latest(self, key: tuple[str, str | None, str], on: date) -> TaxRate | None:
        dates = self._dates.get(key)
        if not dates:
            return None
        position = bisect_right(dates, on)
        return self._index[key][position - 1] if position else None

    def lookup(
        self, *, country: str, region: str | None, tax_category: str, on: date
    ) -> TaxRate | None:
        """Most specific level first; within a level the latest row in force on `on`.

        A level whose rows all start after `on` does not hide a broader level that was already
        in force: before a province's HST existed, the federal GST still applied.
        """
        if tax_category not in TAX_CATEGORIES:
            raise ValueError(f"unknown tax category {tax_category!r}")
        country = normalize_country(country)
        region = normalize_region(country, region)
        levels: list[tuple[str, str | None, str]] = []
        if region is not None:
            levels += [(country, region, tax_category), (country, region, ANY_CATEGORY)]
        levels += [(country, None, tax_category), (country, None, ANY_CATEGORY)]
        for key in levels:
            found = self._latest(key, on)
            if found is not None:
                return found
        return None


def load_rates(path: Path = RATES_CSV) -> RateTable:
    """Read and validate a rate CSV; any defect raises RateTableError naming the line."""
    rows = []
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle, strict=True)
        try:
            if tuple(reader.fieldnames or ()) != COLUMNS:
                raise RateTableError(f"{path.name}: header must be {','.join(COLUMNS)}")
            for row in reader:
                line = reader.line_num
                if None in row or any(value is None for value in row.values()):
                    raise _fail(line, "wrong number of fields")
                try:
                    rows.append(_parse_row(line, {k: v.strip() for k, v in row.items()}))
                except InvalidOperation:
                    raise _fail(line, "unreadable number") from None
        except csv.Error as exc:
            raise RateTableError(f"{path.name} line {reader.line_num}: {exc}") from None
    if not rows:
        raise RateTableError(f"{path.name}: no rows")
    return RateTable(rows)


@cache
def default_table() -> RateTable:
    return load_rates(RATES_CSV)


def rate_for(
    *, country: str, region: str | None, tax_category: str, on: date | None = None
) -> TaxRate | None:
    """The row that applies, or None where the table knows nothing (treated as untaxed)."""
    return default_table().lookup(
        country=country,
        region=region,
        tax_category=tax_category,
        on=on if on is not None else today_utc(),
    )
