"""Every timestamp leaves the API as UTC ISO 8601 with milliseconds and a ``Z``."""

from datetime import UTC, datetime


def iso_utc(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
