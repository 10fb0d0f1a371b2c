"""The one exception type that every layer raises to answer a client with an error.

Domain code raises ``AppError`` with the status and the exact contract message; the API
exception handler turns it into the dialect's envelope. Nothing else builds error bodies.
"""

from typing import ClassVar


class AppError(Exception):
    status: ClassVar[int] = 400
    default_layer: ClassVar[str] = "gateway"

    def __init__(self, message: str, *, layer: str | None = None, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.layer = layer or self.default_layer
        if status is not None:
            self.status = status


class BadRequest(AppError):
    status = 400


class Unauthorized(AppError):
    status = 401


class Forbidden(AppError):
    status = 403


class NotFound(AppError):
    status = 404


class Conflict(AppError):
    status = 409


class Unprocessable(AppError):
    status = 422
