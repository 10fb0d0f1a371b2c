"""``taxAnalysis``: the tax one store collected in the range, in the key's environment, from
its revenue (``payments.revenue.revenue_payments``: the payments that succeeded in it,
renewals and plan-change charges included, each with the tax it was charged with), grouped
as the guide asks. Country is the order's ``tax_country``
(where it was taxed); business means the billing detail says ``isBusiness``. Rates are
percentages of the pre-tax amount, two decimals."""

from datetime import datetime

import strawberry
from strawberry.types import Info

from core.money import format_amount
from graphql_api.periods import TimePeriodGranularity, periods
from graphql_api.queries.orders import merchant_orders
from graphql_api.queries.statistics import AnalyticsFilterInput, time_range
from graphql_api.scope import analytics_store
from payments import revenue


def _rate(tax: int, total: int) -> float:
    return round(tax * 100 / (total - tax), 2) if total - tax else 0.0


@strawberry.type
class CategoryTax:
    tax_category: str
    total_tax: str
    total_amount: str
    payment_count: int


@strawberry.type
class RateGroupTax:
    tax_rate: str
    total_tax: str
    total_amount: str
    payment_count: int


@strawberry.type
class CountryTax:
    country: str
    total_tax: str
    total_amount: str
    payment_count: int


@strawberry.type
class BusinessTax:
    is_business: bool
    label: str
    total_tax: str | None
    total_amount: str | None
    order_count: int


@strawberry.type
class PeriodTaxRate:
    period: str
    avg_tax_rate: float
    payment_count: int


@strawberry.type
class PeriodTax:
    period: str
    total_tax: str | None
    payment_count: int


@strawberry.type
class TaxAnalysis:
    payments: strawberry.Private[object]
    currency: strawberry.Private[str | None]
    start: strawberry.Private[datetime]
    end: strawberry.Private[datetime]

    def _paid(self, currency: str | None):
        currency = currency or self.currency
        return self.payments.filter(currency=currency.upper()) if currency else self.payments

    @strawberry.field(
        description="Each payment (renewals too) split over its order's lines by their tax."
    )
    def by_category(self, currency: str | None = None) -> list[CategoryTax]:
        return [
            CategoryTax(
                tax_category=row["tax_category"],
                total_tax=format_amount(row["tax"], row["currency"]),
                total_amount=format_amount(row["total"], row["currency"]),
                payment_count=row["count"],
            )
            for row in revenue.tax_by_category(payments=self._paid(currency))
        ]

    @strawberry.field(description="By the order's tax rate (percent).")
    def by_rate_group(self, currency: str | None = None) -> list[RateGroupTax]:
        rows = revenue.totals_by(payments=self._paid(currency), key="order__tax_rate")
        return [
            RateGroupTax(
                tax_rate=f"{row['order__tax_rate']:.2f}",
                total_tax=format_amount(row["tax"], row["currency"]),
                total_amount=format_amount(row["total"], row["currency"]),
                payment_count=row["count"],
            )
            for row in rows
        ]

    @strawberry.field(description="By the country the order was taxed in.")
    def by_country(self, currency: str | None = None) -> list[CountryTax]:
        rows = revenue.totals_by(payments=self._paid(currency), key="order__tax_country")
        return [
            CountryTax(
                country=row["order__tax_country"],
                total_tax=format_amount(row["tax"], row["currency"]),
                total_amount=format_amount(row["total"], row["currency"]),
                payment_count=row["count"],
            )
            for row in rows
        ]

    @strawberry.field(description="Business buyers vs consumers; amounts need a currency.")
    def b2b_vs_b2c(self, currency: str | None = None) -> list[BusinessTax]:
        shown = (currency or self.currency or "").upper()
        return [
            BusinessTax(
                is_business=row["is_business"],
                label="B2B" if row["is_business"] else "B2C",
                total_tax=format_amount(row["tax"], shown) if shown else None,
                total_amount=format_amount(row["total"], shown) if shown else None,
                order_count=row["orders"],
            )
            for row in revenue.business_split(payments=self._paid(currency))
        ]

    def _by_period(self, granularity: TimePeriodGranularity, currency: str | None) -> dict:
        rows = revenue.totals_by_period(
            payments=self._paid(currency), buckets=periods(self.start, self.end, granularity)
        )
        merged: dict[str, dict] = {}
        for row in rows:
            into = merged.setdefault(row["period"], {"rows": [], "count": 0})
            into["rows"].append(row)
            into["count"] += row["count"]
        for name, _, _ in periods(self.start, self.end, granularity):
            merged.setdefault(name, {"rows": [], "count": 0})
        return dict(sorted(merged.items()))

    @strawberry.field(description="Tax over pre-tax amount per period; one currency if given.")
    def effective_tax_rate_trend(
        self, granularity: TimePeriodGranularity, currency: str | None = None
    ) -> list[PeriodTaxRate]:
        return [
            PeriodTaxRate(
                period=name,
                avg_tax_rate=_rate(
                    sum(row["tax"] for row in part["rows"]),
                    sum(row["total"] for row in part["rows"]),
                ),
                payment_count=part["count"],
            )
            for name, part in self._by_period(granularity, currency).items()
        ]

    @strawberry.field(description="Tax collected per period; an amount needs one currency.")
    def tax_amount_by_period(
        self, granularity: TimePeriodGranularity, currency: str | None = None
    ) -> list[PeriodTax]:
        shown = (currency or self.currency or "").upper()
        return [
            PeriodTax(
                period=name,
                total_tax=format_amount(sum(row["tax"] for row in part["rows"]), shown)
                if shown
                else None,
                payment_count=part["count"],
            )
            for name, part in self._by_period(granularity, currency).items()
        ]


@strawberry.type
class TaxAnalysisQueries:
    @strawberry.field
    def tax_analysis(
        self,
        info: Info,
        filter: AnalyticsFilterInput,
        store_id: str | None = None,
        store_slug: str | None = None,
    ) -> TaxAnalysis:
        start, end = time_range(filter)
        store = analytics_store(info, store_id=store_id, store_slug=store_slug)
        orders = merchant_orders(info).filter(store)
        payments = revenue.revenue_payments(orders=orders, since=start, until=end)
        return TaxAnalysis(payments=payments, currency=filter.currency, start=start, end=end)
