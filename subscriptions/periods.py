"""Billing periods: weeks, or calendar months with the day clamped to the month's end
(a subscription started on 31 January renews on 28 or 29 February, then on 31 March)."""

import calendar
from datetime import date, datetime, timedelta

PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}


def _add_months(day: date, months: int, anchor_day: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(anchor_day, calendar.monthrange(year, month)[1])
    )


def period_end(start: datetime, billing_period: str, *, anchor: datetime | None = None) -> datetime:
    """The end of the period that begins at ``start``. ``anchor`` is the subscription's
    first start: its day of the month is kept across short months (31 Jan → 28 Feb →
    31 Mar), so periods never drift to the 28th."""
    if billing_period == "weekly":
        return start + timedelta(days=7)
    months = PERIOD_MONTHS.get(billing_period, 1)
    day = (anchor or start).day
    end = _add_months(start.date(), months, day)
    return start.replace(year=end.year, month=end.month, day=end.day)
