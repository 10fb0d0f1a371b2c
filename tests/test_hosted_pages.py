"""Hosted pages through Django's test client: statuses, locked values, the pay flow and its
failure paths, token binding, CSP nonces, and the storefront."""

import re
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog import services as catalog_services
from checkout.billing import parse_billing_detail
from checkout.models import CheckoutSession, CreatedVia, SessionStatus
from core import tokens
from core.money import format_localized
from orders.models import Order, OrderStatus
from orders.services import order_place
from payments.models import Payment, PaymentStatus
from stores.models import StoreStatus
from tests.browser_support import (
    DECLINED_CARD,
    FUTURE_EXPIRY,
    INSUFFICIENT_FUNDS_CARD,
    SUCCESS_CARD,
    checkout_path,
    digits_only,
    expire,
    make_product,
    make_session,
    make_store,
    rows_as_text,
    shown_after,
)

pytestmark = pytest.mark.django_db

UNKNOWN_SESSION = "cs_00000000-0000-4000-8000-000000000000"


@pytest.fixture
def shop(db):
    merchant, store = make_store(name="Acme Tools", slug="acme-tools")
    product = make_product(store, name="Widget Pro")
    return merchant, store, product


@pytest.fixture
def session(shop):
    merchant, _, product = shop
    return make_session(merchant=merchant, product=product)


def form(card=SUCCESS_CARD, **overrides):
    data = {
        "email": "Buyer@Example.com",
        "country": "DE",
        "postcode": "10115",
        "card_number": card,
        "card_expiry": FUTURE_EXPIRY,
        "card_cvc": "123",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def pay(client, session, **kwargs):
    return client.post(checkout_path(session) + "/pay", form(**kwargs))


def text_of(response) -> str:
    return response.content.decode()


# --- checkout page -------------------------------------------------------------------------


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


def test_pay_happy_path_redirects_to_success_url(client, shop):
    merchant, _, product = shop
    session = make_session(
        merchant=merchant, product=product, successUrl="https://merchant.example/thanks"
    )
    response = pay(client, session)
    assert response.status_code == 303
    assert response["Location"] == "https://merchant.example/thanks"
    order = Order.objects.get()
    assert order.status == OrderStatus.COMPLETED
    assert order.buyer_email == "buyer@example.com"
    assert order.billing_detail == {"country": "DE", "isBusiness": False, "postcode": "10115"}
    assert (order.subtotal_minor, order.tax_minor, order.total_minor) == (2900, 551, 3451)
    payment = order.payments.get()
    assert (payment.status, payment.card_brand, payment.card_last4) == ("succeeded", "visa", "4242")
    session.refresh_from_db()
    assert session.status == SessionStatus.COMPLETED
    assert digits_only(SUCCESS_CARD) not in rows_as_text()


def test_pay_without_success_url_lands_on_receipt(client, session):
    response = pay(client, session)
    assert response.status_code == 303
    assert response["Location"] == checkout_path(session) + "/receipt"


def test_declined_card_redirects_and_keeps_fields_but_not_the_card(client, session):
    response = pay(
        client,
        session,
        card=DECLINED_CARD,
        is_business="on",
        business_name="ACME",
        tax_id="DE136695976",
    )
    html = text_of(shown_after(client, response, session))
    assert "Check your card details, or try another card." in html
    assert re.search(
        r'role="alert"[^>]*>\s*<p class="error-message" id="payment-error">'
        r"Your card was declined.</p>",
        html,
    )
    assert 'value="buyer@example.com"' in html
    assert '<option value="DE" selected>' in html
    assert 'value="10115"' in html
    assert f'value="{FUTURE_EXPIRY}"' in html
    assert (
        'value="ACME"' in html
        and 'id="is_business" name="is_business" type="checkbox" checked' in html
    )
    assert digits_only(DECLINED_CARD) not in html and DECLINED_CARD not in html
    assert 'value="123"' not in html
    assert digits_only(DECLINED_CARD) not in rows_as_text()
    payment = Payment.objects.get()
    assert (payment.status, payment.card_last4) == (PaymentStatus.FAILED, "0002")

    retry = pay(client, session)
    assert retry.status_code == 303
    order = Order.objects.get()
    assert order.status == OrderStatus.COMPLETED
    assert sorted(order.payments.values_list("status", flat=True)) == ["failed", "succeeded"]


def test_insufficient_funds_message(client, session):
    response = pay(client, session, card=INSUFFICIENT_FUNDS_CARD)
    assert "Your card has insufficient funds." in text_of(shown_after(client, response, session))


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"card": "4242 4242 4242 4241"}, "card_number", "Your card number is invalid."),
        (
            {"card_expiry": "13/30"},
            "card_expiry",
            "Your card&#x27;s expiry date is invalid. Enter it as MM/YY, for example 12/30.",
        ),
        ({"card_expiry": "01/20"}, "card_expiry", "Your card has expired."),
        ({"card_cvc": "12"}, "card_cvc", "Your card&#x27;s security code is invalid."),
        ({"card": ""}, "card_number", "Enter your card number."),
    ],
)
def test_invalid_card_redirects_to_a_field_error(client, session, overrides, field, message):
    response = pay(client, session, **overrides)
    html = text_of(shown_after(client, response, session))
    assert f'<p class="field-error" id="{field}-error">{message}</p>' in html
    assert re.search(rf'id="{field}"[^>]*aria-invalid="true"', html, re.S)
    assert Payment.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"country": "US", "postcode": None}, "state_us"),
        ({"country": "CA", "state_ca": "XX"}, "state_ca"),
        ({"country": "ZZ"}, "country"),
        ({"postcode": "!!"}, "postcode"),
        ({"is_business": "on"}, "business_name"),
        ({"is_business": "on", "business_name": "ACME GmbH", "tax_id": "DE123"}, "tax_id"),
        ({"email": "not-an-email"}, "email"),
        ({"email": ""}, "email"),
    ],
)
def test_invalid_billing_redirects_to_a_field_error(client, session, overrides, field):
    response = pay(client, session, **overrides)
    html = text_of(shown_after(client, response, session))
    assert re.search(
        rf'id="{field}"[^>]*aria-invalid="true" aria-describedby="{field}-error"', html, re.S
    )
    assert f'id="{field}-error"' in html
    assert 'role="alert"' in html
    assert Order.objects.count() == 0


def test_valid_eu_business_gets_reverse_charge(client, session):
    response = pay(client, session, is_business="on", business_name="SAP SE", tax_id="DE136695976")
    assert response.status_code == 303
    order = Order.objects.get()
    assert order.reverse_charge and order.tax_minor == 0
    html = text_of(client.get(checkout_path(session) + "/receipt"))
    assert "Reverse charge" in html


def test_double_submit_after_success_is_harmless(client, session):
    first = pay(client, session)
    second = pay(client, session)
    assert first.status_code == second.status_code == 303
    assert first["Location"] == second["Location"]
    assert Order.objects.count() == 1
    assert Payment.objects.count() == 1


def test_payment_in_progress_is_409(client, shop, session):
    order = order_place(
        session=session,
        billing=parse_billing_detail({"country": "DE", "isBusiness": False}),
        buyer_email="buyer@example.com",
    )
    Payment.objects.create(order=order, amount_minor=order.total_minor, currency="USD")
    response = pay(client, session)
    assert response.status_code == 409
    assert "Your payment is being processed" in text_of(response)
    assert Payment.objects.count() == 1


def test_the_checkout_page_offers_no_form_while_a_payment_is_under_way(client, session):
    order = order_place(
        session=session,
        billing=parse_billing_detail({"country": "DE", "isBusiness": False}),
        buyer_email="buyer@example.com",
    )
    Payment.objects.create(order=order, amount_minor=order.total_minor, currency="USD")
    CheckoutSession.objects.filter(pk=session.pk).update(
        expires_at=timezone.now() - timedelta(minutes=5)  # it may still complete
    )

    response = client.get(checkout_path(session))

    assert response.status_code == 200
    assert "Your payment is being processed" in text_of(response)
    assert 'name="card_number"' not in response.text


def test_a_processor_that_does_not_answer_shows_the_processing_page(client, session, monkeypatch):
    from payments.processors.base import ProcessorError
    from payments.processors.sandbox import TestCardProcessor

    def unreachable(self, **kwargs):
        raise ProcessorError("timed out")

    monkeypatch.setattr(TestCardProcessor, "charge", unreachable)

    response = pay(client, session)

    assert response.status_code == 202
    assert "Your payment is being processed" in text_of(response)
    assert Payment.objects.get().status == PaymentStatus.PENDING


def test_get_on_pay_goes_back_to_the_checkout_page(client, session):
    response = client.get(checkout_path(session) + "/pay")
    assert response.status_code == 303
    assert response["Location"] == checkout_path(session)


# --- customer session tokens ----------------------------------------------------------------


def test_token_binds_the_order_to_the_buyer_identity(client, shop, session):
    _, store, _ = shop
    token, _ = tokens.issue_customer_token(buyer_identity="user-42", store_id=str(store.pk))
    assert pay(client, session, token=token).status_code == 303
    assert Order.objects.get().buyer_identity == "user-42"


def test_token_for_another_store_is_refused(client, session):
    _, other = make_store()
    token, _ = tokens.issue_customer_token(buyer_identity="user-42", store_id=str(other.pk))
    response = pay(client, session, token=token)
    assert "issued for another store" in text_of(shown_after(client, response, session))
    assert Order.objects.count() == 0 and Payment.objects.count() == 0


@pytest.mark.parametrize("kind", ["forged", "expired"])
def test_bad_token_asks_to_reopen_the_link(client, shop, session, kind):
    _, store, _ = shop
    if kind == "forged":
        token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"
    else:
        token, _ = tokens.issue_customer_token(
            buyer_identity="user-42",
            store_id=str(store.pk),
            now=timezone.now() - timedelta(minutes=10),
        )
    response = pay(client, session, token=token)
    assert "open the checkout link again" in text_of(shown_after(client, response, session))
    assert Order.objects.count() == 0


# --- storefront ----------------------------------------------------------------------------


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
