"""``store-merchant/*``: a store's team through the SDK's ``client.storeMerchants``. Who may
call them is ``Capability.TEAM`` (owners and admins), checked by ``stores.api.access``."""

from core.api.access import StoreOf
from core.api.openapi import action
from core.api.params import required_short_id
from core.api.views import ActionView
from core.timefmt import iso_utc
from stores import selectors, team
from stores.api import schema
from stores.roles import Capability


class TeamAction(ActionView):
    capability = Capability.TEAM
    store_of = StoreOf("storeId", "STO")

    def store_id(self, request, payload):
        """The store, when the caller belongs to it (another merchant's store is a 404)."""
        store_id = required_short_id(payload, "storeId", "STO", layer=team.LAYER)
        selectors.store_membership(merchant_id=request.auth.merchant_id, store_id=store_id)
        return store_id


@action(
    tag="store",
    summary="Add a merchant account to a store's team",
    request=schema.ADD_MERCHANT,
    data=schema.MERCHANT_ADDED,
)
class AddMerchant(TeamAction):
    def perform(self, request, payload):
        membership = team.team_member_add(
            store_id=self.store_id(request, payload),
            email=payload.get("email"),
            role=payload.get("role"),
            actor_id=request.auth.merchant_id,
        )
        return {
            "storeId": membership.store.public_id,
            "merchantId": membership.merchant.public_id,
            "email": membership.merchant.user.email,
            "role": membership.role,
            "status": "active",
            "addedAt": iso_utc(membership.created_at),
        }


@action(
    tag="store",
    summary="Remove a merchant from a store's team (never the owner)",
    request=schema.REMOVE_MERCHANT,
    data=schema.MERCHANT_REMOVED,
)
class RemoveMerchant(TeamAction):
    def perform(self, request, payload):
        store_id = self.store_id(request, payload)
        removal = team.team_member_remove(
            store_id=store_id,
            merchant_id=required_short_id(payload, "merchantId", "MER", layer=team.LAYER),
            actor_id=request.auth.merchant_id,
        )
        return {"message": team.REMOVED, "removedAt": iso_utc(removal.removed_at)}


@action(
    tag="store",
    summary="Change a team member's role (never the owner's)",
    request=schema.UPDATE_ROLE,
    data=schema.ROLE_UPDATED,
)
class UpdateRole(TeamAction):
    def perform(self, request, payload):
        store_id = self.store_id(request, payload)
        membership = team.team_member_set_role(
            store_id=store_id,
            merchant_id=required_short_id(payload, "merchantId", "MER", layer=team.LAYER),
            role=payload.get("role"),
            actor_id=request.auth.merchant_id,
        )
        return {
            "storeId": membership.store.public_id,
            "merchantId": membership.merchant.public_id,
            "role": membership.role,
            "updatedAt": iso_utc(membership.updated_at),
        }
