"""Confirming an upgrade on the change page in a real browser (Chromium via Playwright)."""

import pytest

from payments.models import Payment
from subscriptions.models import PlanChange, Subscription
from subscriptions.plan_change_request import parse_plan_change_request
from subscriptions.plan_changes import Requester, plan_change_offer
from tests.browser_support import make_store
from tests.plan_change_support import change_body, page_path, plan_at
from tests.subscription_support import subscribe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_buyer_confirms_an_upgrade_on_the_change_page(page, site):
    merchant, store = make_store(name="Acme Cloud", slug="acme-cloud")
    basic, pro = plan_at(store, "10.00", "Basic"), plan_at(store, "30.00", "Pro")
    subscription = subscribe(basic)
    request = parse_plan_change_request(change_body(subscription, pro), from_merchant=True)
    change = plan_change_offer(
        requester=Requester(environment="test", merchant_id=merchant.pk), request=request
    )
    due = f"${change.due_now_minor // 100}.{change.due_now_minor % 100:02d}"

    response = page.goto(site + page_path(change))

    assert response.status == 200
    assert page.inner_text("#change-heading") == "Confirm your plan change"
    assert page.inner_text("#change-current").startswith("Basic ($11.90 / monthly)")
    assert page.inner_text("#change-target").startswith("Pro ($35.70 / monthly)")
    assert page.inner_text("#change-due") == due
    assert subscription.current_period_end.strftime("%Y-%m-%d") in page.inner_text(
        "#change-next-charge"
    )
    page.click("#confirm-change")
    page.wait_for_selector("text=Your plan has changed")

    assert f"{due} was charged" in page.inner_text("#change-outcome")
    assert PlanChange.objects.get(pk=change.pk).status == "applied"
    assert Payment.objects.get(order=subscription.order, period=0).amount_minor == (
        change.due_now_minor
    )
    assert Subscription.objects.get(pk=subscription.pk).unit_amount_minor == 3000
    assert not page.is_visible("#confirm-change")
