"""Signed API-key requests: the merchant proves itself with an RSA signature per request."""

import re
import time

from django.conf import settings
from rest_framework.authentication import BaseAuthentication

from core import ids, replay, signing
from core.api.credentials import (
    ENVIRONMENT_HEADER_ERROR,
    Credential,
    refuse,
    requested_environment,
)
from core.errors import BadRequest
from stores import selectors, services
from stores.models import ApiKey


class SignedApiKeyAuthentication(BaseAuthentication):
    """``X-Merchant-Id`` + ``X-Timestamp`` + ``X-Signature`` over the raw request."""

    def authenticate(self, request):
        merchant_header = request.headers.get("X-Merchant-Id")
        timestamp = request.headers.get("X-Timestamp")
        signature = request.headers.get("X-Signature")
        if merchant_header is None and timestamp is None and signature is None:
            return None
        if not (merchant_header and timestamp and signature):
            raise refuse(request, "incomplete signature headers")
        try:
            merchant_id = ids.from_short_id("MER", merchant_header)
        except ids.InvalidShortId:
            raise refuse(request, "undecodable merchant id") from None
        if not re.fullmatch(r"[0-9]{1,12}", timestamp):
            raise refuse(request, "malformed timestamp")
        skew = int(time.time()) - int(timestamp)
        if (
            skew > settings.SIGNATURE_MAX_AGE_SECONDS
            or -skew > settings.SIGNATURE_MAX_FUTURE_SECONDS
        ):
            raise refuse(request, "timestamp outside window", skew=skew)

        message = signing.canonical_request(request.method, request.path, timestamp, request.body)
        keys = selectors.usable_api_keys(merchant_id=merchant_id)
        verified = next(
            (key for key in keys if signing.verify(key.public_key, signature, message)), None
        )
        if verified is None:
            raise refuse(request, "no usable key verifies", merchant=merchant_header)
        api_key = _key_for_environment(request, keys, verified)
        if not replay.signature_first_use(
            digest=replay.signature_digest(
                signer=f"{merchant_id}:{api_key.fingerprint}", message=message
            ),
            idempotency_key=request.headers.get("X-Idempotency-Key", ""),
            valid_until=int(timestamp) + settings.SIGNATURE_MAX_AGE_SECONDS,
        ):
            raise refuse(request, "signature replayed", merchant=merchant_header)
        services.api_key_mark_used(api_key=api_key)
        return (
            None,
            Credential(
                kind="api_key",
                environment=api_key.environment,
                merchant_id=merchant_id,
                api_key_id=api_key.pk,
            ),
        )

    def authenticate_header(self, request):
        return "Signature"


def _key_for_environment(request, keys: list[ApiKey], verified: ApiKey) -> ApiKey:
    """The key decides the environment. A key the operator registered for both
    environments cannot: its requests must name one in the environment header (a default
    would let one environment's request be read as the other's). A header that names an
    environment the key is not registered for is refused."""
    matching = {key.environment: key for key in keys if key.fingerprint == verified.fingerprint}
    header_environment = requested_environment(request)
    if header_environment is None:
        if len(matching) > 1:
            raise BadRequest(ENVIRONMENT_HEADER_ERROR)
        return verified
    if header_environment not in matching:
        raise BadRequest(ENVIRONMENT_HEADER_ERROR)
    return matching[header_environment]
