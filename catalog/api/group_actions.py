"""``subscription-product-group/*`` actions over ``catalog.groups``: ``{group}`` answers.

A group lives in the environment of the key that made it; asked from the other
environment, or by another merchant, it is a 404.
"""

import uuid

from django.db import transaction

from catalog import groups, selectors
from catalog.api import group_schema as schema
from catalog.api.group_representations import group_json
from catalog.models import ProductGroup
from core.api.access import StoreOf
from core.api.openapi import action
from core.api.params import optional, required_short_id
from core.api.views import ActionView
from core.errors import BadRequest
from stores.roles import Capability
from stores.selectors import store_membership


def _group_id(payload: dict) -> uuid.UUID:
    value = payload.get("id")
    if value is None or value == "":
        raise BadRequest("Missing required field: id", layer="product")
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        return uuid.UUID(value)
    except ValueError:
        raise BadRequest(
            f'Invalid id: "{value}" is not a group ID (a UUID)', layer="product"
        ) from None


def _uuid_or_none(value: object) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if isinstance(value, str) else None
    except ValueError:
        return None


class GroupAction(ActionView):
    """Groups are catalog: owners and admins (``stores.roles``); the store is the group's."""

    capability = Capability.CATALOG
    store_of = StoreOf("id", model=ProductGroup, parse=_uuid_or_none)

    def locked_group(self, request, payload):
        return selectors.group_for_merchant(
            merchant_id=request.auth.merchant_id,
            group_id=_group_id(payload),
            environment=request.auth.environment,
            for_update=True,
        )

    def answer(self, group):
        return {"group": group_json(group, selectors.group_product_ids(group=group))}


@action(
    tag="product group",
    summary="Create a subscription product group",
    request=schema.CREATE,
    data=schema.GROUP_DATA,
)
class CreateGroup(GroupAction):
    store_of = StoreOf("storeId", "STO")

    def perform(self, request, payload):
        store_id = required_short_id(payload, "storeId", "STO", layer="product")
        store = store_membership(merchant_id=request.auth.merchant_id, store_id=store_id).store
        group = groups.group_create(
            store=store,
            environment=request.auth.environment,
            name=payload.get("name"),
            description=payload.get("description"),
            rules=payload.get("rules"),
            product_ids=payload.get("productIds"),
        )
        return self.answer(group)


@action(
    tag="product group",
    summary="Update a group (rules merged, productIds replaced)",
    request=schema.UPDATE,
    data=schema.GROUP_DATA,
)
class UpdateGroup(GroupAction):
    def perform(self, request, payload):
        with transaction.atomic():
            group = groups.group_update(
                group=self.locked_group(request, payload),
                name=optional(payload, "name"),
                description=optional(payload, "description"),
                rules=optional(payload, "rules"),
                product_ids=optional(payload, "productIds"),
            )
            return self.answer(group)


@action(
    tag="product group", summary="Hard-delete a group", request=schema.BY_ID, data=schema.GROUP_DATA
)
class DeleteGroup(GroupAction):
    def perform(self, request, payload):
        with transaction.atomic():
            group = self.locked_group(request, payload)
            product_ids = selectors.group_product_ids(group=group)
            group = groups.group_delete(group=group)
        return {"group": group_json(group, product_ids)}


@action(
    tag="product group",
    summary="Publish a test group to prod (upsert)",
    request=schema.BY_ID,
    data=schema.GROUP_DATA,
)
class PublishGroup(GroupAction):
    def perform(self, request, payload):
        with transaction.atomic():
            group = groups.group_publish(group=self.locked_group(request, payload))
            return self.answer(group)
