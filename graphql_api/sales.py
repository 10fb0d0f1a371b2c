"""What the analytics queries share, named once: the store's orders, one currency for a sum,
bounded arguments, exact rounding and percentages.

Their orders are the merchant's orders of one store in the key's environment
(``orders.selectors.orders_for_merchant``), narrowed by ``filter.status``. Their money is
revenue as ``payments.revenue.revenue_payments`` defines it for the dashboard and every
analytics query. Sums are kept per currency: a figure that is one amount needs one currency (the
field's argument, else ``filter.currency``) and refuses to run without it, as
``customerAnalysis`` does, so amounts of two currencies are never added."""

from django.db.models import Q, QuerySet
from graphql import GraphQLError
from strawberry.types import Info

from graphql_api.queries.orders import merchant_orders
from graphql_api.queries.statistics import AnalyticsFilterInput


def store_orders(
    info: Info, store: Q, analytics: AnalyticsFilterInput, product_type: str | None = None
) -> QuerySet:
    """The merchant's orders of the store (``scope.analytics_store``), of ``filter.status``."""
    orders = merchant_orders(info, product_type).filter(store)
    return orders.filter(status=analytics.status) if analytics.status else orders


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
    """part of whole in percent (0 to 100, two decimals); 0 of nothing is 0."""
    return round(part * 100 / whole, 2) if whole else 0.0
