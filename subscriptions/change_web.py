"""The plan change confirmation page: ``/store/{slug}/change/{sessionId}``.

GET shows the current and the target plan, what is charged or credited now (tax
included), and the next charge; POST confirms (``plan_change_apply.plan_change_confirm``,
exactly once however often it is posted) and answers 303 to the page, which then shows
the outcome, or to the merchant's ``successUrl``. The URL is the capability, as a checkout
session's is: unguessable, valid until it expires, for one change of one subscription.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_http_methods

from checkout.tax import TaxLine, compute_tax
from checkout.web.error_text import buyer_message
from checkout.web.locale import money, resolve_locale, store_language
from checkout.web.pages import SeeOther, not_found, page
from checkout.web.theme import page_theme
from core.errors import AppError, Conflict
from stores.models import Environment
from stores.settings_schema import store_theme
from subscriptions.models import PlanChange, PlanChangeStatus
from subscriptions.plan_change_apply import plan_change_confirm
from subscriptions.plan_change_request import NEXT_PERIOD
from subscriptions.plan_changes import buyer_of, current_plan, plan_change_by_public_id
from subscriptions.proration import Plan
from subscriptions.selectors import next_charge

DONE = (PlanChangeStatus.APPLIED, PlanChangeStatus.SCHEDULED)
PERIODS = {
    "weekly": pgettext_lazy("billing period", "weekly"),
    "monthly": pgettext_lazy("billing period", "monthly"),
    "quarterly": pgettext_lazy("billing period", "quarterly"),
    "yearly": pgettext_lazy("billing period", "yearly"),
}


def _period(period: str) -> str:
    return str(PERIODS.get(period, period))


def _plan_price(change: PlanChange, plan: Plan, locale) -> str:
    line = TaxLine(plan.unit_amount_minor, plan.quantity, plan.tax_category, plan.tax_included)
    total = compute_tax(
        lines=[line], currency=change.currency, buyer=buyer_of(change.subscription)
    ).total_minor
    return money(total, change.currency, locale)


def _figures(change: PlanChange, locale) -> dict:
    subscription = change.subscription
    target = Plan(
        change.unit_amount_minor,
        subscription.quantity,
        change.tax_category,
        change.tax_included,
        change.billing_period,
    )
    due = change.due_now_minor
    upcoming = next_charge(order=subscription.order)
    kept = change.status in (PlanChangeStatus.FAILED, PlanChangeStatus.SUPERSEDED)
    current_price = _plan_price(change, current_plan(subscription), locale)
    return {
        "current_name": change.from_version.name,
        "current_price": current_price,
        "current_period": _period(subscription.billing_period),
        "target_name": change.to_version.name,
        "target_price": _plan_price(change, target, locale),
        "target_period": _period(change.billing_period),
        "next_period": change.timing == NEXT_PERIOD,
        "charged_now": money(due, change.currency, locale) if due > 0 else "",
        "credited_now": money(-due, change.currency, locale) if due < 0 else "",
        "tax_now": money(abs(change.tax_now_minor), change.currency, locale),
        "next_charge_at": upcoming.at if upcoming else subscription.current_period_end,
        "next_charge_amount": current_price if kept else _plan_price(change, target, locale),
    }


def _portal_return(change: PlanChange) -> str:
    """Where a change opened from the customer portal leads back to: its order page there
    (the portal asked for it as the change's ``success_url``); nowhere for other changes, so
    a merchant's ``successUrl`` is reached only by confirming."""
    base = settings.PUBLIC_BASE_URL
    portal = f"{base}{reverse('portal:index', args=[change.store.slug])}/"
    if not change.success_url.startswith(portal):
        return ""
    return change.success_url.removeprefix(base).split("?", 1)[0]


def _error_text(error: AppError | None, language: str) -> str:
    if error is None:
        return ""
    with translation.override(language):
        return buyer_message(error)


def _render(request, change: PlanChange, *, status: int = 200, error: AppError | None = None):
    # The change's own language (the request's), else the checkout's that started the plan.
    language = change.language or change.subscription.order.checkout_session.language
    locale = resolve_locale(
        language=language,
        accept_language=request.headers.get("Accept-Language", ""),
        store_language=store_language(change.store),
    )
    context = {
        "change": change,
        "expired": change.status == PlanChangeStatus.OPEN and timezone.now() > change.expires_at,
        "figures": _figures(change, locale),
        # The contract's English message on an English page, else its code's sentence.
        "error": _error_text(error, locale.language),
        "store_name": change.store.name,
        "test_mode": change.environment == Environment.TEST,
        "theme": page_theme(store_theme(change.store), dark_mode=change.dark_mode),
        "confirm_url": reverse("plan-change", args=[change.store.slug, change.public_id]),
        "back_url": _portal_return(change),
    }
    return page(
        request,
        "change/confirm.html",
        context,
        status=status,
        store=change.store,
        language=language,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def change_page(request, slug: str, change_id: str):
    change = plan_change_by_public_id(change_id)
    if change is None or change.store.slug != slug or change.store.deleted_at is not None:
        return not_found(request)
    if request.method != "POST":
        return _render(request, change)
    try:
        change = plan_change_confirm(change_id=change.pk)
    except Conflict as error:
        change = plan_change_by_public_id(change_id)
        return _render(request, change, status=409, error=error)
    if change.status in DONE and change.success_url:
        return SeeOther(change.success_url)
    return SeeOther(reverse("plan-change", args=[slug, change_id]))
