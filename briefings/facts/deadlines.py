"""Deadlines: the last day to comply, or the day from which non-compliant cars are banned.

A written date is a deadline when its clause says so:
- "deadline of December 1", "the deadline (October 31st)", "ultimatum expires on ...";
- "April 21 is the final deadline", "the Oct 31 deadline";
- "extended until Dec. 15", "put back until at least September 1", "postponed to ..." (not a
  mission's mandate extended);
- "by" / "until" / "before" / "no later than" a date, when the clause says something must be done
  (must, re-register, replace, remove, fines...) and the date does not close a period that opens
  with another date ("fined from November 21 until January 21" is a period);
- "after" / "as of" / "from" a date, when cars are then banned or confiscated.
Start dates ("from November 21"), durations ("valid for 90 days") and month-only dates are not
deadlines.

A date without a year takes it from the report's date when that is known to the day or month (see
`resolve`); otherwise the deadline keeps the words it was written in (`resolved` False) until the
story's date can place it.
"""

from __future__ import annotations

import datetime as dt
import re

from briefings.dates import month_number
from briefings.fact_kinds import FactKind
from briefings.facts import words
from briefings.facts.sentence import Sentence, dates_in
from briefings.models import Fact, Precision, Published
from briefings.patterns import LazyPattern

# A deadline written without its year that falls at most this long before its report is the one
# just passed ("three days before the deadline (October 31st)"); otherwise it is still to come.
RECENT_PAST = dt.timedelta(days=60)
_WINDOW = 60
# Any day of the calendar exists in a leap year.
_LEAP_YEAR = 2024
_CONTEXT = 150

_NAMED_BEFORE = LazyPattern(
    r"(?i:\b(?:deadline|ultimatum|cut-?off\s+date)\s*(?:(?:is|was|of|for|on|set\s+for|until|at|"
    r"expires\s+on|expired\s+on|ends\s+on|ended\s+on|to|now|falls\s+on|remains)\s+){0,3}"
    r"(?:\(\s*|,\s*|[\u2013\u2014-]\s*|:\s*)?(?:the\s+)?)$"
)
_NAMED_AFTER = LazyPattern(
    r"(?i:\s*\)?\s*(?:deadline|ultimatum|cut-?off)\b|"
    r",?\s+(?:is|was|as|remains|will\s+be|would\s+be|becomes|became|has\s+been\s+set\s+as)\s+"
    r"(?:(?:the|a|its|their)\s+)?(?:(?:final|last|new|official|latest|ultimate|firm|hard)\s+)?"
    r"(?:deadline|cut-?off(?:\s+date)?|ultimatum)\b)"
)
_MOVED_BEFORE = LazyPattern(
    r"(?i:\b(?:extend\w*|extension|postpon\w*|delay\w*|push\w*\s+back|put\s+back|moved|"
    r"deferred|prolong\w*|shifted)\s+(?:[\w'\u2019-]+\s+){0,4}?(?:to|until|till|through)\s+"
    r"(?:at\s+least\s+)?(?:the\s+)?)$"
)
_BY_BEFORE = LazyPattern(
    r"(?i:\b(?:by|until|till|before|no\s+later\s+than|not\s+later\s+than|latest\s+by|"
    r"on\s+or\s+before)\s+(?:at\s+least\s+)?(?:the\s+)?)$"
)
_FROM_BEFORE = LazyPattern(
    r"(?i:\b(?:after|from|as\s+of|starting(?:\s+from|\s+on)?|beginning(?:\s+on)?|effective|"
    r"with\s+effect\s+from)\s+(?:the\s+)?)$"
)
# Lower-case stems one of which every pattern above needs before (or, for "deadline", after) the
# date.
_TRIGGER_BEFORE = LazyPattern(
    "deadline|ultimatum|cut|extend|extension|postpon|delay|push|put back|moved|defer|prolong|"
    "shift|by |until|till|before|later than|after|from|as of|starting|beginning|effective"
)
_TRIGGER_AFTER = LazyPattern("deadline|ultimatum|cut")
_PERIOD_OPEN = LazyPattern(r"(?i:\b(?:from|between|starting)\s+(?:the\s+)?)$")
_MANDATE = LazyPattern(r"(?i:\bmandate\b|\bmission\b)")
# Words that say a deadline is already behind its report.
_PASSED = LazyPattern(
    r"(?i:\b(?:expired|passed|missed|lapsed|elapsed|ended|(?:before|after)\s+the\s+deadline|"
    r"since\s+the\s+deadline)\b)"
)
_ORDINAL = LazyPattern(r"(?:st|nd|rd|th)$")


def deadline_facts(s: Sentence, index: int, published: Published) -> list[tuple[int, Fact]]:
    """The deadlines of one sentence, by position."""
    found: list[tuple[int, Fact]] = []
    previous: re.Match[str] | None = None
    for date in s.dates:
        span = _deadline_span(s, date, previous) if _may_be_deadline(s, date) else None
        previous = date
        if span is None:
            continue
        start, end = span
        day, month, year = _parts(date)
        if month is None or _date_or_none(int(year or _LEAP_YEAR), month, day) is None:
            continue  # "September 31" is no day
        passed = _PASSED.search(s.text, max(0, start - _CONTEXT), min(len(s.text), end + _CONTEXT))
        when = _resolve(day, month, year, published, passed=passed is not None)
        value = when.isoformat() if when else " ".join(date.group().split())
        fact = Fact(
            FactKind.DEADLINE,
            value,
            "exactly",
            index,
            s.text[start:end],
            resolved=when is not None,
            start=start,
        )
        found.append((start, fact))
    return found


def _may_be_deadline(s: Sentence, date: re.Match[str]) -> bool:
    """Whether a word that can make the date a deadline is near it: one cheap test before the
    patterns, as most dates in news are when something happened."""
    start, end = date.span()
    return bool(
        _TRIGGER_BEFORE.search(s.lower, max(0, start - _WINDOW), start)
        or _TRIGGER_AFTER.search(s.lower, end, end + _WINDOW)
    )


def _deadline_span(
    s: Sentence, date: re.Match[str], previous: re.Match[str] | None
) -> tuple[int, int] | None:
    """Where the deadline's words start and end, or None when the date is no deadline."""
    start, end = date.span()
    lowest = max(s.clause_start(start, soft=False), start - _WINDOW)
    highest = min(s.clause_end(end, soft=False), end + _WINDOW)
    named = _NAMED_BEFORE.search(s.text, lowest, start)
    if named:
        return named.start(), end
    after = _NAMED_AFTER.match(s.text, end, highest)
    if after:
        return start, after.end()
    context_low = max(s.clause_start(start, soft=False), start - _CONTEXT)
    context_high = min(s.clause_end(end, soft=False), end + _CONTEXT)
    moved = _MOVED_BEFORE.search(s.text, lowest, start)
    if moved and not _MANDATE.search(s.text, context_low, context_high):
        return moved.start(), end
    by = _BY_BEFORE.search(s.text, lowest, start)
    if (
        by
        and words.OBLIGATION.search(s.text, context_low, context_high)
        and not _closes_period(s, by.start(), previous)
    ):
        return by.start(), end
    since = _FROM_BEFORE.search(s.text, lowest, start)
    if since and words.BANNED.search(s.text, context_low, context_high):
        return since.start(), end
    return None


def _closes_period(s: Sentence, at: int, previous: re.Match[str] | None) -> bool:
    """Whether "until" closes a period opened by another date: "from November 21 until ..."."""
    if previous is None or at - previous.end() > 12:
        return False
    return _PERIOD_OPEN.search(s.text, max(0, previous.start() - 20), previous.start()) is not None


def _parts(date: re.Match[str]) -> tuple[int, int | None, str | None]:
    if "numeric" in date.groupdict():
        return int(date["nd"]), int(date["nm"]), date["ny"]
    month = month_number((date["m1"] or date["m2"]).rstrip("."))
    day = int(_ORDINAL.sub("", date["d1"] or date["d2"]))
    return day, month, date["year"]


def _resolve(
    day: int, month: int, year: str | None, published: Published, *, passed: bool
) -> dt.date | None:
    if year is not None:
        try:
            return dt.date(int(year), month, day)
        except ValueError:
            return None
    return resolve(day, month, published, passed=passed)


def resolve(day: int, month: int, published: Published, *, passed: bool = False) -> dt.date | None:
    """The full date meant by a deadline's day and month written without a year.

    Known to the day or month, the report places it: the first such day on or after the report
    (the first of its month when it is dated to the month). When its clause says the deadline
    passed ("expired", "three days before the deadline") and that day of the report's own year
    fell at most RECENT_PAST before it, that is the day. A report dated only to its year, or not
    at all, cannot place it: None. So is a day that does not exist.
    """
    if published.value is None or published.precision not in (Precision.DAY, Precision.MONTH):
        return None
    reference = published.value
    for year in (reference.year - 1, reference.year) if passed else ():
        candidate = _date_or_none(year, month, day)
        if candidate is not None and dt.timedelta(0) < reference - candidate <= RECENT_PAST:
            return candidate
    for year in range(reference.year, reference.year + 9):
        candidate = _date_or_none(year, month, day)
        if candidate is not None and candidate >= reference:
            return candidate
    return None


def written_day_month(text: str) -> tuple[int, int] | None:
    """The day and month of a deadline kept as written ("Dec. 20"), to place it later."""
    found = dates_in(text)
    match = found[0] if found else None
    if match is None:
        return None
    day, month, _ = _parts(match)
    return (day, month) if month else None


def _date_or_none(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
