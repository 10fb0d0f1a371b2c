"""The guide's filter inputs (StringFilter, DateTimeFilter, IntFilter, BooleanFilter) and
one per entity, each field naming the column it filters. Filters narrow a queryset the
selectors already scoped to the caller; they never widen it."""

from datetime import datetime

import strawberry
from django.db.models import Q, QuerySet

# GraphQL operator → Django lookup.
_STRING_LOOKUPS = {
    "eq": "exact",
    "contains": "contains",
    "starts_with": "startswith",
    "ends_with": "endswith",
    "in_": "in",
}
_ORDER_LOOKUPS = {"eq": "exact", "gt": "gt", "gte": "gte", "lt": "lt", "lte": "lte"}


@strawberry.input(description="eq, ne, contains, startsWith, endsWith, in")
class StringFilter:
    eq: str | None = None
    ne: str | None = None
    contains: str | None = None
    starts_with: str | None = None
    ends_with: str | None = None
    in_: list[str] | None = strawberry.field(default=None, name="in")


@strawberry.input(description="eq, ne, gt, gte, lt, lte (ISO 8601)")
class DateTimeFilter:
    eq: datetime | None = None
    ne: datetime | None = None
    gt: datetime | None = None
    gte: datetime | None = None
    lt: datetime | None = None
    lte: datetime | None = None


@strawberry.input(description="eq, ne, gt, gte, lt, lte")
class IntFilter:
    eq: int | None = None
    ne: int | None = None
    gt: int | None = None
    gte: int | None = None
    lt: int | None = None
    lte: int | None = None


@strawberry.input(description="eq")
class BooleanFilter:
    eq: bool | None = None


def _condition(column: str, operators: object) -> Q:
    lookups = _STRING_LOOKUPS if isinstance(operators, StringFilter) else _ORDER_LOOKUPS
    condition = Q()
    for operator, lookup in lookups.items():
        value = getattr(operators, operator, None)
        if value is not None:
            condition &= Q(**{f"{column}__{lookup}": value})
    ne = getattr(operators, "ne", None)
    if ne is not None:
        condition &= ~Q(**{column: ne})
    return condition


def apply_filter(queryset: QuerySet, entity_filter: object | None) -> QuerySet:
    """Every operator of every field given, AND-ed; the columns are the filter's own."""
    if entity_filter is None:
        return queryset
    condition = Q()
    for field, column in entity_filter.COLUMNS.items():
        operators = getattr(entity_filter, field)
        if operators is not None:
            condition &= _condition(column, operators)
    return queryset.filter(condition)


@strawberry.input
class StoreFilter:
    name: StringFilter | None = None
    slug: StringFilter | None = None
    status: StringFilter | None = None
    support_email: StringFilter | None = None
    prod_enabled: BooleanFilter | None = None
    created_at: DateTimeFilter | None = None
    updated_at: DateTimeFilter | None = None
    COLUMNS = {
        "name": "name",
        "slug": "slug",
        "status": "status",
        "support_email": "support_email",
        "prod_enabled": "prod_enabled",
        "created_at": "created_at",
        "updated_at": "updated_at",
    }


_PRODUCT_COLUMNS = {
    "name": "shown_name",
    "status": "shown_status",
    "created_at": "created_at",
    "updated_at": "updated_at",
}


@strawberry.input
class OnetimeProductFilter:
    name: StringFilter | None = None
    status: StringFilter | None = None
    created_at: DateTimeFilter | None = None
    updated_at: DateTimeFilter | None = None
    COLUMNS = _PRODUCT_COLUMNS


@strawberry.input
class SubscriptionProductFilter:
    name: StringFilter | None = None
    status: StringFilter | None = None
    created_at: DateTimeFilter | None = None
    updated_at: DateTimeFilter | None = None
    COLUMNS = _PRODUCT_COLUMNS


@strawberry.input
class ProductVersionFilter:
    version_number: IntFilter | None = None
    name: StringFilter | None = None
    created_at: DateTimeFilter | None = None
    COLUMNS = {"version_number": "number", "name": "name", "created_at": "created_at"}


_ORDER_COLUMNS = {
    "status": "status",
    "buyer_email": "buyer_email",
    "currency": "currency",
    "order_merchant_external_id": "order_merchant_external_id",
    "created_at": "created_at",
    "updated_at": "updated_at",
}


@strawberry.input
class OnetimeOrderFilter:
    status: StringFilter | None = None
    buyer_email: StringFilter | None = None
    currency: StringFilter | None = None
    order_merchant_external_id: StringFilter | None = None
    created_at: DateTimeFilter | None = None
    updated_at: DateTimeFilter | None = None
    COLUMNS = _ORDER_COLUMNS


@strawberry.input
class SubscriptionOrderFilter:
    status: StringFilter | None = None
    buyer_email: StringFilter | None = None
    currency: StringFilter | None = None
    order_merchant_external_id: StringFilter | None = None
    created_at: DateTimeFilter | None = None
    updated_at: DateTimeFilter | None = None
    COLUMNS = _ORDER_COLUMNS


@strawberry.input
class PaymentFilter:
    status: StringFilter | None = None
    currency: StringFilter | None = None
    order_merchant_external_id: StringFilter | None = None
    created_at: DateTimeFilter | None = None
    updated_at: DateTimeFilter | None = None
    COLUMNS = {
        "status": "status",
        "currency": "currency",
        "order_merchant_external_id": "order__order_merchant_external_id",
        "created_at": "created_at",
        "updated_at": "updated_at",
    }


@strawberry.input
class RefundTicketFilter:
    status: StringFilter | None = None
    refund_ticket_merchant_external_id: StringFilter | None = None
    submitter_type: StringFilter | None = None
    created_at: DateTimeFilter | None = None
    updated_at: DateTimeFilter | None = None
    COLUMNS = {
        "status": "status",
        "refund_ticket_merchant_external_id": "merchant_external_id",
        "submitter_type": "submitter_type",
        "created_at": "created_at",
        "updated_at": "updated_at",
    }


@strawberry.input
class RefundFilter:
    status: StringFilter | None = None
    currency: StringFilter | None = None
    order_merchant_external_id: StringFilter | None = None
    refund_ticket_merchant_external_id: StringFilter | None = None
    created_at: DateTimeFilter | None = None
    COLUMNS = {
        "status": "status",
        "currency": "currency",
        "order_merchant_external_id": "order__order_merchant_external_id",
        "refund_ticket_merchant_external_id": "merchant_external_id",
        "created_at": "created_at",
    }


@strawberry.input
class WebhookDeliveryFilter:
    status: StringFilter | None = None
    event_type: StringFilter | None = None
    event_id: StringFilter | None = None
    webhook_url: StringFilter | None = None
    http_status: IntFilter | None = None
    attempt_count: IntFilter | None = None
    created_at: DateTimeFilter | None = None
    COLUMNS = {
        "status": "status",
        "event_type": "event_type",
        "event_id": "event_id",
        "webhook_url": "url",
        "http_status": "last_http_status",
        "attempt_count": "attempts",
        "created_at": "created_at",
    }


@strawberry.input
class EmailDeliveryFilter:
    status: StringFilter | None = None
    kind: StringFilter | None = None
    to_address: StringFilter | None = None
    created_at: DateTimeFilter | None = None
    COLUMNS = {
        "status": "status",
        "kind": "kind",
        "to_address": "to_address",
        "created_at": "created_at",
    }
