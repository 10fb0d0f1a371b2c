"""A template cart bought in a real browser (Debian's Chromium through Playwright): the public
cart link, the shipping step, totals with shipping and the shipping address's tax, paying, and
the receipt. One Chromium per module, a fresh context per test; every page must be free of
Content-Security-Policy violations."""

import re

import pytest

from checkout.models import SessionStatus, ShippingMethod
from orders.models import Order, OrderLine, OrderStatus
from tests.browser_support import FUTURE_EXPIRY, SUCCESS_CARD, TIMEOUT_MS
from tests.cart_browser_support import (
    WA_ADDRESS,
    fill_address,
    make_cart_shop,
    open_cart_checkout,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_card(page, number=SUCCESS_CARD):
    page.fill("#card_number", number)
    page.fill("#card_expiry", FUTURE_EXPIRY)
    page.fill("#card_cvc", "123")


def focused_id(page) -> str:
    return page.evaluate("() => document.activeElement && document.activeElement.id")


def wait_for_focus(page, element_id: str) -> None:
    """The script moves focus once the page has loaded (it is deferred)."""
    page.wait_for_function(
        "id => document.activeElement && document.activeElement.id === id", arg=element_id
    )


def assert_order_of_the_cart(session, *, shipping_minor=500):
    order = Order.objects.get()
    assert order.checkout_session_id == session.pk
    assert order.status == OrderStatus.COMPLETED
    lines = list(order.lines.order_by("position"))
    assert [(line.kind, line.name, line.quantity) for line in lines] == [
        (OrderLine.Kind.PRODUCT, "Widget Pro", 2),
        (OrderLine.Kind.PRODUCT, "Setup Guide", 1),
        (OrderLine.Kind.SHIPPING, "Standard", 1),
    ]
    assert lines[-1].unit_amount_minor == shipping_minor
    assert sum(line.subtotal_minor for line in lines) == order.subtotal_minor
    assert sum(line.tax_minor for line in lines) == order.tax_minor
    assert sum(line.total_minor for line in lines) == order.total_minor
    assert order.total_minor == order.subtotal_minor + order.tax_minor
    assert order.shipping_address["province_code"] == "WA"
    assert order.shipping_address["city"] == "Seattle"
    assert (order.tax_country, order.tax_region) == ("US", "WA")
    return order


def test_cart_link_to_receipt_with_shipping_and_wa_tax(page, site):
    shop = make_cart_shop()
    session = open_cart_checkout(page, site, shop)

    # The shipping step comes first; payment waits for it.
    assert session.requires_shipping
    assert page.is_visible("#shipping-form")
    assert page.is_disabled("#pay-button")
    assert page.inner_text("#summary-shipping") == "Choose a method"
    lines = page.inner_text("#summary-lines")
    assert "2 \u00d7 Widget Pro" in lines and "$29.00 each" in lines and "$58.00" in lines
    assert "1 \u00d7 Setup Guide" in lines and "$15.00" in lines

    # CSS alone shows the province input of the chosen country.
    page.select_option("#ship_country_code", "CA")
    assert page.is_visible("#ship_province_ca") and not page.is_visible("#ship_province_us")
    page.select_option("#ship_country_code", "DE")
    assert page.is_visible("#ship_province") and not page.is_visible("#ship_province_ca")

    fill_address(page)
    page.click("#shipping-address-button")
    page.wait_for_selector(f"#ship-method-{shop.standard.pk}")
    wait_for_focus(page, "shipping-methods-heading")
    label = page.inner_text(f"label[for=ship-method-{shop.standard.pk}]")
    assert "Standard" in label and "$5.00" in label and "3 to 5 business days" in label
    assert "Seattle, WA 98101" in page.inner_text("#shipping-address")

    # The only method is already chosen; the keyboard reaches it from the heading.
    page.wait_for_selector("#shipping-chosen")
    page.keyboard.press("Tab")
    assert focused_id(page) == f"ship-method-{shop.standard.pk}"
    assert page.is_checked(f"#ship-method-{shop.standard.pk}")

    # Goods 73.00 + shipping 5.00; WA sales tax 6.5 % of 78.00 = 5.07. The live preview (from
    # the billing details the shipping address filled in) agrees with the server.
    assert page.inner_text("#summary-shipping") == "$5.00"
    page.wait_for_function(
        "() => document.getElementById('summary-tax-label').textContent === 'Sales tax 6.5%'"
    )
    # Items, shipping, tax, total: no "subtotal" that mixes goods and shipping is shown.
    assert page.inner_text("#summary-items") == "$73.00"
    assert not page.is_visible("#summary-subtotal")
    assert page.inner_text("#summary-tax") == "$5.07"
    assert page.inner_text("#summary-total") == "$83.07"
    assert page.inner_text("#pay-amount") == "$83.07"
    assert page.is_enabled("#pay-button")
    assert page.input_value("#country") == "US" and page.input_value("#state_us") == "WA"
    assert page.input_value("#email") == WA_ADDRESS["email"]

    fill_card(page)
    page.click("#pay-button")
    page.wait_for_url(re.compile(r"/receipt$"))

    order = assert_order_of_the_cart(session)
    assert (order.subtotal_minor, order.tax_minor, order.total_minor) == (7800, 507, 8307)
    session.refresh_from_db()
    assert session.status == SessionStatus.COMPLETED
    receipt = page.inner_text("#receipt-lines")
    assert "Widget Pro" in receipt and "Setup Guide" in receipt and "Shipping: Standard" in receipt
    assert "Ada Lovelace" in page.inner_text("#receipt-shipping-address")
    assert page.inner_text("#receipt-total") == "$83.07"


def test_success_url_and_free_shipping(page, site):
    shop = make_cart_shop(shippable_quantity=4, success_url=f"{site}/thanks")
    session = open_cart_checkout(page, site, shop)

    fill_address(page)
    page.click("#shipping-address-button")
    page.wait_for_selector("#shipping-chosen")  # the only method, chosen at once
    assert page.inner_text("#summary-shipping") == "Free"
    fill_card(page)
    page.click("#pay-button")
    page.wait_for_url(f"{site}/thanks")

    order = Order.objects.get()
    assert order.checkout_session_id == session.pk
    assert [line.quantity for line in order.lines.order_by("position")] == [4, 1, 1]
    assert order.lines.get(kind=OrderLine.Kind.SHIPPING).unit_amount_minor == 0


def test_address_errors_are_announced_and_fixed(page, site):
    shop = make_cart_shop()
    open_cart_checkout(page, site, shop)

    fill_address(page, {"postal_code": "ABCDE", "city": ""})
    page.click("#shipping-address-button")
    alert = page.locator("#shipping-error-summary")
    alert.wait_for()
    assert alert.get_attribute("role") == "alert"
    wait_for_focus(page, "shipping-error-summary")
    assert "Enter your city." in alert.inner_text()
    assert page.get_attribute("#ship_city", "aria-invalid") == "true"
    assert page.input_value("#ship_address1") == WA_ADDRESS["address1"]

    page.fill("#ship_city", "Seattle")
    page.click("#shipping-address-button")
    page.locator("#shipping-error-summary").wait_for()
    assert "ZIP / postal code is not a valid postal code for US." in page.inner_text(
        "#ship_postal_code-error"
    )

    page.fill("#ship_postal_code", "98101")
    page.click("#shipping-address-button")
    page.wait_for_selector(f"#ship-method-{shop.standard.pk}")
    assert not page.is_visible("#shipping-error-summary")


def test_no_method_for_the_address(page, site):
    shop = make_cart_shop()
    open_cart_checkout(page, site, shop)

    fill_address(page, {"country_code": "DE", "province_code": "", "postal_code": "10115"})
    page.click("#shipping-address-button")
    notice = page.locator("#shipping-no-method")
    notice.wait_for()
    assert "does not ship to Germany" in notice.inner_text()
    wait_for_focus(page, "shipping-no-method")
    assert page.is_disabled("#pay-button")


def test_cart_checkout_works_without_javascript(browser, site):
    shop = make_cart_shop()
    context = browser.new_context(java_script_enabled=False, locale="en-US")
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        session = open_cart_checkout(page, site, shop)
        fill_address(page)
        page.click("#shipping-address-button")
        page.check(f"#ship-method-{shop.standard.pk}")
        page.click("#shipping-method-button")
        page.wait_for_selector("#shipping-chosen")
        assert page.inner_text("#summary-total") == "$83.07"
        fill_card(page)
        page.click("#pay-button")
        page.wait_for_url(re.compile(r"/receipt$"))
    finally:
        context.close()
    assert_order_of_the_cart(session)


def test_token_prefills_the_address_and_binds_the_order(page, site):
    from checkout.carts import cart_begin
    from core import tokens

    shop = make_cart_shop()
    session = cart_begin(cart=shop.cart)
    prefill = {**WA_ADDRESS, "country_code": "CA", "province_code": "ON", "postal_code": "K1A 0B1"}
    token, _ = tokens.issue_customer_token(
        buyer_identity="ada@example.com", store_id=str(shop.store.pk), extra=prefill
    )
    ShippingMethod.objects.create(
        store=shop.store, name="Canada", prices={"USD": 900}, countries=["CA"]
    )

    page.goto(f"{site}/store/{shop.store.slug}/checkout/{session.public_id}#token={token}")
    page.wait_for_function("() => !window.location.hash")
    assert page.input_value("#ship_country_code") == "CA"
    assert page.input_value("#ship_province_ca") == "ON"
    assert page.input_value("#ship_first_name") == "Ada"
    assert page.input_value("#ship_postal_code") == "K1A 0B1"
    assert page.input_value("#email") == "ada@example.com"

    page.click("#shipping-address-button")
    canada = ShippingMethod.objects.get(name="Canada")
    page.wait_for_selector("#shipping-chosen")  # the only method serving Canada
    assert page.is_checked(f"#ship-method-{canada.pk}")
    assert token not in page.url
    fill_card(page)
    page.click("#pay-button")
    page.wait_for_url(re.compile(r"/receipt$"))

    order = Order.objects.get()
    assert order.buyer_identity == "ada@example.com"  # the token survived both round trips
    assert order.shipping_address["country_code"] == "CA"
    assert order.lines.get(kind=OrderLine.Kind.SHIPPING).name == "Canada"
