"""The worker's periodic payment work: resolving pending payments whose answer was lost,
and expiring checkouts nobody paid (a checkout with a payment under way is left to the
reconciler: that payment was claimed before expiry and may complete it)."""

from django.tasks import task

from checkout.selectors import sessions_past_expiry
from checkout.services import session_expire
from core.sweeps import register_sweep
from orders.selectors import sessions_paying
from payments.refund_execution import refund_execute, refunds_execute_stale
from payments.services import payments_reconcile_stale

EXPIRE_BATCH = 200


def sessions_expire_unpaid() -> int:
    due = sessions_past_expiry(limit=EXPIRE_BATCH)
    paying = sessions_paying(session_ids=due)
    return sum(
        session_expire(session_id=session_id) for session_id in due if session_id not in paying
    )


register_sweep("payments.reconcile_stale", every_seconds=15, run=payments_reconcile_stale)
register_sweep("checkout.expire_sessions", every_seconds=30, run=sessions_expire_unpaid)


@task
def execute_refund(refund_id: str) -> str:
    """The queued first attempt at an approved refund."""
    return refund_execute(refund_id=refund_id).status


register_sweep("payments.execute_refunds", every_seconds=15, run=refunds_execute_stale)
