"""What a plan change costs now: the unused time of the current plan credited, the target
plan charged for the same time, tax recomputed on both for the buyer's address today.

Everything is integers in the currency's minor unit (1 JPY, 0.01 USD, 0.001 KWD), never a
float. The one rounding rule: each prorated amount is ``amount * unused seconds / period
seconds`` rounded half up to the currency's minor unit, once (``prorate``). The tax of each
prorated amount is then computed by ``checkout.tax.compute_tax`` (its own rule: the exact
tax rounded once, half up), and what is due now is the target's total minus the credit's
total, so due now is always charge subtotal + tax - credit subtotal - tax, to the unit.

A merchant may fix the figure instead (``changeAmount`` / ``changeCreditAmount``, tax
inclusive): its tax share is then the tax included in that gross at the target's rate.
"""

from dataclasses import dataclass
from datetime import datetime

from checkout.tax import BuyerLocation, LineTax, TaxLine, compute_tax
from subscriptions.periods import period_end


@dataclass(frozen=True, slots=True)
class Plan:
    unit_amount_minor: int
    quantity: int
    tax_category: str
    tax_included: bool
    billing_period: str


@dataclass(frozen=True, slots=True)
class Quote:
    """Due now: > 0 is charged, < 0 credited; ``tax_minor`` is the tax share of it."""

    due_minor: int
    tax_minor: int
    credit_minor: int  # the unused time of the current plan, tax included
    charge_minor: int  # the target plan for the same time, tax included
    # How the figure was made, per part at its own rate (what the invoice of the charge
    # shows): the unused time credited, the target plan's time charged.
    credit_tax: LineTax | None = None
    charge_tax: LineTax | None = None


def prorate(amount_minor: int, *, unused_seconds: int, period_seconds: int) -> int:
    """``amount * unused / period``, half up, in integers (no float, no Decimal context)."""
    if period_seconds <= 0:
        raise ValueError("a period has a length")
    unused_seconds = min(max(unused_seconds, 0), period_seconds)
    return (2 * amount_minor * unused_seconds + period_seconds) // (2 * period_seconds)


def _seconds(start: datetime, end: datetime) -> int:
    return int((end - start).total_seconds())


def _gross(plan: Plan, amount_minor: int, currency: str, buyer: BuyerLocation):
    line = TaxLine(
        amount_minor=amount_minor,
        quantity=plan.quantity,
        tax_category=plan.tax_category,
        tax_included=plan.tax_included,
    )
    return compute_tax(lines=[line], currency=currency, buyer=buyer)


def prorated_quote(
    *,
    current: Plan,
    target: Plan,
    currency: str,
    buyer: BuyerLocation,
    period_start: datetime,
    period_end_at: datetime,
    now: datetime,
) -> Quote:
    """The default figure of an immediate change made at ``now``. The target's price is per
    its own billing period, so a change to another period length is charged per time."""
    unused = _seconds(now, period_end_at)
    current_seconds = _seconds(period_start, period_end_at)
    target_seconds = _seconds(period_start, period_end(period_start, target.billing_period))
    credit = _gross(
        current,
        prorate(current.unit_amount_minor, unused_seconds=unused, period_seconds=current_seconds),
        currency,
        buyer,
    )
    charge = _gross(
        target,
        prorate(target.unit_amount_minor, unused_seconds=unused, period_seconds=target_seconds),
        currency,
        buyer,
    )
    return Quote(
        due_minor=charge.total_minor - credit.total_minor,
        tax_minor=charge.tax_minor - credit.tax_minor,
        credit_minor=credit.total_minor,
        charge_minor=charge.total_minor,
        credit_tax=credit.lines[0],
        charge_tax=charge.lines[0],
    )


def fixed_quote(
    *, target: Plan, currency: str, buyer: BuyerLocation, amount_minor: int, credit: bool
) -> Quote:
    """The merchant's own figure (tax inclusive): charged, or credited when ``credit``."""
    included = Plan(amount_minor, 1, target.tax_category, True, target.billing_period)
    taxed = _gross(included, amount_minor, currency, buyer)
    sign = -1 if credit else 1
    return Quote(
        due_minor=sign * amount_minor,
        tax_minor=sign * taxed.tax_minor,
        credit_minor=amount_minor if credit else 0,
        charge_minor=0 if credit else amount_minor,
        charge_tax=None if credit else taxed.lines[0],
    )


def annual_minor(plan: Plan) -> int:
    """The plan's price per year, to compare plans of different periods (the direction)."""
    per_year = {"weekly": 52, "monthly": 12, "quarterly": 4, "yearly": 1}
    return plan.unit_amount_minor * plan.quantity * per_year.get(plan.billing_period, 12)
