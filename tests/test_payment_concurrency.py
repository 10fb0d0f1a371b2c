"""Exactly-once payment: many simultaneous completions of one session, on real threads.

Needs PostgreSQL (the session row lock is what serializes the claims); on SQLite the
``postgres`` marker skips these tests. Run with
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/pancake_conc pytest tests/test_payment_concurrency.py``.
"""

import json
import threading
import time
from collections import Counter
from dataclasses import dataclass

import pytest
from django.test import Client

from checkout.models import SessionStatus
from core.errors import Conflict
from orders.models import Order, OrderStatus
from orders.services import PAYMENT_IN_PROGRESS
from payments.cards import DECLINED_CARD, SUCCESS_CARD, parse_card
from payments.models import Payment, PaymentStatus
from payments.processors.sandbox import TestCardProcessor
from payments.services import PaymentOutcome, checkout_pay
from tests import concurrency_support
from tests.checkout_factories import billing, make_session
from tests.factories import MerchantFactory, ProductFactory, StoreFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 20
CREATE_ORDER = "/v1/actions/onetime-order/create-order"


@dataclass(frozen=True)
class Attempt:
    index: int
    outcome: PaymentOutcome | None = None
    conflict: str | None = None
    error: str | None = None


class Charges:
    """Wraps TestCardProcessor.charge: counts calls per idempotency key, optionally slowly."""

    def __init__(self, monkeypatch, *, delay: float = 0.0):
        self.calls: list[tuple[str, str]] = []
        self._lock = threading.Lock()
        real_charge = TestCardProcessor.charge

        def counting(processor, **charge):
            with self._lock:
                self.calls.append((charge["idempotency_key"], charge["card"].number))
            if delay:
                time.sleep(delay)  # keep the charge in flight while the others arrive
            return real_charge(processor, **charge)

        monkeypatch.setattr(TestCardProcessor, "charge", counting)

    @property
    def per_key(self) -> Counter:
        return Counter(key for key, _ in self.calls)


def open_session(*, email: str = "a@b.co"):
    merchant = MerchantFactory()
    store = StoreFactory(owner=merchant)
    product = ProductFactory(store=store)
    return make_session(product=product, merchant=merchant, buyerEmail=email)


def race(target, count: int = THREADS) -> list:
    return concurrency_support.race(
        target, count, on_error=lambda i, exc: Attempt(i, error=f"{type(exc).__name__}: {exc}")
    )


def pay(session, number: str):
    def attempt(index: int) -> Attempt:
        try:
            outcome = checkout_pay(
                session=session,
                billing=billing("DE"),
                card=parse_card(number=number(index), expiry="12/34", cvc="123"),
                buyer_email="a@b.co",
            )
        except Conflict as exc:
            return Attempt(index, conflict=exc.message)
        return Attempt(index, outcome=outcome)

    return attempt


@pytest.mark.parametrize("delay", [0.0, 0.3], ids=["fast-charge", "slow-charge"])
def test_concurrent_completions_charge_exactly_once(monkeypatch, delay):
    session = open_session()
    charges = Charges(monkeypatch, delay=delay)

    attempts = race(pay(session, lambda index: SUCCESS_CARD))

    assert len(attempts) == THREADS
    assert [a for a in attempts if a.error] == []
    winners = [a for a in attempts if a.outcome and not a.outcome.already_completed]
    replays = [a for a in attempts if a.outcome and a.outcome.already_completed]
    conflicts = [a for a in attempts if a.conflict]
    assert len(winners) == 1, attempts
    assert len(winners) + len(replays) + len(conflicts) == THREADS
    assert {a.conflict for a in conflicts} <= {PAYMENT_IN_PROGRESS}
    if delay:
        # everyone who claimed while the winner's charge was in flight was turned away
        assert conflicts

    winner = winners[0].outcome
    assert winner.succeeded is True
    order = Order.objects.get()
    payment = Payment.objects.get()
    # Exactly one payment row at all: a loser never gets as far as creating one — under the
    # session lock it sees the winner's pending payment (409) or the completed session (replay).
    assert Payment.objects.count() == 1
    assert payment.status == PaymentStatus.SUCCEEDED
    assert (winner.order.pk, winner.payment.pk) == (order.pk, payment.pk)
    for replay in replays:
        assert replay.outcome.succeeded is True
        assert (replay.outcome.order.pk, replay.outcome.payment.pk) == (order.pk, payment.pk)
    assert charges.per_key == Counter({payment.public_id: 1})  # one key, charged once
    assert order.status == OrderStatus.COMPLETED
    assert order.checkout_session_id == session.pk
    assert payment.amount_minor == order.total_minor == 3451
    session.refresh_from_db()
    assert session.status == SessionStatus.COMPLETED


def test_concurrent_declines_record_every_failure_and_never_overlap(monkeypatch):
    session = open_session()
    charges = Charges(monkeypatch, delay=0.02)
    declined = pay(session, lambda index: DECLINED_CARD)

    def attempt(index: int) -> Attempt:
        time.sleep(index % 5 * 0.015)  # five bursts of four: later bursts may claim anew
        return declined(index)

    attempts = race(attempt)

    assert [a for a in attempts if a.error] == []
    failed = [a for a in attempts if a.outcome]
    conflicts = [a for a in attempts if a.conflict]
    assert len(failed) + len(conflicts) == THREADS
    assert failed, "at least the first claim must reach the processor"
    assert all(a.outcome.succeeded is False for a in failed)
    assert {a.conflict for a in conflicts} <= {PAYMENT_IN_PROGRESS}

    payments = list(Payment.objects.all())
    assert len(payments) == len(failed)
    assert {p.status for p in payments} == {PaymentStatus.FAILED}
    assert {p.failure_code for p in payments} == {"card_declined"}
    assert {a.outcome.payment.pk for a in failed} == {p.pk for p in payments}
    # every failed payment was charged once, under its own key
    assert charges.per_key == Counter({p.public_id: 1 for p in payments})
    assert Order.objects.count() == 1
    assert Order.objects.get().status == OrderStatus.PENDING
    session.refresh_from_db()
    assert session.status == SessionStatus.OPEN


def test_declines_then_good_cards_succeed_at_most_once(monkeypatch):
    session = open_session()
    charges = Charges(monkeypatch, delay=0.02)
    first_wave = THREADS // 2

    def attempt(index: int) -> Attempt:
        if index >= first_wave:
            time.sleep(0.1 + 0.01 * (index - first_wave))  # the later attempts use 4242
        return pay(session, lambda i: DECLINED_CARD if i < first_wave else SUCCESS_CARD)(index)

    attempts = race(attempt)

    assert [a for a in attempts if a.error] == []
    outcomes = [a for a in attempts if a.outcome]
    assert {a.conflict for a in attempts if a.conflict} <= {PAYMENT_IN_PROGRESS}
    fresh_successes = [
        a for a in outcomes if a.outcome.succeeded and not a.outcome.already_completed
    ]
    assert len(fresh_successes) <= 1
    assert all(a.index >= first_wave for a in fresh_successes)
    # a good card is never declined: it succeeds, replays the success, or waits its turn
    assert all(a.outcome.succeeded for a in outcomes if a.index >= first_wave)
    assert all(
        a.outcome.already_completed or not a.outcome.succeeded
        for a in outcomes
        if a.index < first_wave
    )
    if any(a.index >= first_wave for a in outcomes):
        assert len(fresh_successes) == 1

    succeeded = Payment.objects.filter(status=PaymentStatus.SUCCEEDED)
    failed = Payment.objects.filter(status=PaymentStatus.FAILED)
    assert succeeded.count() == len(fresh_successes)
    assert failed.count() == len([a for a in outcomes if not a.outcome.succeeded])
    assert set(failed.values_list("card_last4", flat=True)) <= {"0002"}
    assert not Payment.objects.filter(status=PaymentStatus.PENDING).exists()
    assert Payment.objects.count() == succeeded.count() + failed.count()
    assert charges.per_key == Counter({p.public_id: 1 for p in Payment.objects.all()})
    assert Order.objects.count() == 1
    order = Order.objects.get()
    session.refresh_from_db()
    if fresh_successes:
        paid = succeeded.get()
        assert (paid.card_last4, paid.order_id) == ("4242", order.pk)
        assert order.status == OrderStatus.COMPLETED
        assert session.status == SessionStatus.COMPLETED
        for a in outcomes:
            if a.outcome.already_completed:
                assert a.outcome.payment.pk == paid.pk
    else:
        assert order.status == OrderStatus.PENDING
        assert session.status == SessionStatus.OPEN


def test_concurrent_create_order_requests_make_one_order():
    session = open_session()
    body = json.dumps(
        {
            "checkoutSessionId": session.public_id,
            "billingDetail": {"country": "DE", "isBusiness": False},
            "buyerEmail": "A@B.co",
        }
    )
    headers = {"X-Store-Slug": session.store.slug, "X-Environment": "test"}

    def post(index: int):
        response = Client().post(
            CREATE_ORDER, body, content_type="application/json", headers=headers
        )
        return index, response.status_code, response.json()

    results = race(post)

    assert [r for r in results if isinstance(r, Attempt)] == []
    statuses = Counter(status for _, status, _ in results)
    assert statuses == Counter({200: THREADS}), [r for r in results if r[1] != 200]
    order = Order.objects.get()
    assert {body["data"]["orderId"] for _, _, body in results} == {order.public_id}
    assert order.checkout_session_id == session.pk
    assert (order.status, order.buyer_email) == (OrderStatus.PENDING, "a@b.co")
    assert (order.subtotal_minor, order.tax_minor, order.total_minor) == (2900, 551, 3451)
    assert not Payment.objects.exists()
