"""``subscriptionAnalysis``: churn, trial conversion and billing of one store's
subscriptions in the key's environment. Churn is ``subscriptions.selectors``' rule (the
dashboard's too); every figure is one statement whatever the number of subscriptions.

A subscription belongs to the range when its order was paid in it; rates are percentages
(0 to 100, two decimals); lifetimes run from payment to end."""

from statistics import median

import strawberry
from django.db.models import Count, F, Max, Q, Sum
from strawberry.types import Info

from catalog.models import Product, ProductType
from core.money import format_amount
from graphql_api import sales
from graphql_api.periods import TimePeriodGranularity, periods
from graphql_api.queries.orders import merchant_orders
from graphql_api.queries.statistics import AnalyticsFilterInput, time_range
from graphql_api.scope import analytics_store
from subscriptions import selectors
from subscriptions.models import Subscription


@strawberry.type
class BillingPeriodShare:
    billing_period: str
    count: int
    total_amount: str | None
    percentage: float


@strawberry.type
class CancellationStats:
    total_subscriptions: int
    canceled_count: int
    cancellation_rate: float
    avg_lifetime_days: float | None
    median_lifetime_days: float | None


@strawberry.type
class CancellationPeriod:
    period: str
    canceled_count: int


@strawberry.type
class TrialConversion:
    total_trials: int
    converted_count: int
    active_trials: int
    conversion_rate: float


@strawberry.type
class ProductTrialConversion:
    product_id: str
    product_name: str
    total_trials: int
    converted_count: int
    conversion_rate: float


@strawberry.type
class ChurnPeriod:
    period: str
    start_active: int
    churned: int
    churn_rate: float


_TRIAL_COUNTS = {
    "total": Count("pk"),
    "converted": Count("pk", filter=Q(period_number__gt=1)),
    "active": Count("pk", filter=Q(period_number=1, ended_at__isnull=True)),
}


@strawberry.type
class SubscriptionAnalysis:
    scoped: strawberry.Private[object]  # the store's subscriptions (any time)
    started: strawberry.Private[object]  # those paid in the range
    start: strawberry.Private[object]
    end: strawberry.Private[object]
    currency: strawberry.Private[str | None]

    @strawberry.field
    def billing_period_distribution(self, currency: str | None = None) -> list[BillingPeriodShare]:
        currency = (currency or self.currency or "").upper() or None
        rows = self.started.filter(currency=currency) if currency else self.started
        rows = list(
            rows.order_by("billing_period")
            .values("billing_period")
            .annotate(count=Count("pk"), amount=Sum(F("unit_amount_minor") * F("quantity")))
        )
        whole = sum(row["count"] for row in rows)
        return [
            BillingPeriodShare(
                billing_period=row["billing_period"],
                count=row["count"],
                total_amount=format_amount(row["amount"], currency) if currency else None,
                percentage=sales.percent(row["count"], whole),
            )
            for row in rows
        ]

    @strawberry.field(description="Paying now: active, past_due or canceling.")
    def active_count(self) -> int:
        return self.scoped.filter(ended_at__isnull=True, order__status__in=selectors.PAYING).count()

    @strawberry.field
    def cancellation_stats(self) -> CancellationStats:
        total = self.started.count()
        ended = self.started.filter(order__status__in=selectors.ENDED, ended_at__isnull=False)
        days = [
            (ended_at - paid).total_seconds() / 86400
            for ended_at, paid in ended.values_list("ended_at", "order__completed_at")
        ]
        return CancellationStats(
            total_subscriptions=total,
            canceled_count=len(days),
            cancellation_rate=sales.percent(len(days), total),
            avg_lifetime_days=round(sum(days) / len(days), 2) if days else None,
            median_lifetime_days=round(median(days), 2) if days else None,
        )

    @strawberry.field
    def cancellation_trend(self, granularity: TimePeriodGranularity) -> list[CancellationPeriod]:
        buckets = periods(self.start, self.end, granularity)
        counts = self.scoped.aggregate(
            **{
                f"p{index}": Count(
                    "pk",
                    filter=Q(
                        order__status__in=selectors.ENDED, ended_at__gte=since, ended_at__lt=until
                    ),
                )
                for index, (_, since, until) in enumerate(buckets)
            }
        )
        return [
            CancellationPeriod(period=name, canceled_count=counts[f"p{index}"])
            for index, (name, _, _) in enumerate(buckets)
        ]

    @strawberry.field(description="Trials begun in the range; converted: paid past the trial.")
    def trial_conversion(self) -> TrialConversion:
        counts = self.started.filter(trial_end__isnull=False).aggregate(**_TRIAL_COUNTS)
        return TrialConversion(
            total_trials=counts["total"],
            converted_count=counts["converted"],
            active_trials=counts["active"],
            conversion_rate=sales.percent(counts["converted"], counts["total"]),
        )

    @strawberry.field
    def trial_conversion_by_product(self) -> list[ProductTrialConversion]:
        rows = (
            self.started.filter(trial_end__isnull=False)
            .order_by("product_version__product_id")
            .values("product_version__product_id")
            .annotate(name=Max("product_version__name"), **_TRIAL_COUNTS)
        )
        return [_product_trials(row) for row in rows]

    @strawberry.field(description="Of the subscriptions paying when a period began, who ended.")
    def churn_rate(self, granularity: TimePeriodGranularity) -> list[ChurnPeriod]:
        buckets = periods(self.start, self.end, granularity)
        aggregates = {}
        for index, (_, since, until) in enumerate(buckets):
            aggregates[f"live{index}"] = Count("pk", filter=selectors.live_at(since))
            aggregates[f"gone{index}"] = Count("pk", filter=selectors.churned_between(since, until))
        counts = self.scoped.aggregate(**aggregates)
        return [
            ChurnPeriod(
                period=name,
                start_active=counts[f"live{index}"],
                churned=counts[f"gone{index}"],
                churn_rate=sales.percent(counts[f"gone{index}"], counts[f"live{index}"]),
            )
            for index, (name, _, _) in enumerate(buckets)
        ]


def _product_trials(row: dict) -> ProductTrialConversion:
    return ProductTrialConversion(
        product_id=Product(pk=row["product_version__product_id"]).public_id,
        product_name=row["name"],
        total_trials=row["total"],
        converted_count=row["converted"],
        conversion_rate=sales.percent(row["converted"], row["total"]),
    )


@strawberry.type
class SubscriptionAnalysisQueries:
    @strawberry.field
    def subscription_analysis(
        self,
        info: Info,
        filter: AnalyticsFilterInput,
        store_id: str | None = None,
        store_slug: str | None = None,
    ) -> SubscriptionAnalysis:
        start, end = time_range(filter)
        store = analytics_store(info, store_id=store_id, store_slug=store_slug)
        orders = merchant_orders(info, ProductType.SUBSCRIPTION).filter(store)
        scoped = Subscription.objects.filter(order__in=orders.values("pk")).order_by()
        started = scoped.filter(order__completed_at__gte=start, order__completed_at__lt=end)
        return SubscriptionAnalysis(
            scoped=scoped, started=started, start=start, end=end, currency=filter.currency
        )
