"""What a POST-redirect-GET carries to the page it redirects to: one signed, HttpOnly
cookie scoped to that page's path, readable for a few minutes and dropped by the GET that
shows it. The pay form, the shipping steps and the portal's card form use one each.

The platform keeps no state per anonymous buyer, and nothing personal goes into a URL,
where access logs and history would keep it. The signature's salt names the cookie and
the path, so an outcome set for one checkout (or form) never reads as another's.
"""

import json
from dataclasses import dataclass

from django.conf import settings
from django.core import signing


@dataclass(frozen=True)
class OutcomeCookie:
    name: str
    salt: str
    keys: frozenset[str]  # exactly these, or the cookie is ignored
    samesite: str = "Lax"
    max_age: int = 300

    def _salt(self, path: str) -> str:
        return f"{self.salt}:{path}"

    def keep(self, response, *, path: str, outcome: dict):
        response.set_signed_cookie(
            self.name,
            json.dumps(outcome, separators=(",", ":")),
            salt=self._salt(path),
            max_age=self.max_age,
            path=path,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite=self.samesite,
        )
        return response

    def read(self, request, *, path: str) -> dict | None:
        """The outcome when it is recent, untampered and this path's; else None."""
        if self.name not in request.COOKIES:
            return None
        try:
            raw = request.get_signed_cookie(self.name, salt=self._salt(path), max_age=self.max_age)
            outcome = json.loads(raw)
        except (signing.BadSignature, KeyError, ValueError):
            return None
        if not isinstance(outcome, dict) or set(outcome) != self.keys:
            return None
        return outcome

    def forget(self, request, response, *, path: str):
        """Shown once: the GET that read it drops the cookie."""
        if self.name in request.COOKIES:
            response.delete_cookie(self.name, path=path, samesite=self.samesite)
        return response
