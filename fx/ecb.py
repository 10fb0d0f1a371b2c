"""Reading the ECB's reference-rate XML (``eurofxref-daily.xml``, also the 90-day and
historical files): ``<Cube time="YYYY-MM-DD">`` sets of ``<Cube currency="USD" rate="1.05"/>``,
each rate the units of the currency one euro buys. A currency no territory uses any more
(CLDR, ``core.money.sellable_currencies``) is skipped: nothing can be priced in it.

The whole document is checked before anything is written: a file that is not that format,
or any set in it that is not, is refused with the reason, never half imported. A document
declaring a DTD is refused outright (no entity expansion)."""

import datetime
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from core.money import is_currency_code, sellable_currencies

MAX_DOCUMENT_BYTES = 2_000_000


class MalformedRates(ValueError):
    """Not an ECB reference-rate document; the message says why."""


@dataclass(frozen=True)
class RateSet:
    rate_date: datetime.date
    per_euro: dict[str, Decimal]


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _rate_date(text: str | None) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text or "")
    except ValueError:
        raise MalformedRates(f'Cube time must be a date (YYYY-MM-DD), got "{text}"') from None


def _rate(currency: str | None, text: str | None) -> tuple[str, Decimal]:
    if not is_currency_code(currency) or currency == "EUR":
        raise MalformedRates(f'Not a currency code: "{currency}"')
    try:
        rate = Decimal(text or "")
    except InvalidOperation:
        raise MalformedRates(f'The rate of {currency} is not a number: "{text}"') from None
    if not rate.is_finite() or rate <= 0 or rate.as_tuple().exponent < -10 or rate >= 10**10:
        raise MalformedRates(f'The rate of {currency} is out of range: "{text}"')
    return currency, rate


def _one_set(cube: ElementTree.Element) -> RateSet:
    rate_date = _rate_date(cube.get("time"))
    per_euro: dict[str, Decimal] = {}
    for child in cube:
        if _local(child.tag) != "Cube":
            continue
        currency, rate = _rate(child.get("currency"), child.get("rate"))
        if currency in per_euro:
            raise MalformedRates(f"{currency} appears twice on {rate_date}")
        if currency in sellable_currencies():  # a withdrawn one (BGN since 2026) is of no use
            per_euro[currency] = rate
    if not per_euro:
        raise MalformedRates(f"No rates on {rate_date}")
    return RateSet(rate_date=rate_date, per_euro=per_euro)


def parse_rates(document: bytes) -> list[RateSet]:
    """Every rate set of the document, oldest first."""
    if len(document) > MAX_DOCUMENT_BYTES:
        raise MalformedRates(f"The file is larger than {MAX_DOCUMENT_BYTES} bytes")
    if b"<!DOCTYPE" in document or b"<!ENTITY" in document:
        raise MalformedRates("A document type declaration is not allowed")
    try:
        # No DTD got this far, so no entity can expand; expat never fetches external ones.
        root = ElementTree.fromstring(document)  # noqa: S314
    except ElementTree.ParseError as exc:
        raise MalformedRates(f"Not well-formed XML: {exc}") from None
    sets = [
        _one_set(cube)
        for cube in root.iter()
        if _local(cube.tag) == "Cube" and cube.get("time") is not None
    ]
    if not sets:
        raise MalformedRates("Not an ECB reference-rate file: no <Cube time=...> rate set")
    dates = [rate_set.rate_date for rate_set in sets]
    if len(set(dates)) != len(dates):
        raise MalformedRates("A rate date appears twice")
    return sorted(sets, key=lambda rate_set: rate_set.rate_date)
