"""A store's public storefront (``/store/<slug>/``) and its buy button, which starts a
checkout of one product in one currency (``session_create``, as a browser would)."""

from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from catalog.selectors import storefront_listing
from checkout import services
from checkout.link_limits import TooManyCheckouts, public_checkout_count
from checkout.session_request import parse_session_request
from checkout.web import summaries
from checkout.web.error_text import buyer_message
from checkout.web.locale import locale_for_request
from checkout.web.pages import STORE_NOT_FOUND, SeeOther, checkout_path, not_found, page
from checkout.web.theme import page_theme
from core.errors import AppError
from core.rate_limits import client_address
from stores.models import Environment, Store
from stores.selectors import open_store
from stores.settings_schema import store_theme


def _storefront_environment(value, store: Store) -> str:
    if value in Environment.values:
        return value
    return Environment.PROD if store.prod_enabled else Environment.TEST


def _storefront(request, store: Store, environment: str, *, error: str = "", status: int = 200):
    locale = locale_for_request(request, store=store)
    listing = []
    live_allowed = environment == Environment.TEST or store.prod_enabled
    if live_allowed:
        listing = [
            summaries.product_card(product, version, prices, locale=locale)
            for product, version, prices in storefront_listing(store=store, environment=environment)
        ]
    settings = store_theme(store)
    context = {
        "store": store,
        "store_name": store.name,
        "products": listing,
        "environment": environment,
        "live_allowed": live_allowed,
        "test_mode": environment == Environment.TEST,
        "error": error,
        "buy_url": reverse("checkout:buy", args=[store.slug]),
        "theme": page_theme(settings),
    }
    return page(request, "checkout/storefront.html", context, status=status, store=store)


@require_safe
def storefront(request, slug: str):
    store = open_store(slug=slug)
    if store is None:
        return not_found(request, message=STORE_NOT_FOUND)
    environment = _storefront_environment(request.GET.get("env"), store)
    return _storefront(request, store, environment)


@require_POST
def buy(request, slug: str):
    store = open_store(slug=slug)
    if store is None:
        return not_found(request, message=STORE_NOT_FOUND)
    environment = request.POST.get("env")
    if environment not in Environment.values:
        environment = _storefront_environment(None, store)
        return _storefront(
            request, store, environment, error=gettext("Choose a product."), status=400
        )
    payload = {
        "productId": request.POST.get("product", ""),
        "currency": request.POST.get("currency", ""),
    }
    try:
        public_checkout_count(client_ip=client_address(request))
        session = services.session_create(
            request=parse_session_request(payload, from_merchant=False),
            environment=environment,
            store_slug=store.slug,
        )
    except AppError as exc:
        response = _storefront(
            request, store, environment, error=buyer_message(exc), status=exc.status
        )
        if isinstance(exc, TooManyCheckouts):
            response["Retry-After"] = str(exc.retry_after)
        return response
    return SeeOther(checkout_path(session))
