"""Paid subscriptions to renew: the buyer's first payment through the real checkout, the
subscription started as the worker starts it, and the test clock's output."""

import json
from io import StringIO

from django.core.management import call_command

from catalog.models import ProductType
from payments.cards import DECLINES_OFF_SESSION_CARD, SUCCESS_CARD
from payments.services import checkout_pay
from subscriptions.models import Subscription
from subscriptions.services import subscription_start
from tests.checkout_factories import billing, card, make_session
from tests.factories import ProductFactory

BUYER = "buyer-1"
RENEWS = SUCCESS_CARD  # pays the first charge and every renewal
DECLINES_RENEWALS = DECLINES_OFF_SESSION_CARD  # pays the first charge, declines renewals


def subscription_product(store, **fields):
    """Monthly, 29.00 USD (27.00 EUR, 4500 JPY) plus tax."""
    return ProductFactory(store=store, product_type=ProductType.SUBSCRIPTION, **fields)


def subscribe(product, *, number: str = RENEWS, currency="USD", identity=BUYER, **session):
    """A paid subscription order of ``product`` and its started subscription."""
    checkout = make_session(
        product=product, currency=currency, buyerEmail="buyer@example.com", **session
    )
    outcome = checkout_pay(
        session=checkout, billing=billing("DE"), card=card(number), buyer_identity=identity
    )
    assert outcome.succeeded
    return subscription_start(order=outcome.order)


def advance(subscription: Subscription, periods: int = 1) -> dict:
    out = StringIO()
    call_command(
        "advance_test_clock",
        "--order",
        subscription.order.public_id,
        "--periods",
        str(periods),
        stdout=out,
    )
    return json.loads(out.getvalue())
