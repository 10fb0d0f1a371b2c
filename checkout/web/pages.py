"""What every hosted page shares: finding the session or store a URL names, rendering with
the session's locale and theme (never cached), the "not found" and "expired" pages, and the
checkout form page the checkout and shipping views all answer with.

Pages that cannot be shown are our own friendly templates with the right status, never
Django's error pages.
"""

import json

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext_lazy

from checkout.billing import BillingDetail, billing_for_address
from checkout.models import CheckoutSession
from checkout.pricing import quote
from checkout.selectors import session_by_public_id
from checkout.shipping import available_methods
from checkout.shipping_methods import shipping_destinations
from checkout.web import choices, payment_form, shipping_form, summaries
from checkout.web.language import MISSING, found_session
from checkout.web.locale import locale_for_request
from checkout.web.theme import page_theme
from core.errors import AppError
from payments.processors import processor_for
from stores.models import Environment

STORE_NOT_FOUND = gettext_lazy("There is no open store at this address. Please check the link.")


class SeeOther(HttpResponseRedirect):
    status_code = 303


def page_session(slug: str, session_id: str) -> CheckoutSession | None:
    """The session a page URL names, when it is one of that (live) store's."""
    session = found_session(session_id)
    if session is MISSING:
        session = session_by_public_id(session_id)
    if session is None or session.store.slug != slug or session.store.deleted_at is not None:
        return None
    return session


def checkout_path(session: CheckoutSession) -> str:
    return reverse("checkout:checkout", args=[session.store.slug, session.public_id])


def receipt_path(session: CheckoutSession) -> str:
    return reverse("checkout:receipt", args=[session.store.slug, session.public_id])


def after_payment(session: CheckoutSession) -> SeeOther:
    return SeeOther(session.success_url or receipt_path(session))


def page(
    request,
    template: str,
    context: dict,
    *,
    status: int = 200,
    session=None,
    store=None,
    language: str = "",
):
    locale = locale_for_request(request, session, store, language)
    if session is not None:
        theme = page_theme(session.theme, dark_mode=session.dark_mode)
        context.setdefault("test_mode", session.environment == Environment.TEST)
        context.setdefault("store_name", session.store_name)
        context.setdefault("purchase_title", summaries.session_title(session))
    else:
        theme = context.pop("theme", None) or page_theme(None)
    context.update(locale=locale, theme=theme, session=session)
    # checkout.web.language activated this language for the view already; the page itself
    # is rendered in it whoever calls.
    with translation.override(locale.language):
        response = render(request, template, context, status=status)
    # Payment pages hold personal data and one-time state: never cached, and they differ
    # by the browser's language.
    add_never_cache_headers(response)
    patch_vary_headers(response, ["Accept-Language"])
    if context.get("stripe_page") is not None:
        # Exactly the configured Stripe.js (and its API) on top of the page's policy; pages
        # the test processor serves keep the policy with no third party in it.
        response._csp_config = context["stripe_page"].csp(settings.SECURE_CSP)
    return response


def card_page(session: CheckoutSession):
    """How the environment's processor takes cards on a hosted page: None for our own
    card fields, else its script's configuration (Stripe Elements)."""
    return getattr(processor_for(session.environment), "page", None)


def not_found(request, *, message: str = ""):
    return page(request, "checkout/not_found.html", {"message": message}, status=404)


def expired(request, session: CheckoutSession):
    return page(request, "checkout/expired.html", {}, status=410, session=session)


def _destination_names(session: CheckoutSession, locale) -> list[str]:
    codes = shipping_destinations(store_id=session.store_id, currency=session.currency)
    names = (choices.country_name(code, locale=locale.babel) for code in codes)
    return sorted(names, key=choices.collation_key)


def shipping_context(
    request,
    session: CheckoutSession,
    *,
    values: dict | None = None,
    errors: dict | None = None,
    message: str = "",
    method_message: str = "",
) -> dict | None:
    if not session.requires_shipping:
        return None
    locale = locale_for_request(request, session)
    address = session.shipping_address
    options = available_methods(session=session, country=address["country_code"]) if address else []
    step = shipping_form.shipping_step(
        session,
        locale,
        values=(
            values
            if values is not None
            else shipping_form.shipping_initial(session, default_country=locale.territory)
        ),
        errors=errors or {},
        message=message,
        method_message=method_message,
        options=options,
        destinations=_destination_names(session, locale),
    )
    step["address_url"] = reverse("checkout:shipping", args=[session.store.slug, session.public_id])
    step["method_url"] = reverse(
        "checkout:shipping_method", args=[session.store.slug, session.public_id]
    )
    # What "billing same as shipping" fills in (the page script).
    step["billing_json"] = (
        json.dumps(payment_form.billing_from_address(address), separators=(",", ":"))
        if address
        else ""
    )
    step["address_json_url"] = reverse(
        "checkout:shipping-json", args=[session.store.slug, session.public_id]
    )
    step["method_json_url"] = reverse(
        "checkout:shipping-method-json", args=[session.store.slug, session.public_id]
    )
    return step


def page_quote(session: CheckoutSession, billing: BillingDetail | None):
    if billing is None and session.requires_shipping:
        # Tax follows the shipping address: once there is one, the page can show it.
        billing = billing_for_address(address=session.shipping_address)
    if billing is None:
        return None
    try:
        return quote(session=session, billing=billing)
    except AppError:
        return None


def checkout_form(
    request,
    session: CheckoutSession,
    *,
    values: dict,
    errors: dict | None = None,
    message: str = "",
    billing: BillingDetail | None = None,
    status: int = 200,
    shipping: dict | None = None,
    focus: str = "",
    retry_hint: bool | None = None,
):
    locale = locale_for_request(request, session)
    result = page_quote(session, billing)
    if shipping is None:
        shipping = shipping_context(request, session)
    context = {
        "values": values,
        "errors": errors or {},
        "message": message,
        "retry_hint": status == 402 if retry_hint is None else retry_hint,
        "summary": summaries.summary(session, locale, result),
        "shipping": shipping,
        "pay_blocked": bool(shipping) and not shipping["complete"],
        "focus": focus,
        "countries": choices.country_choices(locale.babel),
        "regions": choices.region_choices(),
        # speed (issue 18): the option lists as HTML built once, the choice marked here
        "country_options": choices.options_html(
            "country", selected=values.get("country", ""), locale=locale.babel
        ),
        "us_state_options": choices.options_html("US", selected=values.get("state_us", "")),
        "ca_province_options": choices.options_html("CA", selected=values.get("state_ca", "")),
        "eu_countries": choices.eu_countries(),
        "pay_url": reverse("checkout:pay", args=[session.store.slug, session.public_id]),
        "preview_url": "/v1/actions/checkout/preview-tax",
        "store_slug": session.store.slug,
        "stripe_page": card_page(session),
        "js_text": summaries.script_text(),
    }
    return page(request, "checkout/checkout.html", context, status=status, session=session)
