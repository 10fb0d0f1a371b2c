"""Core's background work: dispatching domain events, and the sweeps of core's own rows."""

from django.tasks import task

from core import events, idempotency
from core.sweeps import register_sweep


@task
def dispatch_event(event_id: str) -> bool:
    return events.event_dispatch(event_id=event_id)


register_sweep("events.dispatch_due", every_seconds=5, run=events.events_dispatch_due, order=1000)
register_sweep("idempotency.purge_expired", every_seconds=3600, run=idempotency.purge_expired)
