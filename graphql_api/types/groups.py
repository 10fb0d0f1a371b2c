"""Subscription product groups (the guide's example 8): rules, environment and the plans,
shown as the group's environment sells them."""

import strawberry

from catalog import models
from core.ids import to_short_id
from core.timefmt import iso_utc
from graphql_api.types.catalog import SubscriptionProduct, product_node


@strawberry.type
class GroupRules:
    shared_trial: bool
    self_service_plan_change: bool


@strawberry.type
class SubscriptionProductGroup:
    row: strawberry.Private[models.ProductGroup]

    @strawberry.field(description="A raw UUID, not a Short ID")
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.row.pk))

    @strawberry.field
    def store_id(self) -> str:
        return self.row.store.public_id

    @strawberry.field
    def name(self) -> str:
        return self.row.name

    @strawberry.field
    def description(self) -> str | None:
        return self.row.description

    @strawberry.field
    def rules(self) -> GroupRules:
        return GroupRules(
            shared_trial=self.row.shared_trial,
            self_service_plan_change=self.row.self_service_plan_change,
        )

    @strawberry.field(description="test | prod")
    def environment(self) -> str:
        return self.row.environment

    @strawberry.field
    def product_ids(self) -> list[str]:
        return [to_short_id("PROD", member.product_id) for member in self.row.members.all()]

    @strawberry.field
    def products(self) -> list[SubscriptionProduct]:
        return [
            product_node(member.product, self.row.environment) for member in self.row.members.all()
        ]

    @strawberry.field
    def created_at(self) -> str:
        return iso_utc(self.row.created_at)

    @strawberry.field
    def updated_at(self) -> str:
        return iso_utc(self.row.updated_at)
