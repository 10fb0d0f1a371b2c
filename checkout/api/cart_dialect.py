"""The cart checkout API's (seed 002) dialect: credentials, JSON whatever ``Accept`` says,
the base views, and the ``{"error": {"status", "code", "message"}}`` error body.

Merchant credentials are the signed API-key headers or ``Authorization: Bearer sk_…``; the
two shipping endpoints also take a customer session token (``Authorization: Bearer <JWT>``).
"""

import uuid

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions as drf
from rest_framework.authentication import BaseAuthentication
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from checkout.carts import cart_for_merchant
from checkout.models import CheckoutSession, TemplateCart
from checkout.session_access import session_for_customer_token, session_for_merchant
from core import tokens
from core.api.credentials import Credential, CredentialRequired, refuse, requested_environment
from core.api.errors import CART_DIALECT
from core.api.views import ActionView, parse_json_object
from core.errors import BadRequest, NotFound
from stores.api.authentication import SignedApiKeyAuthentication
from stores.api.secret_keys import SecretKeyAuthentication, bearer_value

MERCHANT_AUTHENTICATION = (SignedApiKeyAuthentication, SecretKeyAuthentication)


class AlwaysJson(BaseContentNegotiation):
    """Answers are JSON (or the image asked for by path) whatever ``Accept`` says."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None


class CartCustomerTokenAuthentication(BaseAuthentication):
    """A customer session token (``/checkout/cst`` or ``auth/issue-session-token``).

    The session named in the body carries its environment, so ``X-Environment`` is optional
    here; when sent it must match the session's.
    """

    def authenticate(self, request):
        if not request.headers.get("Authorization"):
            return None
        token = bearer_value(request)
        if not token:
            raise refuse(request, "not a bearer token")
        try:
            claims = tokens.read_customer_token(token)
            store_id = uuid.UUID(claims.store_id)
        except (tokens.InvalidToken, ValueError) as exc:
            raise refuse(request, "invalid customer token", error=str(exc)) from None
        credential = Credential(
            kind="customer_token",
            environment=requested_environment(request) or "",
            store_id=store_id,
            buyer_identity=claims.buyer_identity,
        )
        return (None, credential)

    def authenticate_header(self, request):
        return "Bearer"


class CartView:
    error_dialect = CART_DIALECT
    content_negotiation_class = AlwaysJson
    authentication_classes = MERCHANT_AUTHENTICATION
    permission_classes = (CredentialRequired,)
    allowed_credentials: tuple[str, ...] = ("api_key",)

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        if response.status_code == 401:  # RFC 9110: a 401 names the scheme to use
            response["WWW-Authenticate"] = 'Bearer realm="checkout"'
        return response


class CartQueryView(CartView, APIView):
    """GET endpoints: the same method check and credentials as ``ActionView``, no body."""

    http_method_names = ["get", "head"]

    def initial(self, request, *args, **kwargs):
        if request.method.lower() not in self.http_method_names:
            raise drf.MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)


class CartActionView(CartView, ActionView):
    """POST endpoints: ``ActionView`` (method, credentials, idempotency), bare JSON answers."""

    fields: tuple[str, ...] = ()

    def _respond(self, request, raw: bytes) -> Response:
        payload = parse_json_object(raw)
        unknown = sorted(set(payload) - set(self.fields))
        if unknown:
            raise BadRequest(f"{unknown[0]} is not a known field", layer="order")
        return Response(self.perform(request, payload), status=200)


@extend_schema(exclude=True)
class UnknownCartRoute(CartView, APIView):
    """Anything else under ``/checkout/``: the dialect's 404, whatever the method."""

    authentication_classes = ()
    permission_classes = ()

    def initial(self, request, *args, **kwargs):
        raise NotFound("Not found")


def session_for(credential: Credential, public_id: str) -> CheckoutSession:
    """The live checkout as this credential may see it, else 404 (``checkout.session_access``)."""
    if credential.kind == "customer_token":
        return session_for_customer_token(
            public_id=public_id,
            store_id=credential.store_id,
            environment=credential.environment,
            buyer_identity=credential.buyer_identity,
        )
    return session_for_merchant(
        public_id=public_id,
        merchant_id=credential.merchant_id,
        environment=credential.environment,
    )


def merchant_cart(request, cart_id: str) -> TemplateCart:
    """The calling merchant's template cart in its key's environment, else 404."""
    credential = request.auth
    return cart_for_merchant(
        cart_id=cart_id, merchant_id=credential.merchant_id, environment=credential.environment
    )
