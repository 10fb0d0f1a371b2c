"""``productStatistics``: one store's products by status and its products ranked by sales,
in the key's environment (scope and money as ``graphql_api.sales`` names them).

The status counts are of the products created in the range, by the status the key's
environment shows (``catalog.selectors.products_for_merchant``). A sale is a succeeded
payment made in the range: the checkout payment counts each product line at its line total
(tax included; shipping is no product's), a renewal or plan-change charge counts what it
charged for the subscription's one product line. A product sold in two currencies is two
rows, one per currency; ``orderCount`` is the distinct orders with such a sale. Every figure
is one statement whatever the number of products; percentages are 0 to 100, two decimals."""

from datetime import datetime

import strawberry
from django.db.models import Case, Count, F, Max, Q, Sum, When
from django.db.models.expressions import Window
from django.db.models.functions import RowNumber
from strawberry.types import Info

from catalog import selectors as catalog_selectors
from catalog.models import Product, ProductType
from core.money import format_amount
from graphql_api import sales
from graphql_api.queries.statistics import AnalyticsFilterInput, StatusCount, time_range
from graphql_api.scope import analytics_store, scope_of
from orders.models import OrderLine
from payments import revenue

TOP_DEFAULT = 10
TOP_MAX = 100
_LINE = "order__lines__"


@strawberry.type
class ProductRanking:
    product_id: str
    product_type: str
    product_name: str
    order_count: int
    total_revenue: str
    currency: str


@strawberry.type
class RevenueContribution:
    product_id: str
    product_type: str
    product_name: str
    revenue: str
    contribution_percentage: float
    cumulative_percentage: float


def _ranking(row: dict) -> ProductRanking:
    return ProductRanking(
        product_id=Product(pk=row[f"{_LINE}product_id"]).public_id,
        product_type=row["kind"],
        product_name=row["name"],
        order_count=row["orders"],
        total_revenue=format_amount(row["revenue"], row["currency"]),
        currency=row["currency"],
    )


@strawberry.type
class ProductStatistics:
    products: strawberry.Private[dict]  # product type -> the store's products of the range
    payments: strawberry.Private[object]  # the store's paid payments of the range
    currency: strawberry.Private[str | None]

    def _counts(self, product_type: str):
        rows = (
            self.products[product_type]
            .order_by()
            .values("shown_status")
            .annotate(count=Count("pk"))
            .order_by("-count", "shown_status")
        )
        return [StatusCount(status=row["shown_status"], count=row["count"]) for row in rows]

    def _sales(self, currency: str | None = None):
        """Per (product, currency): revenue, orders, the name sold under and the type."""
        payments = self.payments.filter(currency=currency) if currency else self.payments
        return (
            payments.filter(**{f"{_LINE}kind": OrderLine.Kind.PRODUCT})
            .values(f"{_LINE}product_id", "currency")
            .annotate(
                revenue=Sum(
                    Case(When(period=1, then=F(f"{_LINE}total_minor")), default=F("amount_minor"))
                ),
                orders=Count("order", distinct=True),
                name=Max(f"{_LINE}name"),
                kind=Max(f"{_LINE}product__type"),
            )
        )

    @strawberry.field
    def onetime_counts_by_status(self) -> list[StatusCount]:
        return self._counts(ProductType.ONETIME)

    @strawberry.field
    def subscription_counts_by_status(self) -> list[StatusCount]:
        return self._counts(ProductType.SUBSCRIPTION)

    @strawberry.field
    def onetime_total_count(self) -> int:
        return self.products[ProductType.ONETIME].count()

    @strawberry.field
    def subscription_total_count(self) -> int:
        return self.products[ProductType.SUBSCRIPTION].count()

    @strawberry.field(description="The most ordered (product, currency) rows, 1 to 100 (10).")
    def top_by_order_count(self, limit: int | None = None) -> list[ProductRanking]:
        limit = sales.bounded(limit, name="limit", default=TOP_DEFAULT, low=1, high=TOP_MAX)
        rows = self._sales().order_by("-orders", "name", f"{_LINE}product_id", "currency")
        return [_ranking(row) for row in rows[:limit]]

    @strawberry.field(
        description="The products that brought in most, 1 to 100 (10) per currency: in the "
        "one asked for (argument or filter.currency), else in each currency sold in."
    )
    def top_by_revenue(
        self, limit: int | None = None, currency: str | None = None
    ) -> list[ProductRanking]:
        limit = sales.bounded(limit, name="limit", default=TOP_DEFAULT, low=1, high=TOP_MAX)
        currency = (currency or self.currency or "").upper() or None
        ranked = self._sales(currency).annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("currency")],
                order_by=[F("revenue").desc(), F("orders").desc(), F("name").asc()],
            )
        )
        rows = ranked.filter(rank__lte=limit).order_by("currency", "rank")
        return [_ranking(row) for row in rows]

    @strawberry.field(
        description="Each product's share of the revenue in one currency, largest first; "
        "the cumulative share is of the exact running total, rounded once."
    )
    def revenue_contribution(self, currency: str | None = None) -> list[RevenueContribution]:
        currency = sales.one_currency(currency, self.currency, "revenueContribution")
        rows = list(self._sales(currency).order_by("-revenue", "name", f"{_LINE}product_id"))
        whole, running, result = sum(row["revenue"] for row in rows), 0, []
        for row in rows:
            running += row["revenue"]
            result.append(
                RevenueContribution(
                    product_id=Product(pk=row[f"{_LINE}product_id"]).public_id,
                    product_type=row["kind"],
                    product_name=row["name"],
                    revenue=format_amount(row["revenue"], currency),
                    contribution_percentage=sales.percent(row["revenue"], whole),
                    cumulative_percentage=sales.percent(running, whole),
                )
            )
        return result


def _products(info: Info, store: Q, start: datetime, end: datetime) -> dict:
    scope = scope_of(info)
    created = store & Q(created_at__gte=start, created_at__lt=end)
    return {
        product_type: catalog_selectors.products_for_merchant(
            merchant_id=scope.merchant_id,
            product_type=product_type,
            environment=scope.environment,
        )
        .filter(created)
        .prefetch_related(None)
        for product_type in (ProductType.ONETIME, ProductType.SUBSCRIPTION)
    }


@strawberry.type
class ProductStatisticsQueries:
    @strawberry.field
    def product_statistics(
        self,
        info: Info,
        filter: AnalyticsFilterInput,
        store_id: str | None = None,
        store_slug: str | None = None,
    ) -> ProductStatistics:
        start, end = time_range(filter)
        store = analytics_store(info, store_id=store_id, store_slug=store_slug)
        payments = revenue.revenue_payments(
            orders=sales.store_orders(info, store, filter),
            currency=filter.currency,
            since=start,
            until=end,
        )
        return ProductStatistics(
            products=_products(info, store, start, end),
            payments=payments,
            currency=(filter.currency or "").upper() or None,
        )
