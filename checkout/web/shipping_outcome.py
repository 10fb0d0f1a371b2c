"""POST-redirect-GET for the shipping step (address and method forms), as
``checkout.web.pay_outcome`` does it for the pay form: each post answers ``303 See Other`` to
the checkout page, and what that page must show (the address typed, its field errors, the
message, where focus goes) travels in one signed, HttpOnly cookie scoped to the checkout's
path, read once. Back and reload then never re-post the step.
"""

import json

from django.conf import settings
from django.core import signing

from checkout.models import CheckoutSession
from checkout.web.pages import SeeOther, checkout_path

COOKIE = "checkout_shipping"
MAX_AGE_SECONDS = 300
_SALT = "checkout.web.shipping_outcome"
_KEPT = {"focus", "values", "errors", "message", "method_message"}


def _salt(session: CheckoutSession) -> str:
    return f"{_SALT}:{session.public_id}"


def see_shipping(
    session: CheckoutSession,
    *,
    token: str,
    focus: str,
    values: dict | None = None,
    errors: dict | None = None,
    message: str = "",
    method_message: str = "",
) -> SeeOther:
    """The 303 to the checkout page; ``values`` only when the address was refused (a saved
    address is shown from the session). The token goes back in the fragment, as for pay."""
    # No fragment of ours otherwise: without the page script the browser keeps the form
    # action's "#shipping"; with it, focus goes where ``focus`` says (data-focus).
    response = SeeOther(checkout_path(session) + (f"#token={token}" if token else ""))
    outcome = {
        "focus": focus,
        "values": {name: value for name, value in (values or {}).items() if name != "token"},
        "errors": {name: str(text) for name, text in (errors or {}).items()},
        "message": str(message),
        "method_message": str(method_message),
    }
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


def read_shipping_outcome(request, session: CheckoutSession) -> dict | None:
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


def forget_shipping_outcome(request, response, session: CheckoutSession):
    if COOKIE in request.COOKIES:
        response.delete_cookie(COOKIE, path=checkout_path(session), samesite="Lax")
    return response
