"""Monthly recurring revenue and churn, in two statements whatever the number of
subscriptions.

MRR is what the subscriptions that still pay bring in per month at their locked plan price
(unit amount x quantity, as listed: a tax-inclusive price counts with its tax), a weekly
plan counting 52/12 of its price, a quarterly one a third, a yearly one a twelfth. It is
summed in exact fractions per currency and rounded once, half up, to the currency's minor
unit. Subscriptions that pay are ``active``, ``past_due`` (still being retried) and
``canceling`` (paid up to the end of the period); a trial pays nothing yet, so it is
counted apart.

Churn over the period is the share of the subscriptions live when it began that ended
during it (canceled or expired), as Stripe and most billing tools define it.
"""

from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, F, Q, Sum

from dashboard.selectors import Scope, scoped
from subscriptions import states
from subscriptions.models import Subscription
from subscriptions.selectors import PAYING, churned_between, live_at

MONTHS_PER_PERIOD = {
    "weekly": Fraction(12, 52),
    "monthly": Fraction(1),
    "quarterly": Fraction(3),
    "yearly": Fraction(12),
}


@dataclass(frozen=True)
class Churn:
    live_at_start: int
    ended: int
    started: int
    trialing: int

    @property
    def percent(self) -> str:
        if not self.live_at_start:
            return "—"
        return f"{self.ended * 100 / self.live_at_start:.1f} %"


def _round_half_up(value: Fraction) -> int:
    return int((value * 2 + 1) // 2)


def monthly_recurring_revenue(*, scope: Scope) -> dict[str, int]:
    """Per currency, MRR in minor units (currencies without paying subscriptions absent)."""
    rows = (
        scoped(Subscription.objects, scope)
        .filter(ended_at__isnull=True, order__status__in=PAYING)
        .order_by()
        .values("currency", "billing_period")
        .annotate(amount=Sum(F("unit_amount_minor") * F("quantity")))
    )
    per_month: dict[str, Fraction] = {}
    for row in rows:
        months = MONTHS_PER_PERIOD.get(row["billing_period"], Fraction(1))
        per_month[row["currency"]] = per_month.get(row["currency"], Fraction(0)) + (
            Fraction(row["amount"]) / months
        )
    return {currency: _round_half_up(value) for currency, value in sorted(per_month.items())}


def churn(*, scope: Scope) -> Churn:
    since = scope.since
    counts = (
        scoped(Subscription.objects, scope)
        .order_by()
        .aggregate(
            live_at_start=Count("pk", filter=live_at(since)),
            ended=Count("pk", filter=churned_between(since)),
            started=Count("pk", filter=Q(anchor__gte=since)),
            trialing=Count("pk", filter=Q(ended_at__isnull=True, order__status=states.TRIALING)),
        )
    )
    return Churn(**counts)
