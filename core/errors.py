"""The one exception type that every layer raises to answer a client with an error.

Domain code raises ``AppError`` with the status and the exact contract message; the API
exception handler turns it into the dialect's envelope. Nothing else builds error bodies.

Every error also carries a stable machine ``code`` (short snake_case): the subclass's
``default_code``, else the one of its HTTP status, unless a raise names its own. Hosted pages
branch on (and translate by) the code; API bodies keep answering the contract ``message``.
"""

from typing import ClassVar

# The code of an error that names none, by HTTP status; also the code of every cart-dialect
# error body (``core.api.errors``).
STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    410: "gone",
    413: "payload_too_large",
    422: "unprocessable_entity",
    429: "too_many_requests",
    500: "internal_error",
}


def code_for_status(status: int) -> str:
    """The generic code of an HTTP status: its own, else internal_error or bad_request."""
    return STATUS_CODES.get(status) or ("internal_error" if status >= 500 else "bad_request")


class AppError(Exception):
    status: ClassVar[int] = 400
    default_layer: ClassVar[str] = "gateway"
    default_code: ClassVar[str] = ""  # empty: the code of the status

    def __init__(
        self,
        message: str,
        *,
        layer: str | None = None,
        status: int | None = None,
        code: str | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.layer = layer or self.default_layer
        if status is not None:
            self.status = status
        self.code = code or self.default_code or code_for_status(self.status)


class BadRequest(AppError):
    status = 400
    default_code = "bad_request"


class Unauthorized(AppError):
    status = 401
    default_code = "unauthorized"


class Forbidden(AppError):
    status = 403
    default_code = "forbidden"


class NotFound(AppError):
    status = 404
    default_code = "not_found"


class Conflict(AppError):
    status = 409
    default_code = "conflict"


class Unprocessable(AppError):
    status = 422
    default_code = "unprocessable_entity"
