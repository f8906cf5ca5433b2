"""Publication dates from feeds, page metadata and datelines, with honest precision."""

from __future__ import annotations

import datetime as dt
import re
import time

from briefings.models import UNKNOWN_DATE, Precision, Published
from briefings.patterns import LazyPattern

# Feeds write 1900 or 1970 when they have no date; nothing this bot reports on is that old.
EARLIEST_YEAR = 1990

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_MONTH_WORD = r"[A-Za-z]{3,9}\.?"

# "date 2023-01-02" opening a text is a publication date supplied with it (seed 004), not prose.
DATE_MARKER = LazyPattern(r"\A\s*date\s+(\d{4})-(\d{2})-(\d{2})\b", re.IGNORECASE)
# A dateline opens the text: an optional place in capitals ("PRISTINA, "), then "Sept. 20, 2022"
# or "20 September 2022", then a dash, a parenthesis or the end of the line.
_CAPITAL = r"[^\W\d_a-z]"
_PLACE = rf"(?:{_CAPITAL}(?:{_CAPITAL}|[./' -])*(?:, [A-Z][A-Za-z]+)?,\s+)?"
_DATELINE_MDY = LazyPattern(
    rf"\A\s*{_PLACE}(?P<month>{_MONTH_WORD})\s+(?P<day>\d{{1,2}}),\s*(?P<year>\d{{4}})"
    r"\s*(?:\(|[-\u2013\u2014]|$)",
    re.MULTILINE,
)
_DATELINE_DMY = LazyPattern(
    rf"\A\s*{_PLACE}(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH_WORD})\s+(?P<year>\d{{4}})"
    r"\s*(?:\(|[-\u2013\u2014]|$)",
    re.MULTILINE,
)
_ISO = LazyPattern(r"\A(\d{4})(?:[-/](\d{1,2})(?:[-/](\d{1,2}))?)?(?=$|[T\s])")
_WRITTEN_MDY = LazyPattern(
    rf"\A(?P<month>{_MONTH_WORD})\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})"
)
_WRITTEN_DMY = LazyPattern(rf"\A(?P<day>\d{{1,2}})\s+(?P<month>{_MONTH_WORD})\s+(?P<year>\d{{4}})")


def month_number(name: str) -> int | None:
    """1-12 for an English month name or abbreviation ("Sep", "Sept.", "september"), else None."""
    return _MONTHS.get(name.strip().rstrip(".").lower())


def _published(year: int, month: int | None = None, day: int | None = None) -> Published:
    """A Published for the parts given, or unknown when they are not a real date."""
    if year < EARLIEST_YEAR:
        return UNKNOWN_DATE
    try:
        if month is None:
            return Published(dt.date(year, 1, 1), Precision.YEAR)
        if day is None:
            return Published(dt.date(year, month, 1), Precision.MONTH)
        return Published(dt.date(year, month, day), Precision.DAY)
    except ValueError:
        return UNKNOWN_DATE


def parse_feed_date(
    parsed: time.struct_time | tuple[int, ...] | None, fetched_at: dt.datetime
) -> Published:
    """A feed entry's date from feedparser's `*_parsed` tuple (UTC).

    A date after the fetch is clock skew or a scheduled post: it is clamped to the fetch time,
    since an article cannot be published after it was read. No tuple, or a year before 1990
    (feeds write 1900 for "no date"), is unknown.
    """
    if parsed is None:
        return UNKNOWN_DATE
    try:
        year, month, day, hour, minute, second = tuple(parsed)[:6]
        when = dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.UTC)
    except (TypeError, ValueError):
        return UNKNOWN_DATE
    if when.year < EARLIEST_YEAR:
        return UNKNOWN_DATE
    fetched = fetched_at if fetched_at.tzinfo else fetched_at.replace(tzinfo=dt.UTC)
    fetched = fetched.astimezone(dt.UTC)
    return Published(min(when, fetched).date(), Precision.DAY)


def date_from_text(raw_text: str) -> Published:
    """A date the text itself states as its own: a "date YYYY-MM-DD" marker or an opening dateline.

    Dates elsewhere in the body ("on September 24") are events, not the publication date, so
    anything else is unknown.
    """
    marker = DATE_MARKER.match(raw_text)
    if marker:
        return _published(*(int(part) for part in marker.groups()))
    return _first_written(raw_text, (_DATELINE_MDY, _DATELINE_DMY))


def _first_written(text: str, patterns: tuple[LazyPattern, ...]) -> Published:
    """The first pattern whose month word really is a month gives the date."""
    for pattern in patterns:
        found = pattern.match(text)
        month = month_number(found["month"]) if found else None
        if found and month is not None:
            return _published(int(found["year"]), month, int(found["day"]))
    return UNKNOWN_DATE


def date_from_html_meta(value: str | None) -> Published:
    """A date from page metadata, as precise as the value is: "2023", "2023-05", "2023-05-30".

    Accepts ISO 8601 (with or without a time), RFC 2822 ("Tue, 30 May 2023 10:00:00 GMT") and
    written dates ("May 30, 2023", "30 May 2023"). The calendar date is taken as written, in the
    publisher's own time zone.
    """
    if not value or not value.strip():
        return UNKNOWN_DATE
    value = value.strip()
    iso = _ISO.match(value)
    if iso:
        year, month, day = iso.groups()
        return _published(int(year), int(month) if month else None, int(day) if day else None)
    written = _first_written(value, (_WRITTEN_MDY, _WRITTEN_DMY))
    if written.value is not None:
        return written
    # The email package costs every command 3 ms of start-up; only an import reads such dates.
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return UNKNOWN_DATE
    return _published(when.year, when.month, when.day)


def resolve_day_month(day: int, month: int, published: Published) -> dt.date | None:
    """The full date meant by a day and month written without a year ("by Oct 31").

    Such dates in news are upcoming (deadlines, meetings), so with a known day or month of
    publication it is the first such day on or after it: "Oct 31" in an article of 2022-09-20 is
    2022-10-31, and "Jan 15" in one of 2022-12-20 is 2023-01-15 (for month precision the
    reference is the first of the month). With only the year known the date is taken to fall in
    that year, the only year the sources allow. With no date, or no such day, the answer is None:
    a year is never guessed.
    """
    if published.value is None or published.precision is Precision.UNKNOWN:
        return None
    year = published.value.year
    if published.precision is Precision.YEAR:
        return _date_or_none(year, month, day)
    # Feb 29 can be up to eight years away; any other day is at most one year away.
    for candidate_year in range(year, year + 9):
        candidate = _date_or_none(candidate_year, month, day)
        if candidate is not None and candidate >= published.value:
            return candidate
    return None


def _date_or_none(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
