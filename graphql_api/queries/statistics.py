"""``orderStatistics``: the guide's order aggregation, as far as the data exists today
(counts by status, revenue by currency, buyer metrics) over the merchant's orders of one
store in the key's environment created in a time range. Its revenue figures are revenue
as ``payments.revenue.revenue_payments`` defines it (what succeeded in the range, renewals
included), of the store's orders of ``filter.currency`` and ``filter.status``."""

from datetime import UTC, datetime

import strawberry
from django.db.models import Count, Q
from graphql import GraphQLError
from strawberry.types import Info

from core.money import format_amount
from graphql_api.periods import TimePeriodGranularity, periods
from graphql_api.queries.orders import merchant_orders
from graphql_api.scope import analytics_store
from orders import selectors
from payments import revenue


@strawberry.input
class TimeRange:
    start_date: str
    end_date: str


@strawberry.input
class AnalyticsFilterInput:
    time_range: TimeRange
    currency: str | None = None
    status: str | None = None


@strawberry.type
class StatusCount:
    status: str
    count: int


@strawberry.type
class CurrencyRevenue:
    currency: str
    total_amount: str
    payment_count: int


@strawberry.type
class PeriodCount:
    period: str
    count: int


@strawberry.type
class CountryCount:
    country: str
    count: int


@strawberry.type
class PeriodRevenue:
    period: str
    currency: str
    total_amount: str
    payment_count: int


@strawberry.type
class CountryRevenue:
    country: str
    total_amount: str
    payment_count: int


@strawberry.type
class StateRevenue:
    state: str
    total_amount: str
    payment_count: int


@strawberry.type
class BusinessRevenue:
    is_business: bool
    label: str
    total_amount: str | None
    order_count: int


@strawberry.type
class BuyerMetrics:
    total_buyers: int
    new_buyers: int
    returning_buyers: int


def _moment(text: str, field: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise GraphQLError(f'filter.timeRange.{field} must be ISO 8601, got "{text}"') from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def time_range(analytics: AnalyticsFilterInput) -> tuple[datetime, datetime]:
    """The filter's [startDate, endDate) as UTC moments; a bad date is the query's error."""
    return (
        _moment(analytics.time_range.start_date, "startDate"),
        _moment(analytics.time_range.end_date, "endDate"),
    )


@strawberry.type
class OrderStatistics:
    orders: strawberry.Private[object]  # created in the range
    earlier: strawberry.Private[object]  # created before it
    paid: strawberry.Private[object]  # revenue of the range
    start: strawberry.Private[datetime]
    end: strawberry.Private[datetime]

    @strawberry.field
    def total_count(self) -> int:
        return self.orders.count()

    @strawberry.field
    def counts_by_status(self) -> list[StatusCount]:
        return [
            StatusCount(status=status, count=count)
            for status, count in selectors.order_counts_by_status(orders=self.orders)
        ]

    @strawberry.field(description="Orders created in each period of the range.")
    def counts_by_period(self, granularity: TimePeriodGranularity) -> list[PeriodCount]:
        buckets = periods(self.start, self.end, granularity)
        counts = self.orders.order_by().aggregate(
            **{
                f"p{index}": Count("pk", filter=Q(created_at__gte=since, created_at__lt=until))
                for index, (_, since, until) in enumerate(buckets)
            }
        )
        return [
            PeriodCount(period=name, count=counts[f"p{index}"])
            for index, (name, _, _) in enumerate(buckets)
        ]

    @strawberry.field(description="By the country the order was taxed in (the buyer's).")
    def orders_by_country(self) -> list[CountryCount]:
        rows = (
            self.orders.order_by()
            .values("tax_country")
            .annotate(count=Count("pk"))
            .order_by("-count", "tax_country")
        )
        return [CountryCount(country=row["tax_country"], count=row["count"]) for row in rows]

    @strawberry.field(description="Revenue (succeeded payments, renewals too) by currency.")
    def revenue_by_currency(self) -> list[CurrencyRevenue]:
        return [
            CurrencyRevenue(
                currency=row["currency"],
                total_amount=format_amount(row["total"], row["currency"]),
                payment_count=row["count"],
            )
            for row in revenue.totals_by(payments=self.paid, key="currency")
        ]

    def _paid(self, currency: str | None):
        return self.paid.filter(currency=currency.upper()) if currency else self.paid

    @strawberry.field(description="Succeeded payments of the orders (renewals too) by period.")
    def revenue_by_period(
        self, granularity: TimePeriodGranularity, currency: str | None = None
    ) -> list[PeriodRevenue]:
        rows = revenue.totals_by_period(
            payments=self._paid(currency), buckets=periods(self.start, self.end, granularity)
        )
        return [
            PeriodRevenue(
                period=row["period"],
                currency=row["currency"],
                total_amount=format_amount(row["total"], row["currency"]),
                payment_count=row["count"],
            )
            for row in rows
        ]

    @strawberry.field(description="By the order's tax country.")
    def revenue_by_country(self, currency: str | None = None) -> list[CountryRevenue]:
        rows = revenue.totals_by(payments=self._paid(currency), key="order__tax_country")
        return [
            CountryRevenue(
                country=row["order__tax_country"],
                total_amount=format_amount(row["total"], row["currency"]),
                payment_count=row["count"],
            )
            for row in rows
        ]

    @strawberry.field(description="By the order's tax region, within one tax country.")
    def revenue_by_state(self, country: str, currency: str | None = None) -> list[StateRevenue]:
        payments = self._paid(currency).filter(order__tax_country=country.upper())
        rows = revenue.totals_by(payments=payments, key="order__tax_region")
        return [
            StateRevenue(
                state=row["order__tax_region"],
                total_amount=format_amount(row["total"], row["currency"]),
                payment_count=row["count"],
            )
            for row in rows
        ]

    @strawberry.field(
        description="Business buyers (billing isBusiness) vs consumers; amounts need a currency."
    )
    def b2b_vs_b2c_breakdown(self, currency: str | None = None) -> list[BusinessRevenue]:
        shown = (currency or "").upper()
        return [
            BusinessRevenue(
                is_business=row["is_business"],
                label="B2B" if row["is_business"] else "B2C",
                total_amount=format_amount(row["total"], shown) if shown else None,
                order_count=row["orders"],
            )
            for row in revenue.business_split(payments=self._paid(currency))
        ]

    @strawberry.field
    def buyer_metrics(self) -> BuyerMetrics:
        total, new = selectors.buyer_counts(orders=self.orders, earlier=self.earlier)
        return BuyerMetrics(total_buyers=total, new_buyers=new, returning_buyers=total - new)


@strawberry.type
class StatisticsQueries:
    @strawberry.field
    def order_statistics(
        self,
        info: Info,
        filter: AnalyticsFilterInput,
        store_id: str | None = None,
        store_slug: str | None = None,
    ) -> OrderStatistics:
        start, end = time_range(filter)
        store = analytics_store(info, store_id=store_id, store_slug=store_slug)
        store_orders = merchant_orders(info).filter(store)
        if filter.currency:
            store_orders = store_orders.filter(currency=filter.currency.upper())
        orders = store_orders.filter(created_at__gte=start, created_at__lt=end)
        if filter.status:
            orders = orders.filter(status=filter.status)
        paid = revenue.revenue_payments(
            orders=store_orders.filter(status=filter.status) if filter.status else store_orders,
            since=start,
            until=end,
        )
        return OrderStatistics(
            orders=orders,
            earlier=store_orders.filter(created_at__lt=start),
            paid=paid,
            start=start,
            end=end,
        )
