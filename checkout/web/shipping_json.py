"""The shipping step for the page script: the same address and method forms, posted by
``fetch`` and answered in JSON, so a buyer goes address → methods → totals → pay on one page.

Each view runs exactly what the form posts run (``shipping_pages.save_address``,
``shipping_select_method``) and answers what the page would show after the 303: the methods
fragment rendered from the same template, the summary's figures from ``summaries.summary``
(the tax of the shipping address already in them) and the billing fields "billing same as
shipping" fills. Nothing here decides a price, a tax or which method serves an address.

Answers use the actions API's envelope, ``{"data": …}`` or ``{"data": null, "errors":
[{"message", "layer"}, …]}``: the first error is the sentence for the page's error summary,
each field error after it names the input it is about (``"field": "ship_city"``). Texts are
in the page's language. Django's CSRF check guards both posts (its refusal is the same
envelope, ``config.error_pages``); a refusal changes nothing.
"""

from django.http import JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from checkout.models import CheckoutSession
from checkout.selectors import SessionState, session_state
from checkout.shipping import shipping_select_method
from checkout.web import choices, shipping_form
from checkout.web.error_text import buyer_message
from checkout.web.locale import locale_for_request
from checkout.web.pages import page_quote, page_session, shipping_context
from checkout.web.payment_form import billing_from_address
from checkout.web.shipping_pages import CHOOSE_METHOD, NOTHING_TO_SHIP, save_address
from checkout.web.summaries import summary
from core.errors import AppError

# The sentences of the pages a form post would have led to (already translated there).
NOT_FOUND = gettext_lazy(
    "This checkout link is not valid. Please check the link, or go back to the merchant's "
    "site and start again."
)
ALREADY_PAID = gettext_lazy("This order has already been paid")
EXPIRED = gettext_lazy("This checkout has expired")
LAYER = "order"


def _answer(body: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(body, status=status)
    add_never_cache_headers(response)  # a buyer's address and totals
    return response


def _refusal(status: int, message, fields: dict | None = None) -> JsonResponse:
    errors = [{"message": str(message), "layer": LAYER}]
    errors += [
        {"message": str(text), "layer": LAYER, "field": name}
        for name, text in (fields or {}).items()
    ]
    return _answer({"data": None, "errors": errors}, status=status)


def _gate(slug: str, session_id: str) -> tuple[CheckoutSession | None, JsonResponse | None]:
    """The open session that ships, or the refusal to answer with instead."""
    session = page_session(slug, session_id)
    if session is None:
        return None, _refusal(404, NOT_FOUND)
    state = session_state(session)
    if state == SessionState.COMPLETED:
        return None, _refusal(409, ALREADY_PAID)
    if state == SessionState.EXPIRED:
        return None, _refusal(410, EXPIRED)
    if not session.requires_shipping:
        return None, _refusal(422, NOTHING_TO_SHIP)
    return session, None


def step_state(request, session: CheckoutSession) -> dict:
    """What the page shows once a step is saved: the methods fragment, the summary's
    figures, whether Pay may go ahead, and the billing fields of the shipping address."""
    locale = locale_for_request(request, session)
    shipping = shipping_context(request, session)
    figures = summary(session, locale, page_quote(session, None))
    address = session.shipping_address or {}
    fragment = {
        "shipping": shipping,
        "values": {"token": ""},  # the script puts the buyer's token in
        "session": session,
        "store_name": session.store_name,
        "countries": choices.country_choices(locale.babel),
    }
    shipping_row = figures["shipping"] or {}
    return {
        # The page's own partials: the saved address (its form folded away) and the methods.
        "addressHtml": render_to_string("checkout/_shipping_address.html", fragment, request),
        "methodsHtml": render_to_string("checkout/_shipping_methods.html", fragment, request),
        "chosenMethodId": (session.shipping_method or {}).get("id"),
        "complete": shipping["complete"],
        "email": address.get("email") or "",
        "billing": billing_from_address(address) if address else None,
        "summary": {
            "items": figures["items_subtotal"],
            "shippingName": shipping_row.get("name", ""),
            "shipping": shipping_row.get("amount", ""),
            "due": figures["due"],
            "taxLabel": figures["tax_label"] or "",
            "tax": figures["tax"] or "",
            "total": figures["total"],
            "quoted": figures["quoted"],
        },
    }


@sensitive_post_parameters()
@require_POST
def shipping_address_json(request, slug: str, session_id: str):
    """The address form's fields → the saved address (cheapest method preselected) and what
    the page shows next; a 400/422 names the fields to fix and saves nothing."""
    session, refusal = _gate(slug, session_id)
    if refusal is not None:
        return refusal
    submission = shipping_form.parse_shipping(request.POST)
    saved = save_address(session, submission)
    if saved is None:
        return _refusal(410, EXPIRED)
    status, message, errors = saved
    if status != 200:
        country = submission.values.get(shipping_form.SHIPPING_PREFIX + "country_code", "")
        return _refusal(status, message, dict(shipping_form.error_list(country, errors)))
    return _answer({"data": step_state(request, session)})


@sensitive_post_parameters("token")
@require_POST
def shipping_method_json(request, slug: str, session_id: str):
    """One of the listed methods → chosen, and the totals with it."""
    session, refusal = _gate(slug, session_id)
    if refusal is not None:
        return refusal
    method_id = shipping_form.shipping_method_choice(request.POST)
    if method_id is None:
        return _refusal(400, CHOOSE_METHOD)
    try:
        shipping_select_method(session=session, method_id=method_id)
    except AppError as exc:
        if exc.status == 410:
            return _refusal(410, EXPIRED)
        return _refusal(exc.status, buyer_message(exc))
    session.refresh_from_db()
    return _answer({"data": step_state(request, session)})
