"""The single place that builds error envelopes for the actions API.

``{"data": null, "errors": [{"message": …, "layer": …}]}`` for every non-success under
``/v1/``: domain errors, framework errors (auth, parsing, routing, methods) and crashes.

Views of the cart checkout API (seed 002) declare ``error_dialect = "cart"`` and get that
dialect's body instead, from the same translation:
``{"error": {"status": 404, "code": "not_found", "message": "Cart not found"}}``.
The partner checkout API (seed 003, ``error_dialect = "partner"``, paths under ``/partner/``)
answers in the same shape.
"""

import logging

from django.core.exceptions import RequestDataTooBig
from django.db import OperationalError
from django.http import Http404, JsonResponse
from rest_framework import exceptions as drf
from rest_framework.response import Response

from core.errors import STATUS_CODES, AppError, code_for_status

API_PREFIX = "/v1/"
CART_PREFIX = "/checkout/"
PARTNER_PREFIX = "/partner/"
INTERNAL_ERROR = "Internal server error"
CART_DIALECT = "cart"
PARTNER_DIALECT = "partner"
# The cart dialect's body code is always the status's generic one (``core.errors``), never a
# raise's own code: those bodies stay byte for byte what seed 002 clients parse.
CART_CODES = STATUS_CODES
# PostgreSQL's lock_timeout and statement_timeout (settings): a request that waited too long
# for a row another request holds, or ran too long, is told to try again, never left
# hanging and never a 500.
LOCK_NOT_AVAILABLE, QUERY_CANCELED = "55P03", "57014"
BUSY = "Another request is changing this resource; please try again"
TOO_SLOW = "The request took too long; please try again"
RETRY_AFTER_SECONDS = 1
logger = logging.getLogger("core.api")


def envelope(message: str, layer: str) -> dict:
    return {"data": None, "errors": [{"message": message, "layer": layer}]}


def cart_error(status: int, message: str) -> dict:
    code = code_for_status(status)
    return {"error": {"status": status, "code": code, "message": message}}


def error_body(dialect: str | None, status: int, message: str, layer: str) -> dict:
    if dialect in (CART_DIALECT, PARTNER_DIALECT):
        return cart_error(status, message)
    return envelope(message, layer)


def dialect_for_path(path: str) -> str | None:
    """Which JSON dialect answers errors on this path, or None for HTML pages."""
    if path.startswith(API_PREFIX):
        return "actions"
    if path.startswith(CART_PREFIX):
        return CART_DIALECT
    if path.startswith(PARTNER_PREFIX):
        return PARTNER_DIALECT
    return None


def server_error_response(dialect: str | None = None) -> JsonResponse:
    return JsonResponse(error_body(dialect, 500, INTERNAL_ERROR, "gateway"), status=500)


def not_found_response(message: str = "Not found", dialect: str | None = None) -> JsonResponse:
    return JsonResponse(error_body(dialect, 404, message, "gateway"), status=404)


def database_timeout(exc: BaseException) -> tuple[int, str] | None:
    """(status, message) for a database error that is one of our timeouts, else None."""
    if not isinstance(exc, OperationalError):
        return None
    sqlstate = getattr(exc.__cause__, "sqlstate", None)
    if sqlstate == LOCK_NOT_AVAILABLE:
        return 409, BUSY
    if sqlstate == QUERY_CANCELED:
        return 503, TOO_SLOW
    return None


def _translate(exc: Exception) -> tuple[int, str, str] | None:
    if isinstance(exc, AppError):
        return exc.status, exc.message, exc.layer
    if isinstance(exc, drf.MethodNotAllowed):
        return 405, "Method not allowed", "gateway"
    if isinstance(exc, drf.ParseError):
        return 400, "Invalid JSON body", "gateway"
    if isinstance(exc, drf.NotAuthenticated | drf.AuthenticationFailed):
        return 401, "Unauthorized", "gateway"
    if isinstance(exc, drf.PermissionDenied):
        return 403, "Forbidden", "gateway"
    if isinstance(exc, Http404 | drf.NotFound):
        return 404, "Not found", "gateway"
    if isinstance(exc, RequestDataTooBig):
        return 413, "Request body too large", "gateway"
    if isinstance(exc, drf.Throttled):
        return 429, "Too many requests", "gateway"
    if isinstance(exc, drf.APIException):
        return exc.status_code, str(exc.detail), "gateway"
    return None


def handle_exception(exc: Exception, context: dict) -> Response:
    """DRF's exception handler: every error, known or not, leaves as an envelope."""
    timeout = database_timeout(exc)
    translated = (*timeout, "gateway") if timeout is not None else _translate(exc)
    if translated is None:
        request = context.get("request")
        logger.error(
            "Unhandled error (request %s) on %s %s",
            getattr(request, "request_id", "-"),
            getattr(request, "method", "?"),
            getattr(request, "path", "?"),
            exc_info=exc,
        )
        translated = (500, INTERNAL_ERROR, "gateway")
    status, message, layer = translated
    view = context.get("view")
    dialect = getattr(view, "error_dialect", None)
    response = Response(error_body(dialect, status, message, layer), status=status)
    if status == 405 and isinstance(exc, drf.MethodNotAllowed) and view is not None:
        response["Allow"] = ", ".join(view.allowed_methods)
    if isinstance(exc, drf.Throttled) and exc.wait:
        response["Retry-After"] = str(int(exc.wait))
    if timeout is not None:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
