"""``Authorization: Bearer sk_…``: a merchant's secret key (cart checkout API, seed 002).

Only bearer values that look like secrets (``sk_…``) are ours; anything else (a customer
session token, a JWT with two dots) is left to the next authenticator.
"""

from rest_framework.authentication import BaseAuthentication

from core.api.credentials import (
    ENVIRONMENT_HEADER_ERROR,
    Credential,
    refuse,
    requested_environment,
)
from core.errors import BadRequest
from stores.secret_keys import secret_key_verify

SECRET_MARK = "sk_"


def bearer_value(request) -> str | None:
    """The value after ``Bearer `` (any case), or None when the header says something else."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip()


class SecretKeyAuthentication(BaseAuthentication):
    def authenticate(self, request):
        secret = bearer_value(request)
        if secret is None or not secret.startswith(SECRET_MARK):
            return None
        key = secret_key_verify(secret)
        if key is None:
            raise refuse(request, "unknown or revoked secret key", prefix=secret[:8])
        # A secret key speaks for its merchant exactly as a signed API key does.
        credential = Credential(
            kind="api_key", environment=key.environment, merchant_id=key.merchant_id
        )
        header_environment = requested_environment(request)
        if header_environment not in (None, credential.environment):
            raise BadRequest(ENVIRONMENT_HEADER_ERROR)
        return (None, credential)

    def authenticate_header(self, request):
        return "Bearer"
