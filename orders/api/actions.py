"""``onetime-order/*`` and ``subscription-order/*`` actions for the consumer's browser."""

import uuid

from checkout.api.actions import CustomerAction
from checkout.api.authentication import CustomerTokenAuthentication
from checkout.billing import parse_billing_detail
from core import ids
from core.api.openapi import action
from core.errors import BadRequest
from core.text import normalize_email
from orders import selectors, services
from orders.api import schema
from orders.api.representations import order_json


def order_id_field(payload: dict) -> uuid.UUID:
    """The request's ``orderId``, decoded; 400 when missing or not an order ID."""
    text = payload.get("orderId")
    if not text:
        raise BadRequest("Missing required field: orderId", layer="order")
    try:
        return ids.from_short_id("ORD", text)
    except ids.InvalidShortId:
        raise BadRequest(ids.format_error("ORD", text), layer="order") from None


@action(
    tag="order",
    summary="Place the order of a checkout session",
    request=schema.CREATE,
    data=schema.ORDER,
)
class CreateOrder(CustomerAction):
    product_type: str = ""

    def perform(self, request, payload):
        session = self.session(request, payload)
        if session.product_type != self.product_type:
            raise BadRequest(
                f"Checkout session is not for a {self.product_type} product", layer="order"
            )
        billing = parse_billing_detail(payload.get("billingDetail"))
        email = payload.get("buyerEmail")
        if email is not None and not isinstance(email, str):
            raise BadRequest("Invalid buyerEmail", layer="order")
        order = services.order_place(
            session=session,
            billing=billing,
            buyer_email=normalize_email(email or ""),
            buyer_identity=request.auth.buyer_identity or "",
        )
        return order_json(order)


@action(
    tag="order",
    summary="Cancel a one-time order",
    request=schema.CANCEL,
    data=schema.CANCELED,
)
class CancelOnetimeOrder(CustomerAction):
    """Only a token holder can manage an order afterwards (anonymous buyers cannot)."""

    authentication_classes = (CustomerTokenAuthentication,)
    allowed_credentials = ("customer_token",)

    def perform(self, request, payload):
        order_id = order_id_field(payload)
        credential = request.auth
        order = selectors.order_for_customer(
            order_id=order_id,
            store_id=credential.store_id,
            buyer_identity=credential.buyer_identity,
            environment=credential.environment,
        )
        order = services.order_cancel(order=order)
        return {"orderId": order.public_id, "status": order.status}
