"""Nothing lost, nothing charged twice: payments whose answer was lost are found and
recorded by the worker, whatever happened to the session or the store since."""

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone

from checkout.models import SessionStatus
from core.models import DomainEvent
from orders.models import Invoice, Order, OrderStatus
from payments import services as payment_services
from payments.models import Payment, PaymentStatus, SandboxCharge
from payments.processors.base import ProcessorError
from payments.processors.sandbox import TestCardProcessor
from payments.services import checkout_pay, payments_reconcile_stale
from stores.models import StoreStatus
from tests.checkout_factories import billing, declined_card, expire, make_session, success_card
from tests.factories import ProductFactory
from tests.payment_support import age, lose_payment
from tests.worker_support import run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(store):
    return make_session(product=ProductFactory(store=store), buyerEmail="lost@example.com")


def assert_paid_once(session) -> None:
    order = Order.objects.get(checkout_session=session)
    assert order.status == OrderStatus.COMPLETED
    payment = Payment.objects.get(order=order)
    assert payment.status == PaymentStatus.SUCCEEDED
    assert SandboxCharge.objects.filter(status="succeeded").count() == 1
    assert payment.processor_reference == SandboxCharge.objects.get().reference
    session.refresh_from_db()
    assert session.status == SessionStatus.COMPLETED
    names = sorted(DomainEvent.objects.values_list("name", flat=True))
    assert names == ["checkout.session.completed", "order.completed", "payment.succeeded"]


def test_a_crash_after_the_charge_is_reconciled_by_the_worker(session, settings):
    payment = lose_payment(session=session)
    assert payment.status == PaymentStatus.PENDING  # money taken, nothing recorded

    run_worker()
    assert Payment.objects.get().status == PaymentStatus.PENDING  # not stale yet
    age(payment, seconds=settings.PAYMENT_RECONCILE_AFTER + 1)
    run_worker()

    assert_paid_once(session)


@pytest.mark.parametrize("since", ["session expired", "store closed"])
def test_a_charge_made_before_expiry_or_closing_still_completes_the_order(session, settings, since):
    lose_payment(session=session)
    if since == "session expired":
        expire(session, ago=timedelta(hours=1))
    else:
        session.store.status = StoreStatus.INACTIVE
        session.store.save(update_fields=["status"])
    age(Payment.objects.get(), seconds=settings.PAYMENT_RECONCILE_AFTER + 1)

    run_worker()

    assert_paid_once(session)


def test_a_database_error_while_recording_is_reconciled(session, settings, monkeypatch):
    def broken(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(payment_services, "session_complete", broken)
    with pytest.raises(OperationalError):
        checkout_pay(session=session, billing=billing(), card=success_card())
    monkeypatch.undo()
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.PENDING  # the record rolled back whole
    assert Order.objects.get().status == OrderStatus.PENDING
    assert not DomainEvent.objects.exists()

    age(payment, seconds=settings.PAYMENT_RECONCILE_AFTER + 1)
    run_worker()

    assert_paid_once(session)


def test_a_processor_that_does_not_answer_leaves_the_payment_pending(session, monkeypatch):
    def unreachable(self, **kwargs):
        raise ProcessorError("timed out")

    monkeypatch.setattr(TestCardProcessor, "charge", unreachable)

    outcome = checkout_pay(session=session, billing=billing(), card=success_card())

    assert (outcome.succeeded, outcome.pending) == (False, True)
    assert Payment.objects.get().status == PaymentStatus.PENDING


def test_a_charge_that_never_happened_is_voided_and_the_checkout_stays_payable(
    session, settings, monkeypatch
):
    stale = lose_payment(session=session, charged=False)
    age(stale, seconds=settings.PAYMENT_RECONCILE_AFTER + 1)

    assert payments_reconcile_stale() == 1

    stale.refresh_from_db()
    assert (stale.status, stale.failure_code) == (PaymentStatus.CANCELED, "payment_abandoned")
    assert SandboxCharge.objects.get(idempotency_key=stale.public_id).status == "voided"
    assert checkout_pay(session=session, billing=billing(), card=success_card()).succeeded


def test_a_declined_charge_whose_answer_was_lost_is_recorded_as_failed(session, settings):
    age(
        lose_payment(session=session, card=declined_card()),
        seconds=settings.PAYMENT_RECONCILE_AFTER + 1,
    )

    run_worker()

    payment = Payment.objects.get()
    assert (payment.status, payment.failure_code) == (PaymentStatus.FAILED, "card_declined")
    assert list(DomainEvent.objects.values_list("name", flat=True)) == ["payment.failed"]
    assert Order.objects.get().status == OrderStatus.PENDING


def test_reconciling_twice_records_once(session, settings):
    payment = lose_payment(session=session)

    payment_services.payment_reconcile(payment=payment)
    payment_services.payment_reconcile(payment=payment)

    assert_paid_once(session)


def test_a_lease_keeps_two_reconcilers_off_one_payment(session, settings):
    payment = lose_payment(session=session)
    age(payment, seconds=settings.PAYMENT_RECONCILE_AFTER + 1)
    seen = Payment.objects.get()  # as both sweeps read it

    assert payment_services._take_lease(seen, timezone.now()) is True
    assert payment_services._take_lease(seen, timezone.now()) is False


def test_the_sweep_leaves_fresh_pending_payments_alone(session, settings):
    lose_payment(session=session)

    assert payments_reconcile_stale() == 0
    assert Payment.objects.get().status == PaymentStatus.PENDING


def test_a_late_twin_neither_overwrites_the_outcome_nor_saves_its_card(session):
    """The reconciler recorded the payment first; the browser's late answer for the same
    charge (carrying a saved card and no reference) changes nothing: no card row, the
    reference, the first outcome and the session's completion time stay, no second invoice."""
    from payments.models import PaymentMethod
    from payments.processors.base import ChargeResult, ChargeStatus, SavedMethod

    payment = lose_payment(session=session)
    stale = Payment.objects.select_related("order").get(pk=payment.pk)  # read while pending
    payment_services.payment_reconcile(payment=payment)
    session.refresh_from_db()
    completed_at = session.completed_at
    late = ChargeResult(
        status=ChargeStatus.SUCCEEDED,
        saved_method=SavedMethod(
            token="tok_late", brand="visa", last4="4242", exp_month=1, exp_year=2040
        ),
    )

    outcome = payment_services.payment_record(payment=stale, result=late)

    assert outcome.succeeded and outcome.payment.payment_method_id is None
    assert not PaymentMethod.objects.exists()
    assert_paid_once(session)
    assert session.completed_at == completed_at
    assert Invoice.objects.count() == 1
