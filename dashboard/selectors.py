"""What the dashboard shows, read in a constant number of statements whatever the number of
orders: per day and currency, the revenue and tax of succeeded payments, the orders paid
and the refunds paid back; the best-selling products; and how many checkout sessions opened
in the period were paid.

Money is counted where it moved: a payment on the UTC day it succeeded (``resolved_at``, the
rule of ``payments.revenue.revenue_payments``),
so a subscription's renewals count on their own days and at the tax they were charged with;
a refund on the day it was paid back (``executed_at``). An order counts on the day it was
paid (``completed_at``). Every figure adds up to those rows exactly
(tests/admin/test_admin_dashboard.py sums them).
"""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from checkout.models import CheckoutSession, SessionStatus
from orders.models import Order, OrderLine, OrderStatus
from payments import revenue
from payments.models import Payment, Refund, RefundStatus
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


def scoped(queryset: QuerySet, scope: Scope, *, via: str = "") -> QuerySet:
    """Rows of the scope's environment and, for a merchant, of its stores; ``via`` is the
    path to the row that carries ``store`` and ``environment`` (``"order__"`` for payments)."""
    queryset = queryset.filter(**{f"{via}environment": scope.environment})
    if scope.merchant_id is None:
        return queryset
    return queryset.filter(**{f"{via}store__memberships__merchant_id": scope.merchant_id})


def paid_orders(*, scope: Scope) -> QuerySet[Order]:
    """Orders paid in the period (one-time and subscription alike), whatever became of
    them since: what the order counts and the top products are read from."""
    return (
        scoped(Order.objects, scope)
        .filter(completed_at__gte=scope.since)
        .exclude(status=OrderStatus.PENDING)
    )


def paid_payments(*, scope: Scope) -> QuerySet[Payment]:
    """Revenue of the period (``payments.revenue.revenue_payments``, the rule the GraphQL
    analytics share): what revenue and tax are summed from."""
    return revenue.revenue_payments(orders=scoped(Order.objects, scope), since=scope.since)


def default_environment(*, merchant_id: uuid.UUID | None) -> str:
    """Prod once the merchant has sold there, else test (where a new merchant starts)."""
    prod = Scope(merchant_id=merchant_id, environment=Environment.PROD, days=1)
    has_prod = scoped(Order.objects, prod).filter(completed_at__isnull=False).exists()
    return Environment.PROD if has_prod else Environment.TEST


def _per_day(queryset: QuerySet, when: str, **sums) -> QuerySet:
    return (
        queryset.annotate(day=TruncDate(when, tzinfo=UTC))
        .order_by()
        .values("currency", "day")
        .annotate(**sums)
    )


def daily_series(*, scope: Scope) -> list[Series]:
    """Per currency (most revenue first), per day: revenue, tax, orders and refunds."""
    series: dict[str, Series] = {}

    def one(currency: str) -> Series:
        return series.setdefault(currency, Series(currency))

    payments = _per_day(
        paid_payments(scope=scope), "resolved_at", revenue=Sum("amount_minor"), tax=Sum("tax_minor")
    )
    for row in payments:
        one(row["currency"]).revenue[row["day"]] = row["revenue"]
        one(row["currency"]).tax[row["day"]] = row["tax"]
    for row in _per_day(paid_orders(scope=scope), "completed_at", count=Count("pk")):
        one(row["currency"]).orders[row["day"]] = row["count"]
    for (day, currency), amount in refunds_by_day(scope=scope).items():
        one(currency).refunds[day] = amount
    return sorted(series.values(), key=lambda s: (-s.total("revenue"), s.currency))


def refunds_by_day(*, scope: Scope) -> dict[tuple[date, str], int]:
    """Minor units paid back per (day, currency): succeeded refunds, on the day the
    processor paid them."""
    refunds = scoped(Refund.objects, scope).filter(
        status=RefundStatus.SUCCEEDED, executed_at__gte=scope.since
    )
    rows = _per_day(refunds, "executed_at", amount=Sum("amount_minor"))
    return {(row["day"], row["currency"]): row["amount"] for row in rows}


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
    sessions = scoped(CheckoutSession.objects, scope).filter(created_at__gte=scope.since)
    counts = sessions.order_by().aggregate(
        opened=Count("pk"), paid=Count("pk", filter=Q(status=SessionStatus.COMPLETED))
    )
    return Conversion(opened=counts["opened"], paid=counts["paid"])
