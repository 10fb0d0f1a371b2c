"""Paying in German, Japanese and Arabic (right to left) in Chromium on a 390 px wide phone:
the browser's language picks the page's, the page script writes its own texts (the tax
label, "Processing…") in it, nothing overflows the screen, and the receipt answers in the
same language."""

import pytest

from orders.models import Order, OrderStatus
from tests.browser_support import (
    FUTURE_EXPIRY,
    SUCCESS_CARD,
    TIMEOUT_MS,
    checkout_path,
    make_product,
    make_session,
    make_store,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
CASES = {
    # browser locale: (html lang, dir, pay label, tax label starts with, receipt heading)
    "de-DE": ("de-DE", "ltr", "Bezahlen", "MwSt.", "Vielen Dank für Ihren Einkauf"),
    "ja-JP": ("ja-JP", "ltr", "支払う", "VAT", "ご購入ありがとうございます"),
    "ar-EG": ("ar-EG", "rtl", "ادفع", "ضريبة القيمة المضافة", "شكرًا لك على الشراء"),
}


@pytest.fixture
def phone(browser, csp, request):
    context = browser.new_context(locale=request.param, viewport=PHONE, is_mobile=True)
    csp.attach(context)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    yield request.param, page
    context.close()
    assert csp.violations == [], csp.violations


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("phone", list(CASES), indirect=True)
def test_paying_on_a_phone_in_the_buyers_language(phone, site):
    browser_locale, page = phone
    lang, direction, pay_label, tax_label, thanks = CASES[browser_locale]
    merchant, store = make_store(name="Acme Tools", slug="acme-tools")
    product = make_product(store, name="Widget Pro")
    session = make_session(merchant=merchant, product=product, currency="EUR")

    assert page.goto(site + checkout_path(session)).status == 200
    assert page.get_attribute("html", "lang") == lang
    assert (page.get_attribute("html", "dir") or "ltr") == direction
    assert page.inner_text(".pay-label") == pay_label
    assert fits_the_screen(page)

    page.fill("#email", "buyer@example.com")
    page.select_option("#country", "DE")
    page.fill("#postcode", "10115")
    page.locator("#summary-tax-row").wait_for(state="visible")
    assert page.inner_text("#summary-tax-label").startswith(tax_label)
    page.fill("#card_number", SUCCESS_CARD)
    page.fill("#card_expiry", FUTURE_EXPIRY)
    page.fill("#card_cvc", "123")
    # Digits read left to right on a right-to-left page too.
    assert page.eval_on_selector("#card_number", "e => getComputedStyle(e).direction") == "ltr"
    assert fits_the_screen(page)
    page.click("#pay-button")

    page.wait_for_url("**/receipt")
    assert page.inner_text("#receipt-heading") == thanks
    assert (page.get_attribute("html", "dir") or "ltr") == direction
    assert fits_the_screen(page)
    assert Order.objects.get().status == OrderStatus.COMPLETED
