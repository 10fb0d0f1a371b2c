"""Paying after the shipping step (Django test client): with and without shipping, the
round trips, sessions that cannot change, and the tax of the shipping address."""

import re

import pytest

from checkout.models import CheckoutSession
from orders.models import Order, OrderLine
from payments.models import Payment
from tests.browser_support import (
    DECLINED_CARD,
    checkout_path,
    expire,
    make_product,
    make_session,
    make_store,
    shown_after,
)
from tests.cart_browser_support import address_form, begin
from tests.shipping_support import (
    html_of,
    pay,
    post_address,
    post_method,
    ready,
)

pytestmark = pytest.mark.django_db


# --- paying --------------------------------------------------------------------------------


def test_paying_without_shipping_is_refused(client, shop, session):
    response = pay(client, session)

    html = html_of(shown_after(client, response, session))
    assert "A shipping address and a shipping method are required" in html
    assert 'href="#shipping"' in html
    assert not Order.objects.exists() and not Payment.objects.exists()

    # An address no method serves is kept, but no method is: still no paying.
    post_address(client, session, country_code="DE", province_code="", postal_code="10115")
    refused = pay(client, session)
    assert "A shipping address and a shipping method are required" in html_of(
        shown_after(client, refused, session)
    )
    assert not Payment.objects.exists()


def test_paying_with_address_and_method_makes_an_order_with_a_shipping_line(client, shop, session):
    ready(client, session, shop)

    response = pay(client, session)

    assert response.status_code == 303
    assert response["Location"] == checkout_path(session) + "/receipt"
    order = Order.objects.get()
    assert order.shipping_address == session.shipping_address
    assert order.shipping_address["province_code"] == "WA"
    assert (order.subtotal_minor, order.tax_minor, order.total_minor) == (7800, 507, 8307)
    lines = list(order.lines.order_by("position"))
    assert [(line.kind, line.name, line.quantity, line.unit_amount_minor) for line in lines] == [
        (OrderLine.Kind.PRODUCT, "Widget Pro", 2, 2900),
        (OrderLine.Kind.PRODUCT, "Setup Guide", 1, 1500),
        (OrderLine.Kind.SHIPPING, "Standard", 1, 500),
    ]
    assert sum(line.total_minor for line in lines) == order.total_minor
    assert sum(line.tax_minor for line in lines) == order.tax_minor
    assert Payment.objects.get().amount_minor == 8307

    receipt = html_of(client.get(response["Location"]))
    table = re.search(
        r'<table class="lines-table" id="receipt-lines".*?</table>', receipt, re.S
    ).group(0)
    assert "Widget Pro" in table and "($29.00 each)" in table and "$58.00" in table
    assert "Setup Guide" in table and "$15.00" in table
    assert "Shipping: Standard" in table and "$5.00" in table
    address = re.search(
        r'<address id="receipt-shipping-address">(.*?)</address>', receipt, re.S
    ).group(1)
    assert address.split("<br>") == [
        "Ada Lovelace",
        "1 Main St",
        "Apt 4",
        "Seattle, WA 98101",
        "United States",
    ]
    # The checkout summary's rows: items subtotal, shipping, tax, total (no mixed "Subtotal").
    assert '<dd id="receipt-items">$73.00</dd>' in receipt
    assert '<dd id="receipt-shipping">$5.00</dd>' in receipt
    assert "(Standard)" in receipt and 'id="receipt-subtotal"' not in receipt
    assert '<dd id="receipt-tax">$5.07</dd>' in receipt
    assert '<dd id="receipt-total">$83.07</dd>' in receipt


def test_pay_form_email_defaults_to_the_shipping_email(client, shop, session):
    html = html_of(post_address(client, session))
    assert re.search(r'<input id="email" name="email"[^>]*value="ada@example.com"', html, re.S)


def test_token_survives_the_shipping_round_trips(client, shop, session):
    data = {**address_form(), "token": "header.payload.signature"}
    response = client.post(checkout_path(session) + "/shipping", data)
    # Back in the fragment, as the pay form's 303 does: never in a URL a server sees.
    assert response.status_code == 303
    assert response["Location"] == checkout_path(session) + "#token=header.payload.signature"
    html = html_of(client.get(checkout_path(session)))
    assert "header.payload.signature" not in html


def test_shipping_steps_redirect_and_show_once(client, shop, session):
    posted = client.post(checkout_path(session) + "/shipping", address_form(city=""))

    assert posted.status_code == 303
    shown = html_of(client.get(checkout_path(session)))
    assert 'id="shipping-error-summary"' in shown
    again = html_of(client.get(checkout_path(session)))  # reload: the outcome was shown once
    assert 'id="shipping-error-summary"' not in again


# --- sessions that cannot change ------------------------------------------------------------


def test_shipping_routes_on_a_session_without_shipping(client):
    merchant, store = make_store(slug="digital-only")
    session = make_session(merchant=merchant, product=make_product(store))

    response = post_address(client, session)

    assert response.status_code == 422
    assert "This checkout has nothing to ship" in html_of(response)
    session.refresh_from_db()
    assert session.shipping_address is None


def test_shipping_routes_on_expired_completed_and_unknown_sessions(client, shop, session):
    assert (
        client.post("/store/acme-tools/checkout/cs_nope/shipping", address_form()).status_code
        == 404
    )
    assert client.get(checkout_path(session) + "/shipping").status_code == 405

    ready(client, session, shop)
    assert pay(client, session).status_code == 303
    response = client.post(checkout_path(session) + "/shipping", address_form(city="Tacoma"))
    assert response.status_code == 303
    assert response["Location"] == checkout_path(session)
    assert CheckoutSession.objects.get(pk=session.pk).shipping_address["city"] == "Seattle"

    fresh = begin(shop)
    expire(fresh)
    assert post_address(client, fresh).status_code == 410
    assert post_method(client, fresh, shop.standard.pk).status_code == 410


def test_tax_follows_the_shipping_address_not_the_billing_country(client, shop, session):
    ready(client, session, shop)

    page = html_of(client.get(checkout_path(session)))
    assert '<dd id="summary-total">$83.07</dd>' in page  # a fresh GET shows it too

    response = pay(client, session, country="DE", state_us="", postcode="10115")

    assert response.status_code == 303
    order = Order.objects.get()
    assert (order.tax_country, order.tax_region, order.tax_minor) == ("US", "WA", 507)
    assert order.billing_detail["country"] == "DE"


def test_billing_same_as_shipping_is_ticked_and_takes_the_shipping_address(client, shop, session):
    ready(client, session, shop)
    page = html_of(client.get(checkout_path(session)))
    assert re.search(r'<input id="billing_same" name="billing_same" type="checkbox" checked', page)

    # Ticked, whatever the (hidden) billing fields hold, the billing address is the shipping one.
    response = pay(client, session, billing_same="on", country="DE", state_us="", postcode="")

    assert response.status_code == 303
    billing = Order.objects.get().billing_detail
    assert (billing["country"], billing["state"], billing["postcode"]) == ("US", "WA", "98101")


def test_a_declined_card_keeps_billing_same_as_shipping_ticked(client, shop, session):
    ready(client, session, shop)

    response = pay(client, session, billing_same="on", card_number=DECLINED_CARD)

    page = html_of(shown_after(client, response, session))
    assert re.search(r'<input id="billing_same" name="billing_same" type="checkbox" checked', page)
    assert "Check your card details, or try another card." in page
