"""``checkout/*`` and ``auth/*`` actions (seeds 000, 001, 004)."""

from checkout import selectors, services
from checkout.api import schema
from checkout.api.authentication import CustomerTokenAuthentication, StoreSlugAuthentication
from checkout.api.representations import session_json, tax_json
from checkout.billing import parse_billing_detail
from checkout.pricing import quote
from checkout.session_request import parse_session_request
from core import ids
from core.api.openapi import action
from core.api.views import ActionView
from core.errors import BadRequest
from core.timefmt import iso_utc
from stores.api.authentication import SignedApiKeyAuthentication
from stores.roles import Capability

BROWSER_AUTHENTICATION = (StoreSlugAuthentication, CustomerTokenAuthentication)


@action(
    tag="checkout",
    summary="Create a checkout session (store slugs: merchant-only fields are dropped)",
    request=schema.CREATE_SESSION,
    data=schema.SESSION,
)
class CreateSession(ActionView):
    authentication_classes = (SignedApiKeyAuthentication, StoreSlugAuthentication)
    allowed_credentials = ("api_key", "store_slug")
    capability = Capability.CHECKOUT

    def perform(self, request, payload):
        credential = request.auth
        from_merchant = credential.kind == "api_key"
        session = services.session_create(
            request=parse_session_request(payload, from_merchant=from_merchant),
            environment=credential.environment,
            merchant_id=credential.merchant_id if from_merchant else None,
            store_slug=credential.store_slug,
        )
        return session_json(session)


@action(
    tag="checkout",
    summary="Issue a customer session token",
    request=schema.ISSUE_TOKEN,
    data=schema.TOKEN,
)
class IssueSessionToken(ActionView):
    unauthorized_message = "Missing merchantId in request context"
    capability = Capability.CHECKOUT

    def perform(self, request, payload):
        identity = services.normalize_buyer_identity(payload.get("buyerIdentity"))
        store_text, product_text = payload.get("storeId"), payload.get("productId")
        if store_text in (None, "") and product_text in (None, ""):
            raise BadRequest("Missing required field: provide storeId or productId", layer="user")
        issued = services.session_token_issue(
            merchant_id=request.auth.merchant_id,
            buyer_identity=identity,
            store_id=_decode("STO", store_text),
            product_id=_decode("PROD", product_text),
        )
        return {"token": issued.token, "expiresAt": iso_utc(issued.expires_at)}


def _decode(prefix: str, text):
    if text is None or text == "":
        return None
    try:
        return ids.from_short_id(prefix, text)
    except ids.InvalidShortId:
        raise BadRequest(ids.format_error(prefix, text), layer="user") from None


class CustomerAction(ActionView):
    """Called from the consumer's browser with a store slug or a customer session token."""

    authentication_classes = BROWSER_AUTHENTICATION
    allowed_credentials = ("store_slug", "customer_token")

    def session(self, request, payload):
        credential = request.auth
        if payload.get("checkoutSessionId") in (None, ""):
            raise BadRequest("Missing required field: checkoutSessionId", layer="order")
        return selectors.session_for_customer(
            public_id=payload["checkoutSessionId"],
            store_id=credential.store_id,
            store_slug=credential.store_slug,
            environment=credential.environment,
        )


@action(
    tag="checkout",
    summary="Preview tax for billing details",
    request=schema.PREVIEW_TAX,
    data=schema.TAX,
)
class PreviewTax(CustomerAction):
    def perform(self, request, payload):
        session = self.session(request, payload)
        billing = parse_billing_detail(payload.get("billingDetail"))
        return tax_json(quote(session=session, billing=billing))
