"""A free trial in a real browser (Chromium, Playwright, the live server): the page says
nothing is charged today, the buyer pays with a card, and the receipt names the trial's end
as the first charge. A buyer who had the trial is shown the full price before paying it."""

import re

import pytest

from orders.models import Order, OrderStatus
from payments.models import Payment
from tests.browser_support import (
    FUTURE_EXPIRY,
    SUCCESS_CARD,
    checkout_path,
    make_product,
    make_session,
    make_store,
)
from tests.trial_support import TRIAL_DAYS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def trial_shop(site):
    merchant, store = make_store(name="Acme Cloud", slug="acme-cloud")
    product = make_product(
        store,
        name="Cloud Pro",
        product_type="subscription",
        billing_period="monthly",
        metadata={"trialDays": TRIAL_DAYS},
        prices={"USD": {"amount": "29.00", "taxCategory": "digital_goods"}},
    )
    return merchant, product


def pay_in_browser(page, site, session):
    page.goto(site + checkout_path(session))
    page.fill("#email", "buyer@example.com")
    page.select_option("#country", "DE")
    page.fill("#postcode", "10115")
    page.fill("#card_number", SUCCESS_CARD)
    page.fill("#card_expiry", FUTURE_EXPIRY)
    page.fill("#card_cvc", "123")
    page.click("#pay-button")


def test_a_free_trial_checkout_then_a_second_one_at_full_price(page, site, trial_shop):
    merchant, product = trial_shop
    first = make_session(merchant=merchant, product=product)
    page.goto(site + checkout_path(first))
    terms = page.inner_text("#trial-terms")
    assert "14-day free trial: nothing is charged today" in terms

    pay_in_browser(page, site, first)
    page.wait_for_url(re.compile(r"/receipt$"))

    assert "Trial ends, first charge" in page.inner_text("main")
    order = Order.objects.get(checkout_session=first)
    assert order.status == OrderStatus.TRIALING
    assert Payment.objects.get(order=order).amount_minor == 0

    second = make_session(merchant=merchant, product=product)
    pay_in_browser(page, site, second)
    page.wait_for_url(re.compile(re.escape(checkout_path(second)) + r"$"))

    assert "This trial has already been used" in page.inner_text("main")
    assert page.locator("#trial-terms").count() == 0
    assert not Payment.objects.filter(order__checkout_session=second).exists()
    page.fill("#card_number", SUCCESS_CARD)
    page.fill("#card_expiry", FUTURE_EXPIRY)
    page.fill("#card_cvc", "123")
    page.click("#pay-button")
    page.wait_for_url(re.compile(r"/receipt$"))
    paid = Payment.objects.get(order__checkout_session=second)
    assert (paid.status, paid.amount_minor) == ("succeeded", 3451)
