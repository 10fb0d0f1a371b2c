"""The partner OAuth 2.0 token endpoint: django-oauth-toolkit's, with three guards in front
(a per-address throttle, and the two below).

Answers keep RFC 6749's own shape (``{"access_token", …}`` and ``{"error",
"error_description"}``), which OAuth clients parse. The guards refuse what would otherwise
reach the database as is (NUL characters, which PostgreSQL cannot store, and oversized
fields) and answer any method but POST in the partner dialect's JSON instead of an empty
HTML 405.
"""

import base64
import binascii

from django.conf import settings
from django.http import JsonResponse
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.views import TokenView

from core.api.errors import PARTNER_DIALECT, error_body
from core.rate_limits import Rate, client_address, rate_limit_hit

FIELD_MAX = 255


def _basic_credentials(request) -> str:
    scheme, _, encoded = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "basic":
        return ""
    try:
        return base64.b64decode(encoded, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return ""  # oauthlib refuses it as invalid_client


def _refusal(request) -> str | None:
    values = [*request.POST.values(), _basic_credentials(request)]
    if any("\x00" in value for value in values):
        return "Request fields must not contain NUL characters"
    if any(len(value) > FIELD_MAX for value in values):
        return f"Request fields must be at most {FIELD_MAX} characters"
    return None


@method_decorator(csrf_exempt, name="dispatch")
class PartnerTokenView(TokenView):
    http_method_names = ["post"]

    def http_method_not_allowed(self, request, *args, **kwargs):
        body = error_body(PARTNER_DIALECT, 405, "Method not allowed", "gateway")
        return JsonResponse(body, status=405, headers={"Allow": "POST"})

    def post(self, request, *args, **kwargs):
        # Throttled per client address before any credential is looked at: guessing and
        # flooding cost the same budget, whether the client exists or not.
        verdict = rate_limit_hit(
            key=f"partner-token:{client_address(request)}",
            rate=Rate.parse(settings.PARTNER_TOKEN_RATE),
        )
        if not verdict.allowed:
            # RFC 6749's error shape, as every other answer here (OAuth clients parse it).
            body = {"error": "too_many_requests", "error_description": "Too many requests"}
            return JsonResponse(body, status=429, headers={"Retry-After": str(verdict.retry_after)})
        refusal = _refusal(request)
        if refusal:
            return JsonResponse(
                {"error": "invalid_request", "error_description": refusal}, status=400
            )
        return super().post(request, *args, **kwargs)
