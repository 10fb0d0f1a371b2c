"""A PaymentMethod (``pm_…``) kept for later, against localstripe: a subscription's first
payment attaches it to a new Stripe customer and its renewal charges it off-session; a free
trial saves it with a SetupIntent; and the hosted page's pay post with ``payment_method=pm_…``
pays, declines with Stripe's message, and reads 3-D Secure back at the return URL."""

import pytest
import requests

from orders.models import OrderStatus
from payments.models import Payment, PaymentMethod, PaymentStatus
from payments.processors import processor_for
from payments.processors.base import BrowserMethod, ChargeStatus
from payments.saved_methods import CardRefused, payment_method_save
from payments.services import checkout_pay, payment_refresh
from subscriptions.services import subscription_start
from tests.browser_support import shown_after
from tests.checkout_factories import billing, make_session
from tests.stripe_support import (
    DECLINES,
    PUBLISHABLE_KEY,
    SUCCESS,
    THREE_D_SECURE,
    authenticate,
    card_payment_method,
)
from tests.subscription_support import advance, subscription_product
from tests.trial_support import PLAN_PRICE, checkout, trial_product

pytestmark = pytest.mark.django_db

DECLINES_ATTACHING = "4000000000000002"  # localstripe declines it when attached to a customer


def pay(session, method: str):
    return checkout_pay(
        session=session,
        billing=billing("DE"),
        card=BrowserMethod(method),
        buyer_email="buyer@example.com",
        buyer_identity="buyer-1",
    )


def stripe_api():
    return processor_for("test").client


def test_a_subscriptions_payment_method_is_kept_on_a_customer_and_charged_off_session(
    store, stripe_env
):
    method = card_payment_method(stripe_env, SUCCESS)

    outcome = pay(make_session(product=subscription_product(store)), method)

    assert outcome.succeeded
    customer = stripe_api().v1.payment_methods.retrieve(method).customer
    assert customer.startswith("cus_")
    saved = PaymentMethod.objects.get()
    assert (saved.processor_token, saved.brand, saved.last4) == (
        f"{customer}:{method}",
        "visa",
        "4242",
    )
    first = stripe_api().v1.payment_intents.retrieve(outcome.payment.processor_reference)
    assert (first.customer, first.payment_method, first.metadata["save"]) == (customer, method, "1")

    out = advance(subscription_start(order=outcome.order), periods=1)

    assert [p["period"] for p in out["payments"]] == [1, 2]
    renewal = Payment.objects.get(period=2)
    assert (renewal.status, renewal.payment_method) == (PaymentStatus.SUCCEEDED, saved)
    intent = stripe_api().v1.payment_intents.retrieve(renewal.processor_reference)
    assert (intent.status, intent.customer, intent.payment_method) == (
        "succeeded",
        customer,
        method,
    )
    assert (intent.amount, intent.metadata["payment_id"]) == (3451, renewal.public_id)


def test_a_payment_method_declined_when_kept_shows_stripes_message(store, stripe_env):
    session = make_session(product=subscription_product(store))

    declined = pay(session, card_payment_method(stripe_env, DECLINES_ATTACHING))

    assert not declined.succeeded and not declined.pending
    assert (declined.payment.status, declined.payment.failure_code) == (
        PaymentStatus.FAILED,
        "card_declined",
    )
    assert declined.payment.failure_message == "Your card was declined."
    assert not PaymentMethod.objects.exists()
    assert pay(session, card_payment_method(stripe_env, SUCCESS)).succeeded


def test_a_free_trial_keeps_a_payment_method_with_a_setup_intent(store, stripe_env):
    method = card_payment_method(stripe_env, SUCCESS)

    outcome = pay(checkout(trial_product(store)), method)

    assert outcome.succeeded and outcome.order.status == OrderStatus.TRIALING
    first = Payment.objects.get()
    setup = stripe_api().v1.setup_intents.retrieve(first.processor_reference)
    assert (setup.id[:5], setup.status, setup.payment_method) == ("seti_", "succeeded", method)
    assert setup.customer == stripe_api().v1.payment_methods.retrieve(method).customer
    saved = PaymentMethod.objects.get()
    assert (saved.processor_token, saved.last4) == (f"{setup.customer}:{method}", "4242")

    out = advance(subscription_start(order=outcome.order), periods=1)

    assert [(p["period"], p["amount"]) for p in out["payments"]] == [(1, "0.00"), (2, PLAN_PRICE)]
    intent = stripe_api().v1.payment_intents.retrieve(
        Payment.objects.get(period=2).processor_reference
    )
    assert (intent.status, intent.payment_method, intent.amount) == ("succeeded", method, 3451)


def test_a_free_trials_payment_method_with_3ds_is_saved_once_the_bank_agrees(store, stripe_env):
    method = card_payment_method(stripe_env, THREE_D_SECURE)

    outcome = pay(checkout(trial_product(store)), method)

    assert outcome.pending and outcome.client_secret.startswith("seti_")
    setup = outcome.payment.processor_reference
    assert stripe_api().v1.setup_intents.retrieve(setup).status == "requires_action"
    # What localstripe's Stripe.js confirmCardSetup sends once the buyer completes the step.
    requests.post(
        f"{stripe_env}/v1/setup_intents/{setup}/confirm",
        json={"key": PUBLISHABLE_KEY, "client_secret": outcome.client_secret},
        timeout=5,
    ).raise_for_status()

    assert payment_refresh(payment=outcome.payment).succeeded
    assert PaymentMethod.objects.get().processor_token.endswith(f":{method}")


def save(store, method: str, key: str) -> PaymentMethod:
    return payment_method_save(
        store_id=store.pk,
        environment="test",
        buyer_email="buyer@example.com",
        buyer_identity="buyer-1",
        card=BrowserMethod(method),
        idempotency_key=key,
    )


def test_the_portals_new_payment_method_is_kept_without_a_charge(store, stripe_env):
    method = card_payment_method(stripe_env, "5555555555554444")

    saved = save(store, method, f"portal-{method}")

    customer = stripe_api().v1.payment_methods.retrieve(method).customer
    assert (saved.processor_token, saved.last4, saved.exp_year) == (
        f"{customer}:{method}",
        "4444",
        2034,
    )
    with pytest.raises(CardRefused, match=r"^Your card was declined\.$"):
        save(store, card_payment_method(stripe_env, DECLINES_ATTACHING), f"portal-x{method}")
    assert PaymentMethod.objects.count() == 1


def test_an_off_session_charge_of_a_kept_payment_method_can_decline(store, stripe_env):
    # localstripe's 0341 attaches but declines every charge, as Stripe's does.
    method = card_payment_method(stripe_env, DECLINES)
    saved = save(store, method, f"portal-{method}")

    result = processor_for("test").charge_saved(
        method_token=saved.processor_token,
        amount_minor=2900,
        currency="USD",
        idempotency_key=f"PAY_{method}",
    )

    assert (result.status, result.failure_code) == (ChargeStatus.FAILED, "card_declined")
    assert result.failure_message == "Your card was declined."


# --- the hosted page's pay post --------------------------------------------------------


def path(session, tail=""):
    return f"/store/{session.store.slug}/checkout/{session.public_id}{tail}"


def post_pay(http, session, method: str):
    data = {"email": "buyer@example.com", "country": "DE", "postcode": "10115"}
    return http.post(path(session, "/pay"), {**data, "payment_method": method})


def test_a_posted_payment_method_pays(client, product, stripe_env):
    session = make_session(product=product, successUrl="https://example.com/thanks")

    answer = post_pay(client, session, card_payment_method(stripe_env, SUCCESS))

    assert (answer.status_code, answer["Location"]) == (303, "https://example.com/thanks")
    assert Payment.objects.get().status == PaymentStatus.SUCCEEDED


def test_a_posted_declined_payment_method_shows_stripes_message(client, product, stripe_env):
    session = make_session(product=product)

    answer = post_pay(client, session, card_payment_method(stripe_env, DECLINES))

    assert "Your card was declined." in shown_after(client, answer, session).content.decode()
    assert Payment.objects.get().status == PaymentStatus.FAILED


@pytest.mark.parametrize("success", [True, False])
def test_a_posted_3ds_payment_method_is_decided_at_the_return_url(
    client, product, stripe_env, success
):
    session = make_session(product=product, successUrl="https://example.com/thanks")

    first = post_pay(client, session, card_payment_method(stripe_env, THREE_D_SECURE))

    body = first.content.decode()
    assert first.status_code == 200 and 'id="authenticate"' in body
    payment = Payment.objects.get()
    secret = body.split('data-client-secret="')[1].split('"')[0]
    assert secret.startswith(payment.processor_reference + "_secret_")
    authenticate(stripe_env, secret, success=success)

    back = client.get(path(session, f"/return?payment={payment.public_id}"))

    payment.refresh_from_db()
    if success:
        assert (back.status_code, back["Location"]) == (303, "https://example.com/thanks")
        assert payment.status == PaymentStatus.SUCCEEDED
    else:
        assert back.status_code == 402  # a GET: the form again, with the bank's answer
        assert "The provided PaymentMethod has failed authentication." in back.content.decode()
        assert payment.status == PaymentStatus.FAILED
