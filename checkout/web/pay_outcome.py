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

from checkout.models import CheckoutSession
from checkout.web.outcome_cookie import OutcomeCookie
from checkout.web.pages import SeeOther, checkout_path

COOKIE = "checkout_outcome"
_COOKIE = OutcomeCookie(
    COOKIE, "checkout.web.pay_outcome", frozenset({"message", "errors", "values", "retry"})
)


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
    return _COOKIE.keep(response, path=checkout_path(session), outcome=outcome)


def read_outcome(request, session: CheckoutSession) -> dict | None:
    """What the last pay attempt left for this page; None for a clean form."""
    return _COOKIE.read(request, path=checkout_path(session))


def forget_outcome(request, response, session: CheckoutSession):
    return _COOKIE.forget(request, response, path=checkout_path(session))
