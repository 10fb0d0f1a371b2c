"""The cart checkout API (seed 002): QR codes of template carts, beginning a live checkout
from one, shipping address and method, and customer session tokens.

snake_case JSON; errors are ``{"error": {"status", "code", "message"}}`` (built by
``core.api.errors`` for every view with ``error_dialect = "cart"``). Merchant credentials are
the signed API-key headers or ``Authorization: Bearer sk_…``; the two shipping endpoints also
take a customer session token (``Authorization: Bearer <JWT>``).

After ``/checkout/begin/{cart_id}``, ``cart_id`` in the shipping and cst calls names the live
checkout (``cs_…``), not the template. The public link ``/c/{cart_id}`` is a hosted page (HTML).
"""

import io
import re
import uuid

import segno
from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.views.decorators.http import require_GET
from rest_framework import exceptions as drf
from rest_framework.authentication import BaseAuthentication
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response
from rest_framework.views import APIView

from checkout import page_context
from checkout.billing import BillingDetail, countries
from checkout.carts import cart_begin, cart_for_merchant, public_cart
from checkout.links import hosted_checkout_url
from checkout.models import CheckoutSession, SessionStatus, TemplateCart
from checkout.pricing import quote
from checkout.selectors import SESSION_NOT_FOUND, session_by_public_id
from checkout.services import check_store_sells
from checkout.shipping import (
    ALREADY_SUBMITTED,
    PHONE,
    PROVINCES,
    MethodOption,
    available_methods,
    parse_address,
    shipping_select_method,
    shipping_set_address,
)
from core import ids, tokens
from core.api.credentials import Credential, CredentialRequired, refuse, requested_environment
from core.api.errors import CART_DIALECT
from core.api.views import ActionView, parse_json_object
from core.errors import AppError, BadRequest, Conflict, NotFound, Unprocessable
from core.money import format_amount
from core.text import is_email, normalize_email
from core.timefmt import iso_utc
from stores.api.authentication import SignedApiKeyAuthentication
from stores.api.secret_keys import SecretKeyAuthentication, bearer_value
from stores.models import Store, StoreMembership
from stores.settings_schema import store_theme

MERCHANT_AUTHENTICATION = (SignedApiKeyAuthentication, SecretKeyAuthentication)
QR_SIZE = (1, 40, 8)  # module scale in pixels: min, max, default
QR_MARGIN = (0, 16, 4)  # quiet zone in modules: min, max, default
QR_CACHE_CONTROL = "private, max-age=300"
_SMALL_INT = re.compile(r"^[0-9]{1,3}$")
PAYMENT_INTENT_MAX = 128
SESSION_EXPIRED = "Checkout session has expired"
PREFILL_LIMITS = {
    "address1": 200,
    "address2": 200,
    "city": 100,
    "country_code": 2,
    "email": 254,
    "first_name": 100,
    "last_name": 100,
    "phone": 20,
    "postal_code": 12,
    "province_code": 8,
}


# --- the dialect's plumbing -----------------------------------------------------------------


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


class UnknownCartRoute(CartView, APIView):
    """Anything else under ``/checkout/``: the dialect's 404, whatever the method."""

    authentication_classes = ()
    permission_classes = ()

    def initial(self, request, *args, **kwargs):
        raise NotFound("Not found")


# --- shared reads and checks ----------------------------------------------------------------


def _required_id(payload: dict, field: str) -> str:
    value = payload.get(field)
    if value is None or value == "":
        raise BadRequest(f"Missing required field: {field}", layer="order")
    if not isinstance(value, str):
        raise BadRequest(f"{field} must be a string", layer="order")
    return value


def _store_open(store: Store, environment: str) -> None:
    check_store_sells(store, environment)


def _session_for(credential: Credential, public_id: str) -> CheckoutSession:
    """The live checkout as this credential may see it, else 404.

    A merchant reaches sessions of its own stores in its key's environment; a customer
    token reaches sessions of its store, and a token minted by ``/checkout/cst`` without an
    email only the session it was minted for.
    """
    session = session_by_public_id(public_id)
    if session is None or session.store.deleted_at is not None:
        raise NotFound(SESSION_NOT_FOUND, layer="order")
    if credential.kind == "customer_token":
        identity = credential.buyer_identity or ""
        allowed = (
            session.store_id == credential.store_id
            and credential.environment in ("", session.environment)
            and (not identity.startswith("cst:") or identity == f"cst:{session.public_id}")
        )
    else:
        allowed = (
            session.environment == credential.environment
            and StoreMembership.objects.filter(
                store_id=session.store_id, merchant_id=credential.merchant_id
            ).exists()
        )
    if not allowed:
        raise NotFound(SESSION_NOT_FOUND, layer="order")
    return session


def _merchant_cart(request, cart_id: str) -> TemplateCart:
    credential = request.auth
    return cart_for_merchant(
        cart_id=cart_id, merchant_id=credential.merchant_id, environment=credential.environment
    )


def _amount(minor: int | None, currency: str) -> str | None:
    return None if minor is None else format_amount(minor, currency)


# --- QR codes -------------------------------------------------------------------------------


def public_cart_url(cart: TemplateCart) -> str:
    return f"{settings.PUBLIC_BASE_URL}/c/{cart.public_id}"


def _int_param(request, name: str, bounds: tuple[int, int, int]) -> int:
    low, high, default = bounds
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not _SMALL_INT.match(raw) or not low <= int(raw) <= high:
        raise BadRequest(f"{name} must be an integer from {low} to {high}", layer="order")
    return int(raw)


class CartQrView(CartQueryView):
    """``GET /checkout/{cart_id}/qr`` (JSON), ``…/qr.png`` and ``…/qr.svg`` (images)."""

    kind = "json"

    def get(self, request, cart_id: str):
        size = _int_param(request, "size", QR_SIZE)
        margin = _int_param(request, "margin", QR_MARGIN)
        cart = _merchant_cart(request, cart_id)
        _store_open(cart.store, cart.environment)
        url = public_cart_url(cart)
        if self.kind == "json":
            response = Response(self._json(cart, url, size, margin))
        else:
            response = HttpResponse(
                _qr_image(url, kind=self.kind, size=size, margin=margin),
                content_type="image/png" if self.kind == "png" else "image/svg+xml",
            )
        response["Cache-Control"] = QR_CACHE_CONTROL
        return response

    @staticmethod
    def _json(cart: TemplateCart, url: str, size: int, margin: int) -> dict:
        base = f"{settings.PUBLIC_BASE_URL}/checkout/{cart.public_id}/qr"
        query = (
            ""
            if (size, margin) == (QR_SIZE[2], QR_MARGIN[2])
            else (f"?size={size}&margin={margin}")
        )
        return {
            "cart_id": cart.public_id,
            "url": url,
            "png_url": f"{base}.png{query}",
            "svg_url": f"{base}.svg{query}",
            "size": size,
            "margin": margin,
        }


def _qr_image(url: str, *, kind: str, size: int, margin: int) -> bytes:
    # Always a full QR code (never Micro QR), error correction exactly M.
    code = segno.make_qr(url, error="m", boost_error=False)
    buffer = io.BytesIO()
    code.save(buffer, kind=kind, scale=size, border=margin)
    return buffer.getvalue()


# --- begin ----------------------------------------------------------------------------------


def _line_json(line, currency: str) -> dict:
    return {
        "product_id": ids.to_short_id("PROD", line.product_id),
        "name": line.name,
        "quantity": line.quantity,
        "unit_amount": format_amount(line.charged_unit_amount, currency),
        "total": format_amount(line.charged_unit_amount * line.quantity, currency),
    }


def begin_json(session: CheckoutSession, cart: TemplateCart) -> dict:
    items = session.line_items
    return {
        "checkout_session_id": session.public_id,
        "checkout_url": hosted_checkout_url(session),
        "expires_at": iso_utc(session.expires_at),
        "status": session.status,
        "template_cart_id": cart.public_id,
        "currency": session.currency,
        "requires_shipping": session.requires_shipping,
        "lines": [_line_json(line, session.currency) for line in items],
        "subtotal": format_amount(
            sum(line.charged_unit_amount * line.quantity for line in items), session.currency
        ),
    }


class BeginCheckout(CartActionView):
    """``POST /checkout/begin/{cart_id}``: a live checkout with today's prices locked."""

    fields = ()

    def perform(self, request, payload):
        cart = _merchant_cart(request, self.kwargs["cart_id"])
        return begin_json(cart_begin(cart=cart), cart)


# --- shipping -------------------------------------------------------------------------------


def _billing_for(session: CheckoutSession) -> BillingDetail:
    """The buyer's billing detail when the session has one, else a consumer at the address."""
    if session.billing_detail:
        try:
            return BillingDetail.from_stored(session.billing_detail)
        except AppError:
            pass
    address = session.shipping_address
    return BillingDetail(
        country=address["country_code"],
        is_business=False,
        postcode=address.get("postal_code") or None,
        state=address.get("province_code") or None,
    )


def totals_json(session: CheckoutSession) -> dict:
    """Goods and shipping net of tax, the tax, and the total: they always add up."""
    currency = session.currency
    result = quote(session=session, billing=_billing_for(session))
    goods = len(session.line_items)
    shipping = result.lines[goods].subtotal_minor if session.shipping_method else None
    return {
        "currency": currency,
        "subtotal": format_amount(
            sum(line.subtotal_minor for line in result.lines[:goods]), currency
        ),
        "shipping": _amount(shipping, currency),
        "tax": format_amount(result.tax_minor, currency),
        "total": format_amount(result.total_minor, currency),
    }


def shipping_json(session: CheckoutSession, options: list[MethodOption]) -> dict:
    currency = session.currency
    return {
        "cart_id": session.public_id,
        "buyer_info": session.shipping_address,
        "shipping_methods": [
            {
                "id": option.id,
                "name": option.name,
                "amount": format_amount(option.amount_minor, currency),
                "delivery_estimate": option.delivery_estimate,
            }
            for option in options
        ],
        "selected_shipping_method_id": (session.shipping_method or {}).get("id"),
        "totals": totals_json(session),
    }


def _reload(session: CheckoutSession) -> CheckoutSession:
    return CheckoutSession.objects.select_related("store").get(pk=session.pk)


class SetShippingAddress(CartActionView):
    """``POST /checkout/shipping``: store the address, answer the methods that serve it."""

    allowed_credentials = ("api_key", "customer_token")
    authentication_classes = (*MERCHANT_AUTHENTICATION, CartCustomerTokenAuthentication)
    fields = ("cart_id", "buyer_info", "payment_intent_id")

    def perform(self, request, payload):
        cart_id = _required_id(payload, "cart_id")
        intent = payload.get("payment_intent_id")
        if intent is not None and (not isinstance(intent, str) or len(intent) > PAYMENT_INTENT_MAX):
            raise BadRequest(
                f"payment_intent_id must be a string of at most {PAYMENT_INTENT_MAX} characters",
                layer="order",
            )
        if payload.get("buyer_info") is None:
            raise BadRequest("Missing required field: buyer_info", layer="order")
        address = parse_address(payload["buyer_info"])
        session = _session_for(request.auth, cart_id)
        _store_open(session.store, session.environment)
        options = shipping_set_address(session=session, address=address, refuse_unserved=True)
        return shipping_json(_reload(session), options)


class SelectShippingMethod(CartActionView):
    """``POST /checkout/shipping/method``: choose one of the methods for the address."""

    allowed_credentials = ("api_key", "customer_token")
    authentication_classes = (*MERCHANT_AUTHENTICATION, CartCustomerTokenAuthentication)
    fields = ("cart_id", "shipping_method_id")

    def perform(self, request, payload):
        cart_id = _required_id(payload, "cart_id")
        if payload.get("shipping_method_id") is None:
            raise BadRequest("Missing required field: shipping_method_id", layer="order")
        method_id = payload["shipping_method_id"]
        if not isinstance(method_id, int) or isinstance(method_id, bool):
            raise BadRequest("shipping_method_id must be an integer", layer="order")
        session = _session_for(request.auth, cart_id)
        _store_open(session.store, session.environment)
        shipping_select_method(session=session, method_id=method_id)
        session = _reload(session)
        options = available_methods(
            session=session, country=session.shipping_address["country_code"]
        )
        return shipping_json(session, options)


# --- customer session tokens ----------------------------------------------------------------


def parse_prefill(payload: dict) -> dict:
    """The optional buyer fields of ``/checkout/cst``, normalized; empty ones are left out."""
    prefill = {}
    for field, limit in PREFILL_LIMITS.items():
        value = payload.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if not isinstance(value, str) or len(value.strip()) > limit:
            raise BadRequest(
                f"{field} must be a string of at most {limit} characters", layer="order"
            )
        prefill[field] = value.strip()
    for field in ("country_code", "province_code", "postal_code"):
        if field in prefill:
            prefill[field] = prefill[field].upper()
    if "email" in prefill:
        prefill["email"] = normalize_email(prefill["email"])
        if not is_email(prefill["email"]):
            raise BadRequest("email must be an email address", layer="order")
    country = prefill.get("country_code")
    if country is not None and country not in countries():
        raise BadRequest("country_code must be an ISO 3166-1 alpha-2 country code", layer="order")
    province = prefill.get("province_code")
    if province is not None and country in PROVINCES and province not in PROVINCES[country]:
        raise BadRequest(
            f"province_code must be a valid state or province of {country}", layer="order"
        )
    if "phone" in prefill and not PHONE.match(prefill["phone"]):
        raise BadRequest("phone must be a phone number with country code", layer="order")
    return prefill


class MintCustomerToken(CartActionView):
    """``POST /checkout/cst``: a 5-minute token for one live checkout, with prefill claims."""

    fields = ("cart_id", *PREFILL_LIMITS)

    def perform(self, request, payload):
        cart_id = _required_id(payload, "cart_id")
        prefill = parse_prefill(payload)
        session = _session_for(request.auth, cart_id)
        _store_open(session.store, session.environment)
        if session.status == SessionStatus.COMPLETED:
            raise Conflict(ALREADY_SUBMITTED, layer="order")
        if session.expires_at <= timezone.now():
            raise Unprocessable(SESSION_EXPIRED, layer="order")
        token, expires_at = tokens.issue_customer_token(
            buyer_identity=prefill.get("email") or f"cst:{session.public_id}",
            store_id=str(session.store_id),
            extra=prefill or None,
        )
        return {
            "token": token,
            "expires_at": iso_utc(expires_at),
            "checkout_url": f"{hosted_checkout_url(session)}#token={token}",
        }


# --- the public cart link (a hosted page) ---------------------------------------------------

UNAVAILABLE = {
    403: "This store is not taking orders right now. Please try again later.",
    404: "This cart link is not valid. Please check the link or ask the merchant for a new one.",
    422: "This cart can't be bought right now. Please contact the merchant.",
}


def _unavailable(request, status: int, store: Store | None) -> HttpResponse:
    theme = None
    if store is not None:
        theme = store_theme(store)
    context = {
        "message": UNAVAILABLE.get(status, UNAVAILABLE[422]),
        "store_name": store.name if store is not None else "",
        "locale": page_context.locale_for_request(request),
        "theme": page_context.theme_for(theme, dark=bool(theme and theme.get("defaultDarkMode"))),
    }
    response = render(request, "checkout/cart_unavailable.html", context, status=status)
    add_never_cache_headers(response)
    patch_vary_headers(response, ["Accept-Language"])
    return response


class SeeOther(HttpResponseRedirect):
    status_code = 303


@require_GET
def public_cart_link(request, cart_id: str) -> HttpResponse:
    """``GET /c/{cart_id}``: whoever opens the link gets a checkout of their own.

    A GET with a side effect, on purpose (seed 002): the link and the QR code are the only
    thing a buyer has. Sessions are cheap and expire; the redirect is never cached.
    """
    store = None
    try:
        cart = public_cart(cart_id=cart_id)
        store = cart.store
        session = cart_begin(cart=cart)
    except AppError as exc:
        status = exc.status if exc.status in UNAVAILABLE else 422
        return _unavailable(request, status, store)
    response = SeeOther(f"/store/{session.store.slug}/checkout/{session.public_id}")
    add_never_cache_headers(response)
    return response
