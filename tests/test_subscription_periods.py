"""Billing periods: calendar months clamped to the month's end, anchored on the first day."""

from datetime import UTC, datetime

import pytest

from subscriptions.periods import period_end


def at(year, month, day):
    return datetime(year, month, day, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "period", "anchor", "end"),
    [
        (at(2026, 1, 15), "monthly", None, at(2026, 2, 15)),
        (at(2026, 1, 31), "monthly", None, at(2026, 2, 28)),
        (at(2028, 1, 31), "monthly", None, at(2028, 2, 29)),
        (at(2026, 2, 28), "monthly", at(2026, 1, 31), at(2026, 3, 31)),
        (at(2026, 3, 31), "monthly", at(2026, 1, 31), at(2026, 4, 30)),
        (at(2026, 12, 15), "monthly", None, at(2027, 1, 15)),
        (at(2026, 11, 30), "quarterly", None, at(2027, 2, 28)),
        (at(2028, 2, 29), "yearly", None, at(2029, 2, 28)),
        (at(2026, 12, 29), "weekly", None, at(2027, 1, 5)),
    ],
)
def test_a_period_ends_a_whole_period_later(start, period, anchor, end):
    assert period_end(start, period, anchor=anchor) == end
