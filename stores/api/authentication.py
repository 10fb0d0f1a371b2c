"""Signed API-key requests: the merchant proves itself with an RSA signature per request."""

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
        if not timestamp.isdigit():
            raise refuse(request, "malformed timestamp")
        skew = int(time.time()) - int(timestamp)
        if (
            skew > settings.SIGNATURE_MAX_AGE_SECONDS
            or -skew > settings.SIGNATURE_MAX_FUTURE_SECONDS
        ):
            raise refuse(request, "timestamp outside window", skew=skew)

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
        raise refuse(request, "no usable key verifies", merchant=merchant_header)

    def authenticate_header(self, request):
        return "Signature"
