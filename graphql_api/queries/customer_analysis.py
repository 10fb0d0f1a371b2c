"""``customerAnalysis``: retention, lifetime value and repeat purchases of one store's buyers
in the key's environment (the orders ``orders.selectors.orders_for_merchant`` scopes).

A purchase is a payment that is revenue (``payments.revenue.revenue_payments``), at the
moment it succeeded: an order's first payment, each renewal and a plan change's charge,
each for what it charged, the rule the dashboard and every analytics query count money by.
A buyer is ``orders.selectors.buyer_key`` (identity, else email), the rule ``buyerMetrics``
counts by. Figures are over the purchases
of the range, except that a cohort is the period of a buyer's first purchase ever and a
repeat may follow a purchase made before the range. Spend is never netted of refunds.
``filter.currency`` keeps purchases in that currency, ``filter.status`` orders in that
status. Every figure is one statement (``topCustomers`` two), whatever the number of buyers;
rates are percentages (0 to 100, two decimals)."""

from bisect import bisect_right
from collections import Counter
from datetime import datetime

import strawberry
from django.db.models import Count, Max, Min, Q, Sum
from strawberry.types import Info

from core.money import format_amount
from core.timefmt import iso_utc
from graphql_api import sales
from graphql_api.periods import TimePeriodGranularity, periods
from graphql_api.queries.statistics import AnalyticsFilterInput, time_range
from graphql_api.scope import analytics_store
from orders.selectors import buyer_key
from payments import revenue

LTV_BUCKETS = 10
TOP_DEFAULT = 10
TOP_MAX = 100


@strawberry.type
class RetentionPoint:
    period_offset: int
    active_customers: int
    retention_rate: float


@strawberry.type
class CohortRetention:
    cohort_period: str
    cohort_size: int
    retention: list[RetentionPoint]


@strawberry.type
class LtvBucket:
    range_min: str
    range_max: str
    count: int
    percentage: float


@strawberry.type
class LtvDistribution:
    average_ltv: str | None
    median_ltv: str | None
    buckets: list[LtvBucket]


@strawberry.type
class PurchaseFrequency:
    purchase_count: int
    customer_count: int
    percentage: float


@strawberry.type
class RepeatPurchasePeriod:
    period: str
    total_buyers: int
    repeat_buyers: int
    repeat_rate: float


@strawberry.type
class TopCustomer:
    buyer_email: str
    total_spent: str
    order_count: int
    first_purchase_date: str
    last_purchase_date: str


def _ltv_buckets(totals: list[int], currency: str) -> list[LtvBucket]:
    """``LTV_BUCKETS`` equal widths (whole minor units) from the lowest total to the highest;
    both bounds of a bucket are included."""
    low, high = totals[0], totals[-1]
    width = -(-(high - low + 1) // LTV_BUCKETS)
    counts = Counter((total - low) // width for total in totals)
    return [
        LtvBucket(
            range_min=format_amount(low + index * width, currency),
            range_max=format_amount(low + (index + 1) * width - 1, currency),
            count=counts[index],
            percentage=sales.percent(counts[index], len(totals)),
        )
        for index in range((high - low) // width + 1)
    ]


def _median(totals: list[int]) -> int:
    middle = len(totals) // 2
    if len(totals) % 2:
        return totals[middle]
    return sales.half_up(totals[middle - 1] + totals[middle], 2)


@strawberry.type
class CustomerAnalysis:
    purchases: strawberry.Private[object]  # the store's succeeded payments, any time
    start: strawberry.Private[datetime]
    end: strawberry.Private[datetime]
    currency: strawberry.Private[str | None]

    def _in_range(self):
        return self.purchases.filter(revenue.paid_between(self.start, self.end))

    def _money(self, currency: str | None, field: str):
        currency = sales.one_currency(currency, self.currency, field)
        return currency, self._in_range().filter(currency=currency)

    def _per_buyer_periods(self, granularity: TimePeriodGranularity):
        """(periods, one row per buyer of the range: first purchase ever, purchases before
        the range and in each period)."""
        buckets = periods(self.start, self.end, granularity)
        in_range = Q(resolved_at__gte=self.start, resolved_at__lt=self.end)
        rows = (
            self.purchases.values("buyer")
            .annotate(
                first=Min("resolved_at"),
                before=Count("pk", filter=Q(resolved_at__lt=self.start)),
                in_range=Count("pk", filter=in_range),
                **{
                    f"p{index}": Count(
                        "pk", filter=Q(resolved_at__gte=since, resolved_at__lt=until)
                    )
                    for index, (_, since, until) in enumerate(buckets)
                },
            )
            .filter(in_range__gt=0)
        )
        return buckets, list(rows)

    @strawberry.field(
        description="Buyers by the period of their first purchase ever (cohorts begun in "
        "the range), and how many of them bought again in each later period of the range."
    )
    def cohort_retention(self, granularity: TimePeriodGranularity) -> list[CohortRetention]:
        buckets, rows = self._per_buyer_periods(granularity)
        starts = [since for _, since, _ in buckets]
        sizes = [0] * len(buckets)
        active = [[0] * (len(buckets) - index) for index in range(len(buckets))]
        for row in rows:
            if row["first"] < self.start:
                continue
            cohort = bisect_right(starts, row["first"]) - 1
            sizes[cohort] += 1
            for offset in range(len(buckets) - cohort):
                active[cohort][offset] += row[f"p{cohort + offset}"] > 0
        return [
            CohortRetention(
                cohort_period=name,
                cohort_size=sizes[index],
                retention=[
                    RetentionPoint(
                        period_offset=offset,
                        active_customers=count,
                        retention_rate=sales.percent(count, sizes[index]),
                    )
                    for offset, count in enumerate(active[index])
                ],
            )
            for index, (name, _, _) in enumerate(buckets)
            if sizes[index]
        ]

    @strawberry.field(
        description="What each buyer spent in the range in one currency: average and median "
        "(exact, rounded once to the minor unit, halves up) and ten equal-width buckets."
    )
    def ltv_distribution(self, currency: str | None = None) -> LtvDistribution:
        currency, purchases = self._money(currency, "ltvDistribution")
        totals = sorted(
            purchases.values("buyer")
            .annotate(total=Sum("amount_minor"))
            .values_list("total", flat=True)
        )
        if not totals:
            return LtvDistribution(average_ltv=None, median_ltv=None, buckets=[])
        return LtvDistribution(
            average_ltv=format_amount(sales.half_up(sum(totals), len(totals)), currency),
            median_ltv=format_amount(_median(totals), currency),
            buckets=_ltv_buckets(totals, currency),
        )

    @strawberry.field(description="How many buyers made how many purchases in the range.")
    def purchase_frequency(self) -> list[PurchaseFrequency]:
        counts = Counter(
            self._in_range()
            .values("buyer")
            .annotate(count=Count("pk"))
            .values_list("count", flat=True)
        )
        whole = sum(counts.values())
        return [
            PurchaseFrequency(
                purchase_count=purchases,
                customer_count=buyers,
                percentage=sales.percent(buyers, whole),
            )
            for purchases, buyers in sorted(counts.items())
        ]

    @strawberry.field(
        description="Buyers of each period, and those of them for whom it was not their "
        "first purchase (an earlier one, before the range too, or two in the period)."
    )
    def repeat_purchase_rate(
        self, granularity: TimePeriodGranularity
    ) -> list[RepeatPurchasePeriod]:
        buckets, rows = self._per_buyer_periods(granularity)
        buyers = [0] * len(buckets)
        repeat = [0] * len(buckets)
        for row in rows:
            so_far = row["before"]
            for index in range(len(buckets)):
                bought = row[f"p{index}"]
                so_far += bought
                buyers[index] += bought > 0
                repeat[index] += bought > 0 and so_far > 1
        return [
            RepeatPurchasePeriod(
                period=name,
                total_buyers=buyers[index],
                repeat_buyers=repeat[index],
                repeat_rate=sales.percent(repeat[index], buyers[index]),
            )
            for index, (name, _, _) in enumerate(buckets)
        ]

    @strawberry.field(
        description="The buyers who spent most in the range in one currency (1 to 100, "
        "default 10); the email is the one of their latest purchase."
    )
    def top_customers(
        self, limit: int | None = None, currency: str | None = None
    ) -> list[TopCustomer]:
        limit = sales.bounded(limit, name="limit", default=TOP_DEFAULT, low=1, high=TOP_MAX)
        currency, purchases = self._money(currency, "topCustomers")
        rows = list(
            purchases.values("buyer")
            .annotate(
                total=Sum("amount_minor"),
                orders=Count("order", distinct=True),
                first=Min("resolved_at"),
                last=Max("resolved_at"),
            )
            .order_by("-total", "-orders", "buyer")[:limit]
        )
        emails = _latest_emails(purchases, rows)
        return [
            TopCustomer(
                buyer_email=emails[row["buyer"]],
                total_spent=format_amount(row["total"], currency),
                order_count=row["orders"],
                first_purchase_date=iso_utc(row["first"]),
                last_purchase_date=iso_utc(row["last"]),
            )
            for row in rows
        ]


def _latest_emails(purchases, rows: list[dict]) -> dict[str, str]:
    """Each buyer's email at their latest purchase, in one statement."""
    if not rows:
        return {}
    latest = Q()
    for row in rows:
        latest |= Q(buyer=row["buyer"], resolved_at=row["last"])
    emails: dict[str, str] = {}
    for buyer, email in (
        purchases.filter(latest)
        .order_by("-resolved_at", "-pk")
        .values_list("buyer", "order__buyer_email")
    ):
        emails.setdefault(buyer, email)
    return emails


@strawberry.type
class CustomerAnalysisQueries:
    @strawberry.field
    def customer_analysis(
        self,
        info: Info,
        filter: AnalyticsFilterInput,
        store_id: str | None = None,
        store_slug: str | None = None,
    ) -> CustomerAnalysis:
        start, end = time_range(filter)
        store = analytics_store(info, store_id=store_id, store_slug=store_slug)
        purchases = revenue.revenue_payments(
            orders=sales.store_orders(info, store, filter), currency=filter.currency
        ).annotate(buyer=buyer_key(via="order__"))
        return CustomerAnalysis(purchases=purchases, start=start, end=end, currency=filter.currency)
