"""What the dashboard shows, read in a constant number of statements whatever the number of
orders: per day and currency, the revenue, tax, orders and refunds of completed orders;
the best-selling products; and how many checkout sessions opened in the period were paid.

An order counts on the UTC day it was paid (``completed_at``), so the figures add up to the
completed orders of the period exactly (tests/admin/test_admin_dashboard.py sums them).
"""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from checkout.models import CheckoutSession, SessionStatus
from orders.models import Order, OrderLine, OrderStatus
from stores.models import Environment

PERIODS = (30, 90)
TOP_PRODUCTS = 5


@dataclass(frozen=True)
class Scope:
    """Whose business: one merchant's stores (by membership, deleted stores included, as
    the order list shows them), or every merchant's for platform staff (``None``)."""

    merchant_id: uuid.UUID | None
    environment: str
    days: int

    @property
    def first_day(self) -> date:
        return timezone.now().astimezone(UTC).date() - timedelta(days=self.days - 1)

    @property
    def since(self) -> datetime:
        return datetime.combine(self.first_day, time.min, tzinfo=UTC)


@dataclass
class Series:
    """One currency's figures per day, in minor units; ``days`` covers the whole period."""

    currency: str
    revenue: dict[date, int] = field(default_factory=dict)
    tax: dict[date, int] = field(default_factory=dict)
    orders: dict[date, int] = field(default_factory=dict)
    refunds: dict[date, int] = field(default_factory=dict)

    def total(self, name: str) -> int:
        return sum(getattr(self, name).values())


def _scoped(queryset: QuerySet, scope: Scope) -> QuerySet:
    queryset = queryset.filter(environment=scope.environment)
    if scope.merchant_id is None:
        return queryset
    return queryset.filter(store__memberships__merchant_id=scope.merchant_id)


def paid_orders(*, scope: Scope) -> QuerySet[Order]:
    """Completed orders paid in the period: what every money figure is summed from."""
    return _scoped(Order.objects, scope).filter(
        status=OrderStatus.COMPLETED, completed_at__gte=scope.since
    )


def default_environment(*, merchant_id: uuid.UUID | None) -> str:
    """Prod once the merchant has sold there, else test (where a new merchant starts)."""
    prod = Scope(merchant_id=merchant_id, environment=Environment.PROD, days=1)
    has_prod = _scoped(Order.objects, prod).filter(status=OrderStatus.COMPLETED).exists()
    return Environment.PROD if has_prod else Environment.TEST


def daily_series(*, scope: Scope) -> list[Series]:
    """Per currency (most revenue first), per day: revenue, tax, orders and refunds."""
    rows = (
        paid_orders(scope=scope)
        .annotate(day=TruncDate("completed_at", tzinfo=UTC))
        .order_by()
        .values("currency", "day")
        .annotate(revenue=Sum("total_minor"), tax=Sum("tax_minor"), count=Count("pk"))
    )
    series: dict[str, Series] = {}
    for row in rows:
        one = series.setdefault(row["currency"], Series(row["currency"]))
        one.revenue[row["day"]] = row["revenue"]
        one.tax[row["day"]] = row["tax"]
        one.orders[row["day"]] = row["count"]
    for (day, currency), amount in refunds_by_day(scope=scope).items():
        series.setdefault(currency, Series(currency)).refunds[day] = amount
    return sorted(series.values(), key=lambda s: (-s.total("revenue"), s.currency))


def refunds_by_day(*, scope: Scope) -> dict[tuple[date, str], int]:
    """Refunded minor units per (day, currency). Refunds are not built yet (payments app),
    so there are none; when they land, sum the succeeded refunds of ``_scoped`` orders
    here, by the day they succeeded, and the dashboard shows them."""
    return {}


@dataclass(frozen=True)
class TopProduct:
    product_id: uuid.UUID
    name: str
    currency: str
    units: int
    revenue_minor: int


def top_products(*, scope: Scope, limit: int = TOP_PRODUCTS) -> list[TopProduct]:
    """The products that sold the most units in the period, with what they brought in
    (line totals, tax included) per currency."""
    rows = (
        OrderLine.objects.filter(
            order__in=paid_orders(scope=scope).values("pk"), kind=OrderLine.Kind.PRODUCT
        )
        .order_by()
        .values("product_id", "order__currency")
        .annotate(units=Sum("quantity"), revenue=Sum("total_minor"), name=Max("name"))
        .order_by("-units", "-revenue", "name")[:limit]
    )
    return [
        TopProduct(
            row["product_id"], row["name"], row["order__currency"], row["units"], row["revenue"]
        )
        for row in rows
    ]


@dataclass(frozen=True)
class Conversion:
    opened: int
    paid: int

    @property
    def percent(self) -> str:
        if not self.opened:
            return "—"
        return f"{self.paid * 100 / self.opened:.1f} %"


def conversion(*, scope: Scope) -> Conversion:
    """Checkout sessions opened in the period, and how many of those were paid."""
    sessions = _scoped(CheckoutSession.objects, scope).filter(created_at__gte=scope.since)
    counts = sessions.order_by().aggregate(
        opened=Count("pk"), paid=Count("pk", filter=Q(status=SessionStatus.COMPLETED))
    )
    return Conversion(opened=counts["opened"], paid=counts["paid"])
