"""``distributionAnalysis``: how one store's order amounts spread, and the average order
value per period, in the key's environment (scope and money as ``graphql_api.sales``
names them).

An order's amount is what its succeeded payments in the range charged in one currency (its
checkout payment, renewals and plan-change charges made then). Everything is computed
exactly on integer minor units and rounded once: percentiles are nearest-rank (the
smallest amount with at least p % of the orders at or below it: an amount some order
really had, so nothing to round); the average and the population standard deviation are
rounded to the nearest minor unit, halves up. Buckets split [min, max] into equal widths of
whole minor units, both bounds included (fewer buckets than asked when the amounts are
closer together than that). Each field is one statement."""

from datetime import datetime
from math import isqrt

import strawberry
from django.db.models import Count, Sum
from strawberry.types import Info

from core.money import format_amount
from graphql_api import sales
from graphql_api.periods import TimePeriodGranularity, periods
from graphql_api.queries.statistics import AnalyticsFilterInput, time_range
from graphql_api.scope import analytics_store
from payments import revenue

PERCENTILES = (10, 25, 50, 75, 90, 95, 99)
BUCKETS_DEFAULT = 10
BUCKETS_MAX = 100


@strawberry.type
class AmountPercentiles:
    p10: str | None
    p25: str | None
    p50: str | None
    p75: str | None
    p90: str | None
    p95: str | None
    p99: str | None
    min: str | None
    max: str | None
    avg: str | None
    stddev: str | None
    count: int


@strawberry.type
class AovPeriod:
    period: str
    average_order_value: str | None
    order_count: int
    total_revenue: str


@strawberry.type
class AmountBucket:
    range_min: str
    range_max: str
    count: int
    percentage: float


def nearest_rank(amounts: list[int], percentile: int) -> int:
    """Of sorted ``amounts``, the one at rank ceil(p * n / 100)."""
    return amounts[(percentile * len(amounts) + 99) // 100 - 1]


def population_stddev(amounts: list[int]) -> int:
    """sqrt(N) / n for N = n * sum(x * x) - sum(x) ** 2, to the nearest integer, halves
    up, in integers only: floor((sqrt(4N) + n) / 2n) is floor((isqrt(4N) + n) / 2n)."""
    count = len(amounts)
    spread = count * sum(amount * amount for amount in amounts) - sum(amounts) ** 2
    return (isqrt(4 * spread) + count) // (2 * count)


def _percentiles(amounts: list[int], currency: str) -> AmountPercentiles:
    if not amounts:
        return AmountPercentiles(
            **{f"p{p}": None for p in PERCENTILES},
            min=None,
            max=None,
            avg=None,
            stddev=None,
            count=0,
        )
    return AmountPercentiles(
        **{f"p{p}": format_amount(nearest_rank(amounts, p), currency) for p in PERCENTILES},
        min=format_amount(amounts[0], currency),
        max=format_amount(amounts[-1], currency),
        avg=format_amount(sales.half_up(sum(amounts), len(amounts)), currency),
        stddev=format_amount(population_stddev(amounts), currency),
        count=len(amounts),
    )


def _buckets(amounts: list[int], count: int, currency: str) -> list[AmountBucket]:
    if not amounts:
        return []
    low, high = amounts[0], amounts[-1]
    width = -(-(high - low + 1) // count)
    filled = [0] * ((high - low) // width + 1)
    for amount in amounts:
        filled[(amount - low) // width] += 1
    return [
        AmountBucket(
            range_min=format_amount(low + index * width, currency),
            range_max=format_amount(low + (index + 1) * width - 1, currency),
            count=number,
            percentage=sales.percent(number, len(amounts)),
        )
        for index, number in enumerate(filled)
    ]


@strawberry.type
class DistributionAnalysis:
    payments: strawberry.Private[object]  # the store's paid payments (any time)
    start: strawberry.Private[datetime]
    end: strawberry.Private[datetime]
    currency: strawberry.Private[str | None]

    def _amounts(self, currency: str | None, field: str) -> tuple[str, list[int]]:
        """The currency, and the amount of each order paid in it in the range, sorted."""
        currency = sales.one_currency(currency, self.currency, field)
        totals = (
            self.payments.filter(revenue.paid_between(self.start, self.end), currency=currency)
            .values("order")
            .annotate(total=Sum("amount_minor"))
            .values_list("total", flat=True)
        )
        return currency, sorted(totals)

    @strawberry.field(description="Percentiles (nearest-rank), range, mean and spread.")
    def order_amount_percentiles(self, currency: str | None = None) -> AmountPercentiles:
        currency, amounts = self._amounts(currency, "orderAmountPercentiles")
        return _percentiles(amounts, currency)

    @strawberry.field(description="Revenue per period over the orders paid in it.")
    def aov_trend(
        self, granularity: TimePeriodGranularity, currency: str | None = None
    ) -> list[AovPeriod]:
        currency = sales.one_currency(currency, self.currency, "aovTrend")
        buckets = periods(self.start, self.end, granularity)
        aggregates = {}
        for index, (_, since, until) in enumerate(buckets):
            paid = revenue.paid_between(since, until)
            aggregates[f"t{index}"] = Sum("amount_minor", filter=paid)
            aggregates[f"o{index}"] = Count("order", filter=paid, distinct=True)
        values = self.payments.filter(currency=currency).aggregate(**aggregates)
        result = []
        for index, (name, _, _) in enumerate(buckets):
            total, orders = values[f"t{index}"] or 0, values[f"o{index}"]
            average = format_amount(sales.half_up(total, orders), currency) if orders else None
            result.append(
                AovPeriod(
                    period=name,
                    average_order_value=average,
                    order_count=orders,
                    total_revenue=format_amount(total, currency),
                )
            )
        return result

    @strawberry.field(description="Order amounts in 1 to 100 (10) equal-width buckets.")
    def order_amount_buckets(
        self, currency: str | None = None, bucket_count: int | None = None
    ) -> list[AmountBucket]:
        count = sales.bounded(
            bucket_count, name="bucketCount", default=BUCKETS_DEFAULT, low=1, high=BUCKETS_MAX
        )
        currency, amounts = self._amounts(currency, "orderAmountBuckets")
        return _buckets(amounts, count, currency)


@strawberry.type
class DistributionAnalysisQueries:
    @strawberry.field
    def distribution_analysis(
        self,
        info: Info,
        filter: AnalyticsFilterInput,
        store_id: str | None = None,
        store_slug: str | None = None,
    ) -> DistributionAnalysis:
        start, end = time_range(filter)
        store = analytics_store(info, store_id=store_id, store_slug=store_slug)
        return DistributionAnalysis(
            payments=revenue.revenue_payments(
                orders=sales.store_orders(info, store, filter), currency=filter.currency
            ),
            start=start,
            end=end,
            currency=(filter.currency or "").upper() or None,
        )
