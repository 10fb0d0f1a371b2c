"""POST-redirect-GET for the pay form: a refused or declined payment answers ``303 See Other``
to the checkout page, which shows what went wrong. Back and reload then never re-post a card.

What the page must show again (the message, the field errors, the fields the buyer typed,
never card number or CVC) travels in one signed, HttpOnly cookie scoped to that checkout's
path, readable for a few minutes and dropped by the GET that shows it: the platform keeps
no state per anonymous buyer, and nothing personal goes into a URL, where access logs and
history would keep it. The customer token, which only the page script ever holds, goes
back the way it came, in the fragment (``#token=``): browsers keep a redirect's fragment
and never send it to a server.
"""

import json

from django.conf import settings
from django.core import signing

from checkout.models import CheckoutSession
from checkout.web.pages import SeeOther, checkout_path

COOKIE = "checkout_outcome"
MAX_AGE_SECONDS = 300
_SALT = "checkout.web.pay_outcome"
_KEPT = {"message", "errors", "values", "retry"}


def _salt(session: CheckoutSession) -> str:
    # Bound to the session: a cookie set for one checkout never reads as another's.
    return f"{_SALT}:{session.public_id}"


def see_checkout(
    session: CheckoutSession,
    *,
    values: dict,
    errors: dict | None = None,
    message: str = "",
    retry: bool = False,
) -> SeeOther:
    """The 303 to the checkout page, carrying what it must show. ``retry``: the processor
    declined the card, so the page suggests another one."""
    kept = {name: value for name, value in values.items() if name != "token"}
    token = values.get("token") or ""
    response = SeeOther(checkout_path(session) + (f"#token={token}" if token else ""))
    outcome = {"message": message, "errors": errors or {}, "values": kept, "retry": retry}
    response.set_signed_cookie(
        COOKIE,
        json.dumps(outcome, separators=(",", ":")),
        salt=_salt(session),
        max_age=MAX_AGE_SECONDS,
        path=checkout_path(session),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def read_outcome(request, session: CheckoutSession) -> dict | None:
    """What the last pay attempt left for this page, when it is recent, untampered and
    this session's; else None (a clean form)."""
    if COOKIE not in request.COOKIES:
        return None
    try:
        raw = request.get_signed_cookie(COOKIE, salt=_salt(session), max_age=MAX_AGE_SECONDS)
        outcome = json.loads(raw)
    except (signing.BadSignature, KeyError, ValueError):
        return None
    if not isinstance(outcome, dict) or set(outcome) != _KEPT:
        return None
    return outcome


def forget_outcome(request, response, session: CheckoutSession):
    """Shown once: the GET that read it (or found the page past paying) drops the cookie."""
    if COOKIE in request.COOKIES:
        response.delete_cookie(COOKIE, path=checkout_path(session), samesite="Lax")
    return response
