"""Core's periodic work: dispatching due domain events, and pruning core's own rows."""

from datetime import timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from core import events, idempotency
from core.rate_limits import rate_counters_prune
from core.replay import seen_signatures_prune
from core.sweeps import register_sweep

# Finished task rows are kept this long for inspection, then deleted; what a task did is
# recorded by the task itself (an event's receipts, a payment's status).
TASK_RESULTS_KEPT = timedelta(days=7)


def task_results_prune() -> int:
    finished = DBTaskResult.objects.finished().filter(
        finished_at__lte=timezone.now() - TASK_RESULTS_KEPT
    )
    deleted, _ = finished.delete()
    return deleted


# The outbox: on every round (``every_seconds=0``), so an event waits at most the worker's
# idle interval after its commit.
register_sweep("events.dispatch_due", every_seconds=0, run=events.events_dispatch_due, order=1000)
register_sweep("idempotency.purge_expired", every_seconds=3600, run=idempotency.purge_expired)
register_sweep("tasks.prune_results", every_seconds=3600, run=task_results_prune)
register_sweep("rate_limits.prune", every_seconds=3600, run=rate_counters_prune)
register_sweep("replay.prune", every_seconds=600, run=seen_signatures_prune)
