"""The one-page cart checkout in Chromium (issue 19, point 4), at desktop width and at 390 px:
address → methods appear with the cheapest chosen → switch method → totals follow → billing
same as shipping (ticked by default, unticking shows the billing fields) → the shipping email
in the pay form → pay → receipt, with no page load before paying. CSP violations fail."""

import re
from pathlib import Path

import pytest

from checkout.models import ShippingMethod
from orders.models import Order, OrderLine
from tests.browser_support import FUTURE_EXPIRY, SUCCESS_CARD, TIMEOUT_MS, watched_page
from tests.cart_browser_support import WA_ADDRESS, fill_address, make_cart_shop, open_cart_checkout

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path("tests/sdk/node_modules/axe-core/axe.min.js")
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=list(VIEWPORTS))
def sized_page(request, browser, csp):
    phone = request.param == "phone"
    with watched_page(browser, csp, viewport=VIEWPORTS[request.param], has_touch=phone) as page:
        yield page


def text_becomes(page, selector: str, text: str) -> None:
    page.wait_for_function(
        "([selector, text]) => document.querySelector(selector).textContent.trim() === text",
        arg=[selector, text],
    )


def focused_id(page) -> str:
    return page.evaluate("() => document.activeElement && document.activeElement.id")


def test_one_page_cart_from_address_to_receipt(sized_page, site):
    page = sized_page
    shop = make_cart_shop()
    express = ShippingMethod.objects.create(
        store=shop.store, name="Express", prices={"USD": 1500}, countries=["US"], position=0
    )
    session = open_cart_checkout(page, site, shop)
    loads = []
    page.on("load", lambda loaded: loads.append(loaded.url))
    page.evaluate("() => { window.__samePage = 'still here'; }")

    address_step(page, shop, express)
    method_switch(page, session, express)
    billing_and_email(page)

    # No page load so far.
    assert loads == []
    assert page.evaluate("() => window.__samePage") == "still here"
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")

    pay_and_receipt(page, session)


def address_step(page, shop, express) -> None:
    """Billing follows the shipping address unless the buyer says otherwise; once the
    address is in, the methods appear with the cheapest (Standard, listed second) chosen."""
    assert page.is_checked("#billing_same")
    assert not page.is_visible("#country") and not page.is_visible("#postcode")
    assert page.is_disabled("#pay-button")
    assert page.is_visible("#pay-blocked-note")

    fill_address(page)
    page.click("#shipping-address-button")

    page.wait_for_selector(f"#ship-method-{shop.standard.pk}")
    page.wait_for_function("() => document.activeElement.id === 'shipping-methods-heading'")
    assert page.is_checked(f"#ship-method-{shop.standard.pk}")
    assert not page.is_checked(f"#ship-method-{express.pk}")
    assert not page.is_visible("#shipping-method-button")  # a radio chooses at once
    assert "Seattle, WA 98101" in page.inner_text("#shipping-address")
    assert not page.is_visible("#shipping-form")  # folded into "Change shipping address"
    # Items, shipping, tax, total: 73.00 + 5.00, WA sales tax 6.5 % = 5.07.
    text_becomes(page, "#summary-tax", "$5.07")
    assert page.inner_text("#summary-items") == "$73.00"
    assert page.inner_text("#summary-shipping") == "$5.00"
    assert "(Standard)" in page.inner_text("#summary-shipping-row")
    assert page.inner_text("#summary-total") == "$83.07"
    assert page.inner_text("#pay-amount") == "$83.07"
    assert not page.is_visible("#summary-subtotal")
    assert page.is_enabled("#pay-button") and not page.is_visible("#pay-blocked-note")
    assert page.get_attribute("#tax-preview", "aria-live") == "polite"
    assert "Standard" in page.inner_text("#shipping-status")


def method_switch(page, session, express) -> None:
    """Another method: the totals follow, focus stays on the radio."""
    page.check(f"#ship-method-{express.pk}")
    text_becomes(page, "#summary-shipping", "$15.00")
    text_becomes(page, "#summary-total", "$93.72")  # 88.00 + 6.5 % = 5.72
    assert page.inner_text("#pay-amount") == "$93.72"
    assert "Express" in page.inner_text("#shipping-chosen")
    assert focused_id(page) == f"ship-method-{express.pk}"
    session.refresh_from_db()
    assert session.shipping_method["name"] == "Express"


def billing_and_email(page) -> None:
    """The email typed at the shipping step is the pay form's; unticked, the billing fields
    show, holding the shipping address's."""
    assert page.input_value("#email") == WA_ADDRESS["email"]
    page.uncheck("#billing_same")
    assert page.is_visible("#country") and page.is_visible("#state_us")
    assert page.input_value("#country") == "US" and page.input_value("#state_us") == "WA"
    assert page.input_value("#postcode") == "98101"
    page.check("#billing_same")
    assert not page.is_visible("#country")


def pay_and_receipt(page, session) -> None:
    page.fill("#card_number", SUCCESS_CARD)
    page.fill("#card_expiry", FUTURE_EXPIRY)
    page.fill("#card_cvc", "123")
    page.click("#pay-button")
    page.wait_for_url(re.compile(r"/receipt$"))

    order = Order.objects.get()
    assert order.checkout_session_id == session.pk
    assert (order.subtotal_minor, order.tax_minor, order.total_minor) == (8800, 572, 9372)
    assert order.buyer_email == WA_ADDRESS["email"]
    assert (order.tax_country, order.tax_region) == ("US", "WA")
    assert order.lines.get(kind=OrderLine.Kind.SHIPPING).name == "Express"
    assert page.inner_text("#receipt-items") == "$73.00"
    assert page.inner_text("#receipt-shipping") == "$15.00"
    assert page.inner_text("#receipt-tax") == "$5.72"
    assert page.inner_text("#receipt-total") == "$93.72"


def test_a_refused_method_change_is_announced_and_keeps_the_totals(page, site):
    shop = make_cart_shop()
    express = ShippingMethod.objects.create(
        store=shop.store, name="Express", prices={"USD": 1500}, countries=["US"], position=0
    )
    open_cart_checkout(page, site, shop)
    fill_address(page)
    page.click("#shipping-address-button")
    text_becomes(page, "#summary-total", "$83.07")

    express.countries = ["CA"]  # the merchant stops shipping it to the US meanwhile
    express.save()
    # A click, not check(): the script may put the check back before check() looks.
    page.click(f"#ship-method-{express.pk}")

    alert = page.locator("#shipping-error-summary")
    alert.wait_for()
    assert "not available" in alert.inner_text()
    assert alert.get_attribute("role") == "alert"
    assert page.inner_text("#summary-total") == "$83.07"
    assert page.is_checked(f"#ship-method-{shop.standard.pk}")  # what the session still has
    assert page.is_enabled("#pay-button")


@pytest.mark.parametrize("width", sorted(VIEWPORTS))
def test_the_page_after_each_script_step_passes_axe(browser, site, width):
    """axe over the live page as the script left it (the static pages are in
    tests/test_axe_pages.py): methods shown, then billing fields unfolded. Only this context
    bypasses the CSP, to inject axe."""
    shop = make_cart_shop()
    context = browser.new_context(locale="en-US", viewport=VIEWPORTS[width], bypass_csp=True)
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        open_cart_checkout(page, site, shop)
        fill_address(page)
        page.click("#shipping-address-button")
        text_becomes(page, "#summary-tax", "$5.07")
        page.add_script_tag(path=str(AXE))
        assert serious_axe_violations(page) == []
        page.uncheck("#billing_same")
        assert serious_axe_violations(page) == []
    finally:
        context.close()


def serious_axe_violations(page) -> list[dict]:
    found = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
             .map(v => ({id: v.id, impact: v.impact,
                         nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}))"""
    )
    return [item for item in found if item["impact"] in ("serious", "critical")]
