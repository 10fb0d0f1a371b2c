"""The shipping step of the checkout page (sessions with a line that ships): the address
form (``/shipping``) and the method choice (``/shipping-method``), each answering 303 to the
checkout page (``checkout.web.shipping_outcome``), so Back and reload never re-post."""

from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from checkout.models import CheckoutSession
from checkout.selectors import SessionState, session_state
from checkout.shipping import parse_address, shipping_select_method, shipping_set_address
from checkout.web import payment_form, shipping_form
from checkout.web.error_text import buyer_message
from checkout.web.locale import locale_for_request
from checkout.web.pages import (
    SeeOther,
    checkout_form,
    checkout_path,
    expired,
    not_found,
    page_session,
    shipping_context,
)
from checkout.web.shipping_outcome import see_shipping
from core.errors import AppError

CHOOSE_METHOD = gettext_lazy("Choose a shipping method.")
NOTHING_TO_SHIP = gettext_lazy("This checkout has nothing to ship")
CHECK_ADDRESS = gettext_lazy("Please check your shipping address.")


def _shipping_gate(request, slug: str, session_id: str):
    """The session to change, or the page to answer with instead."""
    session = page_session(slug, session_id)
    if session is None:
        return None, not_found(request)
    state = session_state(session)
    if state == SessionState.COMPLETED:
        return None, SeeOther(checkout_path(session))  # shows "already paid"
    if state == SessionState.EXPIRED:
        return None, expired(request, session)
    if not session.requires_shipping:
        locale = locale_for_request(request, session)
        values = payment_form.initial_values(session, default_country=locale.territory)
        page = checkout_form(request, session, values=values, message=NOTHING_TO_SHIP, status=422)
        return None, page
    return session, None


def save_address(session: CheckoutSession, submission) -> tuple[int, str, dict] | None:
    """Status, message and field errors of saving the posted address (the cheapest method
    that serves it preselected); None when the session expired while the buyer typed. The
    address form and the page script's JSON step (``checkout.web.shipping_json``) share it."""
    status, message, errors = 200, "", dict(submission.errors)
    if errors:
        return 400, CHECK_ADDRESS, errors
    try:
        shipping_set_address(
            session=session, address=parse_address(submission.payload), preselect_cheapest=True
        )
    except AppError as exc:
        if exc.status == 410:  # expired while the buyer typed
            return None
        field, text = shipping_form.shipping_error(exc.message)
        if field:
            errors[field] = text
            message = CHECK_ADDRESS
        else:
            message = buyer_message(exc)
        status = exc.status
    else:
        session.refresh_from_db()
    return status, message, errors


@sensitive_post_parameters()  # an address and maybe a token: nothing for error reports
@require_POST
def shipping_address(request, slug: str, session_id: str):
    """The address form: ``parse_address`` + ``shipping_set_address``, then a 303 to the page,
    which lists the methods that serve the address (or says what to fix)."""
    session, answer = _shipping_gate(request, slug, session_id)
    if answer is not None:
        return answer
    submission = shipping_form.parse_shipping(request.POST)
    saved = save_address(session, submission)
    if saved is None:
        return expired(request, session)
    status, message, errors = saved
    if status == 200:
        focus = (
            "shipping-methods-heading" if _has_methods(request, session) else "shipping-no-method"
        )
        return see_shipping(session, token=submission.token, focus=focus)
    return see_shipping(
        session,
        token=submission.token,
        focus="shipping-error-summary",
        values=submission.values,
        errors=errors,
        message=message,
    )


def _has_methods(request, session: CheckoutSession) -> bool:
    return bool(shipping_context(request, session)["methods"])


@sensitive_post_parameters("token")
@require_POST
def shipping_method(request, slug: str, session_id: str):
    """A method of those listed: ``shipping_select_method``, then a 303 to the page, totals
    with shipping and the tax of the shipping address."""
    session, answer = _shipping_gate(request, slug, session_id)
    if answer is not None:
        return answer
    token = (request.POST.get("token") or "").strip()[:4000]
    method_id = shipping_form.shipping_method_choice(request.POST)
    message = ""
    if method_id is None:
        message = CHOOSE_METHOD
    else:
        try:
            shipping_select_method(session=session, method_id=method_id)
        except AppError as exc:
            if exc.status == 410:
                return expired(request, session)
            message = buyer_message(exc)
    if not message:
        return see_shipping(session, token=token, focus="form-heading")  # next: payment
    focus = "shipping-method-error" if _has_methods(request, session) else "shipping-error-summary"
    return see_shipping(session, token=token, focus=focus, method_message=message)


def shipping_page(request, session: CheckoutSession, outcome: dict, *, values: dict, billing):
    """The checkout page as a shipping step's 303 left it (``read_shipping_outcome``)."""
    shipping = shipping_context(
        request,
        session,
        values=outcome["values"] or None,
        errors=outcome["errors"],
        message=outcome["message"],
        method_message=outcome["method_message"],
    )
    return checkout_form(
        request, session, values=values, billing=billing, shipping=shipping, focus=outcome["focus"]
    )
