"""Who is calling the actions API, and in which environment.

Authenticators (one per kind of credential, in the app that owns it) return ``None`` when
their headers are absent, so the next kind can be tried, and ``refuse`` outright when their
headers are present but wrong.
"""

import logging
import uuid
from dataclasses import dataclass

from rest_framework.permissions import BasePermission

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
    store_slug: str | None = None
    buyer_identity: str | None = None

    @property
    def idempotency_owner(self) -> str:
        if self.kind == "api_key":
            return f"merchant:{self.merchant_id}:{self.environment}"
        store = self.store_id or self.store_slug
        return f"{self.kind}:{store}:{self.buyer_identity or ''}:{self.environment}"


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


def refuse(request, reason: str, **details) -> Unauthorized:
    """The 401 to raise for credentials that were sent but do not hold up."""
    view = request.parser_context.get("view") if request.parser_context else None
    message = getattr(view, "unauthorized_message", "Unauthorized")
    logger.info("refused credentials: %s %s", reason, details)
    return Unauthorized(message)


class CredentialRequired(BasePermission):
    """The view names the kinds of credential it accepts in ``allowed_credentials``."""

    def has_permission(self, request, view):
        credential = request.auth
        allowed = getattr(view, "allowed_credentials", ("api_key",))
        if not isinstance(credential, Credential) or credential.kind not in allowed:
            raise Unauthorized(getattr(view, "unauthorized_message", "Unauthorized"))
        return True


def required_environment(request) -> str:
    """Browser credentials carry no environment of their own: the header must say it."""
    environment = requested_environment(request)
    if environment is None:
        raise BadRequest(ENVIRONMENT_HEADER_ERROR)
    return environment
