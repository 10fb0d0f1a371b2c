"""The webhook delivery and email logs of the merchant's stores, in the key's environment only.

Tenancy is ``webhooks.selectors.deliveries_for_merchant``'s; attempts load with the page."""

import strawberry
from strawberry.types import Info

from graphql_api.filters import EmailDeliveryFilter, WebhookDeliveryFilter, apply_filter
from graphql_api.scope import decode_id, page, scope_of
from graphql_api.types.webhooks import EmailDelivery, WebhookDelivery
from notifications.selectors import emails_for_merchant
from webhooks import selectors


def _deliveries(info: Info, store_id: str | None, delivery_filter):
    scope = scope_of(info)
    deliveries = selectors.deliveries_for_merchant(
        merchant_id=scope.merchant_id, environment=scope.environment
    )
    if store_id is not None:
        deliveries = deliveries.filter(store_id=decode_id("STO", store_id))
    return apply_filter(deliveries, delivery_filter)


def _emails(info: Info, store_id: str | None, email_filter):
    scope = scope_of(info)
    emails = emails_for_merchant(merchant_id=scope.merchant_id, environment=scope.environment)
    if store_id is not None:
        emails = emails.filter(store_id=decode_id("STO", store_id))
    return apply_filter(emails, email_filter)


@strawberry.type
class WebhookQueries:
    @strawberry.field(description="Newest first; only the key's environment.")
    def webhook_deliveries(
        self,
        info: Info,
        store_id: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
        filter: WebhookDeliveryFilter | None = None,
    ) -> list[WebhookDelivery]:
        deliveries = _deliveries(info, store_id, filter).prefetch_related("attempt_log")
        rows = page(deliveries.order_by("-created_at"), limit=limit, offset=offset)
        return [WebhookDelivery(row=row) for row in rows]

    @strawberry.field
    def webhook_deliveries_count(
        self,
        info: Info,
        store_id: str | None = None,
        filter: WebhookDeliveryFilter | None = None,
    ) -> int:
        return _deliveries(info, store_id, filter).count()

    @strawberry.field(description="Emails to buyers, newest first; only the key's environment.")
    def email_deliveries(
        self,
        info: Info,
        store_id: str | None = None,
        limit: int | None = None,
        offset: int | None = None,
        filter: EmailDeliveryFilter | None = None,
    ) -> list[EmailDelivery]:
        rows = page(
            _emails(info, store_id, filter).order_by("-created_at"), limit=limit, offset=offset
        )
        return [EmailDelivery(row=row) for row in rows]

    @strawberry.field
    def email_deliveries_count(
        self,
        info: Info,
        store_id: str | None = None,
        filter: EmailDeliveryFilter | None = None,
    ) -> int:
        return _emails(info, store_id, filter).count()
