"""Reads for partners, grants and baskets."""

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from checkout.models import SessionStatus
from partners.models import BasketState, Partner


def grantable_partners() -> QuerySet[Partner]:
    """Partners a merchant may grant a store to: active ones only (an inactive partner
    cannot obtain tokens, so a grant to it would be dead on arrival)."""
    return Partner.objects.filter(active=True)


def baskets_in_state(
    *, baskets: QuerySet, state: str | None, now: datetime | None = None
) -> QuerySet:
    """Baskets whose state as of ``now`` is ``state``; any other value filters nothing.

    The query-side counterpart of ``services.effective_state``: the stored state catches up
    later (the worker completes a basket from ``checkout.session.completed``; nothing marks
    it expired), so an active basket whose checkout is paid counts as completed, and one
    past ``expires_at`` as expired.
    """
    now = now or timezone.now()
    active = Q(state=BasketState.ACTIVE)
    paid = active & Q(checkout_session__status=SessionStatus.COMPLETED)
    unpaid = active & ~Q(checkout_session__status=SessionStatus.COMPLETED)
    if state == BasketState.ACTIVE:
        return baskets.filter(unpaid & Q(expires_at__gt=now))
    if state == BasketState.EXPIRED:
        return baskets.filter(Q(state=BasketState.EXPIRED) | (unpaid & Q(expires_at__lte=now)))
    if state == BasketState.COMPLETED:
        return baskets.filter(Q(state=BasketState.COMPLETED) | paid)
    return baskets
