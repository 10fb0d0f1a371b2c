"""Partner credentials: an OAuth 2.0 bearer token from ``/partner/oauth/token``
(client-credentials grant), verified by django-oauth-toolkit on every call."""

from dataclasses import dataclass

from oauth2_provider.oauth2_backends import get_oauthlib_core
from rest_framework.authentication import BaseAuthentication

from core.errors import Unauthorized
from partners.models import Partner

PARTNER_SCOPE = "baskets"
# Seed 003, to the letter.
UNAUTHORIZED = (
    "Unauthorized — the request lacks valid authentication credentials. Verify your Bearer "
    "token or API key is correct and has not expired."
)


@dataclass(frozen=True, slots=True)
class PartnerCredential:
    partner: Partner

    kind = "partner"

    @property
    def environment(self) -> str:
        return self.partner.environment


class PartnerTokenAuthentication(BaseAuthentication):
    """Missing, malformed, unknown, expired or revoked tokens, tokens without the ``baskets``
    scope and tokens of an inactive partner are all the same 401."""

    def authenticate(self, request):
        # The token travels in the Authorization header only: oauthlib would also take it
        # from the query string, where access logs and proxies keep it.
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header.startswith("Bearer ") or "access_token" in request.GET:
            raise Unauthorized(UNAUTHORIZED)
        valid, oauth_request = get_oauthlib_core().verify_request(
            request._request, scopes=[PARTNER_SCOPE]
        )
        if not valid:
            raise Unauthorized(UNAUTHORIZED)
        application = oauth_request.access_token.application
        partner = (
            Partner.objects.filter(application=application, active=True)
            .select_related("application")
            .first()
        )
        if partner is None:
            raise Unauthorized(UNAUTHORIZED)
        return (None, PartnerCredential(partner=partner))

    def authenticate_header(self, request):
        return 'Bearer realm="partner"'
