"""Request IDs for every request, and a JSON safety net for API paths.

The request ID ties a client's report ("request X-Request-Id: …") to the server log line
of an unhandled error without leaking anything internal in the response itself.
"""

import contextvars
import logging
import re
import uuid

from django.http import JsonResponse
from django.shortcuts import render

from core.api.errors import (
    RETRY_AFTER_SECONDS,
    database_timeout,
    dialect_for_path,
    error_body,
    server_error_response,
)

_current_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_SAFE_INCOMING_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
logger = logging.getLogger("core.api")


def current_request_id() -> str:
    return _current_request_id.get()


class RequestIdLogFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        return True


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-Id", "")
        request_id = incoming if _SAFE_INCOMING_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = _current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current_request_id.reset(token)
        response["X-Request-Id"] = request_id
        return response


class ApiErrorMiddleware:
    """Anything that escapes an API view (``/v1/``, ``/checkout/``) becomes that dialect's
    500 body, never HTML. A database timeout (lock or statement) anywhere is an answer that
    says to try again: the dialect's 409/503, or a 503 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        dialect = dialect_for_path(request.path)
        timeout = database_timeout(exception)
        if timeout is not None:
            logger.warning(
                "database timeout (%s) on %s %s", timeout[0], request.method, request.path
            )
            return _try_again(request, dialect, *timeout)
        if dialect is None:
            return None
        logger.exception(
            "Unhandled error (request %s) on %s %s",
            getattr(request, "request_id", "-"),
            request.method,
            request.path,
        )
        return server_error_response(dialect)


def _try_again(request, dialect: str | None, status: int, message: str):
    if dialect is not None:
        response = JsonResponse(error_body(dialect, status, message, "gateway"), status=status)
    else:
        context = {"heading": "This page is busy", "message": "Please try again in a moment."}
        response = render(request, "checkout/not_found.html", context, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
