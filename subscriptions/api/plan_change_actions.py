"""``checkout/create-session`` with plan change mode: ``originOrderId`` present makes the
request a plan change (``subscriptions.plan_changes``); without it the request is the
checkout's own new purchase, answered by ``checkout.api.actions.CreateSession`` unchanged.

This view lives here, above both apps, because checkout may not know subscriptions; the
URL of ``create-session`` points at it (``config/api_urls.py``).
"""

from django.conf import settings

from checkout.api import actions as checkout_actions
from checkout.api import schema as checkout_schema
from checkout.api.authentication import CustomerTokenAuthentication, StoreSlugAuthentication
from core.api.access import StoreOf
from core.api.openapi import action
from core.api.openapi_shapes import AMOUNT, obj
from core.errors import Forbidden, Unauthorized
from core.timefmt import iso_utc
from orders.models import Order
from stores.api.authentication import SignedApiKeyAuthentication
from stores.roles import Capability
from subscriptions.plan_change_request import is_plan_change, parse_plan_change_request
from subscriptions.plan_changes import Requester, plan_change_offer

NO_ANONYMOUS_CHANGE = (
    "Plan change needs a merchant API key or a customer session token, not a store slug"
)
PLAN_CHANGE_FIELDS = {
    "originOrderId": {"type": "string", "pattern": "^ORD_"},
    "changeTiming": {"enum": ["immediate", "next_period"]},
    "changeAmount": AMOUNT,
    "changeCreditAmount": AMOUNT,
}
REQUEST = obj(
    {**checkout_schema.CREATE_SESSION["properties"], **PLAN_CHANGE_FIELDS},
    optional=(
        *(
            name
            for name in checkout_schema.CREATE_SESSION["properties"]
            if name not in checkout_schema.CREATE_SESSION["required"]
        ),
        *PLAN_CHANGE_FIELDS,
    ),
)


def plan_change_url(change) -> str:
    return f"{settings.PUBLIC_BASE_URL}/store/{change.store.slug}/change/{change.public_id}"


@action(
    tag="checkout",
    summary="Create a checkout session, or a plan change session when originOrderId is sent",
    request=REQUEST,
    data=checkout_schema.SESSION,
)
class CreateSessionOrPlanChange(checkout_actions.CreateSession):
    authentication_classes = (
        SignedApiKeyAuthentication,
        StoreSlugAuthentication,
        CustomerTokenAuthentication,
    )
    allowed_credentials = ("api_key", "store_slug", "customer_token")
    # A plan change may charge a buyer's saved card: it acts on the buyer's order, which a
    # member (who may only start checkouts) must not do.
    plan_change_access = (Capability.ORDERS, StoreOf("originOrderId", "ORD", Order))

    def access_for(self, payload):
        if is_plan_change(payload):
            return self.plan_change_access
        return super().access_for(payload)

    def perform(self, request, payload):
        credential = request.auth
        if not is_plan_change(payload):
            if credential.kind == "customer_token":  # a new purchase never took a token
                raise Unauthorized("Unauthorized")
            return super().perform(request, payload)
        if credential.kind == "store_slug":
            raise Forbidden(NO_ANONYMOUS_CHANGE, layer="order")
        from_merchant = credential.kind == "api_key"
        requester = Requester(
            environment=credential.environment,
            merchant_id=credential.merchant_id if from_merchant else None,
            store_id=None if from_merchant else credential.store_id,
            buyer_identity="" if from_merchant else credential.buyer_identity,
        )
        change = plan_change_offer(
            requester=requester,
            request=parse_plan_change_request(payload, from_merchant=from_merchant),
        )
        return {
            "sessionId": change.public_id,
            "checkoutUrl": plan_change_url(change),
            "expiresAt": iso_utc(change.expires_at),
        }
