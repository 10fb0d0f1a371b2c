"""The worker's periodic payment work: resolving pending payments whose answer was lost,
and expiring checkouts nobody paid (a checkout with a payment under way is left to the
reconciler: that payment was claimed before expiry and may complete it)."""

from checkout.selectors import sessions_past_expiry
from checkout.services import session_expire
from core.sweeps import register_sweep
from orders.selectors import sessions_paying
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
