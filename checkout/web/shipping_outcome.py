"""POST-redirect-GET for the shipping step (address and method forms), as
``checkout.web.pay_outcome`` does it for the pay form: each post answers ``303 See Other`` to
the checkout page, and what that page must show (the address typed, its field errors, the
message, where focus goes) travels in one signed, HttpOnly cookie scoped to the checkout's
path, read once. Back and reload then never re-post the step.
"""

from checkout.models import CheckoutSession
from checkout.web.outcome_cookie import OutcomeCookie
from checkout.web.pages import SeeOther, checkout_path

_COOKIE = OutcomeCookie(
    "checkout_shipping",
    "checkout.web.shipping_outcome",
    frozenset({"focus", "values", "errors", "message", "method_message"}),
)


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
    return _COOKIE.keep(response, path=checkout_path(session), outcome=outcome)


def read_shipping_outcome(request, session: CheckoutSession) -> dict | None:
    return _COOKIE.read(request, path=checkout_path(session))


def forget_shipping_outcome(request, response, session: CheckoutSession):
    return _COOKIE.forget(request, response, path=checkout_path(session))
