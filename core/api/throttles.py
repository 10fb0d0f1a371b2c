"""Rate limits for browser credentials (store slug, customer token), per client address.

Merchant servers are identified by signatures and are not throttled here; anonymous
callers can create sessions and preview tax, so they get a budget per IP.
"""

from rest_framework.throttling import SimpleRateThrottle


class BrowserCredentialThrottle(SimpleRateThrottle):
    scope = "browser"

    def get_cache_key(self, request, view):
        credential = request.auth
        if credential is None or credential.kind == "api_key":
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
