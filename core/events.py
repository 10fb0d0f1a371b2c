"""Domain events: recorded in the transaction that changes the state, handled after commit.

``event_record`` writes the event row beside the change (so either both commit or neither);
the row is its own outbox entry. Every worker looks for undispatched rows on each round of
its loop (``events_dispatch_due``, at most a second after the commit when the worker is
idle), so recording an event queues nothing: a task row per transaction was one more
statement on every path that records events, paying included. Inside
``events_recorded_together()`` the rows are written in one statement as the block ends
(still inside the transaction): paying records three events.

Consumers are explicit: an app registers a handler for an event name with ``@handles`` in
its ``handlers.py``, loaded from its ``AppConfig.ready``; there are no signals. The worker
runs every handler at least once; a handler's work and its receipt (``HandledEvent``)
commit together, so a handler that completed is never run again for the same event, and
one that failed is retried with backoff while the others keep their receipts.

Handlers run inside the dispatch transaction and must stay short and database-only;
anything slow or external (an HTTP delivery, an email) is its own task, enqueued by the
handler.
"""

import contextlib
import logging
import uuid
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from core.models import DomainEvent, HandledEvent

logger = logging.getLogger(__name__)

# Every event the platform records; recording another name is a programming error.
EVENT_NAMES = frozenset(
    {
        "store.merchant_added",
        "store.merchant_removed",
        "store.merchant_role_changed",
        "checkout.session.completed",
        "checkout.session.expired",
        "order.completed",
        "payment.succeeded",
        "payment.failed",
        "refund.succeeded",
        "refund.failed",
        "subscription.activated",
        "subscription.renewed",
        "subscription.past_due",
        "subscription.recovered",
        "subscription.canceling",
        "subscription.uncanceled",
        "subscription.canceled",
        "subscription.trial_ending",
        "subscription.plan_changed",
        "subscription.plan_change_scheduled",
        "subscription.plan_change_failed",
    }
)
RETRY_BASE_SECONDS = 5
RETRY_MAX_SECONDS = 3600

Handler = Callable[[DomainEvent], None]
_handlers: dict[str, dict[str, Handler]] = {}
# Rows waiting for the end of an ``events_recorded_together`` block.
_together: ContextVar[list[DomainEvent] | None] = ContextVar("events_together", default=None)


def handles(event_name: str, *, name: str | None = None) -> Callable[[Handler], Handler]:
    """Register the decorated function as a consumer of ``event_name``. ``name`` (default:
    module and function) is its identity in receipts: renaming it re-runs it on events not
    yet dispatched, never on handled ones."""
    if event_name not in EVENT_NAMES:
        raise ValueError(f"Unknown event {event_name!r}")

    def register(handler: Handler) -> Handler:
        key = name or f"{handler.__module__}.{handler.__qualname__}"
        _handlers.setdefault(event_name, {})[key] = handler
        return handler

    return register


def handlers_for(event_name: str) -> dict[str, Handler]:
    return dict(_handlers.get(event_name, {}))


def event_record(
    *,
    name: str,
    subject: str,
    payload: dict[str, Any] | None = None,
    store_id=None,
    environment: str = "",
) -> DomainEvent:
    """Record ``name`` about ``subject`` in the caller's transaction (which must be open:
    an event recorded outside the change it reports could be lost or be a lie)."""
    if name not in EVENT_NAMES:
        raise ValueError(f"Unknown event {name!r}")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Record an event inside the transaction that makes the change")
    event = DomainEvent(
        id=uuid.uuid4(),
        name=name,
        subject=subject,
        payload=payload or {},
        store_id=store_id,
        environment=environment,
        created_at=timezone.now(),
    )
    waiting = _together.get()
    if waiting is not None:
        waiting.append(event)
        return event
    event.save(force_insert=True)
    return event


@contextlib.contextmanager
def events_recorded_together() -> Iterator[None]:
    """Inside a transaction: the events recorded in the block are written in one statement
    when it ends without an error (nested blocks join the outermost)."""
    if _together.get() is not None:
        yield
        return
    waiting: list[DomainEvent] = []
    token = _together.set(waiting)
    try:
        yield
    finally:
        _together.reset(token)
    if waiting:
        DomainEvent.objects.bulk_create(waiting)


@task
def dispatch_event(event_id: str) -> bool:
    """A first attempt queued by a release that queued one per transaction: task rows
    written before an upgrade still run after it."""
    return event_dispatch(event_id=event_id)


@task
def dispatch_events(event_ids: list[str]) -> bool:
    """Like ``dispatch_event``, for the rows a release before the outbox queued per
    transaction; a handler failing on one does not hold up the others."""
    results = [event_dispatch(event_id=event_id) for event_id in event_ids]
    return all(results)


def _retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=min(RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), RETRY_MAX_SECONDS))


def event_dispatch(*, event_id) -> bool:
    """Run the handlers of one event that have not handled it yet. True when the event is
    now fully dispatched; False when another worker holds it, it is done, or a handler
    failed (it is retried later)."""
    with transaction.atomic():
        event = (
            DomainEvent.objects.select_for_update(skip_locked=True)
            .filter(pk=event_id, dispatched_at__isnull=True)
            .first()
        )
        if event is None:
            return False
        done = set(HandledEvent.objects.filter(event=event).values_list("handler", flat=True))
        failures = []
        for key, handler in handlers_for(event.name).items():
            if key in done:
                continue
            try:
                with transaction.atomic():
                    handler(event)
                    HandledEvent.objects.create(event=event, handler=key, handled_at=timezone.now())
            except Exception as exc:
                logger.exception("Handler %s failed on event %s", key, event.pk)
                failures.append(f"{key}: {exc!r}")
        now = timezone.now()
        event.attempts += 1
        if failures:
            event.last_error = "\n".join(failures)[:4000]
            event.next_attempt_at = now + _retry_delay(event.attempts)
        else:
            event.dispatched_at = now
            event.last_error = ""
        event.save(update_fields=["attempts", "last_error", "next_attempt_at", "dispatched_at"])
        return not failures


def events_dispatch_due(*, limit: int = 200) -> int:
    """The outbox sweep, on every round of every worker: dispatch the events not yet
    dispatched whose first attempt or retry is due, oldest first. Several workers may list
    the same rows; each event is taken under ``SKIP LOCKED``, so one of them runs it."""
    now = timezone.now()
    due = (
        DomainEvent.objects.filter(dispatched_at__isnull=True)
        .exclude(next_attempt_at__gt=now)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(event_dispatch(event_id=event_id) for event_id in list(due))
