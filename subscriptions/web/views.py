"""The customer portal: ``/store/<slug>/portal`` and its order pages.

Thin views: who the visitor is comes from the portal session (``session``), what they may
see from ``subscriptions.portal_selectors`` (always scoped to that identity: another
buyer's or store's order is "not found"), and every change from the services
(``subscription_cancel``, ``subscription_reactivate``, ``payment_method_save``,
``subscription_payment_method_update`` and, for a plan change, ``portal_plan_change``,
which opens the same plan change session as the customer API and leads to its page).
Every form posts with its CSRF token and answers ``303 See Other`` to a page that shows the
outcome, so Back and reload never post again.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from checkout.web.locale import locale_for_request
from checkout.web.pages import STORE_NOT_FOUND, SeeOther, page
from checkout.web.pages import not_found as _not_found
from checkout.web.theme import page_theme
from core.errors import AppError, NotFound
from core.rate_limits import client_address
from payments.processors import processor_for
from payments.saved_methods import payment_method_save
from stores.models import Environment, Store
from stores.settings_schema import store_theme
from subscriptions import states
from subscriptions.payment_method_update import card_updatable, subscription_payment_method_update
from subscriptions.plan_change_options import (
    portal_plan_change,
    scheduled_change,
    self_service_options,
)
from subscriptions.portal_access import (
    PortalDenied,
    PortalIdentity,
    identity_from_link,
    identity_from_token,
)
from subscriptions.portal_selectors import (
    identity_covers,
    portal_order,
    portal_orders,
    portal_store,
    subscriptions_of,
)
from subscriptions.services import subscription_cancel, subscription_reactivate
from subscriptions.web import forms, presentation
from subscriptions.web.session import portal_path, session_end, session_identity, session_start

ORDER_NOT_FOUND = gettext_noop("We can't find this order among yours. Please check the link.")


def not_found(request, *, message: str = ""):
    return _not_found(request, message=message or _(STORE_NOT_FOUND))


def _render(
    request,
    store: Store,
    template: str,
    context: dict,
    *,
    status: int = 200,
    test=None,
    language: str = "",
):
    context.update(
        store=store,
        store_name=store.name,
        theme=page_theme(store_theme(store)),
        test_mode=test,
        portal_url=portal_path(store),
    )
    return page(request, template, context, status=status, store=store, language=language)


def _order_locale(request, store: Store, order):
    """An order's pages speak its checkout's language, then the browser's, then the store's."""
    return locale_for_request(request, store=store, language=order.checkout_session.language)


def _denied(request, store: Store, *, message: str = "", status: int = 401):
    context = {"message": message or _("Your session has ended or the link is not valid.")}
    return _render(request, store, "portal/denied.html", context, status=status)


def _visitor(request, slug: str):
    """(store, identity, None), or (…, a response to answer instead)."""
    store = portal_store(slug=slug)
    if store is None:
        return None, None, not_found(request)
    identity = session_identity(request, store=store)
    if identity is None:
        return store, None, _denied(request, store)
    return store, identity, None


def _enter(request, store: Store, data) -> object:
    """Exchange the token or link the request brings, once, for the portal session."""
    try:
        if data.get("link"):
            identity = identity_from_link(link=data["link"], store=store)
            current = session_identity(request, store=store)
            if current is not None and identity_covers(
                identity=current, order_id=identity.order_id
            ):
                identity = current  # back from a receipt: keep the wider session it came from
        else:
            identity = identity_from_token(
                token=data.get("token", ""), store=store, environment=data.get("environment")
            )
    except PortalDenied as exc:
        response = _denied(request, store, message=_(exc.message), status=exc.status)
    else:
        response = _render(
            request,
            store,
            "portal/entering.html",
            {},
            test=identity.environment == Environment.TEST,
        )
        session_start(response, store=store, identity=identity)
    response["Referrer-Policy"] = "no-referrer"  # the URL held a credential
    return response


@require_safe
def index(request, slug: str):
    if "token" in request.GET or "link" in request.GET:
        store = portal_store(slug=slug)
        return not_found(request) if store is None else _enter(request, store, request.GET)
    store, identity, answer = _visitor(request, slug)
    if answer is not None:
        return answer
    locale = locale_for_request(request, store=store)
    orders = list(portal_orders(identity=identity))
    context = {"orders": presentation.order_rows(orders, locale)}
    return _render(request, store, "portal/index.html", context, test=_test(identity))


@csrf_exempt  # the token in the body is the credential; the merchant's site posts it
@sensitive_post_parameters("token")
@require_POST
def enter(request, slug: str):
    store = portal_store(slug=slug)
    return not_found(request) if store is None else _enter(request, store, request.POST)


def _test(identity: PortalIdentity) -> bool:
    return identity.environment == Environment.TEST


def _order_of(request, slug: str, order_id: str):
    """(store, identity, order, None), or (…, a response to answer instead)."""
    store, identity, answer = _visitor(request, slug)
    if answer is not None:
        return store, identity, None, answer
    try:
        order = portal_order(identity=identity, public_id=order_id)
    except NotFound:
        return store, identity, None, not_found(request, message=_(ORDER_NOT_FOUND))
    return store, identity, order, None


@require_safe
def order_page(request, slug: str, order_id: str):
    store, identity, order, answer = _order_of(request, slug, order_id)
    if answer is not None:
        return answer
    locale = _order_locale(request, store, order)
    subscription = subscriptions_of(orders=[order]).get(order.pk)
    with translation.override(locale.language):
        context = {
            "order": presentation.order_row(order, subscription, locale),
            "payments": presentation.payment_rows(order, locale),
            "notice": presentation.notice(request.GET.get("notice", "")),
            "notice_is_error": request.GET.get("notice") in presentation.ERROR_NOTICES,
            "can_change_plan": bool(self_service_options(order=order, subscription=subscription)),
            "next_plan": presentation.next_plan(scheduled_change(subscription=subscription)),
        }
        return _render(
            request,
            store,
            "portal/order.html",
            context,
            test=_test(identity),
            language=order.checkout_session.language,
        )


@require_http_methods(["GET", "HEAD", "POST"])
def plan(request, slug: str, order_id: str):
    """Choose another plan of the group; the choice opens a plan change session and moves
    on to its confirmation page, which leads back here once confirmed."""
    store, identity, order, answer = _order_of(request, slug, order_id)
    if answer is not None:
        return answer
    subscription = subscriptions_of(orders=[order]).get(order.pk)
    options = self_service_options(order=order, subscription=subscription)
    if not options:
        return SeeOther(f"{presentation.order_url(order)}?notice=refused")
    if request.method == "POST":
        return _plan_post(request, order, subscription)
    locale = _order_locale(request, store, order)
    with translation.override(locale.language):
        context = {
            "order": presentation.order_row(order, subscription, locale),
            "options": presentation.plan_options(options, locale),
            "notice": presentation.notice(request.GET.get("notice", "")),
        }
        return _render(
            request,
            store,
            "portal/plan.html",
            context,
            test=_test(identity),
            language=order.checkout_session.language,
        )


def _plan_post(request, order, subscription):
    back = f"{settings.PUBLIC_BASE_URL}{presentation.order_url(order)}?notice=plan_changed"
    try:
        change = portal_plan_change(
            order=order,
            subscription=subscription,
            product_id=request.POST.get("plan", ""),
            success_url=back,
        )
    except AppError:
        path = reverse("portal:plan", args=[order.store.slug, order.public_id])
        return SeeOther(f"{path}?notice=plan_unavailable")
    return SeeOther(reverse("plan-change", args=[order.store.slug, change.public_id]))


def _change(request, slug: str, order_id: str, change, done: str):
    _store, _identity, order, answer = _order_of(request, slug, order_id)
    if answer is not None:
        return answer
    notice = done
    try:
        if order.product_type != "subscription":
            raise AppError("Not a subscription")
        change(order=order)
    except AppError:
        notice = "refused"
    return SeeOther(f"{presentation.order_url(order)}?notice={notice}")


@require_POST
def cancel(request, slug: str, order_id: str):
    return _change(request, slug, order_id, subscription_cancel, "canceled")


@require_POST
def reactivate(request, slug: str, order_id: str):
    return _change(request, slug, order_id, subscription_reactivate, "reactivated")


@sensitive_post_parameters("card_number", "card_cvc", "card_expiry", "payment_method")
@require_http_methods(["GET", "HEAD", "POST"])
def card(request, slug: str, order_id: str):
    store, identity, order, answer = _order_of(request, slug, order_id)
    if answer is not None:
        return answer
    path = reverse("portal:card", args=[store.slug, order.public_id])
    if not card_updatable(order):  # nothing to save a card for: never reach the processor
        return SeeOther(f"{presentation.order_url(order)}?notice=refused")
    stripe_page = getattr(processor_for(order.environment), "page", None)
    locale = _order_locale(request, store, order)
    with translation.override(locale.language):
        if request.method == "POST":
            return _card_post(request, order, path, browser_method=stripe_page is not None)
        outcome = forms.read_outcome(request, path=path)
        context = {
            "order": presentation.order_rows([order], locale)[0],
            "card_url": path,
            "attempt": forms.new_attempt(),
            "message": outcome.get("message", ""),
            "errors": outcome.get("errors", {}),
            "stripe_page": stripe_page,
        }
        response = _render(
            request,
            store,
            "portal/card.html",
            context,
            test=_test(identity),
            language=order.checkout_session.language,
        )
    return forms.forget_outcome(request, response, path=path)


def _card_post(request, order, path: str, *, browser_method: bool):
    submission = forms.parse_card_form(request.POST, browser_method=browser_method)
    if submission.errors:
        message = _("Check your card details.")
        return forms.keep_outcome(
            SeeOther(path), path=path, message=message, errors=submission.errors
        )
    try:
        method = payment_method_save(
            store_id=order.store_id,
            environment=order.environment,
            buyer_email=order.buyer_email,
            buyer_identity=order.buyer_identity,
            card=submission.card,
            idempotency_key=f"portal-card-{order.public_id}-{submission.attempt}",
            client_ip=client_address(request),
        )
        update = subscription_payment_method_update(order=order, method=method)
    except AppError as exc:
        return forms.keep_outcome(SeeOther(path), path=path, message=exc.message, errors={})
    return SeeOther(f"{presentation.order_url(order)}?notice={_card_notice(update)}")


def _card_notice(update) -> str:
    if not update.retried:
        return "card_updated"
    if update.outcome == "renewed":
        return "card_renewed"
    if update.outcome in (states.PAST_DUE, states.CANCELED):
        return "card_declined"
    return "card_processing"  # in the processor's hands, or claimed by a twin submit


@require_POST
def sign_out(request, slug: str):
    store = portal_store(slug=slug)
    if store is None:
        return not_found(request)
    response = SeeOther(reverse("portal:signed-out", args=[store.slug]))
    return session_end(response, store=store)


@require_safe
def signed_out(request, slug: str):
    store = portal_store(slug=slug)
    if store is None:
        return not_found(request)
    return _render(request, store, "portal/signed_out.html", {})
