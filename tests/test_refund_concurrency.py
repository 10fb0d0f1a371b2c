"""Refunds exactly once under concurrency, on real threads against PostgreSQL: many staff
approving one ticket make one refund; many tickets opened on one payment leave one open.
The ``postgres`` marker skips these on SQLite."""

import pytest

from core.errors import AppError
from payments.models import Refund, RefundTicket, SandboxRefund
from payments.refund_tickets import (
    Request,
    Submitter,
    refund_ticket_create,
    refund_ticket_decide,
)
from tests.concurrency_support import race
from tests.factories import MerchantFactory, ProductFactory, StoreFactory
from tests.refund_support import paid_payment

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 12


@pytest.fixture
def payment():
    return paid_payment(ProductFactory(store=StoreFactory(owner=MerchantFactory())))


def test_concurrent_approvals_of_one_ticket_refund_once(payment):
    ticket = refund_ticket_create(
        payment=payment,
        submitter=Submitter("customer", "buyer-1"),
        request=Request("Broken", "20.00", "USD"),
    )

    def approve(index: int):
        return refund_ticket_decide(
            ticket_id=ticket.pk, decision="approve", reviewer_id=f"staff-{index}"
        )

    results = race(approve, THREADS)

    decided = [r for r in results if isinstance(r, RefundTicket)]
    refused = [r for r in results if isinstance(r, AppError)]
    assert len(decided) == 1 and decided[0].status == "succeeded", results
    assert len(refused) == THREADS - 1
    assert {r.code for r in refused} == {"ticket_already_decided"}
    assert Refund.objects.count() == 1
    assert SandboxRefund.objects.count() == 1
    assert SandboxRefund.objects.get().amount_minor == 2000


def test_concurrent_tickets_on_one_payment_leave_one_open(payment):
    def open_one(index: int):
        return refund_ticket_create(
            payment=payment,
            submitter=Submitter("customer", "buyer-1"),
            request=Request(f"Reason {index}", "1.00", "USD"),
        )

    results = race(open_one, THREADS)

    opened = [r for r in results if isinstance(r, RefundTicket)]
    refused = [r for r in results if isinstance(r, AppError)]
    assert len(opened) == 1, results
    assert len(refused) == THREADS - 1 and {r.status for r in refused} == {409}
    assert RefundTicket.objects.count() == 1


def test_concurrent_merchant_refunds_never_exceed_the_payment(payment):
    """Each asks for 20.00 of 34.51 and is approved at once: only one can fit."""
    merchant = Submitter("merchant", "MER_x")

    def refund(index: int):
        return refund_ticket_create(
            payment=payment, submitter=merchant, request=Request("Goodwill", "20.00", "USD")
        )

    results = race(refund, THREADS)

    assert len([r for r in results if isinstance(r, RefundTicket)]) == 1, results
    assert sum(r.amount_minor for r in Refund.objects.all()) == 2000
