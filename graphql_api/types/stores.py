"""Stores, merchants, memberships and API keys as the guide names them."""

from datetime import timedelta

import strawberry
from django.utils import timezone
from strawberry.types import Info

from core.timefmt import iso_utc
from graphql_api.scope import scope_of
from graphql_api.types.webhooks import StoreWebhook
from stores import models
from webhooks.selectors import endpoints_in_environment, endpoints_seen_by

RECENTLY_USED = timedelta(days=30)


@strawberry.type
class Store:
    row: strawberry.Private[models.Store]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.row.public_id)

    @strawberry.field
    def name(self) -> str:
        return self.row.name

    @strawberry.field
    def slug(self) -> str:
        return self.row.slug

    @strawberry.field(description="active | inactive | suspended")
    def status(self) -> str:
        return self.row.status

    @strawberry.field
    def support_email(self) -> str | None:
        return self.row.support_email or None

    @strawberry.field
    def website(self) -> str | None:
        return self.row.website or None

    @strawberry.field
    def logo(self) -> str | None:
        return self.row.logo or None

    @strawberry.field
    def prod_enabled(self) -> bool:
        return self.row.prod_enabled

    @strawberry.field(description="The store's webhooks that receive the key's environment.")
    def store_webhooks(self, info: Info) -> list[StoreWebhook]:
        credential = scope_of(info).credential
        if credential.kind != "api_key":  # a buyer's token never sees a store's webhooks
            return []
        seen = getattr(self.row, "webhooks_seen", None)  # prefetched by the store lists
        if seen is None:  # a store reached through an order or a membership
            seen = endpoints_seen_by(merchant_id=credential.merchant_id).filter(store=self.row)
        endpoints = endpoints_in_environment(endpoints=seen, environment=credential.environment)
        return [StoreWebhook(row=endpoint) for endpoint in endpoints]

    @strawberry.field
    def created_at(self) -> str:
        return iso_utc(self.row.created_at)

    @strawberry.field
    def updated_at(self) -> str:
        return iso_utc(self.row.updated_at)


@strawberry.type
class StoreMerchant:
    row: strawberry.Private[models.StoreMembership]

    @strawberry.field(description="owner | admin | member")
    def role(self) -> str:
        return self.row.role

    @strawberry.field
    def store(self) -> Store:
        return Store(row=self.row.store)

    @strawberry.field
    def created_at(self) -> str:
        return iso_utc(self.row.created_at)


@strawberry.type
class ApiKey:
    row: strawberry.Private[models.ApiKey]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.row.pk))

    @strawberry.field
    def nickname(self) -> str | None:
        return self.row.name or None

    @strawberry.field(description="test | prod")
    def environment(self) -> str:
        return self.row.environment

    @strawberry.field(description="Used to sign a request in the last 30 days.")
    def recently_used(self) -> bool:
        used = self.row.last_used_at
        return used is not None and timezone.now() - used <= RECENTLY_USED

    @strawberry.field
    def revoked(self) -> bool:
        return self.row.is_revoked

    @strawberry.field
    def created_at(self) -> str:
        return iso_utc(self.row.created_at)


@strawberry.type
class Merchant:
    row: strawberry.Private[models.Merchant]
    store_merchants: list[StoreMerchant]
    api_keys: list[ApiKey]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.row.public_id)

    @strawberry.field
    def email(self) -> str:
        return self.row.user.email

    @strawberry.field
    def name(self) -> str | None:
        return self.row.user.get_full_name() or None

    @strawberry.field(description="active | inactive")
    def status(self) -> str:
        return "active" if self.row.user.is_active else "inactive"

    @strawberry.field
    def created_at(self) -> str:
        return iso_utc(self.row.created_at)
