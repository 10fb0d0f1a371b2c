"""Cross rates through the euro from the latest reference set that quotes both currencies.

``standard_rate`` is to-units per from-unit, (per_euro[to] / per_euro[from]) computed in
Decimal and rounded once to ``RATE_PLACES`` decimal places, halves to even. A set is
identified by its date (``ECB-2026-12-01``) and stops being current at the ECB's next
publication: the next weekday (Monday to Friday; TARGET holidays are not modelled) at
16:00 Frankfurt time (CET, or CEST in summer), given in UTC."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from zoneinfo import ZoneInfo

from django.db.models import Count, Max

from fx.models import ReferenceRate

RATE_PLACES = 10
EURO = "EUR"
PUBLISHED_AT = datetime.time(16, 0)
FRANKFURT = ZoneInfo("Europe/Berlin")


class NoRate(LookupError):
    """No reference set quotes both currencies."""


@dataclass(frozen=True)
class Quote:
    from_currency: str
    to_currency: str
    rate: Decimal
    rate_date: datetime.date

    @property
    def ref_id(self) -> str:
        return f"ECB-{self.rate_date.isoformat()}"

    @property
    def expires_at(self) -> datetime.datetime:
        return next_publication(self.rate_date)


def next_publication(rate_date: datetime.date) -> datetime.datetime:
    """When the set after ``rate_date``'s is due: the next weekday at 16:00 in Frankfurt."""
    day = rate_date + datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    local = datetime.datetime.combine(day, PUBLISHED_AT, tzinfo=FRANKFURT)
    return local.astimezone(datetime.UTC)


def _cross(per_euro: dict[str, Decimal], from_currency: str, to_currency: str) -> Decimal:
    with localcontext() as context:
        context.prec = 40
        rate = per_euro[to_currency] / per_euro[from_currency]
        return rate.quantize(Decimal(1).scaleb(-RATE_PLACES), rounding=ROUND_HALF_EVEN)


def cross_rate(*, from_currency: str, to_currency: str) -> Quote:
    """The rate from the latest set quoting both (two statements at most); the same
    currency is 1 from the latest set of any."""
    wanted = {from_currency, to_currency} - {EURO}
    dates = ReferenceRate.objects.order_by()
    if wanted:
        dates = (
            dates.filter(currency__in=wanted)
            .values("rate_date")
            .annotate(quoted=Count("pk"))
            .filter(quoted=len(wanted))
        )
    latest = dates.aggregate(latest=Max("rate_date"))["latest"]
    if latest is None:
        raise NoRate(f"No exchange rate known from {from_currency} to {to_currency}")
    if from_currency == to_currency:
        return Quote(
            from_currency, to_currency, Decimal(1).quantize(Decimal(1).scaleb(-RATE_PLACES)), latest
        )
    per_euro = {EURO: Decimal(1)}
    per_euro.update(
        ReferenceRate.objects.filter(rate_date=latest, currency__in=wanted).values_list(
            "currency", "per_euro"
        )
    )
    return Quote(from_currency, to_currency, _cross(per_euro, from_currency, to_currency), latest)
