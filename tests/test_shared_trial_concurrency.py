"""One trial per buyer under concurrency, on real threads against PostgreSQL: checkouts of
the same buyer paid at the same moment start one trial, whatever the plans of a shared
group they are for. Skipped on SQLite (one writing transaction at a time)."""

import threading

import pytest
from django.db import connection, transaction

from checkout.services import session_lock
from core.errors import AppError
from orders.models import Order
from orders.services import order_open_for_payment
from payments.models import Payment
from tests.checkout_factories import billing
from tests.concurrency_support import race
from tests.factories import MerchantFactory, StoreFactory
from tests.test_shared_trial import tiers
from tests.trial_support import checkout, pay, trial_product

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
PAYERS = 6


def _refusal(index, exc):
    return exc.code if isinstance(exc, AppError) else exc


def test_checkouts_of_one_buyer_paid_at_once_start_one_trial():
    store = StoreFactory(owner=MerchantFactory())
    plans = [trial_product(store) for _ in range(3)]
    tiers(store, *plans)
    sessions = [checkout(plans[index % 3]) for index in range(PAYERS)]

    results = race(
        lambda index: pay(sessions[index], identity="buyer-1"), PAYERS, on_error=_refusal
    )

    paid = [r for r in results if not isinstance(r, str | BaseException)]
    refused = [r for r in results if isinstance(r, str)]
    assert not [r for r in results if isinstance(r, BaseException)], results
    assert len(paid) == 1 and paid[0].succeeded and paid[0].order.with_trial
    assert set(refused) <= {"trial_used", "trial_in_progress"}, refused
    assert Order.objects.filter(with_trial=True, completed_at__isnull=False).count() == 1
    assert Payment.objects.count() == 1


def test_a_second_payer_waits_for_the_first_and_sees_its_pending_trial():
    """Deterministic: the first payer's claim is held open; the second one's trial check
    waits on the buyer's lock, then sees the first payer's pending trial payment."""
    store = StoreFactory(owner=MerchantFactory())
    basic, pro = trial_product(store), trial_product(store)
    tiers(store, basic, pro)
    first, second = checkout(basic), checkout(pro)
    claimed, release = threading.Event(), threading.Event()

    def hold_first_claim():
        try:
            with transaction.atomic():
                session = session_lock(first.pk)
                order = order_open_for_payment(
                    session=session,
                    billing=billing("DE"),
                    buyer_email="",
                    buyer_identity="buyer-1",
                )
                Payment.objects.create(
                    order=order, amount_minor=0, currency="USD", processor="test"
                )
                claimed.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_first_claim)
    holder.start()
    assert claimed.wait(timeout=30)
    outcome: list = []

    def pay_second():
        try:
            outcome.append(pay(second, identity="buyer-1"))
        except AppError as exc:
            outcome.append(exc.code)
        finally:
            connection.close()

    payer = threading.Thread(target=pay_second)
    payer.start()
    payer.join(timeout=1)
    assert payer.is_alive(), outcome  # waiting on the buyer's lock, not past the check
    release.set()
    holder.join(timeout=30)
    payer.join(timeout=30)

    assert outcome == ["trial_in_progress"]
    assert Payment.objects.count() == 1
