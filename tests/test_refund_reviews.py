"""Reviewing refund tickets (the operations command) and executing refunds exactly once:
amounts and their tax, the processor's ledger, the ticket's statuses, retries."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.ids import from_short_id
from core.models import DomainEvent
from payments.models import (
    Refund,
    RefundStatus,
    RefundTicket,
    RefundTicketStatus,
    SandboxCharge,
    SandboxRefund,
)
from payments.processors.base import ProcessorError
from payments.processors.sandbox import TestCardProcessor
from payments.refund_execution import refund_execute, refunds_execute_stale
from payments.refund_selectors import order_refunds
from payments.refund_tickets import AlreadyDecided, refund_ticket_review
from tests.factories import ProductFactory
from tests.refund_support import CREATE, RESUBMIT, as_customer, ask, paid_payment
from tests.worker_support import run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def payment(product):
    return paid_payment(product)  # 34.51 USD, of which 5.51 VAT


@pytest.fixture
def customer(client, store):
    return as_customer(client, store)


def open_ticket(customer, payment, amount: str) -> RefundTicket:
    response = customer(CREATE, ask(payment, amount))
    assert response.status_code == 200, response.content
    return RefundTicket.objects.get(
        pk=from_short_id("TKT", response.json()["data"]["ticket"]["id"])
    )


def review(ticket: RefundTicket, decision: str, *options: str) -> dict:
    out = StringIO()
    call_command(
        "review_refund_ticket", "--ticket", ticket.public_id, "--decision", decision, *options,
        stdout=out,
    )  # fmt: skip
    return json.loads(out.getvalue())


def test_approving_refunds_the_buyer_through_the_processor(customer, payment):
    ticket = open_ticket(customer, payment, "34.51")

    out = review(ticket, "approve", "--note", "Goodwill")

    assert (out["id"], out["status"], out["reviewNote"]) == (
        ticket.public_id,
        "succeeded",
        "Goodwill",
    )
    assert out["reviewerId"].startswith("operator:")
    assert out["reviewedAt"] and out["executedAt"]
    refund = Refund.objects.get()
    assert (refund.status, refund.amount_minor, refund.tax_minor) == ("succeeded", 3451, 551)
    assert refund.public_id.startswith("REF_") and refund.processor_reference.startswith("tre_")
    ledger = SandboxRefund.objects.get()
    assert (ledger.idempotency_key, ledger.amount_minor) == (refund.public_id, 3451)
    assert SandboxCharge.objects.get(reference=payment.processor_reference).refunded_minor == 3451
    assert order_refunds(order_id=payment.order_id).net_minor == 0


def test_rejecting_needs_a_reason(customer, payment):
    ticket = open_ticket(customer, payment, "5.00")

    with pytest.raises(CommandError, match="A rejection needs a reason"):
        review(ticket, "reject")
    out = review(ticket, "reject", "--reason", "Outside our policy")

    assert (out["status"], out["rejectReason"]) == ("rejected", "Outside our policy")
    assert out["executedAt"] is None
    assert not Refund.objects.exists()


def test_an_unknown_or_decided_ticket_exits_non_zero(customer, payment):
    ticket = open_ticket(customer, payment, "5.00")
    review(ticket, "approve")

    with pytest.raises(CommandError, match="already decided"):
        review(ticket, "approve")
    with pytest.raises(CommandError, match="already decided"):
        review(ticket, "reject", "--reason", "Too late")
    with pytest.raises(CommandError, match="Refund ticket not found"):
        call_command("review_refund_ticket", "--ticket", "TKT_0", "--decision", "approve")
    assert Refund.objects.count() == 1


def test_partial_refunds_return_tax_in_proportion_and_sum_to_the_payment(
    api, payment, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = api.post(CREATE, ask(payment, "10.00")).json()["data"]["ticket"]
    run_worker()
    with django_capture_on_commit_callbacks(execute=True):
        second = api.post(CREATE, ask(payment, "24.51")).json()["data"]["ticket"]
    run_worker()

    refunds = list(Refund.objects.order_by("created_at"))
    assert [r.ticket.public_id for r in refunds] == [first["id"], second["id"]]
    # 551 * 1000 / 3451 = 159.66… → 160, rounded once; the last refund takes the rest.
    assert [(r.amount_minor, r.tax_minor, r.status) for r in refunds] == [
        (1000, 160, "succeeded"),
        (2451, 391, "succeeded"),
    ]
    totals = order_refunds(order_id=payment.order_id)
    assert (totals.refunded_minor, totals.refunded_tax_minor, totals.net_minor) == (3451, 551, 0)
    response = api.post(CREATE, ask(payment, "0.01"))
    assert response.json()["errors"][0]["message"].endswith("(0.00 USD)")


def test_tax_rounding_follows_the_currency(client, store):
    payment = paid_payment(ProductFactory(store=store), currency="JPY")  # ¥4500 + 19 % = ¥5355
    as_customer(client, store)(CREATE, ask(payment, "1000"))

    review(RefundTicket.objects.get(), "approve")

    refund = Refund.objects.get()
    # 855 * 1000 / 5355 = 159.66… → ¥160: whole yen, never a fraction.
    assert (refund.amount_minor, refund.tax_minor, refund.currency) == (1000, 160, "JPY")


def test_a_refund_executes_once_however_often_it_is_asked(
    api, payment, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []
    real = TestCardProcessor.refund
    monkeypatch.setattr(
        TestCardProcessor, "refund", lambda self, **kw: calls.append(kw) or real(self, **kw)
    )
    with django_capture_on_commit_callbacks(execute=True):
        api.post(CREATE, ask(payment, "5.00"))
    refund = Refund.objects.get()

    run_worker()  # the queued task
    refund_execute(refund_id=refund.pk)
    run_worker()

    assert len(calls) == 1
    assert SandboxRefund.objects.count() == 1
    assert DomainEvent.objects.filter(name="refund.succeeded").count() == 1
    refund.refresh_from_db()
    assert refund.status == RefundStatus.SUCCEEDED


def test_a_retried_execution_asks_the_processor_with_the_same_key(api, payment):
    api.post(CREATE, ask(payment, "5.00"))
    refund = Refund.objects.get()
    processor = TestCardProcessor()

    # A worker that refunded, then died before recording: the next attempt gets that answer.
    first = processor.refund(
        reference=payment.processor_reference, amount_minor=500, idempotency_key=refund.public_id
    )
    refund_execute(refund_id=refund.pk)

    refund.refresh_from_db()
    assert (refund.status, refund.processor_reference) == ("succeeded", first.reference)
    assert SandboxCharge.objects.get(reference=payment.processor_reference).refunded_minor == 500


def test_a_refund_the_processor_refuses_fails_the_ticket(customer, payment):
    ticket = open_ticket(customer, payment, "20.00")
    # Refunded in the processor's own dashboard meanwhile: nothing is left there to give back.
    SandboxCharge.objects.filter(reference=payment.processor_reference).update(refunded_minor=3451)

    out = review(ticket, "approve")

    assert out["status"] == "failed" and out["executedAt"]
    refund = Refund.objects.get()
    assert (refund.status, refund.failure_code) == ("failed", "amount_too_large")
    assert DomainEvent.objects.filter(name="refund.failed", subject=refund.public_id).exists()
    assert order_refunds(order_id=payment.order_id).refunded_minor == 0


def test_a_processor_that_does_not_answer_leaves_the_refund_for_the_sweep(
    api, payment, monkeypatch, settings, django_capture_on_commit_callbacks
):
    def unreachable(self, **kwargs):
        raise ProcessorError("connection reset")

    monkeypatch.setattr(TestCardProcessor, "refund", unreachable)
    with django_capture_on_commit_callbacks(execute=True):
        api.post(CREATE, ask(payment, "5.00"))
    run_worker()
    refund = Refund.objects.get()
    assert refund.status == RefundStatus.PROCESSING

    monkeypatch.undo()
    assert refunds_execute_stale() == 0  # not due yet
    Refund.objects.filter(pk=refund.pk).update(
        updated_at=timezone.now() - timedelta(seconds=settings.REFUND_RETRY_AFTER + 1)
    )
    assert refunds_execute_stale() == 1

    refund.refresh_from_db()
    assert refund.status == RefundStatus.SUCCEEDED
    assert RefundTicket.objects.get().status == RefundTicketStatus.SUCCEEDED


def test_a_second_review_of_the_same_ticket_is_refused(customer, payment):
    ticket = open_ticket(customer, payment, "5.00")
    refund_ticket_review(ticket_id=ticket.pk, decision="approve", reviewer_id="a")

    with pytest.raises(AlreadyDecided):
        refund_ticket_review(ticket_id=ticket.pk, decision="approve", reviewer_id="b")
    assert Refund.objects.count() == 1


def test_a_resubmission_while_another_ticket_is_open_is_refused(api, customer, payment):
    ticket = open_ticket(customer, payment, "30.00")
    refund_ticket_review(ticket_id=ticket.pk, decision="reject", reviewer_id="a", reason="No")
    api.post(CREATE, ask(payment, "10.00"))  # the merchant's own refund, still processing

    response = customer(RESUBMIT, {"ticketId": ticket.public_id, **ask(payment, "24.51")})

    assert response.status_code == 409
    assert response.json()["errors"][0]["message"] == (
        "An open refund ticket already exists for this payment"
    )
    ticket.refresh_from_db()
    assert (ticket.status, ticket.versions.count()) == ("rejected", 1)
