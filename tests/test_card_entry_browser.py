"""Card entry as typed on a phone-width page (issue 19, point 2): the number grouped by brand
with the brand shown, the expiry formatted from digits alone (a phone keypad has no "/"), the
CVC length by brand; and the same keypad expiry paid without JavaScript, where the server
parses it (payments.cards.parse_expiry)."""

from datetime import date

import pytest

from orders.models import Order, OrderStatus
from tests.browser_support import (
    TIMEOUT_MS,
    checkout_path,
    make_product,
    make_session,
    make_store,
    watched_page,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
KEYPAD_EXPIRY = f"12{(date.today().year + 3) % 100:02d}"


@pytest.fixture
def phone(browser, csp):
    with watched_page(browser, csp, viewport=PHONE, is_mobile=True, has_touch=True) as page:
        yield page


@pytest.fixture
def checkout_url(site):
    merchant, store = make_store(name="Acme Tools", slug="acme-tools")
    product = make_product(store, name="Widget Pro")
    session = make_session(merchant=merchant, product=product)
    return site + checkout_path(session)


def type_into(page, selector, text):
    page.click(selector)
    page.keyboard.type(text)
    return page.input_value(selector)


@pytest.mark.parametrize(
    ("typed", "shown", "brand", "cvc_max"),
    [
        ("4242424242424242", "4242 4242 4242 4242", "Visa", 3),
        ("5555555555554444", "5555 5555 5555 4444", "Mastercard", 3),
        ("378282246310005", "3782 822463 10005", "American Express", 4),
        ("36227206271667", "3622 720627 1667", "Diners Club", 3),
        ("3530111333300000", "3530 1113 3330 0000", "JCB", 3),
        ("6011111111111117", "6011 1111 1111 1117", "Discover", 3),
        ("6200000000000005", "6200 0000 0000 0005", "UnionPay", 3),
        ("4242 4242 4242 4242 9999", "4242 4242 4242 4242 999", "Visa", 3),
    ],
)
def test_card_number_grouped_as_typed_with_brand(phone, checkout_url, typed, shown, brand, cvc_max):
    phone.goto(checkout_url)

    assert type_into(phone, "#card_number", typed) == shown
    assert phone.inner_text("#card_brand") == brand
    assert phone.eval_on_selector("#card_cvc", "el => el.maxLength") == cvc_max
    assert type_into(phone, "#card_cvc", "12345") == "12345"[:cvc_max]


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("1230", "12 / 30"),
        ("12/30", "12 / 30"),
        ("12 / 2030", "12 / 2030"),
        ("122030", "12 / 2030"),
        ("4", "04 / "),
        ("1/31", "01 / 31"),
    ],
)
def test_expiry_formatted_as_typed(phone, checkout_url, typed, shown):
    phone.goto(checkout_url)

    assert type_into(phone, "#card_expiry", typed) == shown


def test_backspace_over_the_slash_removes_it(phone, checkout_url):
    phone.goto(checkout_url)
    type_into(phone, "#card_expiry", "12")
    phone.keyboard.press("Backspace")

    assert phone.input_value("#card_expiry") == "12"


def test_luhn_hint_shows_for_a_mistyped_number(phone, checkout_url):
    phone.goto(checkout_url)
    type_into(phone, "#card_number", "4242424242424241")

    assert phone.is_visible("#card_number-hint")
    phone.keyboard.press("Backspace")
    phone.keyboard.type("2")
    assert not phone.is_visible("#card_number-hint")


def test_autocomplete_attributes_for_autofill(phone, checkout_url):
    phone.goto(checkout_url)
    found = {
        name: phone.get_attribute(f"#{name}", "autocomplete")
        for name in ("email", "card_number", "card_expiry", "card_cvc")
    }

    assert found == {
        "email": "email",
        "card_number": "cc-number",
        "card_expiry": "cc-exp",
        "card_cvc": "cc-csc",
    }


def pay(page, checkout_url):
    page.goto(checkout_url)
    page.fill("#email", "buyer@example.com")
    page.select_option("#country", "DE")
    page.fill("#postcode", "10115")
    type_into(page, "#card_number", "4242424242424242")
    type_into(page, "#card_expiry", KEYPAD_EXPIRY)
    type_into(page, "#card_cvc", "123")
    page.click("#pay-button")
    page.wait_for_url(lambda url: "/checkout/" not in url or "receipt" in url or "success" in url)


def test_pays_with_keypad_expiry_on_a_phone(phone, checkout_url):
    pay(phone, checkout_url)

    assert Order.objects.get().status == OrderStatus.COMPLETED


def test_pays_with_keypad_expiry_without_javascript(browser, csp, checkout_url):
    context = browser.new_context(locale="en-US", viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        pay(page, checkout_url)
    finally:
        context.close()

    assert Order.objects.get().status == OrderStatus.COMPLETED
