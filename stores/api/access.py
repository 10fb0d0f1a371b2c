"""The authorizer of the actions API (``settings.ACTION_AUTHORIZER``): a signed merchant
may run an action on a store when its role there holds the action's capability
(``stores.roles``). This is the only place the API checks roles."""

import logging

from django.core.exceptions import ImproperlyConfigured

from core.errors import Forbidden
from stores import roles, selectors

logger = logging.getLogger(__name__)


def authorize(*, request, view, payload: dict) -> None:
    credential = request.auth
    if credential.kind != "api_key":
        return  # buyers' credentials reach one buyer's orders; roles are merchants'
    capability, store_of = view.access_for(payload)
    if capability is None:
        # Refuse rather than guess: a new action must say what it needs.
        logger.error("%s declares no capability", type(view).__name__)
        raise Forbidden(roles.FORBIDDEN, layer=roles.LAYER)
    if roles.every_role_allows(capability):
        return
    if store_of is None:
        raise ImproperlyConfigured(f"{type(view).__name__} needs store_of for {capability}")
    store = store_of.store_ref(payload)
    if store is None:
        return  # nothing readable named: the view answers its 400
    role = selectors.role_in_store(merchant_id=credential.merchant_id, store_id=store)
    if role is None:
        return  # no such row, or not a member: the view answers 404 as for any out of reach
    roles.require(role=role, capability=capability)
