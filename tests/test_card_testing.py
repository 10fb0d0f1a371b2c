"""Card testing (issue 17, finding 4): payment attempts are limited across checkouts per
client address, per card and per buyer email, and checkouts started from public links are
throttled per client address; every refusal is a clear 429 page with Retry-After."""

import pytest
from django.urls import reverse

from checkout.models import CheckoutSession
from payments.models import Payment
from payments.processors import processor_for
from payments.processors.base import BrowserMethod
from payments.velocity import TOO_MANY_PAYMENTS, card_fingerprint
from tests.browser_support import (
    DECLINED_CARD,
    FUTURE_EXPIRY,
    INSUFFICIENT_FUNDS_CARD,
    SUCCESS_CARD,
    checkout_path,
    make_product,
    make_session,
    make_store,
)
from tests.cart_factories import make_cart, merchant_with_store
from tests.checkout_factories import card
from tests.factories import ProductFactory
from tests.stripe_support import SUCCESS, card_token

pytestmark = pytest.mark.django_db

OTHER_CARD = "5555555555554444"  # Luhn-valid; the test processor pays it


@pytest.fixture
def shop():
    merchant, store = make_store(slug="velocity-shop")
    return merchant, store, make_product(store)


@pytest.fixture
def limits(settings):
    """Generous limits; each test tightens the one it is about."""
    settings.PAYMENT_RATE_PER_IP = "1000/hour"
    settings.PAYMENT_RATE_PER_CARD = "1000/hour"
    settings.PAYMENT_RATE_PER_EMAIL = "1000/hour"
    return settings


def _pay(client, shop, *, card=DECLINED_CARD, email="tester@example.com", ip="203.0.113.7"):
    merchant, _, product = shop
    session = make_session(merchant=merchant, product=product)
    form = {
        "email": email,
        "country": "DE",
        "postcode": "10115",
        "card_number": card,
        "card_expiry": FUTURE_EXPIRY,
        "card_cvc": "123",
    }
    return client.post(checkout_path(session) + "/pay", form, REMOTE_ADDR=ip)


def _outcome(response) -> str:
    """A decline is shown after a redirect back to the checkout (POST-redirect-GET); a
    payment redirects to the receipt."""
    assert response.status_code in (303, 429), response.status_code
    if response.status_code == 429:
        return "limited"
    return "paid" if response["Location"].endswith("/receipt") else "declined"


def _assert_too_many(response):
    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/html")
    assert TOO_MANY_PAYMENTS in response.content.decode()
    assert 1 <= int(response["Retry-After"]) <= 3600


def test_one_address_gets_a_few_attempts_across_checkouts(client, shop, limits, charges):
    limits.PAYMENT_RATE_PER_IP = "3/hour"
    cards = [DECLINED_CARD, INSUFFICIENT_FUNDS_CARD, SUCCESS_CARD, OTHER_CARD]
    answers = [
        _pay(client, shop, card=card, email=f"buyer{i}@example.com") for i, card in enumerate(cards)
    ]

    assert [_outcome(answer) for answer in answers[:3]] == ["declined", "declined", "paid"]
    _assert_too_many(answers[3])
    assert len(charges) == 3  # the refused attempt never reached the processor
    assert Payment.objects.count() == 3


def test_another_address_is_not_held_up(client, shop, limits):
    limits.PAYMENT_RATE_PER_IP = "1/hour"
    _pay(client, shop, ip="203.0.113.7")

    assert _pay(client, shop, ip="203.0.113.7").status_code == 429
    assert _outcome(_pay(client, shop, ip="198.51.100.2")) == "declined"


def test_one_card_gets_a_few_attempts_from_any_address_and_email(client, shop, limits):
    limits.PAYMENT_RATE_PER_CARD = "2/hour"
    answers = [
        _pay(client, shop, email=f"b{i}@example.com", ip=f"198.51.100.{i}") for i in range(3)
    ]

    assert [_outcome(answer) for answer in answers[:2]] == ["declined", "declined"]
    _assert_too_many(answers[2])
    assert _outcome(_pay(client, shop, card=INSUFFICIENT_FUNDS_CARD, ip="198.51.100.9")) == (
        "declined"
    )


def test_one_email_gets_a_few_attempts_with_any_card(client, shop, limits):
    limits.PAYMENT_RATE_PER_EMAIL = "2/hour"
    cards = [DECLINED_CARD, INSUFFICIENT_FUNDS_CARD, SUCCESS_CARD]
    answers = [
        _pay(client, shop, card=card, email="Same@Example.com", ip=f"198.51.100.{i}")
        for i, card in enumerate(cards)
    ]

    assert [_outcome(answer) for answer in answers[:2]] == ["declined", "declined"]
    _assert_too_many(answers[2])


def test_the_limits_have_defaults_that_stop_a_card_tester(client, shop, charges):
    answers = [
        _pay(client, shop, card=card, email=f"t{i}@example.com")
        for i, card in enumerate([DECLINED_CARD, INSUFFICIENT_FUNDS_CARD] * 20)
    ]

    assert answers[-1].status_code == 429
    assert len(charges) <= 30


def test_the_same_card_has_the_same_fingerprint_on_every_checkout():
    processor = processor_for("test")

    first = card_fingerprint(card=card(SUCCESS_CARD), processor=processor)
    again = card_fingerprint(card=card(SUCCESS_CARD, cvc="999"), processor=processor)
    other = card_fingerprint(card=card(OTHER_CARD), processor=processor)

    assert first == again != other
    assert SUCCESS_CARD not in first


def test_stripe_tokens_of_one_card_share_stripes_fingerprint(stripe_env):
    processor = processor_for("test")

    first = card_fingerprint(
        card=BrowserMethod(card_token(stripe_env, SUCCESS)), processor=processor
    )
    again = card_fingerprint(
        card=BrowserMethod(card_token(stripe_env, SUCCESS)), processor=processor
    )
    other = card_fingerprint(
        card=BrowserMethod(card_token(stripe_env, OTHER_CARD)), processor=processor
    )

    assert first and first == again != other


def test_an_unknown_stripe_token_is_not_counted_and_does_not_stop_the_payment(stripe_env):
    processor = processor_for("test")
    assert card_fingerprint(card=BrowserMethod("tok_unknown"), processor=processor) == ""


# --- checkouts started from public links ---------------------------------------------------


def test_a_cart_link_opened_too_often_from_one_address_is_a_429_page(client, settings):
    settings.PUBLIC_CHECKOUT_RATE = "2/min"
    _, store, _ = merchant_with_store()
    cart = make_cart(store, (ProductFactory(store=store), 1))

    answers = [client.get(f"/c/{cart.public_id}", REMOTE_ADDR="203.0.113.7") for _ in range(3)]
    elsewhere = client.get(f"/c/{cart.public_id}", REMOTE_ADDR="198.51.100.2")

    assert [answer.status_code for answer in answers] == [303, 303, 429]
    assert answers[2]["Content-Type"].startswith("text/html")
    assert "Too many checkouts were started from your network" in answers[2].content.decode()
    assert 1 <= int(answers[2]["Retry-After"]) <= 60
    assert elsewhere.status_code == 303
    assert CheckoutSession.objects.count() == 3


def test_the_storefront_buy_button_is_throttled_per_address(client, shop, settings):
    settings.PUBLIC_CHECKOUT_RATE = "2/min"
    _, store, product = shop
    url = reverse("checkout:buy", args=[store.slug])
    data = {"product": product.public_id, "currency": "USD", "env": "test"}

    answers = [client.post(url, data, REMOTE_ADDR="203.0.113.7") for _ in range(3)]

    assert [answer.status_code for answer in answers] == [303, 303, 429]
    assert "Too many checkouts were started from your network" in answers[2].content.decode()
    assert 1 <= int(answers[2]["Retry-After"]) <= 60
    assert CheckoutSession.objects.count() == 2
