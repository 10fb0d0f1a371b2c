"""``store/add-webhook``, ``store/update-webhook``, ``store/remove-webhook``: thin adapters
from the SDK's requests to ``webhooks.services``."""

from core.api.access import StoreOf
from core.api.openapi import action
from core.api.params import optional, required_short_id
from core.api.views import ActionView
from core.errors import BadRequest
from stores.roles import Capability
from stores.selectors import store_membership
from webhooks import services
from webhooks.api import schema
from webhooks.api.representations import webhook_json
from webhooks.models import WebhookEndpoint


def _required(payload: dict, field: str):
    if payload.get(field) in (None, ""):
        raise BadRequest(f"Missing required field: {field}", layer=services.LAYER)
    return payload[field]


@action(tag="store", summary="Add a webhook", request=schema.ADD, data=schema.WEBHOOK_DATA)
class AddWebhook(ActionView):
    capability, store_of = Capability.WEBHOOKS, StoreOf("storeId", "STO")

    def perform(self, request, payload):
        store_id = required_short_id(payload, "storeId", "STO", layer=services.LAYER)
        membership = store_membership(merchant_id=request.auth.merchant_id, store_id=store_id)
        endpoint = services.webhook_add(
            membership=membership,
            channel=_required(payload, "channel"),
            url=_required(payload, "url"),
            events=payload.get("events"),
            test_mode=payload.get("testMode"),
            secret=payload.get("secret"),
        )
        return {"webhook": webhook_json(endpoint)}


@action(tag="store", summary="Update a webhook", request=schema.UPDATE, data=schema.WEBHOOK_DATA)
class UpdateWebhook(ActionView):
    capability, store_of = Capability.WEBHOOKS, StoreOf("id", model=WebhookEndpoint)

    def perform(self, request, payload):
        endpoint = services.webhook_for_manager(
            merchant_id=request.auth.merchant_id, webhook_id=_required(payload, "id")
        )
        endpoint = services.webhook_update(
            endpoint=endpoint,
            url=optional(payload, "url"),
            events=optional(payload, "events"),
            secret=optional(payload, "secret"),
        )
        return {"webhook": webhook_json(endpoint)}


@action(tag="store", summary="Remove a webhook", request=schema.REMOVE, data=schema.WEBHOOK_DATA)
class RemoveWebhook(ActionView):
    capability, store_of = Capability.WEBHOOKS, StoreOf("id", model=WebhookEndpoint)

    def perform(self, request, payload):
        endpoint = services.webhook_for_manager(
            merchant_id=request.auth.merchant_id, webhook_id=_required(payload, "id")
        )
        return {"webhook": webhook_json(services.webhook_remove(endpoint=endpoint))}
