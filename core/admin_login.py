"""Admin sign-in lockout: after a few failed sign-ins for one username, or from one client
address, further attempts are refused until the window ends, without even checking the
password (so guessing goes no faster). Counted in ``core.rate_limits``, which every web
process shares; only failures count, so a merchant who signs in correctly is never held up.

A lock on the username alone would let anyone lock a merchant out from anywhere; a lock on
the address alone would let a botnet guess freely. Both limits apply; the username's is the
looser one (``ADMIN_LOGIN_FAILURES_PER_USER`` vs ``…_PER_IP``).
"""

import hashlib

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm

from core.rate_limits import Rate, client_address, rate_limit_hit, rate_limit_peek

LOCKED_OUT = "Too many failed sign-ins. Please wait %(minutes)s minutes and try again."


def _keys(*, username: str, ip: str) -> list[tuple[str, Rate]]:
    user = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return [
        (f"admin-login:user:{user}", Rate.parse(settings.ADMIN_LOGIN_FAILURES_PER_USER)),
        (f"admin-login:ip:{ip}", Rate.parse(settings.ADMIN_LOGIN_FAILURES_PER_IP)),
    ]


def admin_login_wait(*, username: str, ip: str) -> int:
    """Seconds until sign-in may be tried again; 0 when it may be tried now."""
    waits = [
        verdict.retry_after
        for key, rate in _keys(username=username, ip=ip)
        if not (verdict := rate_limit_peek(key=key, rate=rate)).allowed
    ]
    return max(waits, default=0)


def admin_login_failed(*, username: str, ip: str) -> None:
    for key, rate in _keys(username=username, ip=ip):
        rate_limit_hit(key=key, rate=rate)


class LimitedAdminAuthenticationForm(AdminAuthenticationForm):
    """Django admin's sign-in form with the lockout in front of the password check."""

    error_messages = {**AdminAuthenticationForm.error_messages, "locked_out": LOCKED_OUT}

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        ip = client_address(self.request) if self.request is not None else ""
        wait = admin_login_wait(username=username, ip=ip)
        if wait:
            raise forms.ValidationError(
                self.error_messages["locked_out"],
                code="locked_out",
                params={"minutes": max(1, (wait + 59) // 60)},
            )
        try:
            return super().clean()
        except forms.ValidationError as error:
            if getattr(error, "code", None) == "invalid_login":
                admin_login_failed(username=username, ip=ip)
            raise
