"""Checkouts started from public links (``/c/<cart>``, ``/store/<slug>/buy``) are
throttled per client address: anyone may start one, and a card tester starts hundreds to
get around the per-checkout cap on failed payments. Counted in ``core.rate_limits``, which
every web process shares.
"""

from django.conf import settings

from core.errors import AppError
from core.rate_limits import Rate, rate_limit_hit

TOO_MANY_CHECKOUTS = (
    "Too many checkouts were started from your network. Please wait a minute and try again."
)


class TooManyCheckouts(AppError):
    status = 429
    default_code = "too_many_checkouts"

    def __init__(self, *, retry_after: int):
        super().__init__(TOO_MANY_CHECKOUTS)
        self.retry_after = retry_after


def public_checkout_count(*, client_ip: str) -> None:
    """Count one checkout started from a public link; TooManyCheckouts past the budget."""
    verdict = rate_limit_hit(
        key=f"public-checkout:{client_ip}", rate=Rate.parse(settings.PUBLIC_CHECKOUT_RATE)
    )
    if not verdict.allowed:
        raise TooManyCheckouts(retry_after=verdict.retry_after)
