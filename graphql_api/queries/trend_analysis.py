"""``trendAnalysis``: growth, cumulative revenue and moving averages of one store, in the
key's environment (scope and money as ``graphql_api.sales`` names them).

Orders are counted when created, as ``orderStatistics.countsByPeriod`` counts them (and
``filter.currency`` is the order's); revenue when each succeeded payment succeeded. A growth
rate is the change over the previous period in percent (two decimals): null for the first
period of the range (its previous one is outside it) and after a period of zero, since
growth from nothing has no rate. A moving average is over the ``windowDays`` UTC days
ending on the day (1 to 90, default 7), reaching back before the range so that every day's
average is over a full window; a money average is exact and rounded once to the minor
unit (halves up). Every field is one statement whatever the number of periods."""

from datetime import UTC, date, datetime, timedelta

import strawberry
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from strawberry.types import Info

from core.money import format_amount
from graphql_api import sales
from graphql_api.periods import TimePeriodGranularity, periods
from graphql_api.queries.statistics import AnalyticsFilterInput, time_range
from graphql_api.scope import analytics_store
from payments import revenue

WINDOW_DEFAULT = 7
WINDOW_MAX = 90
UTC_DAY = TimePeriodGranularity.DAY


@strawberry.type
class OrderGrowth:
    period: str
    current_value: int
    previous_value: int | None
    growth_rate: float | None


@strawberry.type
class RevenueGrowth:
    period: str
    current_value: str
    previous_value: str | None
    growth_rate: float | None


@strawberry.type
class CumulativeRevenue:
    period: str
    period_value: str
    cumulative_value: str


@strawberry.type
class OrderMovingAverage:
    date: str
    daily_value: int
    moving_average: float


@strawberry.type
class RevenueMovingAverage:
    date: str
    daily_value: str
    moving_average: str


def _growth(values: list[int]) -> list[tuple[int, int | None, float | None]]:
    """(current, previous, rate) per period."""
    result, previous = [], None
    for value in values:
        rate = round((value - previous) * 100 / previous, 2) if previous else None
        result.append((value, previous, rate))
        previous = value
    return result


def _window(window_days: int | None) -> int:
    return sales.bounded(
        window_days, name="windowDays", default=WINDOW_DEFAULT, low=1, high=WINDOW_MAX
    )


@strawberry.type
class TrendAnalysis:
    orders: strawberry.Private[object]  # the store's orders (any time)
    payments: strawberry.Private[object]  # the store's paid payments (any time)
    start: strawberry.Private[datetime]
    end: strawberry.Private[datetime]
    currency: strawberry.Private[str | None]

    def _order_counts(self, buckets) -> list[int]:
        counts = self.orders.aggregate(
            **{
                f"p{index}": Count("pk", filter=Q(created_at__gte=since, created_at__lt=until))
                for index, (_, since, until) in enumerate(buckets)
            }
        )
        return [counts[f"p{index}"] for index in range(len(buckets))]

    def _revenue(self, buckets, currency: str | None, field: str) -> tuple[str, list[int]]:
        currency = sales.one_currency(currency, self.currency, field)
        totals = self.payments.filter(currency=currency).aggregate(
            **{
                f"p{index}": Sum("amount_minor", filter=revenue.paid_between(since, until))
                for index, (_, since, until) in enumerate(buckets)
            }
        )
        return currency, [totals[f"p{index}"] or 0 for index in range(len(buckets))]

    def _daily(self, rows, when: str, value, window: int) -> list[tuple[str, int, int]]:
        """(day, its value, the sum over the window ending on it) per day of the range."""
        days = periods(self.start, self.end, UTC_DAY)
        first = self.start.replace(hour=0, minute=0, second=0, microsecond=0)
        lookback = Q(**{f"{when}__gte": first - timedelta(days=window - 1), f"{when}__lt": first})
        within = Q(**{f"{when}__gte": self.start, f"{when}__lt": self.end})
        values = {
            row["day"]: row["value"]
            for row in rows.filter(lookback | within)
            .annotate(day=TruncDate(when, tzinfo=UTC))
            .values("day")
            .annotate(value=value)
        }
        result = []
        for name, _, _ in days:
            day = date.fromisoformat(name)
            total = sum(values.get(day - timedelta(days=back), 0) for back in range(window))
            result.append((name, values.get(day, 0), total))
        return result

    @strawberry.field(description="Orders created per period, against the period before.")
    def order_growth(self, granularity: TimePeriodGranularity) -> list[OrderGrowth]:
        buckets = periods(self.start, self.end, granularity)
        return [
            OrderGrowth(period=name, current_value=current, previous_value=before, growth_rate=rate)
            for (name, _, _), (current, before, rate) in zip(
                buckets, _growth(self._order_counts(buckets)), strict=True
            )
        ]

    @strawberry.field(description="Revenue in one currency per period, against the one before.")
    def revenue_growth(
        self, granularity: TimePeriodGranularity, currency: str | None = None
    ) -> list[RevenueGrowth]:
        buckets = periods(self.start, self.end, granularity)
        currency, totals = self._revenue(buckets, currency, "revenueGrowth")
        return [
            RevenueGrowth(
                period=name,
                current_value=format_amount(current, currency),
                previous_value=None if before is None else format_amount(before, currency),
                growth_rate=rate,
            )
            for (name, _, _), (current, before, rate) in zip(buckets, _growth(totals), strict=True)
        ]

    @strawberry.field(description="Revenue in one currency per period and since the range began.")
    def cumulative_revenue(
        self, granularity: TimePeriodGranularity, currency: str | None = None
    ) -> list[CumulativeRevenue]:
        buckets = periods(self.start, self.end, granularity)
        currency, totals = self._revenue(buckets, currency, "cumulativeRevenue")
        result, running = [], 0
        for (name, _, _), total in zip(buckets, totals, strict=True):
            running += total
            result.append(
                CumulativeRevenue(
                    period=name,
                    period_value=format_amount(total, currency),
                    cumulative_value=format_amount(running, currency),
                )
            )
        return result

    @strawberry.field(description="Orders created per UTC day and their moving average.")
    def order_moving_average(self, window_days: int | None = None) -> list[OrderMovingAverage]:
        window = _window(window_days)
        return [
            OrderMovingAverage(
                date=name, daily_value=daily, moving_average=round(total / window, 2)
            )
            for name, daily, total in self._daily(self.orders, "created_at", Count("pk"), window)
        ]

    @strawberry.field(description="Revenue in one currency per UTC day and its moving average.")
    def revenue_moving_average(
        self, window_days: int | None = None, currency: str | None = None
    ) -> list[RevenueMovingAverage]:
        window = _window(window_days)
        currency = sales.one_currency(currency, self.currency, "revenueMovingAverage")
        rows = self.payments.filter(currency=currency)
        return [
            RevenueMovingAverage(
                date=name,
                daily_value=format_amount(daily, currency),
                moving_average=format_amount(sales.half_up(total, window), currency),
            )
            for name, daily, total in self._daily(rows, "resolved_at", Sum("amount_minor"), window)
        ]


@strawberry.type
class TrendAnalysisQueries:
    @strawberry.field
    def trend_analysis(
        self,
        info: Info,
        filter: AnalyticsFilterInput,
        store_id: str | None = None,
        store_slug: str | None = None,
    ) -> TrendAnalysis:
        start, end = (moment.astimezone(UTC) for moment in time_range(filter))
        store = analytics_store(info, store_id=store_id, store_slug=store_slug)
        orders = sales.store_orders(info, store, filter).order_by()
        if filter.currency:
            orders = orders.filter(currency=filter.currency.upper())
        return TrendAnalysis(
            orders=orders,
            payments=revenue.revenue_payments(orders=orders, currency=filter.currency),
            start=start,
            end=end,
            currency=(filter.currency or "").upper() or None,
        )
