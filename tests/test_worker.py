"""``python manage.py worker``: the task queue and the sweeps, in one process or several."""

import signal
import time
import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from checkout.models import SessionStatus
from core.models import DomainEvent
from orders.models import Order, OrderStatus
from payments.models import Payment, PaymentStatus, SandboxCharge
from tests.checkout_factories import expire, make_session
from tests.factories import ProductFactory
from tests.payment_support import age, lose_payment
from tests.process_support import background_workers
from tests.worker_support import run_worker
from tests.worker_tasks import note_run


def wait_until(condition, *, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not reached")
        time.sleep(0.2)


@pytest.mark.django_db
def test_the_sweep_expires_unpaid_sessions_and_records_the_event(store):
    product = ProductFactory(store=store)
    lapsed = expire(make_session(product=product))
    fresh = make_session(product=product)

    run_worker()

    lapsed.refresh_from_db()
    fresh.refresh_from_db()
    assert (lapsed.status, fresh.status) == (SessionStatus.EXPIRED, SessionStatus.OPEN)
    event = DomainEvent.objects.get(name="checkout.session.expired")
    assert event.subject == lapsed.public_id
    assert (event.store_id, event.environment) == (store.pk, "test")
    assert event.dispatched_at is not None
    run_worker()
    assert DomainEvent.objects.filter(name="checkout.session.expired").count() == 1


@pytest.mark.django_db
def test_a_session_with_a_payment_under_way_is_left_to_the_reconciler(store):
    session = make_session(product=ProductFactory(store=store), buyerEmail="a@example.com")
    payment = lose_payment(session=session)
    expire(session)

    run_worker()  # the payment is not stale yet: the session must not expire under it

    session.refresh_from_db()
    assert session.status == SessionStatus.OPEN
    age(payment, seconds=3600)
    run_worker()
    session.refresh_from_db()
    assert session.status == SessionStatus.COMPLETED
    assert not DomainEvent.objects.filter(name="checkout.session.expired").exists()


@pytest.mark.django_db
def test_worker_once_from_the_command_line(capsys):
    call_command("worker", "--once")

    assert "Ran every sweep and 0 task(s)." in capsys.readouterr().out


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_run_each_task_exactly_once(tmp_path):
    log = tmp_path / "runs.log"
    results = [note_run.enqueue(str(log), number) for number in range(60)]

    with background_workers(2):
        wait_until(lambda: DBTaskResult.objects.filter(status="SUCCESSFUL").count() == len(results))

    lines = log.read_text().splitlines()
    numbers = sorted(int(line.split()[0]) for line in lines)
    assert numbers == list(range(60))  # every task once, none twice
    assert len({line.split()[1] for line in lines}) >= 1
    assert not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_worker_processes_reconcile_a_crashed_payment(store):
    session = make_session(product=ProductFactory(store=store), buyerEmail="a@example.com")
    age(lose_payment(session=session), seconds=3600)

    with background_workers(2):
        wait_until(lambda: Order.objects.get().status == OrderStatus.COMPLETED)
        wait_until(lambda: not DomainEvent.objects.filter(dispatched_at__isnull=True).exists())

    assert Payment.objects.get().status == PaymentStatus.SUCCEEDED
    assert SandboxCharge.objects.count() == 1
    assert sorted(DomainEvent.objects.values_list("name", flat=True)) == [
        "checkout.session.completed",
        "order.completed",
        "payment.succeeded",
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_the_worker_stops_cleanly_on_sigterm_and_ctrl_c(signum):
    with background_workers(1) as (worker,):
        assert worker.poll() is None
        worker.send_signal(signum)
        assert worker.wait(timeout=15) == 0


@pytest.mark.django_db(transaction=True)
def test_finished_task_rows_are_pruned_after_a_week(tmp_path):
    from core.tasks import task_results_prune

    old, recent = (note_run.enqueue(str(tmp_path / "log"), n) for n in (1, 2))
    run_worker()
    DBTaskResult.objects.filter(pk=old.id).update(finished_at=timezone.now() - timedelta(days=8))

    assert task_results_prune() == 1
    assert list(DBTaskResult.objects.values_list("pk", flat=True)) == [uuid.UUID(recent.id)]
