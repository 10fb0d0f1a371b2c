"""The cart checkout API (seed 002): QR codes of template carts, beginning a live checkout
from one, shipping address and method, and customer session tokens.

snake_case JSON; errors are ``{"error": {"status", "code", "message"}}`` (built by
``core.api.errors`` for every view with ``error_dialect = "cart"``). The dialect's plumbing
is ``cart_dialect``, request parsing ``cart_params``, the answers ``cart_representations``.

After ``/checkout/begin/{cart_id}``, ``cart_id`` in the shipping and cst calls names the live
checkout (``cs_…``), not the template. The public link ``/c/{cart_id}`` is a hosted page
(``checkout.web.cart_link``).
"""

from django.http import HttpResponse
from rest_framework.response import Response

from checkout.api import schema
from checkout.api.cart_dialect import (
    MERCHANT_AUTHENTICATION,
    CartActionView,
    CartCustomerTokenAuthentication,
    CartQueryView,
    merchant_cart,
    session_for,
)
from checkout.api.cart_params import (
    QR_MARGIN,
    QR_SIZE,
    check_payment_intent,
    int_param,
    required_buyer_info,
    required_id,
    required_method_id,
)
from checkout.api.cart_representations import begin_json, qr_json, shipping_json, token_json
from checkout.carts import cart_begin
from checkout.links import public_cart_url
from checkout.models import CheckoutSession
from checkout.prefill import PREFILL_LIMITS, parse_prefill
from checkout.qr_codes import qr_image
from checkout.selectors import SessionState, session_state
from checkout.services import check_store_sells
from checkout.shipping import (
    ALREADY_SUBMITTED,
    available_methods,
    parse_address,
    shipping_select_method,
    shipping_set_address,
)
from core import tokens
from core.api.openapi import QR_PARAMETERS, cart
from core.errors import Conflict, Unprocessable

QR_CACHE_CONTROL = "private, max-age=300"
SESSION_EXPIRED = "Checkout session has expired"


@cart(
    summary="The QR code of a template cart's public link (JSON, or the image by path)",
    request=None,
    answer=schema.QR,
    parameters=QR_PARAMETERS,
)
class CartQrView(CartQueryView):
    """``GET /checkout/{cart_id}/qr`` (JSON), ``…/qr.png`` and ``…/qr.svg`` (images)."""

    kind = "json"

    def get(self, request, cart_id: str):
        size = int_param(request, "size", QR_SIZE)
        margin = int_param(request, "margin", QR_MARGIN)
        cart = merchant_cart(request, cart_id)
        check_store_sells(cart.store, cart.environment)
        url = public_cart_url(cart)
        if self.kind == "json":
            response = Response(qr_json(cart, url, size, margin))
        else:
            response = HttpResponse(
                qr_image(url, kind=self.kind, size=size, margin=margin),
                content_type="image/png" if self.kind == "png" else "image/svg+xml",
            )
        response["Cache-Control"] = QR_CACHE_CONTROL
        return response


@cart(
    summary="Begin a live checkout from a template cart",
    request=None,
    answer=schema.BEGIN,
)
class BeginCheckout(CartActionView):
    """``POST /checkout/begin/{cart_id}``: a live checkout with today's prices locked."""

    fields = ()

    def perform(self, request, payload):
        cart = merchant_cart(request, self.kwargs["cart_id"])
        return begin_json(cart_begin(cart=cart), cart)


def _reload(session: CheckoutSession) -> CheckoutSession:
    return CheckoutSession.objects.select_related("store").get(pk=session.pk)


@cart(
    summary="Set the shipping address; answers the methods that serve it",
    request=schema.SET_SHIPPING,
    answer=schema.SHIPPING,
)
class SetShippingAddress(CartActionView):
    """``POST /checkout/shipping``: store the address, answer the methods that serve it."""

    allowed_credentials = ("api_key", "customer_token")
    authentication_classes = (*MERCHANT_AUTHENTICATION, CartCustomerTokenAuthentication)
    fields = ("cart_id", "buyer_info", "payment_intent_id")

    def perform(self, request, payload):
        cart_id = required_id(payload, "cart_id")
        check_payment_intent(payload)
        address = parse_address(required_buyer_info(payload))
        session = session_for(request.auth, cart_id)
        check_store_sells(session.store, session.environment)
        options = shipping_set_address(session=session, address=address, refuse_unserved=True)
        return shipping_json(_reload(session), options)


@cart(
    summary="Choose a shipping method",
    request=schema.SELECT_METHOD,
    answer=schema.SHIPPING,
)
class SelectShippingMethod(CartActionView):
    """``POST /checkout/shipping/method``: choose one of the methods for the address."""

    allowed_credentials = ("api_key", "customer_token")
    authentication_classes = (*MERCHANT_AUTHENTICATION, CartCustomerTokenAuthentication)
    fields = ("cart_id", "shipping_method_id")

    def perform(self, request, payload):
        cart_id = required_id(payload, "cart_id")
        method_id = required_method_id(payload)
        session = session_for(request.auth, cart_id)
        check_store_sells(session.store, session.environment)
        shipping_select_method(session=session, method_id=method_id)
        session = _reload(session)
        options = available_methods(
            session=session, country=session.shipping_address["country_code"]
        )
        return shipping_json(session, options)


@cart(
    summary="A customer session token for one live checkout, with prefill",
    request=schema.MINT_TOKEN,
    answer=schema.CART_TOKEN,
)
class MintCustomerToken(CartActionView):
    """``POST /checkout/cst``: a 5-minute token for one live checkout, with prefill claims."""

    fields = ("cart_id", *PREFILL_LIMITS)

    def perform(self, request, payload):
        cart_id = required_id(payload, "cart_id")
        prefill = parse_prefill(payload=payload)
        session = session_for(request.auth, cart_id)
        check_store_sells(session.store, session.environment)
        state = session_state(session)
        if state == SessionState.COMPLETED:
            raise Conflict(ALREADY_SUBMITTED, layer="order")
        if state == SessionState.EXPIRED:
            raise Unprocessable(SESSION_EXPIRED, layer="order", code="session_expired")
        token, expires_at = tokens.issue_customer_token(
            buyer_identity=prefill.get("email") or f"cst:{session.public_id}",
            store_id=str(session.store_id),
            extra=prefill or None,
        )
        return token_json(session, token, expires_at)
