"""Hosted pages: storefront, checkout, shipping, pay, receipt (``/store/<slug>/…``).

Thin views over the services: they read the posted form, call ``checkout_pay``,
``session_create`` or the shipping services, and choose a template and a status. Pages that
cannot be shown are our own friendly templates with the right status, never Django's error
pages. A session with a line that ships gets a shipping step (address, then method) before
payment; each step posts the page's own form and gets the whole page back, so it all works
without JavaScript.
"""

from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from catalog.models import ProductPrice
from checkout import forms, page_context, selectors, services
from checkout.billing import BillingDetail, countries
from checkout.models import CheckoutSession, SessionStatus, ShippingMethod
from checkout.pricing import quote
from checkout.session_request import parse_session_request
from checkout.shipping import (
    available_methods,
    parse_address,
    shipping_select_method,
    shipping_set_address,
)
from core import tokens
from core.errors import AppError, Conflict
from core.timefmt import iso_utc
from orders.models import Order
from orders.selectors import payment_under_way
from payments import services as payment_services
from payments.models import PaymentStatus
from stores.models import Environment, Store, StoreStatus
from stores.settings_schema import store_theme

TOKEN_INVALID = (
    "Your secure checkout link has expired or is not valid. "
    "Please go back to the merchant's site and open the checkout link again."
)
TOKEN_OTHER_STORE = (
    "This checkout link was issued for another store. "
    "Please go back to the merchant's site and open the checkout link again."
)
STORE_NOT_FOUND = "There is no open store at this address. Please check the link."
PAYMENT_FAILED = "Your payment could not be completed. Please try another card."
CHOOSE_METHOD = "Choose a shipping method."
NOTHING_TO_SHIP = "This checkout has nothing to ship"


class SeeOther(HttpResponseRedirect):
    status_code = 303


# --- lookups -------------------------------------------------------------------------------


def _session(slug: str, session_id: str) -> CheckoutSession | None:
    session = selectors.session_by_public_id(session_id)
    if session is None or session.store.slug != slug or session.store.deleted_at is not None:
        return None
    return session


def _store(slug: str) -> Store | None:
    return Store.objects.alive().filter(slug=slug, status=StoreStatus.ACTIVE).first()


def _checkout_path(session: CheckoutSession) -> str:
    return reverse("checkout:checkout", args=[session.store.slug, session.public_id])


def _receipt_path(session: CheckoutSession) -> str:
    return reverse("checkout:receipt", args=[session.store.slug, session.public_id])


def _after_payment(session: CheckoutSession) -> SeeOther:
    return SeeOther(session.success_url or _receipt_path(session))


# --- shared rendering ----------------------------------------------------------------------


def _page(request, template: str, context: dict, *, status: int = 200, session=None):
    locale = page_context.locale_for_request(request, session)
    if session is not None:
        theme = page_context.theme_for(session.theme, dark=page_context.is_dark(session))
        context.setdefault("test_mode", session.environment == Environment.TEST)
        context.setdefault("store_name", session.store_name)
    else:
        theme = context.pop("theme", None) or page_context.theme_for(None, dark=False)
    context.update(locale=locale, theme=theme, session=session)
    response = render(request, template, context, status=status)
    # Payment pages hold personal data and one-time state: never cached, and they differ
    # by the browser's language.
    add_never_cache_headers(response)
    patch_vary_headers(response, ["Accept-Language"])
    return response


def not_found(request, *, message: str = ""):
    return _page(request, "checkout/not_found.html", {"message": message}, status=404)


def _processing(request, session: CheckoutSession, *, status: int):
    return _page(
        request,
        "checkout/processing.html",
        {"checkout_url": _checkout_path(session)},
        status=status,
        session=session,
    )


def _expired(request, session: CheckoutSession):
    return _page(request, "checkout/expired.html", {}, status=410, session=session)


def _shipping_destinations(session: CheckoutSession) -> list[str]:
    """Country names the store's methods ship to in this currency; empty when some method
    ships everywhere (then there is nothing to say)."""
    codes: set[str] = set()
    for method in ShippingMethod.objects.filter(store_id=session.store_id, active=True).only(
        "prices", "countries"
    ):
        if session.currency not in (method.prices or {}):
            continue
        if not method.countries:
            return []
        codes.update(method.countries)
    names = countries()
    return sorted(names.get(code, code) for code in codes)


def _shipping_context(
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
    locale = page_context.locale_for_request(request, session)
    address = session.shipping_address
    options = available_methods(session=session, country=address["country_code"]) if address else []
    step = page_context.shipping_step(
        session,
        locale,
        values=(
            values
            if values is not None
            else forms.shipping_initial(session, default_country=locale.territory)
        ),
        errors=errors or {},
        message=message,
        method_message=method_message,
        options=options,
        destinations=_shipping_destinations(session),
    )
    step["address_url"] = reverse("checkout:shipping", args=[session.store.slug, session.public_id])
    step["method_url"] = reverse(
        "checkout:shipping_method", args=[session.store.slug, session.public_id]
    )
    return step


def _checkout_form(
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
):
    locale = page_context.locale_for_request(request, session)
    if billing is None and session.requires_shipping:
        # Tax follows the shipping address: once there is one, the page can show it.
        billing = forms.billing_for_address(session.shipping_address)
    result = None
    if billing is not None:
        try:
            result = quote(session=session, billing=billing)
        except AppError:
            result = None
    if shipping is None:
        shipping = _shipping_context(request, session)
    context = {
        "values": values,
        "errors": errors or {},
        "message": message,
        "retry_hint": status == 402,
        "summary": page_context.summary(session, locale, result),
        "shipping": shipping,
        "pay_blocked": bool(shipping) and not shipping["complete"],
        "focus": focus,
        "countries": page_context.country_choices(),
        "regions": page_context.region_choices(),
        "eu_countries": page_context.eu_countries(),
        "pay_url": reverse("checkout:pay", args=[session.store.slug, session.public_id]),
        "preview_url": "/v1/actions/checkout/preview-tax",
        "store_slug": session.store.slug,
    }
    return _page(request, "checkout/checkout.html", context, status=status, session=session)


def _stored_billing(session: CheckoutSession) -> BillingDetail | None:
    if not session.billing_detail:
        return None
    try:
        return BillingDetail.from_stored(session.billing_detail)
    except AppError:
        return None


# --- checkout ------------------------------------------------------------------------------


@require_GET
def checkout_page(request, slug: str, session_id: str):
    session = _session(slug, session_id)
    if session is None:
        return not_found(request)
    if session.status == SessionStatus.COMPLETED:
        return _page(
            request,
            "checkout/already_paid.html",
            {"receipt_url": _receipt_path(session)},
            session=session,
        )
    if payment_under_way(session_id=session.pk):  # it may have charged: say so, offer no form
        return _processing(request, session, status=200)
    if selectors.session_state(session) == selectors.SessionState.EXPIRED:
        return _expired(request, session)
    locale = page_context.locale_for_request(request, session)
    values = forms.initial_values(session, default_country=locale.territory)
    return _checkout_form(request, session, values=values, billing=_stored_billing(session))


def _buyer_identity(session: CheckoutSession, token: str) -> str:
    """The token's buyer, when it is a valid token of this session's store."""
    try:
        claims = tokens.read_customer_token(token)
    except tokens.InvalidToken:
        raise AppError(TOKEN_INVALID, status=400) from None
    if claims.store_id != str(session.store_id):
        raise AppError(TOKEN_OTHER_STORE, status=400)
    return claims.buyer_identity


@sensitive_post_parameters("card_number", "card_cvc", "card_expiry", "token")
@require_http_methods(["GET", "POST"])
def pay(request, slug: str, session_id: str):
    session = _session(slug, session_id)
    if session is None:
        return not_found(request)
    if request.method == "GET":
        return SeeOther(_checkout_path(session))
    if session.status == SessionStatus.COMPLETED:
        return _after_payment(session)  # a second tab or a double submit: already paid
    if selectors.session_state(session) == selectors.SessionState.EXPIRED:
        return _expired(request, session)

    submission = forms.parse_submission(request.POST)
    if submission.errors:
        return _checkout_form(
            request,
            session,
            values=submission.values,
            errors=submission.errors,
            message=submission.errors.get("billing", ""),
            billing=submission.billing,
            status=400,
        )
    try:
        try:
            buyer_identity = _buyer_identity(session, submission.token) if submission.token else ""
        except AppError:
            # Never send a dead token back into the form: every retry would fail the same way.
            submission.values["token"] = ""
            raise
        outcome = payment_services.checkout_pay(
            session=session,
            billing=submission.billing,
            card=submission.card,
            buyer_email=submission.email,
            buyer_identity=buyer_identity,
        )
    except services.SessionExpired:
        return _expired(request, session)
    except payment_services.PaymentInProgress:
        return _processing(request, session, status=409)
    except Conflict as exc:
        error, status = exc.message, exc.status
    except AppError as exc:
        error, status = exc.message, exc.status
    else:
        if outcome.succeeded:
            return _after_payment(session)
        if outcome.pending:  # the processor has not answered: the worker will record it
            return _processing(request, session, status=202)
        payment = outcome.payment
        error = (payment.failure_message if payment else "") or PAYMENT_FAILED
        status = 402
    return _checkout_form(
        request,
        session,
        values=submission.values,
        message=error,
        billing=submission.billing,
        status=status,
    )


@require_POST
def refresh_token(request, slug: str, session_id: str):
    """Swap a still-valid customer token of this store for a fresh one (page script, JSON)."""
    session = _session(slug, session_id)
    if session is None:
        return JsonResponse({"error": "not_found"}, status=404)
    try:
        _buyer_identity(session, request.POST.get("token", ""))
        token, expires_at = tokens.refresh_customer_token(request.POST["token"])
    except (AppError, tokens.InvalidToken):
        return JsonResponse({"error": "invalid_token"}, status=401)
    response = JsonResponse({"token": token, "expiresAt": iso_utc(expires_at)})
    add_never_cache_headers(response)
    return response


# --- shipping (sessions with a line that ships) ---------------------------------------------


def _shipping_gate(request, slug: str, session_id: str):
    """The session to change, or the page to answer with instead."""
    session = _session(slug, session_id)
    if session is None:
        return None, not_found(request)
    if session.status == SessionStatus.COMPLETED:
        return None, SeeOther(_checkout_path(session))  # shows "already paid"
    if selectors.session_state(session) == selectors.SessionState.EXPIRED:
        return None, _expired(request, session)
    if not session.requires_shipping:
        locale = page_context.locale_for_request(request, session)
        values = forms.initial_values(session, default_country=locale.territory)
        page = _checkout_form(request, session, values=values, message=NOTHING_TO_SHIP, status=422)
        return None, page
    return session, None


def _pay_values(request, session: CheckoutSession, token: str) -> dict:
    locale = page_context.locale_for_request(request, session)
    values = forms.initial_values(session, default_country=locale.territory)
    values["token"] = token
    return values


@sensitive_post_parameters()  # an address and maybe a token: nothing for error reports
@require_POST
def shipping_address(request, slug: str, session_id: str):
    """The address form: ``parse_address`` + ``shipping_set_address``, then the page again
    with the methods that serve the address."""
    session, answer = _shipping_gate(request, slug, session_id)
    if answer is not None:
        return answer
    submission = forms.parse_shipping(request.POST)
    status, message, errors = 200, "", dict(submission.errors)
    if errors:
        status, message = 400, "Please check your shipping address."
    else:
        try:
            shipping_set_address(session=session, address=parse_address(submission.payload))
        except AppError as exc:
            if exc.status == 410:  # expired while the buyer typed
                return _expired(request, session)
            field, text = forms.shipping_error(exc.message)
            if field:
                errors[field] = text
                message = "Please check your shipping address."
            else:
                message = text
            status = exc.status
        else:
            session.refresh_from_db()
    if status == 200:
        shipping = _shipping_context(request, session)
        focus = "shipping-methods-heading" if shipping["methods"] else "shipping-no-method"
    else:
        shipping = _shipping_context(
            request, session, values=submission.values, errors=errors, message=message
        )
        focus = "shipping-error-summary"
    return _checkout_form(
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
    method_id = forms.shipping_method_choice(request.POST)
    status, message = 200, ""
    if method_id is None:
        status, message = 400, CHOOSE_METHOD
    else:
        try:
            shipping_select_method(session=session, method_id=method_id)
        except AppError as exc:
            if exc.status == 410:
                return _expired(request, session)
            status, message = exc.status, exc.message
        else:
            session.refresh_from_db()
    shipping = _shipping_context(request, session, method_message=message)
    if not message:
        focus = "form-heading"  # next: payment
    else:
        focus = "shipping-method-error" if shipping["methods"] else "shipping-error-summary"
    return _checkout_form(
        request,
        session,
        values=_pay_values(request, session, token),
        status=status,
        shipping=shipping,
        focus=focus,
    )


@require_GET
def receipt(request, slug: str, session_id: str):
    session = _session(slug, session_id)
    if session is None:
        return not_found(request)
    order = Order.objects.filter(checkout_session=session).first()
    if session.status != SessionStatus.COMPLETED or order is None:
        return SeeOther(_checkout_path(session))
    payment = order.payments.filter(status=PaymentStatus.SUCCEEDED).first()
    locale = page_context.locale_for_request(request, session)
    context = {
        "order": order,
        "payment": payment,
        "amounts": page_context.order_amounts(order, locale),
        "lines": page_context.order_lines(order, locale),
        "shipping_address": page_context.address_lines(order.shipping_address),
        "checkout_url": _checkout_path(session),
    }
    return _page(request, "checkout/receipt.html", context, session=session)


# --- storefront ----------------------------------------------------------------------------


def _storefront_environment(value, store: Store) -> str:
    if value in Environment.values:
        return value
    return Environment.PROD if store.prod_enabled else Environment.TEST


def _storefront(request, store: Store, environment: str, *, error: str = "", status: int = 200):
    locale = page_context.locale_for_request(request)
    listing = []
    live_allowed = environment == Environment.TEST or store.prod_enabled
    if live_allowed:
        products = [
            product
            for product in store.products.select_related("test_version", "prod_version").order_by(
                "created_at"
            )
            if product.is_sellable_in(environment)
        ]
        versions = {product.pk: product.version_in(environment) for product in products}
        prices: dict = {}
        for price in ProductPrice.objects.filter(version__in=versions.values()):
            prices.setdefault(price.version_id, []).append(price)
        for product in products:
            version = versions[product.pk]
            listing.append(
                page_context.product_card(
                    product, version, prices.get(version.pk, []), locale=locale
                )
            )
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
        "theme": page_context.theme_for(settings, dark=settings["defaultDarkMode"]),
    }
    return _page(request, "checkout/storefront.html", context, status=status)


@require_GET
def storefront(request, slug: str):
    store = _store(slug)
    if store is None:
        return not_found(request, message=STORE_NOT_FOUND)
    environment = _storefront_environment(request.GET.get("env"), store)
    return _storefront(request, store, environment)


@require_POST
def buy(request, slug: str):
    store = _store(slug)
    if store is None:
        return not_found(request, message=STORE_NOT_FOUND)
    environment = request.POST.get("env")
    if environment not in Environment.values:
        environment = _storefront_environment(None, store)
        return _storefront(request, store, environment, error="Choose a product.", status=400)
    payload = {
        "productId": request.POST.get("product", ""),
        "currency": request.POST.get("currency", ""),
    }
    try:
        session = services.session_create(
            request=parse_session_request(payload, from_merchant=False),
            environment=environment,
            store_slug=store.slug,
        )
    except AppError as exc:
        return _storefront(request, store, environment, error=exc.message, status=exc.status)
    return SeeOther(_checkout_path(session))
