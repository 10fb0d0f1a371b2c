"""The hosted pages in a real browser: Debian's Chromium driven by Playwright against the live
server (which also serves the static files through Django's StaticFilesHandler).

One Chromium per module, a fresh context per test. Every test also fails when a page
reported a Content-Security-Policy violation (see ``CspWatcher``).
"""

import re

import pytest
from django.utils import timezone

from checkout.models import SessionStatus
from core import tokens
from orders.models import Order, OrderStatus
from payments.models import Payment, PaymentStatus
from tests.browser_support import (
    DECLINED_CARD,
    FUTURE_EXPIRY,
    INSUFFICIENT_FUNDS_CARD,
    SUCCESS_CARD,
    TIMEOUT_MS,
    checkout_path,
    digits_only,
    expire,
    make_product,
    make_session,
    make_store,
    rows_as_text,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shop(site):
    merchant, store = make_store(name="Acme Tools", slug="acme-tools")
    product = make_product(store, name="Widget Pro")
    return merchant, store, product


def open_checkout(page, site, session, fragment=""):
    response = page.goto(site + checkout_path(session) + fragment)
    assert response.status == 200
    return response


def fill_billing(page, *, email="buyer@example.com", country="DE", postcode="10115"):
    page.fill("#email", email)
    page.select_option("#country", country)
    page.fill("#postcode", postcode)


def fill_card(page, number, *, expiry=FUTURE_EXPIRY, cvc="123"):
    page.fill("#card_number", number)
    page.fill("#card_expiry", expiry)
    page.fill("#card_cvc", cvc)


def assert_no_full_card_number(*cards):
    stored = rows_as_text()
    for card in cards:
        assert digits_only(card) not in stored


def test_successful_payment_lands_on_success_url(page, site, shop):
    merchant, store, product = shop
    success_url = f"{site}/store/{store.slug}/"
    session = make_session(merchant=merchant, product=product, successUrl=success_url)
    open_checkout(page, site, session)
    fill_billing(page)
    fill_card(page, SUCCESS_CARD)
    page.click("#pay-button")
    page.wait_for_url(success_url)

    assert page.url == success_url
    order = Order.objects.get()
    assert order.status == OrderStatus.COMPLETED
    assert order.checkout_session_id == session.pk
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert (payment.card_brand, payment.card_last4) == ("visa", "4242")
    assert_no_full_card_number(SUCCESS_CARD)


def test_declined_card_then_retry_succeeds(page, site, shop):
    merchant, _, product = shop
    session = make_session(merchant=merchant, product=product)
    open_checkout(page, site, session)
    fill_billing(page)
    fill_card(page, DECLINED_CARD)
    page.click("#pay-button")

    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "Your card was declined." in alert.inner_text()
    assert page.input_value("#email") == "buyer@example.com"
    assert page.input_value("#country") == "DE"
    assert page.input_value("#card_number") == ""
    assert digits_only(DECLINED_CARD) not in page.content()

    fill_card(page, SUCCESS_CARD)
    page.click("#pay-button")
    page.wait_for_url(re.compile(r"/receipt$"))
    assert "Thank you for your purchase" in page.inner_text("h1")

    order = Order.objects.get()
    assert order.status == OrderStatus.COMPLETED
    statuses = sorted(order.payments.values_list("status", flat=True))
    assert statuses == [PaymentStatus.FAILED, PaymentStatus.SUCCEEDED]
    assert_no_full_card_number(DECLINED_CARD, SUCCESS_CARD)


def test_insufficient_funds_shows_its_message(page, site, shop):
    merchant, _, product = shop
    session = make_session(merchant=merchant, product=product)
    open_checkout(page, site, session)
    fill_billing(page)
    fill_card(page, INSUFFICIENT_FUNDS_CARD)
    page.click("#pay-button")

    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "Your card has insufficient funds." in alert.inner_text()
    session.refresh_from_db()
    assert session.status == SessionStatus.OPEN


def test_expired_page(page, site, shop):
    merchant, _, product = shop
    session = expire(make_session(merchant=merchant, product=product))
    response = page.goto(site + checkout_path(session))
    assert response.status == 410
    assert page.inner_text("h1") == "This checkout has expired"


def test_dark_mode_uses_the_stores_dark_theme(page, site, shop):
    merchant, store, product = shop
    store.checkout_settings = {
        "light": {"checkoutColorBackground": "#fafafa"},
        "dark": {"checkoutColorBackground": "#102030", "checkoutColorText": "#e0e0e0"},
    }
    store.save()
    session = make_session(merchant=merchant, product=product, darkMode=True)
    open_checkout(page, site, session)

    colours = page.evaluate(
        "() => [getComputedStyle(document.body).backgroundColor,"
        " getComputedStyle(document.body).color]"
    )
    # Both come from checkout.css (served by the live server) reading the nonce'd variables.
    assert colours == ["rgb(16, 32, 48)", "rgb(224, 224, 224)"]


def test_token_prefills_email_hides_fragment_and_binds_the_order(page, site, shop):
    merchant, store, product = shop
    session = make_session(merchant=merchant, product=product)
    token, _ = tokens.issue_customer_token(
        buyer_identity="user-42", store_id=str(store.pk), extra={"email": "buyer@example.com"}
    )
    previews = []
    page.on(
        "request",
        lambda request: (
            previews.append(request.headers)
            if request.url.endswith("/v1/actions/checkout/preview-tax")
            else None
        ),
    )
    open_checkout(page, site, session, fragment=f"#token={token}")

    page.wait_for_function("() => document.getElementById('email').value !== ''")
    assert page.input_value("#email") == "buyer@example.com"
    assert "#" not in page.url and "token" not in page.url
    assert page.input_value("#token") == token

    page.select_option("#country", "DE")
    page.wait_for_function(
        "() => document.getElementById('summary-tax-label').textContent.includes('VAT')"
    )
    assert previews and previews[-1]["authorization"] == f"Bearer {token}"
    assert "x-store-slug" not in previews[-1]

    fill_card(page, SUCCESS_CARD)
    page.click("#pay-button")
    page.wait_for_url(re.compile(r"/receipt$"))
    order = Order.objects.get()
    assert order.buyer_identity == "user-42"
    assert order.buyer_email == "buyer@example.com"


def test_live_tax_preview(page, site, shop):
    merchant, _, product = shop
    session = make_session(merchant=merchant, product=product)
    open_checkout(page, site, session)
    assert "Tax calculated at payment." in page.inner_text("#summary-note")

    page.select_option("#country", "DE")
    page.wait_for_function(
        "() => document.getElementById('summary-total').textContent === '$34.51'"
    )
    assert page.inner_text("#summary-tax-label") == "VAT 19%"
    assert page.inner_text("#summary-tax") == "$5.51"
    assert page.inner_text("#summary-subtotal") == "$29.00"
    assert page.inner_text("#pay-amount") == "$34.51"
    assert page.get_attribute("#tax-preview", "aria-live") == "polite"
    assert not page.is_visible("#state_us")

    page.select_option("#country", "US")
    assert page.is_visible("#state_us")
    assert page.is_visible("label[for=state_us]")
    assert not page.is_visible("#state_ca")
    page.select_option("#state_us", "TX")
    page.wait_for_function(
        "() => document.getElementById('summary-total').textContent === '$30.81'"
    )
    assert page.inner_text("#summary-tax-label") == "Sales tax 6.25%"

    page.select_option("#country", "CA")
    assert page.is_visible("#state_ca") and not page.is_visible("#state_us")

    page.select_option("#country", "DE")
    page.check("#is_business")
    assert page.is_visible("#business_name") and page.is_visible("#tax_id")
    page.fill("#business_name", "ACME GmbH")
    page.fill("#tax_id", "DE136695976")
    page.wait_for_function(
        "() => document.getElementById('summary-tax-label').textContent === 'Reverse charge'"
    )
    assert page.inner_text("#summary-total") == "$29.00"


def test_storefront_buy_leads_to_a_working_checkout(page, site, shop):
    _, store, _ = shop
    make_product(
        store, name="Gadget Basic", prices={"USD": {"amount": "5.00", "taxCategory": "saas"}}
    )
    response = page.goto(f"{site}/store/{store.slug}/")
    assert response.status == 200
    names = page.locator(".product .product-name").all_inner_texts()
    assert sorted(names) == ["Gadget Basic", "Widget Pro"]

    page.get_by_role("button", name="Buy Gadget Basic for $5.00").click()
    page.wait_for_url(re.compile(rf"/store/{store.slug}/checkout/cs_[0-9a-f-]{{36}}$"))
    assert page.inner_text("h1") == "Gadget Basic"
    assert page.inner_text("#product-price") == "$5.00"

    fill_billing(page, country="GB", postcode="SW1A 1AA")
    fill_card(page, SUCCESS_CARD)
    page.click("#pay-button")
    page.wait_for_url(re.compile(r"/receipt$"))
    order = Order.objects.get()
    assert order.status == OrderStatus.COMPLETED
    assert order.checkout_session.created_via == "store_slug"


def test_no_csp_violations_and_the_watcher_works(page, site, shop, csp):
    merchant, store, product = shop
    store.logo = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
    store.save()
    session = make_session(merchant=merchant, product=product)
    open_checkout(page, site, session)
    # The script ran (the tax preview answered) and the stylesheet applied.
    page.select_option("#country", "DE")
    page.wait_for_function("() => !document.getElementById('summary-tax-row').hidden")
    assert (
        page.evaluate("() => getComputedStyle(document.querySelector('.card')).borderStyle")
        == "solid"
    )
    assert page.evaluate("() => document.querySelector('.brand-logo').naturalWidth") == 1
    assert csp.violations == []

    # A script without the nonce is refused and reported: the watcher is not blind.
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.injected = 1'; document.head.appendChild(s); }"
    )
    for _ in range(100):  # the report arrives through a binding, asynchronously
        if csp.violations:
            break
        page.wait_for_timeout(50)
    assert page.evaluate("() => window.injected") is None
    assert csp.violations, "an inline script without nonce must be reported"
    csp.violations.clear()


def test_keyboard_only_checkout(page, site, shop):
    merchant, _, product = shop
    session = make_session(
        merchant=merchant,
        product=product,
        buyerEmail="keys@example.com",
        billingDetail={"country": "US", "state": "TX", "isBusiness": False},
    )
    open_checkout(page, site, session)
    typed = {"card_number": SUCCESS_CARD, "card_expiry": FUTURE_EXPIRY, "card_cvc": "123"}
    visited = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate("() => document.activeElement.id")
        visited.append(focused)
        if focused == "email":
            outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
            assert outline == "solid", "keyboard focus must be visible"
        if focused in typed:
            page.keyboard.type(typed[focused])
        if focused == "pay-button":
            break
    expected = [
        "email",
        "country",
        "state_us",
        "postcode",
        "is_business",
        "card_number",
        "card_expiry",
        "card_cvc",
        "pay-button",
    ]
    assert [element for element in visited if element in expected] == expected
    assert "state_ca" not in visited and "business_name" not in visited

    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/receipt$"))
    order = Order.objects.get()
    assert order.status == OrderStatus.COMPLETED
    assert order.billing_detail == {"country": "US", "state": "TX", "isBusiness": False}
    assert order.completed_at <= timezone.now()


def test_checkout_works_without_javascript(browser, site, shop):
    """Progressive enhancement: the form posts, CSS alone reveals the state field, the server
    shows the price before tax, and only the live preview and token binding need JS."""
    merchant, _, product = shop
    session = make_session(merchant=merchant, product=product)
    context = browser.new_context(java_script_enabled=False, locale="en-US")
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        assert page.goto(site + checkout_path(session)).status == 200
        assert page.inner_text("#summary-total") == "$29.00"
        assert page.inner_text("#summary-note") == "Tax calculated at payment."
        page.select_option("#country", "DE")
        assert not page.is_visible("#state_us")
        page.select_option("#country", "US")
        assert page.is_visible("#state_us")
        page.select_option("#state_us", "NY")
        page.fill("#email", "nojs@example.com")
        fill_card(page, SUCCESS_CARD)
        page.click("#pay-button")
        page.wait_for_url(re.compile(r"/receipt$"))
        assert "Thank you for your purchase" in page.inner_text("h1")
    finally:
        context.close()
    order = Order.objects.get()
    assert order.billing_detail == {"country": "US", "state": "NY", "isBusiness": False}
    assert order.buyer_email == "nojs@example.com"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_customer_token_refreshes_while_the_page_is_open(page, site, shop):
    merchant, store, product = shop
    session = make_session(merchant=merchant, product=product)
    token, _ = tokens.issue_customer_token(buyer_identity="user-77", store_id=str(store.pk))
    page.clock.install()
    page.goto(f"{site}{checkout_path(session)}#token={token}")
    assert page.input_value("#token") == token

    page.clock.fast_forward("04:05")
    page.wait_for_function("(old) => document.getElementById('token').value !== old", arg=token)

    fresh = page.input_value("#token")
    assert tokens.read_customer_token(fresh).buyer_identity == "user-77"
