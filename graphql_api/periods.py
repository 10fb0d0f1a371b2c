"""The guide's ``TimePeriodGranularity`` and the periods a time range splits into.

A period is named by the ISO 8601 date (UTC) it begins on; ``ALL_TIME`` is the whole range.
The number of periods is bounded so a query's cost stays bounded."""

import enum
from datetime import datetime, timedelta

import strawberry
from graphql import GraphQLError

MAX_PERIODS = 400


@strawberry.enum
class TimePeriodGranularity(enum.Enum):
    DAY = "DAY"
    WEEK = "WEEK"
    MONTH = "MONTH"
    QUARTER = "QUARTER"
    YEAR = "YEAR"
    ALL_TIME = "ALL_TIME"


def _floor(moment: datetime, granularity: TimePeriodGranularity) -> datetime:
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    if granularity == TimePeriodGranularity.WEEK:
        return day - timedelta(days=day.weekday())
    if granularity == TimePeriodGranularity.MONTH:
        return day.replace(day=1)
    if granularity == TimePeriodGranularity.QUARTER:
        return day.replace(day=1, month=(day.month - 1) // 3 * 3 + 1)
    if granularity == TimePeriodGranularity.YEAR:
        return day.replace(day=1, month=1)
    return day


def _next(start: datetime, granularity: TimePeriodGranularity) -> datetime:
    if granularity == TimePeriodGranularity.DAY:
        return start + timedelta(days=1)
    if granularity == TimePeriodGranularity.WEEK:
        return start + timedelta(days=7)
    months = {"MONTH": 1, "QUARTER": 3, "YEAR": 12}[granularity.value]
    index = start.month - 1 + months
    return start.replace(year=start.year + index // 12, month=index % 12 + 1)


def periods(
    start: datetime, end: datetime, granularity: TimePeriodGranularity
) -> list[tuple[str, datetime, datetime]]:
    """(name, from, until) for each period of [start, end), clipped to the range."""
    if granularity == TimePeriodGranularity.ALL_TIME:
        return [(start.date().isoformat(), start, end)]
    result, cursor = [], _floor(start, granularity)
    while cursor < end:
        following = _next(cursor, granularity)
        result.append((cursor.date().isoformat(), max(cursor, start), min(following, end)))
        if len(result) > MAX_PERIODS:
            raise GraphQLError(f"The time range has more than {MAX_PERIODS} periods")
        cursor = following
    return result
