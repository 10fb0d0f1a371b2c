"""The partner checkout API (seed 003): camelCase JSON over partner baskets.

``POST /partner/checkout/initiate``, ``PUT /partner/checkout/update`` (the basket named by the
signed ``landing_state`` cookie), ``POST /partner/checkout/validate`` and
``POST /partner/checkout/handover``. Credentials: ``Authorization: Bearer <token>`` from
``/partner/oauth/token``. Errors: ``{"error": {"status", "code", "message"}}`` from the one
exception handler (``error_dialect = "partner"``). Views only translate; the rules live in
``partners.services``.
"""

from django.conf import settings
from django.core import signing
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions as drf
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from checkout.api.cart_dialect import AlwaysJson
from checkout.links import hosted_checkout_url
from core.api.errors import PARTNER_DIALECT
from core.api.openapi import partner
from core.api.views import answer_once, parse_json_object
from core.errors import BadRequest, NotFound, Unauthorized
from core.money import format_amount
from core.timefmt import iso_utc
from partners import api_schema as schema
from partners import services
from partners.authentication import UNAUTHORIZED, PartnerCredential, PartnerTokenAuthentication
from partners.models import Basket

LANDING_COOKIE = "landing_state"
LANDING_SALT = "partners.landing_state"


class PartnerRequired(BasePermission):
    def has_permission(self, request, view):
        if not isinstance(request.auth, PartnerCredential):
            raise Unauthorized(UNAUTHORIZED)
        return True

    def has_object_permission(self, request, view, obj):
        return True


class PartnerView(APIView):
    """Method check first (405 whoever asks), then the bearer token, then a JSON object body
    whose fields are all known."""

    error_dialect = PARTNER_DIALECT
    content_negotiation_class = AlwaysJson
    authentication_classes = (PartnerTokenAuthentication,)
    permission_classes = (PartnerRequired,)
    unauthorized_message = UNAUTHORIZED
    fields: tuple[str, ...] = ()

    def initial(self, request, *args, **kwargs):
        if request.method.lower() not in self.http_method_names:
            raise drf.MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        if response.status_code == 401:
            response["WWW-Authenticate"] = 'Bearer realm="partner"'
        return response

    def payload(self, request) -> dict:
        payload = parse_json_object(request.body)
        unknown = sorted(set(payload) - set(self.fields))
        if unknown:
            raise BadRequest(f"{unknown[0]} is not a known field", layer="order")
        return payload

    @property
    def partner(self):
        return self.request.auth.partner

    def answer_once(self, request, answer, *, target: str = "") -> Response:
        """``X-Idempotency-Key`` on writes, as on the actions API, per partner."""
        return answer_once(
            request=request, owner=f"partner:{self.partner.pk}", answer=answer, target=target
        )


@extend_schema(exclude=True)
class UnknownPartnerRoute(PartnerView):
    authentication_classes = ()
    permission_classes = ()

    def initial(self, request, *args, **kwargs):
        raise NotFound("Not found")


def order_json(basket: Basket) -> dict:
    items = list(basket.items.select_related("product", "version"))
    currency = basket.currency
    return {
        "currency": currency,
        "state": basket.state,
        "expiresAt": iso_utc(basket.expires_at),
        "orderItems": [
            {
                "position": item.position,
                "offer": {
                    "productId": item.product.public_id,
                    "versionId": str(item.version_id),
                },
                "name": item.version.name,
                "quantity": item.quantity,
                "type": item.type,
                "unitAmount": format_amount(item.unit_amount_minor, currency),
                "total": format_amount(item.unit_amount_minor * item.quantity, currency),
            }
            for item in items
        ],
        "subtotal": format_amount(
            sum(item.unit_amount_minor * item.quantity for item in items), currency
        ),
    }


def set_landing_cookie(response: Response, basket_id: str) -> None:
    response.set_signed_cookie(
        LANDING_COOKIE,
        basket_id,
        salt=LANDING_SALT,
        max_age=settings.PARTNER_BASKET_DAYS * 24 * 3600,
        path="/partner/",
        secure=settings.PARTNER_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _basket_id_from_body(payload: dict) -> str:
    value = payload.get("basketId")
    if value is None or value == "":
        raise BadRequest("Missing required field: basketId", layer="order")
    if not isinstance(value, str) or services.parse_basket_id(value) is None:
        raise BadRequest("Invalid basketId: expected format basket-{uuid}", layer="order")
    return value


@partner(summary="Start a basket", request=schema.INITIATE, answer=schema.INITIATED)
class InitiateBasket(PartnerView):
    """``POST /partner/checkout/initiate`` ``{"order": {"currency", "orderItems": [...]}}``."""

    http_method_names = ["post"]
    fields = ("order",)

    def post(self, request):
        response = self.answer_once(request, lambda: self.initiate(request))
        if response.status_code == 200:  # a replayed answer sets the cookie again too
            set_landing_cookie(response, response.data["id"])
        return response

    def initiate(self, request) -> Response:
        payload = self.payload(request)
        order = payload.get("order")
        if not isinstance(order, dict):
            raise BadRequest("Missing required field: order", layer="order")
        unknown = sorted(set(order) - {"currency", "orderItems"})
        if unknown:
            raise BadRequest(f"order.{unknown[0]} is not a known field", layer="order")
        if "orderItems" not in order:
            raise BadRequest("Missing required field: order.orderItems", layer="order")
        basket = services.basket_initiate(
            partner=self.partner,
            environment=self.partner.environment,
            items=order["orderItems"],
            currency=order.get("currency"),
        )
        return Response({"id": basket.public_id}, status=200)


@partner(
    summary="Change the basket of the landing_state cookie",
    request=schema.UPDATE,
    answer=schema.UPDATED,
)
class UpdateBasket(PartnerView):
    """``PUT /partner/checkout/update``: the basket of the ``landing_state`` cookie.

    ``{"quantities": {"<position>|PROD_…": n}, "remove": [position | "PROD_…"],
    "add": [{offer, quantity, type}]}``, applied in that order.
    """

    http_method_names = ["put"]
    fields = ("add", "remove", "quantities")

    def put(self, request):
        try:
            basket_id = request._request.get_signed_cookie(LANDING_COOKIE, salt=LANDING_SALT)
        except (KeyError, signing.BadSignature):
            raise NotFound(services.BASKET_NOT_FOUND, layer="order") from None
        return self.answer_once(request, lambda: self.update(request, basket_id), target=basket_id)

    def update(self, request, basket_id: str) -> Response:
        payload = self.payload(request)
        basket = services.basket_for_partner(partner=self.partner, basket_id=basket_id)
        basket = services.basket_update(
            basket=basket,
            add=payload.get("add"),
            remove=payload.get("remove"),
            quantities=payload.get("quantities"),
        )
        return Response({"id": basket.public_id, "order": order_json(basket)}, status=200)


@partner(
    summary="Validate a basket (no changes)",
    request=schema.BY_ID,
    answer=schema.VALIDATED,
    idempotent=False,
)
class ValidateBasket(PartnerView):
    """``POST /partner/checkout/validate`` ``{"basketId"}``: state and problems, no changes."""

    http_method_names = ["post"]
    fields = ("basketId",)

    def post(self, request):
        basket_id = _basket_id_from_body(self.payload(request))
        basket = services.basket_for_partner(partner=self.partner, basket_id=basket_id)
        return Response(
            {
                "basketId": basket.public_id,
                "state": services.effective_state(basket),
                "problems": services.basket_validate(basket=basket),
            },
            status=200,
        )


@partner(
    summary="Hand the basket over as a checkout link",
    request=schema.BY_ID,
    answer=schema.HANDED_OVER,
)
class HandOverBasket(PartnerView):
    """``POST /partner/checkout/handover`` ``{"basketId"}``: the end customer's checkout link."""

    http_method_names = ["post"]
    fields = ("basketId",)

    def post(self, request):
        return self.answer_once(request, lambda: self.hand_over(request))

    def hand_over(self, request) -> Response:
        basket_id = _basket_id_from_body(self.payload(request))
        basket = services.basket_for_partner(partner=self.partner, basket_id=basket_id)
        session = services.basket_checkout(basket=basket)
        return Response(
            {
                "basketId": basket.public_id,
                "checkoutUrl": hosted_checkout_url(session),
                "sessionId": session.public_id,
                "expiresAt": iso_utc(session.expires_at),
            },
            status=200,
        )
