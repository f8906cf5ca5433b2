"""Dates as precise as the sources allow: ordering, distances, wording and a sentence's own event date."""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re

from briefings.dates import month_number
from briefings.models import Precision, Published
from briefings.patterns import LazyPattern

# A report names a day and month without a year for something that happened lately: on day-precise
# articles a date further back than this is more likely last year's anniversary than news.
RECENT_EVENT_DAYS = 31

MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
)
"""A month's name or abbreviation, as news writes it (match case-sensitively: "may" is a verb)."""
_DAY = r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?"
DAY_MONTH = LazyPattern(
    rf"\b(?:(?P<m1>{MONTH})\s+(?P<d1>{_DAY})|(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m2>{MONTH}))\b"
    r"(?!,?\s+(?:19|20)\d\d)"
)
"""A day of a month written without its year ("on 28 September", "Sept. 27")."""
_ORDINAL = LazyPattern(r"(?:st|nd|rd|th)$")
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# "on Saturday", "Saturday's statement", "yesterday", "today": a day named relative to the report.
# A weekday written with its date ("Friday, 20 October 2017") is that date, not a relative day.
_NAMED_DAY = LazyPattern(
    r"\b(?:(?P<next>next|coming|this\s+coming)\s+|(?P<last>last|past)\s+)?"
    r"(?P<weekday>" + "|".join(_WEEKDAYS) + r")\b"
    rf"(?!,?\s+(?-i:{_DAY}\s+(?:of\s+)?{MONTH}|{MONTH}\s+{_DAY}\b))"
    r"|\b(?P<yesterday>yesterday)\b|\b(?P<today>today|tonight|this\s+morning)\b",
    re.IGNORECASE,
)
# What a sentence refers back to, as the cause or the start of what it reports: "after ...",
# "following ...", "the deployment follows ...", "since ...", "in response to ...". The phrase
# runs to the end of its clause (a comma, semicolon, colon or dash).
_LOOKING_BACK = LazyPattern(
    r"\b(?:after|follow(?:s|ed|ing)?|since|in\s+the\s+(?:wake|aftermath)\s+of|in\s+response\s+to"
    r"|in\s+retaliation\s+for|prompted\s+by|sparked\s+by|triggered\s+by|recalled|recalling"
    r"|anniversary\s+of)\b[^,;:\u2013\u2014]*",
    re.IGNORECASE,
)
# A day that sets a limit or a start ("by 21 November", "as of Jan. 1", "from Monday") is a
# deadline or when a rule takes effect, not when the reported thing happened.
_LIMIT = LazyPattern(
    r"\b(?:by|until|till|before|as\s+of|starting|effective|from|no\s+later\s+than)"
    r"(?:\s+(?:on|from|the))?\s*$",
    re.IGNORECASE,
)
# A day named in a sentence about the future ("will meet on Monday") is not the day it reports.
_AHEAD = LazyPattern(r"\b(?:will|shall|is\s+to|are\s+to|is\s+due|are\s+due|plans?\s+to)\b", re.I)


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
    """The date of what a sentence reports: its own "on September 27", "on Saturday" or
    "yesterday" where the article's date pins it, else the article's date.

    A date inside a phrase that refers back ("follows an ambush on 28 September", "since 20
    September", "after talks on Monday") dates the cause, not the sentence, and is passed over;
    so is a day in a clause about the future ("will meet on Monday") and a day that sets a limit
    or a start ("by 21 November", "as of Jan. 1"). The first date left decides.
    A weekday is the last such day on or before a day-precise article's date ("last Friday":
    before it); "yesterday" the day before it. A day and month need a day- or month-precise
    article: the day must fall on or before the article's last possible day and, for a
    day-precise article, within RECENT_EVENT_DAYS of it; for a month-precise one, in that same
    month.
    Cached, like the sentence analyses in `sentences`: replies keep asking about the same sentences.
    """
    bounds = span(published)
    if bounds is None or published.precision is Precision.YEAR:
        return published
    looking_back = [(m.start(), m.end()) for m in _LOOKING_BACK.finditer(sentence)]
    mentions = sorted(
        [*DAY_MONTH.finditer(sentence), *_NAMED_DAY.finditer(sentence)], key=lambda m: m.start()
    )
    for found in mentions:
        if any(start <= found.start() < end for start, end in looking_back):
            continue
        before = _clause_before(sentence, found.start())
        if _AHEAD.search(before) or _LIMIT.search(before):
            continue
        day = _day_of(found, published, bounds)
        if day is not None:
            return Published(day, Precision.DAY)
    return published


def _clause_before(sentence: str, position: int) -> str:
    """The part of the sentence's clause that comes before `position`."""
    start = max(sentence.rfind(mark, 0, position) for mark in ",;:\u2013\u2014")
    return sentence[start + 1 : position]


def _day_of(
    found: re.Match[str], published: Published, bounds: tuple[dt.date, dt.date]
) -> dt.date | None:
    """The day a date mention means against the article's date, or None when it cannot be pinned."""
    start, end = bounds
    if found.re.pattern == _NAMED_DAY.pattern:
        if published.precision is not Precision.DAY or found["next"]:
            return None
        if found["yesterday"]:
            return end - dt.timedelta(days=1)
        if found["today"]:
            return end
        weekday = _WEEKDAYS.index(found["weekday"].capitalize())
        back = (end.weekday() - weekday) % 7
        # "last Friday" in a Friday report is a week back; "on Friday" is that day.
        return end - dt.timedelta(days=back or (7 if found["last"] else 0))
    month = month_number(found["m1"] or found["m2"])
    day = int(_ORDINAL.sub("", found["d1"] or found["d2"]))
    if month is None:
        return None
    for year in (end.year, end.year - 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            return None
        if candidate > end:
            continue
        if published.precision is Precision.MONTH and candidate >= start:
            return candidate
        if published.precision is Precision.DAY and (end - candidate).days <= RECENT_EVENT_DAYS:
            return candidate
        return None
    return None


def parse_moment(text: str) -> dt.datetime:
    """An ISO timestamp as stored (always with an offset; a naive one is taken as UTC)."""
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def stamp(moment: dt.datetime) -> str:
    """A moment as stored and shown in replies: ISO 8601 in UTC, to the second."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).isoformat(timespec="seconds")
