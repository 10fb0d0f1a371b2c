"""One trial per buyer per product: the rule (``orders.trials.trial_used``) as a table, and
what a buyer who had the trial sees and pays (the full price, never a surprise)."""

import re

import pytest

from checkout.models import CheckoutSession
from core.errors import AppError
from orders.models import OrderStatus
from orders.trials import TRIAL_USED, trial_used
from payments.models import Payment, SandboxCharge
from subscriptions.services import subscription_start
from tests.browser_support import FUTURE_EXPIRY, SUCCESS_CARD, checkout_path
from tests.factories import StoreFactory
from tests.trial_support import checkout, pay, start_trial, trial_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def had_trial(store):
    """buyer-1 (buyer@example.com) had the trial of ``product``."""
    product = trial_product(store)
    start_trial(product, identity="buyer-1")
    return product


@pytest.mark.parametrize(
    ("case", "identity", "email", "used"),
    [
        ("same identity", "buyer-1", "other@example.com", True),
        ("same identity, same email", "buyer-1", "buyer@example.com", True),
        ("another identity, same email", "buyer-2", "buyer@example.com", False),
        ("anonymous, same email", "", "buyer@example.com", True),
        ("anonymous, same email unnormalized", "", "  Buyer@Example.COM ", True),
        ("anonymous, another email", "", "other@example.com", False),
    ],
)
def test_who_already_had_the_trial(had_trial, store, case, identity, email, used):
    assert (
        trial_used(
            store_id=store.pk,
            environment="test",
            buyer_identity=identity,
            email=email,
            product_ids={had_trial.pk},
        )
        is used
    ), case


@pytest.mark.parametrize(
    ("case", "scope", "used"),
    [
        ("another product", "product", False),
        ("any of a set with the product", "set", True),
        ("another environment", "environment", False),
        ("another store", "store", False),
        ("no products", "empty", False),
    ],
)
def test_where_a_trial_counts(had_trial, store, case, scope, used):
    products = {
        "product": {trial_product(store).pk},
        "set": {trial_product(store).pk, had_trial.pk},
    }.get(scope, {had_trial.pk} if scope != "empty" else set())
    store_id = StoreFactory().pk if scope == "store" else store.pk
    assert (
        trial_used(
            store_id=store_id,
            environment="prod" if scope == "environment" else "test",
            buyer_identity="buyer-1",
            email="",
            product_ids=products,
        )
        is used
    ), case


def test_an_unpaid_or_declined_trial_checkout_uses_no_trial(store):
    product = trial_product(store)
    declined = pay(checkout(product), number="4000000000000002")
    assert not declined.succeeded

    again = pay(checkout(product))

    assert again.succeeded
    assert again.order.status == OrderStatus.TRIALING


def test_a_second_trial_is_refused_before_any_charge_then_paid_in_full(had_trial):
    session = checkout(had_trial)
    charges = SandboxCharge.objects.count()

    with pytest.raises(AppError) as refused:
        pay(session, identity="buyer-1")

    assert (refused.value.status, refused.value.code) == (409, "trial_used")
    assert refused.value.message == TRIAL_USED
    assert SandboxCharge.objects.count() == charges  # nothing moved
    assert not Payment.objects.filter(order__checkout_session=session).exists()
    session.refresh_from_db()
    assert session.trial_forfeited
    assert session.line_items[0].with_trial is False

    outcome = pay(session, identity="buyer-1")

    assert outcome.succeeded
    assert outcome.order.status == OrderStatus.ACTIVE
    assert outcome.order.with_trial is False
    assert outcome.payment.amount_minor == 3451  # the full first period
    subscription = subscription_start(order=outcome.order)
    assert subscription.trial_end is None
    assert subscription.period_number == 1


def test_the_page_refuses_a_used_trial_and_shows_the_full_price(client, had_trial):
    session = checkout(had_trial, withTrial=True)
    page = client.get(checkout_path(session)).content.decode()
    assert "14-day free trial: nothing is charged today, then $29.00 per month." in page
    assert re.search(r'id="summary-total">\$0\.00<', page)
    assert 'name="trial_shown"' in page
    form = {
        "email": "buyer@example.com",
        "country": "DE",
        "card_number": SUCCESS_CARD,
        "card_expiry": FUTURE_EXPIRY,
        "card_cvc": "123",
    }

    response = client.post(f"{checkout_path(session)}/pay", form)

    assert response.status_code == 303  # refused, nothing charged: back to the page
    assert not Payment.objects.filter(order__checkout_session=session).exists()
    page = client.get(checkout_path(session)).content.decode()
    assert TRIAL_USED in page
    assert 'id="trial-terms"' not in page
    assert "Billed every month until you cancel." in page
    assert re.search(r'id="summary-total">\$(29\.00|34\.51)<', page)
    assert 'name="trial_shown"' not in page
    stale_tab = client.post(f"{checkout_path(session)}/pay", {**form, "trial_shown": "1"})
    assert stale_tab.status_code == 303  # a page still showing the trial is never charged
    assert not Payment.objects.filter(order__checkout_session=session).exists()

    response = client.post(f"{checkout_path(session)}/pay", form)

    assert response.status_code == 303
    payment = Payment.objects.get(order__checkout_session=session)
    assert (payment.status, payment.amount_minor) == ("succeeded", 3451)
    assert CheckoutSession.objects.get(pk=session.pk).status == "completed"
