"""The SDK's subscription state machine (``SubscriptionOrderStatus``), as one table.

pending → active, canceled, closed; active → canceling, past_due, canceled, expired;
canceling → active, canceled; past_due → active, canceling, canceled; closed, canceled and
expired are terminal. ``trialing`` (a paid checkout with a trial, until its first charge)
behaves as active, and goes to active when the first charge at trial end succeeds; a
canceling trial that is reactivated goes back to trialing (its trial has not ended).
"""

from core.errors import BadRequest

PENDING, ACTIVE, TRIALING = "pending", "active", "trialing"
CANCELING, PAST_DUE = "canceling", "past_due"
CLOSED, CANCELED, EXPIRED = "closed", "canceled", "expired"

TRANSITIONS: dict[str, frozenset[str]] = {
    PENDING: frozenset({ACTIVE, CANCELED, CLOSED}),
    ACTIVE: frozenset({CANCELING, PAST_DUE, CANCELED, EXPIRED}),
    TRIALING: frozenset({ACTIVE, CANCELING, PAST_DUE, CANCELED, EXPIRED}),
    CANCELING: frozenset({ACTIVE, TRIALING, CANCELED}),
    PAST_DUE: frozenset({ACTIVE, CANCELING, CANCELED}),
    CLOSED: frozenset(),
    CANCELED: frozenset(),
    EXPIRED: frozenset(),
}
# Statuses in which a subscription still renews (or retries) when its period ends.
RENEWING = (ACTIVE, TRIALING, PAST_DUE)


def allowed(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def check(current: str, target: str) -> None:
    if not allowed(current, target):
        raise BadRequest(f"Cannot change a {current} subscription to {target}", layer="order")
