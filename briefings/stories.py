"""A story's date: its copies report one event, so each is dated by the earliest dated member."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable

from briefings.models import UNKNOWN_DATE, Precision, Published


def story_date(dates: Iterable[Published]) -> Published:
    """The date of the member whose latest possible day is earliest; on a tie, the more precise.

    A reprint months later or a year-only copy does not move the story: "2023-05-30" and "2023"
    give "2023-05-30", "2022" and "2023-05-30" give "2022". No dated member: unknown. Migration
    0008 writes the same rule in SQL.
    """
    dated = [d for d in dates if d.value is not None and d.precision is not Precision.UNKNOWN]
    if not dated:
        return UNKNOWN_DATE
    return min(dated, key=lambda d: (_last_day(d), -len(d.iso or "")))


def _last_day(date: Published) -> dt.date:
    value = date.value
    assert value is not None  # noqa: S101 - callers pass dated values only
    if date.precision is Precision.YEAR:
        return dt.date(value.year, 12, 31)
    if date.precision is Precision.MONTH:
        return value.replace(day=calendar.monthrange(value.year, value.month)[1])
    return value
