"""Gapless invoice numbers under concurrency, on real threads against PostgreSQL: buyers
paying at once get 1..N with none skipped or repeated; issuers that roll back give their
numbers back; credit notes count on their own. The ``postgres`` marker skips these on
SQLite."""

import pytest
from django.db import transaction
from django.utils import timezone

from orders.invoices import credit_note_issue, invoice_issue
from orders.models import Invoice, Order
from tests.concurrency_support import race
from tests.email_support import pay
from tests.factories import MerchantFactory, ProductFactory, StoreFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS = 12


@pytest.fixture
def product():
    return ProductFactory(store=StoreFactory(owner=MerchantFactory()))


def sequences(kind: str) -> list[int]:
    return sorted(Invoice.objects.filter(kind=kind).values_list("sequence", flat=True))


def test_buyers_paying_at_once_get_consecutive_invoice_numbers(product):
    results = race(lambda index: pay(product, email=f"buyer{index}@example.com"), THREADS)

    assert all(isinstance(order, Order) for order in results), results
    assert sequences("invoice") == list(range(1, THREADS + 1))
    numbers = set(Invoice.objects.values_list("number", flat=True))
    assert numbers == {f"TEST-INV-{n:06d}" for n in range(1, THREADS + 1)}


def test_issuers_that_roll_back_leave_no_gap(product):
    orders = [pay(product, email=f"buyer{index}@example.com") for index in range(THREADS)]
    Invoice.objects.all().delete()  # issue them again, racing, half of them failing

    class Abandoned(Exception):
        pass

    def issue(index: int):
        with transaction.atomic():
            invoice = invoice_issue(order=orders[index], now=timezone.now())
            if index % 2:
                raise Abandoned(index)
            return invoice

    results = race(issue, THREADS)

    assert sum(isinstance(result, Abandoned) for result in results) == THREADS // 2
    # The counter stood at THREADS; the survivors follow it without a hole.
    assert sequences("invoice") == list(range(THREADS + 1, THREADS + 1 + THREADS // 2))


def test_credit_notes_number_on_their_own_at_once(product):
    order = pay(product)

    def refund(index: int):
        with transaction.atomic():
            return credit_note_issue(
                order=order,
                refund_reference=f"REF_{index}",
                amount_minor=100,
                tax_minor=16,
                now=timezone.now(),
            )

    results = race(refund, THREADS)

    assert all(isinstance(note, Invoice) for note in results), results
    assert sequences("credit_note") == list(range(1, THREADS + 1))
    assert sequences("invoice") == [1]
