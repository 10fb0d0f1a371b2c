"""The base of every actions-API endpoint: method check, credentials, idempotency, JSON.

Subclasses implement ``perform(request, payload)`` and return the ``data`` object (or an
``ActionResult`` carrying warnings); everything around it is decided here, once.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rest_framework import exceptions as drf
from rest_framework.response import Response
from rest_framework.views import APIView

from core import idempotency
from core.api import access
from core.api.credentials import CredentialRequired
from core.errors import BadRequest

INVALID_JSON = "Invalid JSON body"
# RFC 9110: a 401 names the schemes that would be accepted. Signed API-key requests use
# the SDK's own signature headers; store slugs are public and have no scheme.
CHALLENGES = {
    "api_key": 'Signature realm="actions", headers="x-merchant-id x-timestamp x-signature"',
    "customer_token": 'Bearer realm="actions"',
}


@dataclass
class ActionResult:
    data: dict
    warnings: list[dict] = field(default_factory=list)


def _refuse_constant(name: str):
    raise ValueError(name)  # NaN and Infinity are not JSON


def _unique_keys(pairs: list[tuple[str, object]]) -> dict:
    """An object that names a key twice is refused: which value wins is a guess that a
    client and every proxy between may make differently."""
    payload = dict(pairs)
    if len(payload) != len(pairs):
        raise ValueError("duplicate key")
    return payload


def _refuse_unstorable(value) -> None:
    """Text PostgreSQL cannot store (NUL) or that is not text at all (a lone UTF-16
    surrogate such as ``"\\ud800"``: valid JSON, but no Unicode string can hold it)."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("NUL character")
        value.encode("utf-8")  # UnicodeEncodeError (a ValueError) on a lone surrogate
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_unstorable(key)
            _refuse_unstorable(item)
    elif isinstance(value, list):
        for item in value:
            _refuse_unstorable(item)


def parse_json_object(raw: bytes) -> dict:
    """The body as a JSON object; numbers with a fraction become Decimal, never float.

    Refused here, once, for every dialect: NUL characters (PostgreSQL cannot store them in
    text or jsonb), lone surrogates (no string can hold them), and duplicate keys.
    """
    if not raw.strip():
        return {}
    try:
        payload = json.loads(
            raw.decode("utf-8"),
            parse_float=Decimal,
            parse_constant=_refuse_constant,
            object_pairs_hook=_unique_keys,
        )
        _refuse_unstorable(payload)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadRequest(INVALID_JSON) from None
    if not isinstance(payload, dict):
        raise BadRequest(INVALID_JSON)
    return payload


def answer_once(
    *, request, owner: str, answer: Callable[[], Response], target: str = ""
) -> Response:
    """Honour ``X-Idempotency-Key``: the first 2xx answer to a key is kept and replayed (with
    ``Idempotent-Replayed: true``); a failed answer frees the key for a corrected retry.

    ``target`` names what the request acts on when neither path nor body does (a cookie), so
    the same key and body sent for another target counts as a different request.
    """
    key = request.headers.get("X-Idempotency-Key")
    if key is None:
        return answer()
    claimed = idempotency.claim(
        owner=owner,
        key=idempotency.validate_key(key),
        request_hash=idempotency.request_fingerprint(
            method=request.method,
            path=f"{request.path}#{target}" if target else request.path,
            body=request.body,
        ),
    )
    if isinstance(claimed, idempotency.Replay):
        response = Response(claimed.body, status=claimed.status)
        response["Idempotent-Replayed"] = "true"
        return response
    try:
        response = answer()
    except BaseException:
        idempotency.release(claimed=claimed)
        raise
    if 200 <= response.status_code < 300:
        idempotency.complete(claimed=claimed, status=response.status_code, body=response.data)
    else:
        idempotency.release(claimed=claimed)
    return response


class ActionView(APIView):
    http_method_names = ["post"]
    permission_classes = (CredentialRequired,)
    allowed_credentials: tuple[str, ...] = ("api_key",)
    unauthorized_message = "Unauthorized"
    # What a signed merchant's store role must allow (``stores.roles.Capability``), and
    # where the request names that store; checked once, in ``core.api.access``. A view
    # that takes API keys and declares no capability refuses them.
    capability: str | None = None
    store_of: access.StoreOf | None = None

    def access_for(self, payload: dict) -> tuple[str | None, access.StoreOf | None]:
        """The capability and store this request needs: the view's own, unless one
        endpoint does two things (create-session also opens plan changes)."""
        return self.capability, self.store_of

    def initial(self, request, *args, **kwargs):
        # A wrong method is a 405 whoever asks; credentials are checked after that.
        if request.method.lower() not in self.http_method_names:
            raise drf.MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        if response.status_code == 401:
            challenges = [
                CHALLENGES[kind] for kind in self.allowed_credentials if kind in CHALLENGES
            ]
            response["WWW-Authenticate"] = ", ".join(challenges) or 'Signature realm="actions"'
        return response

    def post(self, request, *args, **kwargs):
        raw = request.body
        # A store slug is shared by every anonymous buyer of a store: replaying one buyer's
        # answer to another would hand over their session, so no key is honoured there.
        if request.auth.kind == "store_slug":
            return self._respond(request, raw)
        return answer_once(
            request=request,
            owner=request.auth.idempotency_owner,
            answer=lambda: self._respond(request, raw),
        )

    def _respond(self, request, raw: bytes) -> Response:
        payload = parse_json_object(raw)
        access.authorize(request=request, view=self, payload=payload)
        result = self.perform(request, payload)
        if not isinstance(result, ActionResult):
            result = ActionResult(result)
        body: dict[str, Any] = {"data": result.data}
        if result.warnings:
            body["warnings"] = result.warnings
        return Response(body, status=200)

    def perform(self, request, payload: dict) -> dict | ActionResult:
        raise NotImplementedError
