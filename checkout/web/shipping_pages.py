"""The shipping step of the checkout page (sessions with a line that ships): the address
form (``/shipping``) and the method choice (``/shipping-method``), each answering with the
whole checkout page again."""

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


def _pay_values(request, session: CheckoutSession, token: str) -> dict:
    locale = locale_for_request(request, session)
    values = payment_form.initial_values(session, default_country=locale.territory)
    values["token"] = token
    return values


def _save_address(session: CheckoutSession, submission) -> tuple[int, str, dict] | None:
    """Status, message and field errors of saving the posted address; None when the
    session expired while the buyer typed."""
    status, message, errors = 200, "", dict(submission.errors)
    if errors:
        return 400, CHECK_ADDRESS, errors
    try:
        shipping_set_address(session=session, address=parse_address(submission.payload))
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
    """The address form: ``parse_address`` + ``shipping_set_address``, then the page again
    with the methods that serve the address."""
    session, answer = _shipping_gate(request, slug, session_id)
    if answer is not None:
        return answer
    submission = shipping_form.parse_shipping(request.POST)
    saved = _save_address(session, submission)
    if saved is None:
        return expired(request, session)
    status, message, errors = saved
    if status == 200:
        shipping = shipping_context(request, session)
        focus = "shipping-methods-heading" if shipping["methods"] else "shipping-no-method"
    else:
        shipping = shipping_context(
            request, session, values=submission.values, errors=errors, message=message
        )
        focus = "shipping-error-summary"
    return checkout_form(
        request,
        session,
        values=_pay_values(request, session, submission.token),
        status=status,
        shipping=shipping,
        focus=focus,
    )


@sensitive_post_parameters("token")
@require_POST
def shipping_method(request, slug: str, session_id: str):
    """A method of those listed: ``shipping_select_method``, then the page again, totals with
    shipping and the tax of the shipping address."""
    session, answer = _shipping_gate(request, slug, session_id)
    if answer is not None:
        return answer
    token = (request.POST.get("token") or "").strip()[:4000]
    method_id = shipping_form.shipping_method_choice(request.POST)
    status, message = 200, ""
    if method_id is None:
        status, message = 400, CHOOSE_METHOD
    else:
        try:
            shipping_select_method(session=session, method_id=method_id)
        except AppError as exc:
            if exc.status == 410:
                return expired(request, session)
            status, message = exc.status, buyer_message(exc)
        else:
            session.refresh_from_db()
    shipping = shipping_context(request, session, method_message=message)
    if not message:
        focus = "form-heading"  # next: payment
    else:
        focus = "shipping-method-error" if shipping["methods"] else "shipping-error-summary"
    return checkout_form(
        request,
        session,
        values=_pay_values(request, session, token),
        status=status,
        shipping=shipping,
        focus=focus,
    )
