"""Rate limits for browser credentials (store slug, customer token), per client address.

Merchant servers are identified by signatures and are not throttled here; anonymous
callers can create sessions and preview tax, so they get a budget per IP, counted where
every web process sees it (``core.rate_limits``).
"""

from django.conf import settings
from rest_framework.throttling import BaseThrottle

from core.rate_limits import Rate, rate_limit_hit


class BrowserCredentialThrottle(BaseThrottle):
    scope = "browser"

    def __init__(self):
        self._retry_after: int | None = None

    def rate(self) -> Rate:
        return Rate.parse(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][self.scope])

    def allow_request(self, request, view) -> bool:
        credential = request.auth
        if credential is None or credential.kind == "api_key":
            return True
        verdict = rate_limit_hit(key=f"{self.scope}:{self.get_ident(request)}", rate=self.rate())
        self._retry_after = verdict.retry_after
        return verdict.allowed

    def wait(self) -> int | None:
        return self._retry_after
