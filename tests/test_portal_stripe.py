"""The portal's update card with Stripe (localstripe): the browser's token becomes a saved
card on a Stripe customer without a charge, renewals charge it off-session, and a card
Stripe refuses is not saved."""

import pytest

from payments.models import PaymentMethod
from payments.processors import processor_for
from payments.processors.base import BrowserMethod, ChargeStatus
from payments.saved_methods import CardRefused, payment_method_save
from payments.services import checkout_pay
from subscriptions.models import Subscription
from subscriptions.services import subscription_start
from tests.checkout_factories import billing, make_session
from tests.portal_support import order_url, sign_in
from tests.stripe_support import PUBLISHABLE_KEY, SUCCESS, card_token
from tests.subscription_support import BUYER, subscription_product

pytestmark = pytest.mark.django_db


def save(store, token: str, key: str = "portal-1") -> PaymentMethod:
    return payment_method_save(
        store_id=store.pk,
        environment="test",
        buyer_email="buyer@example.com",
        buyer_identity="buyer-1",
        card=BrowserMethod(token),
        idempotency_key=key,
    )


def test_a_browser_token_is_saved_on_a_customer_and_charged_later(store, stripe_env):
    method = save(store, card_token(stripe_env, SUCCESS))

    assert (method.processor, method.brand, method.last4) == ("stripe", "visa", "4242")
    assert method.processor_token.startswith("cus_")
    renewal = processor_for("test").charge_saved(
        method_token=method.processor_token,
        amount_minor=2900,
        currency="USD",
        idempotency_key="PAY_portal_renewal",
    )
    assert renewal.status == ChargeStatus.SUCCEEDED


def test_a_card_stripe_refuses_is_not_saved(store, stripe_env):
    # localstripe declines 4000 0000 0000 0002 when it is attached to a customer.
    with pytest.raises(CardRefused):
        save(store, card_token(stripe_env, "4000000000000002"))

    assert not PaymentMethod.objects.exists()


def test_the_update_card_page_takes_the_card_with_stripe_elements(client, store, stripe_env):
    checkout = make_session(product=subscription_product(store), buyerEmail="buyer@example.com")
    order = checkout_pay(
        session=checkout,
        billing=billing("DE"),
        card=BrowserMethod(card_token(stripe_env, SUCCESS)),
        buyer_identity=BUYER,
    ).order
    subscription_start(order=order)
    sign_in(client, store)
    path = order_url(order, "/card")

    page = client.get(path)
    typed = client.post(path, {"card_number": "4242424242424242", "card_expiry": "12/34"})
    saved = client.post(path, {"payment_method": card_token(stripe_env, "5555555555554444")})

    body = page.content.decode()
    assert 'id="card-element"' in body and 'name="card_number"' not in body
    assert f'data-stripe-key="{PUBLISHABLE_KEY}"' in body
    assert stripe_env in page["Content-Security-Policy"]
    assert typed["Location"] == path  # card fields are never taken on a Stripe page
    assert saved["Location"] == order_url(order) + "?notice=card_updated"
    subscription = Subscription.objects.get(pk=order.pk)
    assert subscription.payment_method.last4 == "4444"
    assert subscription.payment_method.processor_token.startswith("cus_")
