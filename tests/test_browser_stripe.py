"""The hosted page served by Stripe, in Chromium, through localstripe's Stripe.js: the card
goes to the Stripe server (no card number in any form post to us), declines and 3-D Secure
failures show Stripe's message and a retry pays, and the CSP allows exactly that Stripe.js."""

import re

import pytest

from orders.models import Order, OrderStatus
from payments.models import Payment, PaymentStatus
from tests.browser_support import (
    checkout_path,
    make_product,
    make_session,
    make_store,
    rows_as_text,
)
from tests.stripe_support import DECLINES, SUCCESS, THREE_D_SECURE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shop(site, stripe_env):
    merchant, store = make_store(name="Acme Tools", slug="acme-tools")
    return merchant, store, make_product(store, name="Widget Pro")


@pytest.fixture
def posts(page, site):
    """Every POST the page sends to our server, with its body."""
    sent = []
    page.on(
        "request",
        lambda request: (
            sent.append(request.post_data or "")
            if request.method == "POST" and request.url.startswith(site)
            else None
        ),
    )
    return sent


def open_and_fill(page, site, session, number):
    assert page.goto(site + checkout_path(session)).status == 200
    page.fill("#email", "buyer@example.com")
    page.select_option("#country", "DE")
    page.fill("#postcode", "10115")
    fill_card(page, number)


def fill_card(page, number):
    card = "#card-element input"
    page.fill(f"{card}[placeholder=number]", number)
    page.fill(f"{card}[placeholder=exp_month]", "12")
    page.fill(f"{card}[placeholder=exp_year]", "34")
    page.fill(f"{card}[placeholder=cvc]", "123")
    page.fill(f"{card}[placeholder=postal_code]", "10115")


def assert_no_card_number_reached_us(posts, *numbers):
    assert any("payment_method=tok_" in body for body in posts), posts
    stored = rows_as_text()
    for number in numbers:
        assert all(number not in body and number[-8:] not in body for body in posts)
        assert number not in stored


def test_paying_on_a_stripe_page_sends_only_stripes_token(page, site, shop, posts):
    merchant, store, product = shop
    success_url = f"{site}/store/{store.slug}/"
    session = make_session(merchant=merchant, product=product, successUrl=success_url)
    open_and_fill(page, site, session, SUCCESS)
    assert page.locator("#card_number").count() == 0  # none of our own card fields
    page.click("#pay-button")
    page.wait_for_url(success_url)

    payment = Payment.objects.get()
    assert (payment.status, payment.processor) == (PaymentStatus.SUCCEEDED, "stripe")
    assert payment.processor_reference.startswith("pi_")
    assert (payment.card_brand, payment.card_last4) == ("visa", "4242")
    assert Order.objects.get().status == OrderStatus.COMPLETED
    assert_no_card_number_reached_us(posts, SUCCESS)


def test_a_decline_shows_stripes_message_and_a_retry_pays(page, site, shop, posts):
    merchant, _, product = shop
    session = make_session(merchant=merchant, product=product)
    open_and_fill(page, site, session, DECLINES)
    page.click("#pay-button")
    page.locator("#payment-error").wait_for()
    assert "Your card was declined." in page.inner_text("#payment-error")

    fill_card(page, SUCCESS)
    page.click("#pay-button")
    page.wait_for_url(re.compile(r"/receipt$"))
    statuses = sorted(Payment.objects.values_list("status", flat=True))
    assert statuses == [PaymentStatus.FAILED, PaymentStatus.SUCCEEDED]
    assert_no_card_number_reached_us(posts, DECLINES, SUCCESS)


def test_three_d_secure_in_the_browser_then_the_outcome_read_back(page, site, shop, posts):
    merchant, _, product = shop
    session = make_session(merchant=merchant, product=product)
    open_and_fill(page, site, session, THREE_D_SECURE)
    page.click("#pay-button")
    page.get_by_text("Complete authentication").click()  # localstripe's 3-D Secure prompt
    page.wait_for_url(re.compile(r"/receipt$"))

    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert_no_card_number_reached_us(posts, THREE_D_SECURE)


def test_a_failed_three_d_secure_shows_the_message_and_a_retry_pays(page, site, shop):
    merchant, _, product = shop
    session = make_session(merchant=merchant, product=product)
    open_and_fill(page, site, session, THREE_D_SECURE)
    page.click("#pay-button")
    page.get_by_text("Fail authentication").click()
    page.locator("#payment-error").wait_for()
    assert "failed authentication" in page.inner_text("#payment-error")
    assert Payment.objects.get().status == PaymentStatus.FAILED

    fill_card(page, SUCCESS)
    page.click("#pay-button")
    page.wait_for_url(re.compile(r"/receipt$"))
    assert Payment.objects.filter(status=PaymentStatus.SUCCEEDED).count() == 1
