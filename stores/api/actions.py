"""``store/*`` actions: thin adapters from the SDK's requests to ``stores.services``."""

from core.api.access import StoreOf
from core.api.openapi import action
from core.api.params import optional, required_short_id
from core.api.views import ActionResult, ActionView
from stores import selectors, services
from stores.api import schema
from stores.api.representations import store_json
from stores.roles import Capability

READ_ONLY_FIELDS = {
    "supportEmail": "Set the support email in the admin under Stores; the API does not write it.",
    "website": "Set the website in the admin under Stores; the API does not write it.",
    "webhookSettings": "Webhook endpoints are not managed through update-store.",
}


@action(tag="store", summary="Create a store", request=schema.CREATE, data=schema.STORE_DATA)
class CreateStore(ActionView):
    capability = Capability.CREATE_STORE

    def perform(self, request, payload):
        store = services.store_create(
            merchant_id=request.auth.merchant_id, name=payload.get("name")
        )
        return {"store": store_json(store)}


@action(tag="store", summary="Update a store", request=schema.UPDATE, data=schema.STORE_DATA)
class UpdateStore(ActionView):
    capability, store_of = Capability.STORE_SETTINGS, StoreOf("id", "STO")

    def perform(self, request, payload):
        store_id = required_short_id(payload, "id", "STO", layer="store")
        membership = selectors.store_membership(
            merchant_id=request.auth.merchant_id, store_id=store_id
        )
        result = services.store_update(
            membership=membership,
            name=optional(payload, "name"),
            status=optional(payload, "status"),
            logo=optional(payload, "logo"),
            checkout_settings=optional(payload, "checkoutSettings"),
            notification_settings=optional(payload, "notificationSettings"),
        )
        warnings = result.warnings + [
            {
                "message": f"{name} is not writable here and was ignored",
                "layer": "store",
                "aiHint": hint,
            }
            for name, hint in READ_ONLY_FIELDS.items()
            if name in payload
        ]
        return ActionResult({"store": store_json(result.store)}, warnings)


@action(tag="store", summary="Delete a store", request=schema.DELETE, data=schema.STORE_DATA)
class DeleteStore(ActionView):
    capability, store_of = Capability.DELETE_STORE, StoreOf("id", "STO")

    def perform(self, request, payload):
        store_id = required_short_id(payload, "id", "STO", layer="store")
        membership = selectors.store_membership(
            merchant_id=request.auth.merchant_id, store_id=store_id
        )
        return {"store": store_json(services.store_delete(membership=membership))}
