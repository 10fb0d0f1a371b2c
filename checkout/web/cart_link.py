"""The public link of a template cart, ``/c/<cart_id>`` (seed 002): whoever opens it gets
a checkout of their own and is sent on to its page; a link that cannot be bought is a
friendly page with the status that says why."""

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from checkout.carts import cart_begin, public_cart
from checkout.link_limits import TooManyCheckouts, public_checkout_count
from checkout.web.error_text import BY_CODE
from checkout.web.locale import locale_for_request
from checkout.web.pages import SeeOther
from checkout.web.theme import page_theme
from core.errors import AppError
from core.rate_limits import client_address
from stores.models import Store
from stores.settings_schema import store_theme

UNAVAILABLE = {
    403: gettext_lazy("This store is not taking orders right now. Please try again later."),
    404: gettext_lazy(
        "This cart link is not valid. Please check the link or ask the merchant for a new one."
    ),
    422: gettext_lazy("This cart can't be bought right now. Please contact the merchant."),
    429: BY_CODE[TooManyCheckouts.default_code],
}


def _unavailable(request, status: int, store: Store | None) -> HttpResponse:
    theme = None
    if store is not None:
        theme = store_theme(store)
    locale = locale_for_request(request, store=store)
    context = {
        "message": UNAVAILABLE.get(status, UNAVAILABLE[422]),
        "store_name": store.name if store is not None else "",
        "locale": locale,
        "theme": page_theme(theme),
    }
    # The link names no store, so the middleware chose from the browser alone; the cart's
    # store default counts here.
    with translation.override(locale.language):
        response = render(request, "checkout/cart_unavailable.html", context, status=status)
    add_never_cache_headers(response)
    patch_vary_headers(response, ["Accept-Language"])
    return response


@require_safe
def public_cart_link(request, cart_id: str) -> HttpResponse:
    """``GET /c/{cart_id}``: whoever opens the link gets a checkout of their own.

    A GET with a side effect, on purpose (seed 002): the link and the QR code are the only
    thing a buyer has. Sessions are cheap and expire; the redirect is never cached.
    """
    store = None
    try:
        cart = public_cart(cart_id=cart_id)
        store = cart.store
        public_checkout_count(client_ip=client_address(request))
        session = cart_begin(cart=cart)
    except AppError as exc:
        status = exc.status if exc.status in UNAVAILABLE else 422
        response = _unavailable(request, status, store)
        if isinstance(exc, TooManyCheckouts):
            response["Retry-After"] = str(exc.retry_after)
        return response
    response = SeeOther(f"/store/{session.store.slug}/checkout/{session.public_id}")
    add_never_cache_headers(response)
    return response
