"""Subscription products with a trial, and paid checkouts of them."""

from payments.services import checkout_pay
from subscriptions.services import subscription_start
from tests.checkout_factories import billing, card, make_session
from tests.subscription_support import BUYER, RENEWS, subscription_product

TRIAL_DAYS = 14
PLAN_PRICE = "34.51"  # 29.00 USD plus German VAT, what every paid period costs


def trial_product(store, *, days: int = TRIAL_DAYS, trial_amount: str | None = None):
    """Monthly 29.00 USD with a ``days``-day trial (free, or at ``trial_amount``)."""
    price = {"amount": "29.00", "taxCategory": "digital_goods"}
    if trial_amount is not None:
        price["trialAmount"] = trial_amount
    return subscription_product(store, metadata={"trialDays": days}, prices={"USD": price})


def checkout(product, *, email="buyer@example.com", **session):
    return make_session(product=product, buyerEmail=email, **session)


def pay(session, *, number: str = RENEWS, identity: str = BUYER, email: str = ""):
    return checkout_pay(
        session=session,
        billing=billing("DE"),
        card=card(number),
        buyer_identity=identity,
        buyer_email=email,
    )


def start_trial(product, *, number: str = RENEWS, identity: str = BUYER, **session):
    """A paid trial checkout and its started subscription."""
    outcome = pay(checkout(product, **session), number=number, identity=identity)
    assert outcome.succeeded
    return subscription_start(order=outcome.order)
