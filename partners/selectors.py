"""Reads for partners, grants and baskets."""

from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from partners.models import BasketState, Partner


def grantable_partners() -> QuerySet[Partner]:
    """Partners a merchant may grant a store to: active ones only (an inactive partner
    cannot obtain tokens, so a grant to it would be dead on arrival)."""
    return Partner.objects.filter(active=True)


def baskets_in_state(
    *, baskets: QuerySet, state: str | None, now: datetime | None = None
) -> QuerySet:
    """Baskets whose state as of ``now`` is ``state``; any other value filters nothing.

    The stored state catches up lazily, so an active basket past ``expires_at`` counts as
    expired (the query-side counterpart of ``services.effective_state``, which also sees a
    paid checkout; this filter reads the stored state for that).
    """
    now = now or timezone.now()
    lapsed = Q(state=BasketState.ACTIVE, expires_at__lte=now)
    if state == BasketState.ACTIVE:
        return baskets.filter(state=BasketState.ACTIVE, expires_at__gt=now)
    if state == BasketState.EXPIRED:
        return baskets.filter(Q(state=BasketState.EXPIRED) | lapsed)
    if state == BasketState.COMPLETED:
        return baskets.filter(state=BasketState.COMPLETED)
    return baskets
