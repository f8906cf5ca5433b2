"""Dates as precise as the sources allow: ordering, distances, wording and a sentence's own event date."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re

from briefings.dates import month_number
from briefings.models import Precision, Published

# A report names a day and month without a year for something that happened lately: on day-precise
# articles a date further back than this is more likely last year's anniversary than news.
RECENT_EVENT_DAYS = 31

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DAY = r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"
_DAY_MONTH = re.compile(
    rf"\b(?:(?P<m1>{_MONTH})\s+(?P<d1>{_DAY})|(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m2>{_MONTH}))\b"
    r"(?!,?\s+(?:19|20)\d\d)"
)
_ORDINAL = re.compile(r"(?:st|nd|rd|th)$")


@functools.lru_cache(maxsize=8192)
def span(date: Published) -> tuple[dt.date, dt.date] | None:
    """The first and last day the date may stand for: "2023-05" is 1 to 31 May 2023.

    Cached: ordering a few thousand figures or sentences asks for the same few hundred dates.
    """
    if date.value is None or date.precision is Precision.UNKNOWN:
        return None
    value = date.value
    if date.precision is Precision.YEAR:
        return dt.date(value.year, 1, 1), dt.date(value.year, 12, 31)
    if date.precision is Precision.MONTH:
        last = calendar.monthrange(value.year, value.month)[1]
        return value.replace(day=1), value.replace(day=last)
    return value, value


def order_key(date: Published) -> tuple[dt.date, dt.date]:
    """Sort key, oldest first: by the last day a date may mean, then its first.

    "2023" sorts after "2023-05" because an article dated only to 2023 may be from December, and
    the seeds' year-dated report (after the 24 September attack) is indeed the newest of them.
    Unknown dates sort first, as the oldest.
    """
    bounds = span(date)
    if bounds is None:
        return dt.date.min, dt.date.min
    return bounds[1], bounds[0]


def certainly_within(a: Published, b: Published, days: int) -> bool:
    """Whether the two dates are at most `days` apart however their imprecision is read."""
    first, second = span(a), span(b)
    if first is None or second is None:
        return False
    return (max(first[1], second[1]) - min(first[0], second[0])).days <= days


def describe(date: Published) -> str:
    """A date as a reader says it, no more precise than known: "2023", "November 2023", "20 November 2023"."""
    if date.value is None or date.precision is Precision.UNKNOWN:
        return "an unknown date"
    if date.precision is Precision.YEAR:
        return str(date.value.year)
    month = f"{calendar.month_name[date.value.month]} {date.value.year}"
    if date.precision is Precision.MONTH:
        return month
    return f"{date.value.day} {month}"


@functools.lru_cache(maxsize=16_384)
def event_date(sentence: str, published: Published) -> Published:
    """The date of what a sentence reports: its own "on September 27" where the article's date pins the year.

    Only day- and month-precise articles can pin it: the day must fall on or before the article's
    last possible day and, for a day-precise article, within RECENT_EVENT_DAYS of it; for a
    month-precise one, in that same month. Anything else keeps the article's own date.
    Cached, like the sentence analyses in `sentences`: replies keep asking about the same sentences.
    """
    bounds = span(published)
    if bounds is None or published.precision is Precision.YEAR:
        return published
    start, end = bounds
    for found in _DAY_MONTH.finditer(sentence):
        month = month_number(found["m1"] or found["m2"])
        day = int(_ORDINAL.sub("", found["d1"] or found["d2"]))
        if month is None:
            continue
        for year in (end.year, end.year - 1):
            try:
                candidate = dt.date(year, month, day)
            except ValueError:
                break
            if candidate > end:
                continue
            if published.precision is Precision.MONTH and candidate >= start:
                return Published(candidate, Precision.DAY)
            if published.precision is Precision.DAY and (end - candidate).days <= RECENT_EVENT_DAYS:
                return Published(candidate, Precision.DAY)
            break
    return published


def parse_moment(text: str) -> dt.datetime:
    """An ISO timestamp as stored (always with an offset; a naive one is taken as UTC)."""
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def stamp(moment: dt.datetime) -> str:
    """A moment as stored and shown in replies: ISO 8601 in UTC, to the second."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).isoformat(timespec="seconds")
