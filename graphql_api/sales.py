"""What ``productStatistics``, ``trendAnalysis`` and ``distributionAnalysis`` read, named once.

Their orders are the merchant's orders of one store in the key's environment
(``orders.selectors.orders_for_merchant``), narrowed by ``filter.status``. Their money is
what succeeded payments charged at the moment each succeeded (``resolved_at``): an order's
checkout payment, each renewal and each plan-change charge, as the dashboard
(``dashboard.selectors.paid_payments``) and ``customerAnalysis`` count it; refunds are not
netted. Sums are kept per currency: a figure that is one amount needs one currency (the
field's argument, else ``filter.currency``) and refuses to run without it, as
``customerAnalysis`` does, so amounts of two currencies are never added."""

from datetime import datetime

from django.db.models import Q, QuerySet
from graphql import GraphQLError
from strawberry.types import Info

from graphql_api.queries.orders import merchant_orders
from graphql_api.queries.statistics import AnalyticsFilterInput
from graphql_api.scope import decode_id
from payments.models import Payment, PaymentStatus


def store_orders(info: Info, store_id: str, analytics: AnalyticsFilterInput) -> QuerySet:
    orders = merchant_orders(info).filter(store_id=decode_id("STO", store_id))
    return orders.filter(status=analytics.status) if analytics.status else orders


def paid_payments(*, orders: QuerySet, currency: str | None) -> QuerySet[Payment]:
    """The orders' succeeded payments, any time; of ``currency`` (any case) when given."""
    payments = Payment.objects.filter(
        order__in=orders.values("pk"), status=PaymentStatus.SUCCEEDED, resolved_at__isnull=False
    ).order_by()
    return payments.filter(currency=currency.upper()) if currency else payments


def paid_between(since: datetime, until: datetime) -> Q:
    return Q(resolved_at__gte=since, resolved_at__lt=until)


def one_currency(currency: str | None, fallback: str | None, field: str) -> str:
    """The currency a money figure is summed in; none is the query's error."""
    chosen = (currency or fallback or "").upper()
    if not chosen:
        raise GraphQLError(f"{field} needs a currency (its argument or filter.currency)")
    return chosen


def bounded(value: int | None, *, name: str, default: int, low: int, high: int) -> int:
    value = default if value is None else value
    if not low <= value <= high:
        raise GraphQLError(f"{name} must be between {low} and {high}")
    return value


def half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator (denominator > 0) to the nearest integer, halves away from
    zero: exact, so a money average is rounded once, to the minor unit."""
    quotient = (2 * abs(numerator) + denominator) // (2 * denominator)
    return -quotient if numerator < 0 else quotient


def percent(part: int, whole: int) -> float:
    return round(part * 100 / whole, 2) if whole else 0.0
