"""Browser-side credentials of the actions API: a store's public slug, or a customer session
token issued to one buyer of one store. Both need ``X-Environment``."""

import re
import uuid

from rest_framework.authentication import BaseAuthentication

from core import tokens
from core.api.credentials import Credential, refuse, required_environment

_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


class StoreSlugAuthentication(BaseAuthentication):
    def authenticate(self, request):
        slug = request.headers.get("X-Store-Slug")
        if slug is None:
            return None
        if not _SLUG.match(slug):
            raise refuse(request, "malformed store slug")
        environment = required_environment(request)
        return (None, Credential(kind="store_slug", environment=environment, store_slug=slug))


class CustomerTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        header = request.headers.get("Authorization", "")
        if not header:
            return None
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise refuse(request, "not a bearer token")
        try:
            claims = tokens.read_customer_token(token.strip())
            store_id = uuid.UUID(claims.store_id)
        except (tokens.InvalidToken, ValueError) as exc:
            raise refuse(request, "invalid customer token", error=str(exc)) from None
        environment = required_environment(request)
        return (
            None,
            Credential(
                kind="customer_token",
                environment=environment,
                store_id=store_id,
                buyer_identity=claims.buyer_identity,
            ),
        )

    def authenticate_header(self, request):
        return "Bearer"
