"""Who is calling the actions API, and in which environment.

Authenticators return ``None`` when their headers are absent, so the next kind of
credential can be tried, and refuse outright when their headers are present but wrong.
"""

import logging
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission

from core import ids, signing
from core.errors import BadRequest, Unauthorized

logger = logging.getLogger("core.auth")

ENVIRONMENTS = ("test", "prod")
ENVIRONMENT_HEADER_ERROR = "Missing or invalid header: x-context-environment"


@dataclass(frozen=True, slots=True)
class Credential:
    kind: str  # "api_key" | "store_slug" | "customer_token"
    environment: str
    merchant_id: uuid.UUID | None = None
    api_key_id: int | None = None
    store_id: uuid.UUID | None = None
    buyer_identity: str | None = None

    @property
    def idempotency_owner(self) -> str:
        if self.kind == "api_key":
            return f"merchant:{self.merchant_id}:{self.environment}"
        return f"{self.kind}:{self.store_id}:{self.buyer_identity or ''}:{self.environment}"


def requested_environment(request) -> str | None:
    """The environment header (either spelling), or None when absent; 400 when not test/prod."""
    value = request.headers.get("X-Environment")
    if value is None:
        value = request.headers.get("X-Context-Environment")
    if value is None:
        return None
    if value not in ENVIRONMENTS:
        raise BadRequest(ENVIRONMENT_HEADER_ERROR)
    return value


def _refuse(request, reason: str, **details) -> Unauthorized:
    view = request.parser_context.get("view") if request.parser_context else None
    message = getattr(view, "unauthorized_message", "Unauthorized")
    logger.info("refused credentials: %s %s", reason, details)
    return Unauthorized(message)


class SignedApiKeyAuthentication(BaseAuthentication):
    """``X-Merchant-Id`` + ``X-Timestamp`` + ``X-Signature`` over the raw request."""

    def authenticate(self, request):
        merchant_header = request.headers.get("X-Merchant-Id")
        timestamp = request.headers.get("X-Timestamp")
        signature = request.headers.get("X-Signature")
        if merchant_header is None and timestamp is None and signature is None:
            return None
        if not (merchant_header and timestamp and signature):
            raise _refuse(request, "incomplete signature headers")
        try:
            merchant_id = ids.from_short_id("MER", merchant_header)
        except ids.InvalidShortId:
            raise _refuse(request, "undecodable merchant id") from None
        if not timestamp.isdigit():
            raise _refuse(request, "malformed timestamp")
        skew = int(time.time()) - int(timestamp)
        if (
            skew > settings.SIGNATURE_MAX_AGE_SECONDS
            or -skew > settings.SIGNATURE_MAX_FUTURE_SECONDS
        ):
            raise _refuse(request, "timestamp outside window", skew=skew)

        from stores import selectors, services  # apps load after core

        message = signing.canonical_request(request.method, request.path, timestamp, request.body)
        for api_key in selectors.usable_api_keys(merchant_id=merchant_id):
            if signing.verify(api_key.public_key, signature, message):
                services.api_key_mark_used(api_key=api_key)
                credential = Credential(
                    kind="api_key",
                    environment=api_key.environment,
                    merchant_id=merchant_id,
                    api_key_id=api_key.pk,
                )
                header_environment = requested_environment(request)
                if header_environment not in (None, credential.environment):
                    raise BadRequest(ENVIRONMENT_HEADER_ERROR)
                return (None, credential)
        raise _refuse(request, "no usable key verifies", merchant=merchant_header)

    def authenticate_header(self, request):
        return "Signature"


class MerchantCredentialRequired(BasePermission):
    """Actions only a merchant's own server may call."""

    def has_permission(self, request, view):
        credential = request.auth
        if not isinstance(credential, Credential) or credential.kind != "api_key":
            raise Unauthorized(getattr(view, "unauthorized_message", "Unauthorized"))
        return True
