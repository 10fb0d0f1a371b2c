"""Importing reference rates: from a file or an https URL, idempotent per rate date.

A rate date's rows are replaced as a whole in one transaction, so importing the same file
twice leaves the same rows, and a corrected re-publication of a day replaces that day."""

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from django.db import transaction

from fx.ecb import MAX_DOCUMENT_BYTES, RateSet, parse_rates
from fx.models import ReferenceRate
from webhooks import sender

FETCH_TIMEOUT = 20.0


class RatesUnavailable(ValueError):
    """The source could not be read; the message says why."""


@dataclass(frozen=True)
class Imported:
    rate_date: str
    currencies: int


def rates_fetch(*, url: str) -> bytes:
    """The document at an https URL, through the webhooks' SSRF-safe sender (the host is
    resolved once and checked, the connection pinned to that address, no redirects)."""
    if urlsplit(url).scheme != "https":
        raise RatesUnavailable("Exchange rates are fetched over https only")
    result = sender.get(url=url, timeout=FETCH_TIMEOUT, cap=MAX_DOCUMENT_BYTES + 1)
    if result.error:
        raise RatesUnavailable(f"Cannot fetch {url}: {result.error}")
    if result.http_status != 200:
        raise RatesUnavailable(f"Cannot fetch {url}: HTTP {result.http_status}")
    return result.response_body.encode()


def rates_read(*, source: str) -> bytes:
    if "://" in source:
        return rates_fetch(url=source)
    try:
        return Path(source).read_bytes()
    except OSError as exc:
        raise RatesUnavailable(f"Cannot read {source}: {exc.strerror}") from None


def rates_store(*, sets: list[RateSet]) -> list[Imported]:
    with transaction.atomic():
        ReferenceRate.objects.filter(rate_date__in=[s.rate_date for s in sets]).delete()
        ReferenceRate.objects.bulk_create(
            ReferenceRate(rate_date=s.rate_date, currency=currency, per_euro=rate)
            for s in sets
            for currency, rate in sorted(s.per_euro.items())
        )
    return [Imported(s.rate_date.isoformat(), len(s.per_euro)) for s in sets]


def rates_import(*, source: str) -> list[Imported]:
    """Read, check the whole document (``fx.ecb.MalformedRates`` refuses it, nothing is
    written), then store it."""
    return rates_store(sets=parse_rates(rates_read(source=source)))
