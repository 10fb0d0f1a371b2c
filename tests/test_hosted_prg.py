"""The pay form's POST-redirect-GET (issue 19, point 5): a refused or declined payment is a
303 to the checkout page, whose GET shows why once, from a signed cookie scoped to that
checkout; and HEAD is answered wherever GET is."""

import time
import types

import pytest
from django.core import signing

from checkout.web.pay_outcome import COOKIE
from core import tokens
from orders.models import Order
from tests.browser_support import (
    DECLINED_CARD,
    FUTURE_EXPIRY,
    SUCCESS_CARD,
    checkout_path,
    digits_only,
    make_product,
    make_session,
    make_store,
    shown_after,
)
from tests.hosted_support import pay, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def shop(db):
    merchant, store = make_store(name="Acme Tools", slug="acme-tools")
    return merchant, store, make_product(store, name="Widget Pro")


@pytest.fixture
def session(shop):
    merchant, _, product = shop
    return make_session(merchant=merchant, product=product)


def test_a_decline_is_a_see_other_with_a_scoped_httponly_cookie(client, session):
    response = pay(client, session, card=DECLINED_CARD)

    assert response.status_code == 303
    assert response["Location"] == checkout_path(session)
    cookie = response.cookies[COOKIE]
    assert cookie["path"] == checkout_path(session)
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert 0 < int(cookie["max-age"]) <= 300
    # What the page shows again, never what must not be kept.
    assert "Your card was declined." in cookie.value
    assert FUTURE_EXPIRY in cookie.value
    assert digits_only(DECLINED_CARD) not in cookie.value and "card_cvc" not in cookie.value
    assert "buyer@example.com" not in response["Location"]


def test_the_message_is_shown_once_then_the_form_is_clean(client, session):
    response = pay(client, session, card=DECLINED_CARD)

    shown = shown_after(client, response, session)
    assert "Your card was declined." in text_of(shown)
    assert "<title>Error: Checkout" in text_of(shown)
    assert shown.cookies[COOKIE].value == ""  # dropped by the GET that showed it

    reloaded = client.get(checkout_path(session))
    assert reloaded.status_code == 200
    assert "Your card was declined." not in text_of(reloaded)
    assert 'role="alert"' not in text_of(reloaded)


def test_a_tampered_or_foreign_cookie_shows_a_clean_form(client, shop, session):
    merchant, _, product = shop
    response = pay(client, session, card=DECLINED_CARD)
    value = response.cookies[COOKIE].value

    client.cookies[COOKIE] = value.replace("declined", "accepted")
    assert "was declined" not in text_of(client.get(checkout_path(session)))
    assert "accepted" not in text_of(client.get(checkout_path(session)))

    other = make_session(merchant=merchant, product=product)
    client.cookies[COOKIE] = value  # signed for the first session, not this one
    page = client.get(checkout_path(other))
    assert page.status_code == 200 and "was declined" not in text_of(page)


def test_an_old_cookie_is_ignored(client, session, monkeypatch):
    response = pay(client, session, card=DECLINED_CARD)
    assert response.status_code == 303
    # The GET comes back 301 seconds later, as far as the signature's timestamp goes.
    later = types.SimpleNamespace(time=lambda: time.time() + 301)
    monkeypatch.setattr(signing, "time", later)

    page = client.get(checkout_path(session))

    assert page.status_code == 200 and "was declined" not in text_of(page)


def test_a_valid_customer_token_goes_back_in_the_fragment(client, shop, session):
    _, store, _ = shop
    token, _ = tokens.issue_customer_token(buyer_identity="user-42", store_id=str(store.pk))

    response = pay(client, session, card=DECLINED_CARD, token=token)

    assert token not in response.cookies[COOKIE].value
    shown = shown_after(client, response, session, token=token)
    assert token not in text_of(shown)  # the page script takes it from the fragment
    retry = pay(client, session, token=token)
    assert retry.status_code == 303
    assert Order.objects.get().buyer_identity == "user-42"


def test_a_paid_session_drops_a_leftover_outcome(client, session):
    declined = pay(client, session, card=DECLINED_CARD)
    assert pay(client, session, card=SUCCESS_CARD).status_code == 303
    client.cookies[COOKIE] = declined.cookies[COOKIE].value

    page = client.get(checkout_path(session))

    assert "This order has already been paid" in text_of(page)
    assert page.cookies[COOKIE].value == ""


def test_validation_errors_keep_the_typed_fields(client, session):
    response = pay(client, session, country="US", postcode="73301", email="Buyer@Example.com")

    html = text_of(shown_after(client, response, session))
    assert 'id="state_us-error">Choose your state.</p>' in html
    assert 'value="buyer@example.com"' in html
    assert '<option value="US" selected>' in html
    assert 'value="73301"' in html
    assert "Check your card details, or try another card." not in html


@pytest.mark.parametrize("suffix", ["", "/receipt", "/pay"])
def test_head_is_answered_like_get_on_checkout_pages(client, session, suffix):
    url = checkout_path(session) + suffix
    got, head = client.get(url), client.head(url)
    assert head.status_code == got.status_code != 405
    assert head.content == b""
    assert head.get("Location") == got.get("Location")


def test_head_is_answered_on_the_storefront_and_the_cart_link(client, shop):
    assert client.head("/store/acme-tools/").status_code == 200
    assert client.head("/store/no-such-store/").status_code == 404
    assert client.head("/c/cart_nope").status_code == client.get("/c/cart_nope").status_code
    assert client.head("/c/cart_nope").status_code != 405
