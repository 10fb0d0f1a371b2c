"""The hosted page when Stripe serves the environment (Django's test client, localstripe):
Stripe Elements instead of our card fields, a CSP with exactly the configured Stripe.js
origin, and pages the test processor serves with no third party at all."""

import pytest

from payments.models import Payment, PaymentStatus
from tests.browser_support import shown_after
from tests.checkout_factories import make_session
from tests.stripe_support import (
    PUBLISHABLE_KEY,
    SUCCESS,
    THREE_D_SECURE,
    authenticate,
    card_token,
)

pytestmark = pytest.mark.django_db


def path(session, tail=""):
    return f"/store/{session.store.slug}/checkout/{session.public_id}{tail}"


def form(**fields):
    return {"email": "buyer@example.com", "country": "DE", "postcode": "10115", **fields}


def test_a_stripe_page_loads_the_configured_stripe_js_and_allows_only_its_origin(
    client, product, stripe_env
):
    answer = client.get(path(make_session(product=product)))

    body = answer.content.decode()
    assert f'src="{stripe_env}/js.stripe.com/v3/"' in body
    assert f'data-stripe-key="{PUBLISHABLE_KEY}"' in body
    assert 'id="card-element"' in body and 'name="card_number"' not in body
    policy = answer["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert stripe_env in directives["script-src"]
    assert directives["frame-src"] == stripe_env
    assert stripe_env in directives["connect-src"]
    others = policy.replace(stripe_env, "")
    assert "http://" not in others.replace("form-action 'self' https: http:", "")
    assert "stripe" not in others


def test_a_test_processor_page_has_no_third_party_script_or_origin(client, product):
    answer = client.get(path(make_session(product=product)))

    body = answer.content.decode()
    assert "stripe" not in body.lower()
    assert 'name="card_number"' in body
    policy = answer["Content-Security-Policy"]
    assert "stripe" not in policy and "frame-src" not in policy


def test_card_fields_posted_to_a_stripe_page_are_never_charged(client, product, stripe_env):
    session = make_session(product=product)
    answer = client.post(
        path(session, "/pay"),
        form(card_number=SUCCESS, card_expiry="12/34", card_cvc="123"),
    )
    assert "Enter your card details." in shown_after(client, answer, session).content.decode()
    assert not Payment.objects.exists()


def test_a_posted_stripe_token_pays(client, product, stripe_env):
    session = make_session(product=product, successUrl="https://example.com/thanks")
    answer = client.post(
        path(session, "/pay"), form(payment_method=card_token(stripe_env, SUCCESS))
    )
    assert (answer.status_code, answer["Location"]) == (303, "https://example.com/thanks")
    assert Payment.objects.get().status == PaymentStatus.SUCCEEDED


def test_the_return_url_ignores_a_payment_of_another_checkout(client, product, stripe_env):
    paid = make_session(product=product)
    client.post(path(paid, "/pay"), form(payment_method=card_token(stripe_env, SUCCESS)))
    payment = Payment.objects.get()
    other = make_session(product=product)

    answer = client.get(path(other, f"/return?payment={payment.public_id}"))
    assert (answer.status_code, answer["Location"]) == (303, path(other))
    answer = client.get(path(other, "/return?payment=nonsense"))
    assert answer.status_code == 303


def test_a_buyer_back_during_3ds_gets_the_banks_step_again_then_the_outcome(
    client, product, stripe_env
):
    session = make_session(product=product, successUrl="https://example.com/thanks")
    first = client.post(
        path(session, "/pay"), form(payment_method=card_token(stripe_env, THREE_D_SECURE))
    )
    assert 'id="authenticate"' in first.content.decode()
    secret = Payment.objects.get().processor_reference + "_secret_"

    again = client.get(path(session))  # the buyer closed the tab and opened the link again
    body = again.content.decode()
    assert again.status_code == 200 and 'id="authenticate"' in body and secret in body

    payment = Payment.objects.get()
    client_secret = body.split('data-client-secret="')[1].split('"')[0]
    authenticate(stripe_env, client_secret, success=True)
    back = client.get(path(session, f"/return?payment={payment.public_id}"))
    assert (back.status_code, back["Location"]) == (303, "https://example.com/thanks")
    assert client.get(path(session)).status_code == 200  # now "already paid"
