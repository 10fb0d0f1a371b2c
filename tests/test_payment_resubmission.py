"""A buyer who submits again while a payment is pending: told to wait while it is fresh,
and once it is stale, the first outcome is found by its key before anything is charged."""

import pytest

from core.errors import Conflict, Forbidden
from orders.models import Order, OrderStatus
from orders.services import PAYMENT_IN_PROGRESS, order_cancel, order_place
from payments.models import Payment, PaymentStatus, SandboxCharge
from payments.processors.sandbox import TestCardProcessor
from payments.services import checkout_pay
from tests.checkout_factories import (
    billing,
    declined_card,
    make_session,
    success_card,
)
from tests.payment_support import age, lose_payment

pytestmark = pytest.mark.django_db
VALID_DE_VAT = "DE136695976"


# --- pending payments ----------------------------------------------------------------------


def test_fresh_pending_payment_blocks_a_second_payment(product, monkeypatch):
    session = make_session(product=product, buyerEmail="busy@example.com")
    pending = lose_payment(session=session, charged=False)

    with pytest.raises(Conflict) as caught:
        checkout_pay(session=session, billing=billing(), card=success_card())

    assert (caught.value.status, caught.value.message) == (409, PAYMENT_IN_PROGRESS)
    with pytest.raises(Conflict, match=PAYMENT_IN_PROGRESS):
        order_place(session=session, billing=billing("FR"))
    with pytest.raises(Conflict, match=PAYMENT_IN_PROGRESS):
        order_cancel(order=pending.order)
    assert Payment.objects.get().pk == pending.pk
    assert Order.objects.get().status == OrderStatus.PENDING


def _counting_charges(monkeypatch) -> list[str]:
    calls: list[str] = []
    real_charge = TestCardProcessor.charge

    def counting(self, **kwargs):
        calls.append(kwargs["idempotency_key"])
        return real_charge(self, **kwargs)

    monkeypatch.setattr(TestCardProcessor, "charge", counting)
    return calls


def test_a_stale_payment_that_charged_is_found_not_charged_again(product, monkeypatch):
    session = make_session(product=product, buyerEmail="crash@example.com")
    stale = lose_payment(session=session)
    age(stale, seconds=125)
    calls = _counting_charges(monkeypatch)

    outcome = checkout_pay(session=session, billing=billing(), card=success_card())

    assert outcome.succeeded is True
    assert outcome.payment.pk == stale.pk
    assert calls == []  # looked up by its key, not charged again
    payment = Payment.objects.get()  # not duplicated
    assert payment.status == PaymentStatus.SUCCEEDED
    assert payment.processor_reference == SandboxCharge.objects.get().reference
    assert Order.objects.get().status == OrderStatus.COMPLETED


def test_a_stale_payment_that_never_charged_is_voided_and_a_new_key_pays(product, monkeypatch):
    session = make_session(product=product, buyerEmail="crash@example.com")
    stale = lose_payment(session=session, charged=False)
    age(stale, seconds=125)
    calls = _counting_charges(monkeypatch)

    outcome = checkout_pay(session=session, billing=billing(), card=success_card())

    stale.refresh_from_db()
    assert outcome.succeeded is True
    assert outcome.payment.pk != stale.pk
    assert calls == [outcome.payment.public_id]
    assert (stale.status, stale.failure_code) == (PaymentStatus.CANCELED, "payment_abandoned")
    ledger = dict(SandboxCharge.objects.values_list("idempotency_key", "status"))
    assert ledger == {stale.public_id: "voided", outcome.payment.public_id: "succeeded"}


def test_pending_payment_just_under_two_minutes_is_not_resumed(product, monkeypatch):
    session = make_session(product=product, buyerEmail="crash@example.com")
    age(lose_payment(session=session, charged=False), seconds=110)

    with pytest.raises(Conflict, match=PAYMENT_IN_PROGRESS):
        checkout_pay(session=session, billing=billing(), card=success_card())

    assert Payment.objects.get().status == PaymentStatus.PENDING


def test_a_stale_decline_is_recorded_and_the_new_attempt_gets_its_own_key(product, monkeypatch):
    session = make_session(product=product, buyerEmail="crash@example.com")
    stale = lose_payment(session=session, card=declined_card())
    age(stale, seconds=180)

    retried = checkout_pay(session=session, billing=billing(), card=success_card())

    stale.refresh_from_db()
    assert (stale.status, stale.failure_code) == (PaymentStatus.FAILED, "card_declined")
    assert retried.succeeded is True
    assert retried.payment.pk != stale.pk
    assert Payment.objects.count() == 2


def test_resubmitting_another_card_finds_the_first_outcome_first(product, monkeypatch):
    session = make_session(product=product, buyerEmail="crash@example.com")
    stale = lose_payment(session=session)
    age(stale, seconds=180)
    calls = _counting_charges(monkeypatch)

    outcome = checkout_pay(session=session, billing=billing(), card=declined_card())

    assert outcome.succeeded is True  # the 4242 charge was found by its key
    assert (outcome.payment.pk, outcome.payment.card_last4) == (stale.pk, "4242")
    assert calls == []  # the new card never went out under the old key
    assert SandboxCharge.objects.count() == 1


def test_another_identity_cannot_resume_a_stale_payment(product, monkeypatch):
    session = make_session(product=product, buyerEmail="alice@example.com")
    age(
        lose_payment(session=session, charged=False, buyer_identity="alice@example.com"),
        seconds=180,
    )

    with pytest.raises(Forbidden):
        checkout_pay(
            session=session,
            billing=billing(),
            card=success_card(),
            buyer_identity="mallory@example.com",
        )


def test_a_processor_without_an_answer_on_resubmission_means_in_progress(product, monkeypatch):
    from payments.processors.base import ProcessorError

    session = make_session(product=product, buyerEmail="crash@example.com")
    stale = lose_payment(session=session)
    age(stale, seconds=180)

    def unreachable(self, **kwargs):
        raise ProcessorError("timed out")

    monkeypatch.setattr(TestCardProcessor, "lookup", unreachable)

    with pytest.raises(Conflict, match=PAYMENT_IN_PROGRESS):
        checkout_pay(session=session, billing=billing(), card=success_card())
    assert Payment.objects.get().status == PaymentStatus.PENDING
