"""Reading what a user typed: durations, dates, times of day and time zones, with clear refusals."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache
from typing import TYPE_CHECKING

from briefings.errors import KforError, quoted

if TYPE_CHECKING:
    import zoneinfo

_DURATION = re.compile(r"^\s*(\d{1,4})\s*(h|hours?|d|days?|w|weeks?)\s*$", re.IGNORECASE)
_UNIT_HOURS = {"h": 1, "d": 24, "w": 24 * 7}
MAX_LOOKBACK = dt.timedelta(days=3660)


class UsageError(KforError):
    """A command's arguments are malformed; the message says what is expected."""


def parse_moment(text: str, now: dt.datetime) -> dt.datetime:
    """`3d`, `12h`, `2w` (before now) or a date `2023-05-30` (its start, UTC) into a moment."""
    match = _DURATION.match(text)
    if match:
        hours = int(match[1]) * _UNIT_HOURS[match[2][0].lower()]
        delta = dt.timedelta(hours=hours)
        if delta > MAX_LOOKBACK:
            raise UsageError(f"{quoted(text)} reaches back more than ten years")
        return now - delta
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(
            f"{quoted(text)} is neither a duration (12h, 3d, 2w) nor a date (YYYY-MM-DD)"
        ) from None
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC)


def looks_like_moment(text: str) -> bool:
    """Whether a free word is meant as a window (so `/kfor brief 3d plates` reads both)."""
    if _DURATION.match(text):
        return True
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def parse_time_of_day(text: str) -> dt.time:
    """`07:00` or `7:30` into a wall-clock time."""
    match = re.fullmatch(r"([01]?\d|2[0-3]):([0-5]\d)", text.strip())
    if not match:
        raise UsageError(f"{quoted(text)} is not a time of day like 07:00")
    return dt.time(int(match[1]), int(match[2]))


@cache
def _zone_names() -> dict[str, str]:
    """Every time zone the tz database lists, by its lower-case name."""
    # zoneinfo costs every command 2 ms of start-up: only schedule commands name time zones.
    import zoneinfo

    return {name.lower(): name for name in zoneinfo.available_timezones()}


def _zones_in(region: str) -> list[str]:
    """The zones named under `region` ("Europe" -> Europe/Amsterdam, ...), sorted."""
    prefix = region.strip().lower().rstrip("/") + "/"
    return sorted(name for key, name in _zone_names().items() if key.startswith(prefix))


def parse_timezone(text: str) -> zoneinfo.ZoneInfo:
    """An IANA time zone name such as Europe/Belgrade, in any case.

    The name is looked up in the tz database's list before anything is opened, so what a user
    types never becomes a file path (a region such as "Europe" is a directory, and a name of 300
    characters is too long for the file system).
    """
    from zoneinfo import ZoneInfo  # see _zone_names

    name = _zone_names().get(text.strip().lower())
    if name is not None:
        return ZoneInfo(name)
    if text.strip() and (zones := _zones_in(text)):
        raise UsageError(
            f"{quoted(text)} is a region, not a time zone: name one in it, like {zones[0]}"
        )
    raise UsageError(f"{quoted(text)} is not a time zone name like Europe/Belgrade")


def looks_like_timezone(text: str) -> bool:
    """Whether a free word is meant as a time zone, even a wrong one: a zone, a region, or a/b."""
    return "/" in text or text.strip().lower() in _zone_names() or bool(_zones_in(text))
