"""The hosted checkout page through Django's test client: statuses, locked values, CSP
nonces, the receipt, token refresh and the storefront."""

import re
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog import services as catalog_services
from checkout.models import CheckoutSession, CreatedVia
from core import tokens
from core.money import format_localized
from orders.models import Order
from stores.models import StoreStatus
from tests.browser_support import (
    checkout_path,
    expire,
    make_product,
    make_session,
    make_store,
    shown_after,
)
from tests.hosted_support import UNKNOWN_SESSION, form, pay, text_of

pytestmark = pytest.mark.django_db


def test_checkout_page_shows_locked_values(client, shop, session):
    _, store, product = shop
    catalog_services.product_update(
        product=product,
        name="Renamed Later",
        prices={"USD": {"amount": "99.00", "taxCategory": "digital_goods"}},
    )
    store.name = "Renamed Store"
    store.save()

    response = client.get(checkout_path(session))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = text_of(response)
    assert "Widget Pro" in html and "Renamed Later" not in html
    assert "$29.00" in html and "$99.00" not in html
    assert "Acme Tools" in html
    assert "Tax calculated at payment." in html
    assert 'id="test-banner"' in html
    assert '<html lang="en-US"' in html
    assert "<title>Checkout — Widget Pro — Acme Tools</title>" in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_every_field_has_a_label(client, session):
    html = text_of(client.get(checkout_path(session)))
    fields = re.findall(r'<(?:input|select)[^>]*\bid="([^"]+)"', html)
    assert {"email", "country", "state_us", "state_ca", "postcode", "card_number"} <= set(fields)
    for field_id in fields:
        if field_id == "token":
            continue
        assert f'<label for="{field_id}"' in html, field_id


def test_prefilled_buyer_details_and_quote(client, shop):
    merchant, _, product = shop
    session = make_session(
        merchant=merchant,
        product=product,
        buyerEmail="Pre@Filled.example",
        billingDetail={"country": "US", "state": "TX", "isBusiness": False, "postcode": "73301"},
    )
    html = text_of(client.get(checkout_path(session)))
    assert 'value="pre@filled.example"' in html
    assert re.search(r'<option value="US" selected>', html)
    assert re.search(r'<option value="TX" selected>', html)
    assert 'value="73301"' in html
    # Billing is known, so the server shows the real quote: 6.25 % Texas sales tax on $29.00.
    assert "Sales tax 6.25%" in html
    assert "$30.81" in html


def test_locale_from_session_language(client, shop):
    merchant, _, product = shop
    session = make_session(merchant=merchant, product=product, currency="EUR", language="pt-BR")
    html = text_of(client.get(checkout_path(session)))
    assert '<html lang="pt-BR"' in html
    assert format_localized(2700, "EUR", "pt_BR") in html


def test_locale_from_accept_language(client, session):
    response = client.get(checkout_path(session), headers={"accept-language": "de-DE,de;q=0.9"})
    html = text_of(response)
    assert '<html lang="de-DE"' in html
    assert format_localized(2900, "USD", "de_DE") in html


def test_subscription_with_trial_shows_terms(client, shop):
    merchant, store, _ = shop
    product = make_product(
        store,
        product_type="subscription",
        billing_period="monthly",
        metadata={"trialDays": 14},
        prices={"USD": {"amount": "20.00", "taxCategory": "saas", "trialAmount": "1.00"}},
    )
    session = make_session(merchant=merchant, product=product, withTrial=True)
    html = text_of(client.get(checkout_path(session)))
    assert "per month" in html
    assert "14-day trial for $1.00, then $20.00 per month." in html
    assert re.search(r'id="summary-total">\$1\.00<', html)


def test_dark_theme_and_logo_go_into_the_nonced_style_block(client, shop):
    merchant, store, product = shop
    store.checkout_settings = {
        "dark": {"checkoutColorBackground": "#102030", "checkoutBorderRadius": "12px"}
    }
    store.logo = "https://cdn.example.com/logo.png"
    store.save()
    session = make_session(merchant=merchant, product=product, darkMode=True)
    response = client.get(checkout_path(session))
    html = text_of(response)
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])[1]
    style = re.search(r'<style nonce="([^"]+)">(.*?)</style>', html, re.S)
    assert style[1] == nonce
    assert "--color-background: #102030;" in style[2]
    assert "--radius: 12px;" in style[2]
    assert 'class="theme-dark"' in html
    assert 'src="https://cdn.example.com/logo.png" alt="Acme Tools logo"' in html
    assert " style=" not in html


def test_csp_header_has_a_nonce_that_the_script_carries(client, session):
    response = client.get(checkout_path(session))
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy
    nonce = re.search(r"script-src 'self' 'nonce-([^']+)'", policy)[1]
    html = text_of(response)
    script = re.search(r'<script src="([^"]+)" nonce="([^"]+)" defer></script>', html)
    assert script[1] == "/static/checkout/checkout.js"
    assert script[2] == nonce
    assert "onclick" not in html and "onsubmit" not in html
    assert client.get(checkout_path(session)).headers["Content-Security-Policy"] != policy


# --- pages that cannot show a checkout -----------------------------------------------------


@pytest.mark.parametrize("session_id", [UNKNOWN_SESSION, "cs_nope", "PROD_abc", "nothing"])
def test_unknown_session_is_our_404_page(client, shop, session_id):
    response = client.get(f"/store/acme-tools/checkout/{session_id}")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert "We can't find this page" in text_of(response)


def test_wrong_slug_is_404(client, session):
    _, other = make_store(slug="other-store")
    response = client.get(f"/store/{other.slug}/checkout/{session.public_id}")
    assert response.status_code == 404
    assert "We can't find this page" in text_of(response)
    assert (
        client.post(f"/store/{other.slug}/checkout/{session.public_id}/pay", form()).status_code
        == 404
    )
    assert Order.objects.count() == 0


def test_expired_session_is_410(client, session):
    expire(session)
    response = client.get(checkout_path(session))
    assert response.status_code == 410
    assert "This checkout has expired" in text_of(response)
    assert pay(client, session).status_code == 410
    assert Order.objects.count() == 0


def test_completed_session_shows_already_paid(client, session):
    pay(client, session)
    response = client.get(checkout_path(session))
    assert response.status_code == 200
    html = text_of(response)
    assert "This order has already been paid" in html
    assert f'href="{checkout_path(session)}/receipt"' in html


def test_receipt_content(client, session):
    pay(client, session, is_business=None)
    response = client.get(checkout_path(session) + "/receipt")
    assert response.status_code == 200
    html = text_of(response)
    order = Order.objects.get()
    payment = order.payments.get()
    assert order.public_id in html and payment.public_id in html
    assert "Widget Pro" in html
    assert "buyer@example.com" in html
    assert "Visa</span> ending in 4242" in html
    assert "$29.00" in html and "$5.51" in html and "$34.51" in html
    assert "VAT 19%" in html


def test_receipt_of_an_open_session_redirects_to_checkout(client, session):
    response = client.get(checkout_path(session) + "/receipt")
    assert response.status_code == 303
    assert response["Location"] == checkout_path(session)


# --- paying --------------------------------------------------------------------------------


def test_storefront_lists_only_sellable_products_of_the_environment(client, shop):
    _, store, _ = shop
    inactive = make_product(store, name="Retired Thing")
    catalog_services.product_set_status(product=inactive, environment="test", status="inactive")
    live = make_product(store, name="Live Only", publish=True)
    catalog_services.product_set_status(product=live, environment="test", status="inactive")

    html = text_of(client.get("/store/acme-tools/"))
    assert "Widget Pro" in html and "Retired Thing" not in html and "Live Only" not in html
    assert format_localized(4500, "JPY", "en_US") in html
    assert 'id="test-banner"' in html

    store.prod_enabled = True
    store.save()
    html = text_of(client.get("/store/acme-tools/"))  # prod by default once approved
    assert "Live Only" in html and "Widget Pro" not in html
    assert 'id="test-banner"' not in html
    html = text_of(client.get("/store/acme-tools/?env=test"))
    assert "Widget Pro" in html and "Live Only" not in html


def test_storefront_of_an_unknown_or_inactive_store_is_404(client, shop):
    _, store, _ = shop
    assert client.get("/store/no-such-store/").status_code == 404
    store.status = StoreStatus.INACTIVE
    store.save()
    response = client.get("/store/acme-tools/")
    assert response.status_code == 404
    assert "We can't find this page" in text_of(response)


def test_buy_creates_a_session_and_redirects_to_its_checkout(client, shop):
    _, _, product = shop
    response = client.post(
        reverse("checkout:buy", args=["acme-tools"]),
        {"product": product.public_id, "currency": "EUR", "env": "test"},
    )
    assert response.status_code == 303
    session = CheckoutSession.objects.get()
    assert response["Location"] == f"/store/acme-tools/checkout/{session.public_id}"
    assert (session.created_via, session.currency, session.line_items[0].unit_amount_minor) == (
        CreatedVia.STORE_SLUG,
        "EUR",
        2700,
    )
    assert client.get(response["Location"]).status_code == 200


def test_buy_errors_re_render_the_storefront(client, shop):
    _, _, product = shop
    url = reverse("checkout:buy", args=["acme-tools"])
    response = client.post(url, {"product": product.public_id, "currency": "GBP", "env": "test"})
    assert response.status_code == 400
    assert "Currency GBP is not supported for this product" in text_of(response)

    response = client.post(url, {"product": product.public_id, "currency": "USD", "env": "prod"})
    assert response.status_code == 403
    assert "Store is not approved for production payments" in text_of(response)

    _, other = make_store()
    foreign = make_product(other)
    response = client.post(url, {"product": foreign.public_id, "currency": "USD", "env": "test"})
    assert response.status_code == 403
    assert "Product does not belong to this store" in text_of(response)
    assert CheckoutSession.objects.count() == 0


def test_unmatched_store_paths_get_our_404_page(client, db):
    response = client.get("/store/some-store/nothing/here")
    assert response.status_code == 404
    assert b"We can't find this page" in response.content


def test_a_failed_csrf_check_gets_a_friendly_page(db):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/store/some-store/buy", {"productId": "x"})
    assert response.status_code == 403
    assert b"Please reload the page" in response.content
    assert b"This form has expired" in response.content
    assert b"find this page" not in response.content


def test_the_token_endpoint_refreshes_a_valid_token_of_the_store(client, shop):
    merchant, store, product = shop
    session = make_session(merchant=merchant, product=product)
    token, _ = tokens.issue_customer_token(
        buyer_identity="user-5", store_id=str(store.pk), extra={"email": "a@b.co"}
    )
    url = f"/store/{store.slug}/checkout/{session.public_id}/token"

    response = client.post(url, {"token": token})

    assert response.status_code == 200
    claims = tokens.read_customer_token(response.json()["token"])
    assert (claims.buyer_identity, claims.store_id, claims.extra) == (
        "user-5",
        str(store.pk),
        {"email": "a@b.co"},
    )
    assert client.post(url, {"token": "junk"}).status_code == 401
    other, _ = tokens.issue_customer_token(buyer_identity="user-5", store_id=str(uuid.uuid4()))
    assert client.post(url, {"token": other}).status_code == 401
    assert (
        client.post(f"/store/{store.slug}/checkout/cs_nope/token", {"token": token}).status_code
        == 404
    )


def test_a_dead_token_is_not_sent_back_into_the_form(client, shop):
    merchant, store, product = shop
    session = make_session(merchant=merchant, product=product)
    dead, _ = tokens.issue_customer_token(
        buyer_identity="user-5", store_id=str(store.pk), now=timezone.now() - timedelta(minutes=10)
    )
    response = client.post(
        f"/store/{store.slug}/checkout/{session.public_id}/pay",
        {"email": "a@b.co", "country": "DE", "card_number": "4242424242424242",
         "card_expiry": "12/34", "card_cvc": "123", "token": dead},
    )  # fmt: skip
    shown = shown_after(client, response, session)  # no fragment: the dead token stays out
    assert dead not in shown.content.decode()
    assert dead not in response.cookies.output()
    assert "open the checkout link again" in shown.content.decode()
