"""The portal's update card when Stripe serves the environment, in Chromium through
localstripe's Stripe.js: the card goes to Stripe, only its token is posted to us, and the
subscription's card is replaced (CSP violations fail the test, as on every browser page)."""

import pytest

from payments.processors.base import BrowserMethod
from payments.services import checkout_pay
from subscriptions.models import Subscription
from subscriptions.services import subscription_start
from tests.checkout_factories import billing, make_session
from tests.factories import MerchantFactory, StoreFactory
from tests.stripe_support import SUCCESS, card_token
from tests.subscription_support import BUYER, subscription_product
from tests.test_browser_portal import arrive
from tests.test_browser_stripe import fill_card

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_update_card_sends_only_stripes_token(page, site, stripe_env):
    store = StoreFactory(owner=MerchantFactory(), name="Acme Tools", slug="acme-tools")
    checkout = make_session(product=subscription_product(store), buyerEmail="buyer@example.com")
    order = checkout_pay(
        session=checkout,
        billing=billing("DE"),
        card=BrowserMethod(card_token(stripe_env, SUCCESS)),
        buyer_identity=BUYER,
    ).order
    subscription_start(order=order)
    posts = []
    page.on(
        "request",
        lambda request: posts.append(request.post_data or "") if request.method == "POST" else None,
    )
    arrive(page, site, store)

    page.click(f"#order-{order.public_id} a.button")
    page.click("#update-card")
    assert page.locator("#card_number").count() == 0  # Stripe's element, not our fields
    fill_card(page, "5555555555554444")
    page.click("#save-card")
    page.wait_for_url("**?notice=card_updated")

    ours = [body for body in posts if "attempt=" in body]
    assert len(ours) == 1 and "payment_method=tok_" in ours[0]
    assert "5555555555554444" not in ours[0] and "4444" not in ours[0].split("payment_method")[0]
    method = Subscription.objects.get(pk=order.pk).payment_method
    assert (method.processor, method.last4) == ("stripe", "4444")
    assert (
        page.locator(".order-card").inner_text().endswith("ending in 4444")
    )  # localstripe: "Visa"
