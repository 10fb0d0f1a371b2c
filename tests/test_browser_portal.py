"""The customer portal in a real browser (Debian's Chromium through Playwright, against the
live server): arriving from another site with the merchant's link, cancel, undo, update
card and a plan change confirmed on the change page with the keyboard alone, and a past-due
subscription recovering when its card is replaced. Every page is also checked for Content-Security-Policy violations (the
``page`` fixture)."""

import pytest

from orders.models import Order
from payments.models import Payment
from subscriptions.models import Subscription
from tests.browser_support import FUTURE_EXPIRY
from tests.factories import MerchantFactory, StoreFactory
from tests.plan_change_support import group, plan_at
from tests.portal_support import entry_url
from tests.subscription_support import DECLINES_RENEWALS, advance, subscribe, subscription_product

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def store(site):
    return StoreFactory(owner=MerchantFactory(), name="Acme Tools", slug="acme-tools")


def arrive(page, site, store):
    """From a page of another origin (about:blank), as a link in an email or on the
    merchant's site: the Strict cookie must still be in place on the clean portal URL."""
    page.set_content(f'<a id="go" href="{site}{entry_url(store)}">Manage my account</a>')
    page.focus("#go")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site}/store/{store.slug}/portal")
    assert page.inner_text("h1") == "Your orders and subscriptions"


def tab_to(page, selector: str, *, limit: int = 40) -> None:
    """Move the keyboard focus forward with Tab until ``selector`` has it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def status_of(page) -> str:
    return page.get_attribute("#order-status", "data-status")


def test_cancel_undo_and_update_card_with_the_keyboard(page, site, store):
    subscription = subscribe(subscription_product(store, name="Pro plan"))
    order = subscription.order
    arrive(page, site, store)
    assert "token" not in page.url
    assert page.locator(f"#order-{order.public_id} .next-amount").inner_text() == "$34.51"

    tab_to(page, f"#order-{order.public_id} a.button")
    page.keyboard.press("Enter")
    page.wait_for_selector("#order-status")
    tab_to(page, "#cancel")
    page.keyboard.press("Enter")
    page.wait_for_url("**?notice=canceled")
    assert status_of(page) == "canceling"
    assert "stays active until the end" in page.get_by_role("status").inner_text()
    assert Order.objects.get(pk=order.pk).status == "canceling"

    tab_to(page, "#reactivate")
    page.keyboard.press("Enter")
    page.wait_for_url("**?notice=reactivated")
    assert status_of(page) == "active"

    tab_to(page, "#update-card")
    page.keyboard.press("Enter")
    page.wait_for_selector("#card-form")
    tab_to(page, "#card_number")
    page.keyboard.type("5555 5555 5555 4444")
    page.keyboard.press("Tab")
    page.keyboard.type(FUTURE_EXPIRY)
    page.keyboard.press("Tab")
    page.keyboard.type("123")
    page.keyboard.press("Enter")
    page.wait_for_url("**?notice=card_updated")
    assert page.locator(".order-card").inner_text() == "Mastercard ending in 4444"
    subscription.refresh_from_db()
    assert subscription.payment_method.last4 == "4444"
    assert Payment.objects.filter(order=order).count() == 1  # nothing charged now

    page.click("#sign-out")
    page.goto(f"{site}/store/{store.slug}/portal")
    assert page.inner_text("h1") == "Please sign in again"


def test_a_past_due_subscription_recovers_when_the_card_is_replaced(page, site, store):
    subscription = subscribe(subscription_product(store), number=DECLINES_RENEWALS)
    advance(subscription, periods=1)
    arrive(page, site, store)

    page.click(f"#order-{subscription.order.public_id} a.button")
    assert status_of(page) == "past_due"
    assert page.locator("#past-due-note").is_visible()
    page.click("#update-card")
    page.fill("#card_number", "4000 0000 0000 0002")  # refused when saving: back to the form
    page.fill("#card_expiry", FUTURE_EXPIRY)
    page.fill("#card_cvc", "123")
    page.click("#save-card")
    assert "Your card was declined." in page.get_by_role("alert").inner_text()
    assert page.input_value("#card_number") == ""

    page.fill("#card_number", "4242 4242 4242 4242")
    page.fill("#card_expiry", FUTURE_EXPIRY)
    page.fill("#card_cvc", "123")
    page.click("#save-card")
    page.wait_for_url("**?notice=card_renewed")
    assert status_of(page) == "active"
    assert Subscription.objects.get(pk=subscription.pk).period_number == 2
    renewals = Payment.objects.filter(order=subscription.order, period=2)
    assert sorted(renewals.values_list("status", flat=True)) == ["failed", "succeeded"]


def test_a_plan_change_from_the_portal_with_the_keyboard(page, site, store):
    basic, pro = plan_at(store, "10.00", "Basic"), plan_at(store, "30.00", "Pro")
    group(store, basic, pro)
    subscription = subscribe(basic)
    order = subscription.order
    arrive(page, site, store)
    tab_to(page, f"#order-{order.public_id} a.button")
    page.keyboard.press("Enter")
    page.wait_for_selector("#order-plan")
    assert page.inner_text("#order-plan") == "Basic"

    tab_to(page, "#change-plan")
    page.keyboard.press("Enter")
    page.wait_for_selector("#plan-form")
    assert "$35.70" in page.inner_text(f"label[for='plan-{pro.public_id}']")
    tab_to(page, "#choose-plan")
    page.keyboard.press("Enter")
    page.wait_for_selector("#confirm-change")
    assert page.inner_text("#change-target").startswith("Pro ($35.70")
    tab_to(page, "#confirm-change")
    page.keyboard.press("Enter")
    page.wait_for_url("**?notice=plan_changed")

    assert page.inner_text("#portal-notice") == "Your plan change is confirmed."
    assert page.inner_text("#order-plan") == "Pro"
    assert Subscription.objects.get(pk=subscription.pk).unit_amount_minor == 3000
    assert Payment.objects.get(order=order, period=0).status == "succeeded"
