"""Rate limits every process shares: fixed windows counted in Redis when ``REDIS_URL`` is
set (Django's Redis cache, one atomic INCR), otherwise in the database (one atomic UPDATE
on ``RateCounter``). A per-process memory would let N processes allow N times the limit.

A fixed window may let up to twice the limit through around a window's edge; the limits
here are budgets against abuse, where that is acceptable and the count is never lost.
"""

import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.db.models import F
from rest_framework.throttling import BaseThrottle

from core.models import RateCounter

_RATE = re.compile(r"^\s*([0-9]+)\s*/\s*(s|sec|second|m|min|minute|h|hour|d|day)\s*$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
KEPT_WINDOWS = 2


@dataclass(frozen=True, slots=True)
class Rate:
    limit: int
    window_seconds: int

    @classmethod
    def parse(cls, text: str) -> "Rate":
        """``"300/min"``, ``"10/s"``, ``"1000/hour"``, ``"5/day"``."""
        match = _RATE.match(text or "")
        if match is None:
            raise ValueError(f"Not a rate: {text!r} (expected e.g. 300/min)")
        return cls(int(match[1]), _SECONDS[match[2][0]])


@dataclass(frozen=True, slots=True)
class Verdict:
    allowed: bool
    count: int
    retry_after: int  # seconds until the window ends


def rate_limit_hit(*, key: str, rate: Rate, now: float | None = None) -> Verdict:
    """Count one request for ``key`` and say whether it is within ``rate``."""
    now = time.time() if now is None else now
    window_start = int(now) // rate.window_seconds * rate.window_seconds
    if settings.RATE_LIMIT_STORE == "redis":
        count = _count_in_redis(key, window_start, rate.window_seconds)
    else:
        count = _count_in_database(key, window_start)
    retry_after = max(1, window_start + rate.window_seconds - int(now))
    return Verdict(count <= rate.limit, count, retry_after)


def rate_limit_peek(*, key: str, rate: Rate, now: float | None = None) -> Verdict:
    """Whether ``key`` is still within ``rate`` in this window, without counting: for
    limits that count only failures (a failed sign-in), checked before the attempt."""
    now = time.time() if now is None else now
    window_start = int(now) // rate.window_seconds * rate.window_seconds
    if settings.RATE_LIMIT_STORE == "redis":
        count = caches["default"].get(f"rl:{key}:{window_start}") or 0
    else:
        row = RateCounter.objects.filter(key=key, window_start=window_start).first()
        count = row.count if row is not None else 0
    retry_after = max(1, window_start + rate.window_seconds - int(now))
    return Verdict(count < rate.limit, count, retry_after)


def _count_in_redis(key: str, window_start: int, window_seconds: int) -> int:
    name = f"rl:{key}:{window_start}"
    return caches["default"].count(name, timeout=window_seconds * KEPT_WINDOWS)


def _count_in_database(key: str, window_start: int) -> int:
    for _ in range(3):
        with transaction.atomic():
            raised = RateCounter.objects.filter(key=key, window_start=window_start).update(
                count=F("count") + 1
            )
            if raised:
                return RateCounter.objects.get(key=key, window_start=window_start).count
        try:
            with transaction.atomic():
                RateCounter.objects.create(key=key, window_start=window_start, count=1)
                return 1
        except IntegrityError:  # another process opened the window first: count in it
            continue
    raise RuntimeError(f"could not count a request for {key}")


def client_address(request) -> str:
    """The client's address as the proxies in front report it (``NUM_PROXIES``), the way
    the API's throttles identify a client, for page views that count per client."""
    return BaseThrottle().get_ident(request)


def rate_counters_prune(*, now: float | None = None) -> int:
    """The sweep: windows that ended more than a day ago are gone."""
    now = time.time() if now is None else now
    deleted, _ = RateCounter.objects.filter(window_start__lt=int(now) - 86400).delete()
    return deleted
