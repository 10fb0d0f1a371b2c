"""``subscription-order/cancel-order`` (the merchant's key or the buyer's token) and
``subscription-order/reactivate-order`` (the buyer's token): ``{orderId, status}``."""

from checkout.api.authentication import CustomerTokenAuthentication
from core.api.access import StoreOf
from core.api.openapi import action
from core.api.views import ActionView
from core.errors import BadRequest, NotFound
from orders import selectors
from orders.api import schema
from orders.api.actions import order_id_field
from orders.models import Order
from stores.api.authentication import SignedApiKeyAuthentication
from stores.roles import Capability
from subscriptions.services import subscription_cancel, subscription_reactivate


def _order(request, payload) -> Order:
    order_id = order_id_field(payload)
    credential = request.auth
    if credential.kind == "api_key":
        order = (
            selectors.orders_for_merchant(
                merchant_id=credential.merchant_id, environment=credential.environment
            )
            .filter(pk=order_id)
            .first()
        )
        if order is None:
            raise NotFound("Order not found", layer="order")
    else:
        order = selectors.order_for_customer(
            order_id=order_id,
            store_id=credential.store_id,
            buyer_identity=credential.buyer_identity,
            environment=credential.environment,
        )
    if order.product_type != "subscription":
        raise BadRequest("Order is not a subscription order", layer="order")
    return order


@action(
    tag="order",
    summary="Cancel a subscription (pending: canceled; active or past due: canceling)",
    request=schema.CANCEL,
    data=schema.CANCELED,
)
class CancelSubscription(ActionView):
    authentication_classes = (SignedApiKeyAuthentication, CustomerTokenAuthentication)
    allowed_credentials = ("api_key", "customer_token")
    capability, store_of = Capability.ORDERS, StoreOf("orderId", "ORD", Order)

    def perform(self, request, payload):
        order = subscription_cancel(order=_order(request, payload))
        return {"orderId": order.public_id, "status": order.status}


@action(
    tag="order",
    summary="Undo a cancellation (canceling: active)",
    request=schema.CANCEL,
    data=schema.CANCELED,
)
class ReactivateSubscription(ActionView):
    authentication_classes = (CustomerTokenAuthentication,)
    allowed_credentials = ("customer_token",)

    def perform(self, request, payload):
        order = subscription_reactivate(order=_order(request, payload))
        return {"orderId": order.public_id, "status": order.status}
