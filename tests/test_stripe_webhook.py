"""POST /payments/stripe/webhook: Stripe-Signature verified with the endpoint secret, and a
payment whose buyer never came back recorded exactly once, against localstripe."""

import hashlib
import hmac
import json
import time

import pytest
import requests

from core.models import DomainEvent
from payments.models import Payment, PaymentStatus
from payments.processors import processor_for
from payments.processors.base import BrowserMethod
from payments.services import checkout_pay
from tests.checkout_factories import billing, make_session
from tests.stripe_support import THREE_D_SECURE, WEBHOOK_SECRET, authenticate, card_token

URL = "/payments/stripe/webhook"


def signed(payload: bytes, secret: str = WEBHOOK_SECRET, at: int | None = None) -> str:
    at = at or int(time.time())
    digest = hmac.new(secret.encode(), f"{at}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={at},v1={digest}"


def awaiting_3ds(product, base: str, *, success: bool = True) -> tuple[Payment, str]:
    """A payment whose buyer authenticated at Stripe and never came back to us."""
    outcome = checkout_pay(
        session=make_session(product=product),
        billing=billing(),
        card=BrowserMethod(card_token(base, THREE_D_SECURE)),
        buyer_email="buyer@example.com",
    )
    authenticate(base, outcome.client_secret, success=success)
    return outcome.payment, outcome.client_secret


def event_of(payment: Payment, event_type: str = "payment_intent.succeeded") -> bytes:
    """The event as Stripe sends it (the intent as Stripe holds it now)."""
    intent = processor_for("test").client.v1.payment_intents.retrieve(payment.processor_reference)
    event = {"id": "evt_1", "object": "event", "type": event_type, "data": {}}
    event["data"]["object"] = intent.to_dict()
    return json.dumps(event).encode()


@pytest.mark.django_db
def test_a_signed_event_completes_the_order_exactly_once(client, product, stripe_env):
    payment, _ = awaiting_3ds(product, stripe_env)
    payload = event_of(payment)

    for _ in range(2):  # Stripe delivers at least once
        answer = client.post(
            URL, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signed(payload)
        )
        assert answer.status_code == 200

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.SUCCEEDED
    assert payment.order.checkout_session.status == "completed"
    assert DomainEvent.objects.filter(name="payment.succeeded").count() == 1


@pytest.mark.django_db
def test_a_signed_failure_event_records_stripes_message(client, product, stripe_env):
    payment, _ = awaiting_3ds(product, stripe_env, success=False)
    payload = event_of(payment, "payment_intent.payment_failed")

    answer = client.post(
        URL, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signed(payload)
    )

    assert answer.status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED
    assert payment.failure_code == "payment_intent_authentication_failure"
    assert DomainEvent.objects.filter(name="payment.failed").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "signature",
    [
        "",
        "t=1,v1=00",
        "forged",
        signed(b"{}"),  # another body's signature
        "SECRET",  # replaced below with a signature by the wrong secret
        "STALE",  # replaced below with a signature far older than the tolerance
    ],
)
def test_a_forged_signature_is_refused_and_changes_nothing(client, product, stripe_env, signature):
    payment, _ = awaiting_3ds(product, stripe_env)
    payload = event_of(payment)
    if signature == "SECRET":
        signature = signed(payload, secret="whsec_someone_else")
    if signature == "STALE":
        signature = signed(payload, at=int(time.time()) - 3600)

    answer = client.post(
        URL, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature
    )

    assert answer.status_code == 400
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert not DomainEvent.objects.filter(name__startswith="payment.").exists()


@pytest.mark.django_db
def test_an_event_for_an_unknown_payment_or_type_is_accepted_and_ignored(
    client, product, stripe_env
):
    payment, _ = awaiting_3ds(product, stripe_env)
    for payload in (event_of(payment, "charge.refunded"), b'{"type": "ping", "data": {}}'):
        answer = client.post(
            URL, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=signed(payload)
        )
        assert answer.status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_the_webhook_only_answers_post(client, stripe_env):
    assert client.get(URL).status_code == 405


@pytest.mark.django_db(transaction=True)
def test_localstripe_delivers_the_event_that_completes_an_abandoned_checkout(
    product, stripe_env, live_server
):
    hook = f"{stripe_env}/_config/webhooks/pancake"
    requests.post(
        hook,
        data={"url": f"{live_server.url}{URL}", "secret": WEBHOOK_SECRET},
        timeout=5,
    ).raise_for_status()
    try:
        payment, _ = awaiting_3ds(product, stripe_env)  # localstripe now sends the event
        for _ in range(100):
            payment.refresh_from_db()
            if payment.status != PaymentStatus.PENDING:
                break
            time.sleep(0.1)
    finally:  # deliver nothing more to this test's server
        requests.post(
            hook,
            data={"url": "http://127.0.0.1:9/", "secret": "x", "events[0]": "none"},
            timeout=5,
        )
    assert payment.status == PaymentStatus.SUCCEEDED
    assert payment.order.checkout_session.status == "completed"
