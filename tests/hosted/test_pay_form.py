"""Paying on the hosted page through Django's test client: the pay flow and its failure
paths, payments under way, and binding the order to a customer token."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from checkout.billing import parse_billing_detail
from checkout.models import CheckoutSession, SessionStatus
from core import tokens
from orders.models import Order, OrderStatus
from orders.services import order_place
from payments.models import Payment, PaymentStatus
from tests.browser_support import (
    DECLINED_CARD,
    FUTURE_EXPIRY,
    INSUFFICIENT_FUNDS_CARD,
    SUCCESS_CARD,
    checkout_path,
    digits_only,
    make_session,
    make_store,
    rows_as_text,
    shown_after,
)
from tests.hosted_support import pay, text_of

pytestmark = pytest.mark.django_db


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
