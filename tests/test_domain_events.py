"""The transactional outbox: events commit with their change, handlers run after commit,
at least once, and never twice to completion for one event."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from core import events
from core.models import DomainEvent, HandledEvent
from tests.worker_support import run_worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(monkeypatch):
    """An empty handler registry for the test; the apps' own handlers come back after."""
    monkeypatch.setattr(events, "_handlers", {})
    return events


def record(name="order.completed", subject="ORD_x"):
    with transaction.atomic():
        return events.event_record(name=name, subject=subject, payload={"orderId": subject})


def _change_that_fails_after_recording():
    with transaction.atomic():
        events.event_record(name="order.completed", subject="ORD_rolled_back")
        raise ZeroDivisionError


def test_an_event_is_written_in_the_changing_transaction_or_not_at_all():
    with pytest.raises(ZeroDivisionError):
        _change_that_fails_after_recording()

    assert not DomainEvent.objects.filter(subject="ORD_rolled_back").exists()


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        events.event_record(name="order.completed", subject="ORD_x")


def test_unknown_event_names_are_refused():
    with pytest.raises(ValueError, match="Unknown event"):
        record(name="order.exploded")
    with pytest.raises(ValueError, match="Unknown event"):
        events.handles("order.exploded")


def test_each_handler_runs_once_however_often_the_event_is_dispatched(registry):
    seen = []
    registry.handles("order.completed", name="a")(lambda event: seen.append(("a", event.pk)))
    registry.handles("order.completed", name="b")(lambda event: seen.append(("b", event.pk)))
    event = record()

    assert events.event_dispatch(event_id=event.pk) is True
    DomainEvent.objects.filter(pk=event.pk).update(dispatched_at=None)  # dispatched again
    events.event_dispatch(event_id=event.pk)

    assert sorted(seen) == [("a", event.pk), ("b", event.pk)]
    assert set(HandledEvent.objects.values_list("handler", flat=True)) == {"a", "b"}


def test_a_failing_handler_is_retried_later_and_the_others_keep_their_receipt(registry):
    calls = {"ok": 0, "flaky": 0}

    @registry.handles("payment.succeeded", name="ok")
    def ok(event):
        calls["ok"] += 1

    @registry.handles("payment.succeeded", name="flaky")
    def flaky(event):
        calls["flaky"] += 1
        if calls["flaky"] == 1:
            raise ConnectionError("mail server down")

    event = record(name="payment.succeeded", subject="PAY_x")

    assert events.event_dispatch(event_id=event.pk) is False
    event.refresh_from_db()
    assert event.dispatched_at is None and event.attempts == 1
    assert "mail server down" in event.last_error
    assert event.next_attempt_at > timezone.now()
    assert events.events_dispatch_due() == 0  # not due yet

    DomainEvent.objects.filter(pk=event.pk).update(next_attempt_at=timezone.now())
    assert events.events_dispatch_due() == 1

    event.refresh_from_db()
    assert event.dispatched_at is not None and event.last_error == ""
    assert calls == {"ok": 1, "flaky": 2}


def test_a_failed_handler_rolls_back_its_own_writes(registry):
    @registry.handles("order.completed", name="half")
    def half(event):
        DomainEvent.objects.create(
            name="payment.failed", subject="written-then-failed", created_at=timezone.now()
        )
        raise RuntimeError("after writing")

    events.event_dispatch(event_id=record().pk)

    assert not DomainEvent.objects.filter(subject="written-then-failed").exists()
    assert not HandledEvent.objects.exists()


def test_retries_back_off_up_to_an_hour():
    assert events._retry_delay(1) == timedelta(seconds=5)
    assert events._retry_delay(2) == timedelta(seconds=10)
    assert events._retry_delay(4) == timedelta(seconds=40)
    assert events._retry_delay(30) == timedelta(hours=1)


def test_an_event_with_no_handlers_is_simply_dispatched(registry):
    event = record(name="checkout.session.expired", subject="cs_x")

    run_worker()

    event.refresh_from_db()
    assert event.dispatched_at is not None and event.attempts == 1


def test_the_worker_sweep_dispatches_events_whose_first_attempt_was_lost(registry):
    """In these tests on_commit never fires (the test's transaction never commits), which is
    exactly a lost first attempt: the worker's sweep still delivers."""
    seen = []
    registry.handles("order.completed", name="seen")(lambda event: seen.append(event.subject))
    record(subject="ORD_1")
    record(subject="ORD_2")

    run_worker()

    assert sorted(seen) == ["ORD_1", "ORD_2"]
    assert not DomainEvent.objects.filter(dispatched_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_a_committed_event_queues_nothing_and_the_worker_dispatches_it(registry):
    from django_tasks_db.models import DBTaskResult

    seen = []
    registry.handles("order.completed", name="seen")(lambda event: seen.append(event.subject))
    record(subject="ORD_committed")

    assert not DBTaskResult.objects.exists()  # the row is the outbox entry
    assert seen == []  # nothing runs in the request

    run_worker()

    assert seen == ["ORD_committed"]
    assert not DomainEvent.objects.filter(dispatched_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_events_recorded_together_are_one_statement_and_dispatched_in_their_order(
    registry, django_assert_num_queries
):
    seen = []
    registry.handles("order.completed", name="seen")(lambda event: seen.append(event.subject))
    with transaction.atomic():
        first = events.event_record(name="order.completed", subject="ORD_1")
        with django_assert_num_queries(1), events.events_recorded_together():
            events.event_record(name="order.completed", subject="ORD_2")
            events.event_record(name="order.completed", subject="ORD_3")
        assert DomainEvent.objects.exclude(pk=first.pk).count() == 2

    run_worker()

    assert seen == ["ORD_1", "ORD_2", "ORD_3"]
    assert not DomainEvent.objects.filter(dispatched_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_a_task_queued_by_an_earlier_release_still_dispatches(registry):
    """Task rows an upgrade finds in the queue (one per transaction, as releases before the
    outbox wrote them) still run."""
    seen = []
    registry.handles("order.completed", name="seen")(lambda event: seen.append(event.subject))
    with transaction.atomic():
        one = events.event_record(name="order.completed", subject="ORD_1")
        two = events.event_record(name="order.completed", subject="ORD_2")
    events.dispatch_events.enqueue([str(one.pk), str(two.pk)])

    assert events.dispatch_events.call([str(one.pk), str(two.pk)]) is True
    assert seen == ["ORD_1", "ORD_2"]
    assert run_worker() == 1  # the queued row finds them dispatched: nothing runs twice
    assert seen == ["ORD_1", "ORD_2"]


@task
def record_completed_order(subject: str) -> None:
    with transaction.atomic():
        events.event_record(name="order.completed", subject=subject)


@pytest.mark.django_db(transaction=True)
def test_an_event_a_task_records_is_dispatched_in_the_same_worker_pass(registry):
    """``run_once`` goes on while the tasks it ran recorded events (whose handlers may queue
    more work), as the running worker does round after round."""
    seen = []
    registry.handles("order.completed", name="seen")(lambda event: seen.append(event.subject))
    record_completed_order.enqueue("ORD_from_a_task")

    assert run_worker() == 1

    assert seen == ["ORD_from_a_task"]


# What the handler saw, and what each queued task saw of it (the worker runs in-process).
_SEEN: list[str] = []
SNAPSHOTS: list[list[str]] = []


@task
def snapshot_seen(label: str) -> None:
    SNAPSHOTS.append([label, *_SEEN])


@pytest.mark.django_db(transaction=True)
def test_a_long_queue_does_not_hold_up_the_outbox(registry):
    """Between tasks the worker starts a new round once its interval has passed, so events
    committed while it drains a backlog are dispatched before the backlog ends."""
    from core.worker import Worker

    SNAPSHOTS.clear()
    _SEEN.clear()
    registry.handles("order.completed", name="seen")(lambda event: _SEEN.append(event.subject))
    snapshot_seen.enqueue("first")
    snapshot_seen.enqueue("second")
    record(subject="ORD_waiting")

    assert Worker(interval=0).drain_queue() == 2

    assert SNAPSHOTS == [["first"], ["second", "ORD_waiting"]]


def _record_together_then_fail():
    with events.events_recorded_together():
        events.event_record(name="order.completed", subject="ORD_never_written")
        raise ZeroDivisionError


@pytest.mark.django_db(transaction=True)
def test_events_of_a_rolled_back_savepoint_are_neither_written_nor_dispatched(registry):

    seen = []
    registry.handles("order.completed", name="seen")(lambda event: seen.append(event.subject))
    with transaction.atomic():
        try:
            with transaction.atomic():
                events.event_record(name="order.completed", subject="ORD_undone")
                raise ZeroDivisionError
        except ZeroDivisionError:
            pass
        with pytest.raises(ZeroDivisionError):
            _record_together_then_fail()
        events.event_record(name="order.completed", subject="ORD_kept")

    assert list(DomainEvent.objects.values_list("subject", flat=True)) == ["ORD_kept"]
    run_worker()
    assert seen == ["ORD_kept"]
