"""Request parsing of the cart checkout API (seed 002): IDs, query parameters and the
scalar fields of the shipping calls. Addresses are ``checkout.shipping.parse_address``'s and
token prefill ``checkout.prefill.parse_prefill``'s; each message here is the contract's."""

import re

from core.errors import BadRequest

QR_SIZE = (1, 40, 8)  # module scale in pixels: min, max, default
QR_MARGIN = (0, 16, 4)  # quiet zone in modules: min, max, default
PAYMENT_INTENT_MAX = 128
_SMALL_INT = re.compile(r"^[0-9]{1,3}$")


def required_id(payload: dict, field: str) -> str:
    value = payload.get(field)
    if value is None or value == "":
        raise BadRequest(f"Missing required field: {field}", layer="order")
    if not isinstance(value, str):
        raise BadRequest(f"{field} must be a string", layer="order")
    return value


def int_param(request, name: str, bounds: tuple[int, int, int]) -> int:
    low, high, default = bounds
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not _SMALL_INT.match(raw) or not low <= int(raw) <= high:
        raise BadRequest(f"{name} must be an integer from {low} to {high}", layer="order")
    return int(raw)


def check_payment_intent(payload: dict) -> None:
    """``payment_intent_id`` is accepted (and ignored) when it is a short string."""
    intent = payload.get("payment_intent_id")
    if intent is not None and (not isinstance(intent, str) or len(intent) > PAYMENT_INTENT_MAX):
        raise BadRequest(
            f"payment_intent_id must be a string of at most {PAYMENT_INTENT_MAX} characters",
            layer="order",
        )


def required_buyer_info(payload: dict):
    if payload.get("buyer_info") is None:
        raise BadRequest("Missing required field: buyer_info", layer="order")
    return payload["buyer_info"]


def required_method_id(payload: dict) -> int:
    if payload.get("shipping_method_id") is None:
        raise BadRequest("Missing required field: shipping_method_id", layer="order")
    method_id = payload["shipping_method_id"]
    if not isinstance(method_id, int) or isinstance(method_id, bool):
        raise BadRequest("shipping_method_id must be an integer", layer="order")
    return method_id
