"""Signed API-key requests: the merchant proves itself with an RSA signature per request."""

import re
import time

from django.conf import settings
from rest_framework.authentication import BaseAuthentication

from core import ids, signing
from core.api.credentials import (
    ENVIRONMENT_HEADER_ERROR,
    Credential,
    refuse,
    requested_environment,
)
from core.errors import BadRequest
from stores import selectors, services


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
        # The key decides the environment. One key registered for both environments
        # (create_merchant --environment both) is ambiguous: the environment header
        # chooses, and without it the request stays in test, never silently in prod.
        matching = {key.environment: key for key in keys if key.fingerprint == verified.fingerprint}
        header_environment = requested_environment(request)
        if header_environment is not None and header_environment not in matching:
            raise BadRequest(ENVIRONMENT_HEADER_ERROR)
        environment = header_environment or ("test" if "test" in matching else verified.environment)
        api_key = matching[environment]
        services.api_key_mark_used(api_key=api_key)
        return (
            None,
            Credential(
                kind="api_key",
                environment=environment,
                merchant_id=merchant_id,
                api_key_id=api_key.pk,
            ),
        )

    def authenticate_header(self, request):
        return "Signature"
