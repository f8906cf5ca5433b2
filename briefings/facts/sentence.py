"""One sentence read once for every rule: its counts, its clauses, and where forces are named.

Each rule asks about the neighbourhood of one number ("which force is named last before it, in
its clause?"). The sentence's clause breaks and the places where forces are named are found once,
by one pass of each pattern, and every question is then a binary search over them, bounded to a
window near the number: reading a sentence takes time in proportion to its length, however many
numbers it holds.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from briefings.facts import words
from briefings.numbers import NumberMatch, find_numbers
from briefings.patterns import LazyPattern

# How far from a number its owner, its verb or its qualifier is looked for.
NEAR = 40
CLAUSE_LOOKBACK = 150

# Where a clause ends: a semicolon, a bar, a bullet, a dash between spaces, a quotation mark, or a
# conjunction that starts another statement. SOFT breaks also end a clause for ownership ("the
# Pentagon has 90,000 troops in Europe, and some 500 of them serve with KFOR"), but not for a list
# of casualties ("five police, three soldiers, and 12 protesters were injured").
_HARD_BREAK = LazyPattern(
    r"[;|•\u201c\u201d\u201e\u00ab\u00bb\"]|\s[\u2013\u2014-]\s|"
    r"(?i:,\s+(?:but|while|whereas|although|though|yet)\s|\s(?:but|whereas)\s)"
)
_SOFT_BREAK = LazyPattern(r"(?i:,\s+(?:and|while|as)\s)")
_DATE_WORD = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?)"
)
# A day written with its month ("21 April", "April 21st", "21st of January"), and a numeric date
# ("21.04.2023"): their numbers are a date, never a count. Two patterns, as one alternation of
# both read sentences at half the speed.
_DAY = r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?\b"
DATE = LazyPattern(
    rf"(?P<written>(?P<m1>{_DATE_WORD})\s+(?P<d1>{_DAY})|(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m2>{_DATE_WORD}))"
    r"(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?"
)
NUMERIC_DATE = LazyPattern(
    r"(?P<numeric>\b(?P<nd>0?[1-9]|[12]\d|3[01])\.(?P<nm>0?[1-9]|1[0-2])\.(?P<ny>(?:19|20)\d\d)\b)"
)
_DIGIT_DOT = LazyPattern(r"\d\.\d{1,2}\.\d")
_MONTH_STEMS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# A clock time: "10:26", "4am", "07.25 h": both of its numbers are a time.
_CLOCK = LazyPattern(
    r"\b\d{1,2}[:.]\d\d\b(?:\s*(?:h|am|pm|a\.m\.|p\.m\.)\b)?|\b\d{1,2}\s*(?:am|pm)\b"
)

# A year written just after a figure: "55,000 in 1999", "4,273 February 2017".
IN_YEAR_AFTER = LazyPattern(
    r"(?i:\s*(?:troops|soldiers|personnel|peacekeepers)?\s*,?\s*(?:in|by|as\s+of|u|nel|en|im|[îi]n)?\s*"
    r"(?:(?P<month>January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\s+)?(?P<year>(?:19|20)\d\d)\b)"
)
_RANGE_JOIN = LazyPattern(r"(?i:\s*(?:-|\u2013|\u2014|to|or|and|do|a|al|bis|[șş]i|et|y|e|i)\s*)")


@dataclass(frozen=True)
class Count:
    """A number that may count people, with the hedge written before it ("about", "više od")."""

    value: int
    start: int
    end: int
    text: str
    head: int
    qualifier: str


def may_hold_dates(text: str) -> bool:
    """Whether the text may hold a date: a month's name, or a dot between digits."""
    return words.holds(text, _MONTH_STEMS) or _DIGIT_DOT.search(text) is not None


def dates_in(text: str) -> list[re.Match[str]]:
    """The dates written in the text, in order."""
    found = list(DATE.finditer(text)) if words.holds(text, _MONTH_STEMS) else []
    if _DIGIT_DOT.search(text):
        found = sorted([*found, *NUMERIC_DATE.finditer(text)], key=lambda m: m.start())
    return found


def names_mission(text: str, lower: str) -> bool:
    """Whether the text names the mission or peacekeeping (`lower` is it lower-cased)."""
    return words.holds(lower, words.MISSION_HINT) and words.MISSION.search(text) is not None


class Sentence:
    """A sentence and what every fact rule needs of it, computed once."""

    def __init__(self, text: str, lower: str | None = None, *, mission: bool | None = None) -> None:
        """`lower` and `mission` (whether the sentence names the mission or peacekeeping) may be
        given when the caller has them already."""
        self.text = text
        self.lower = text.lower() if lower is None else lower
        self.dates = dates_in(text)
        self._mission = mission

    @functools.cached_property
    def _hard(self) -> list[int]:
        return [m.end() for m in _HARD_BREAK.finditer(self.text)]

    @functools.cached_property
    def _soft(self) -> list[int]:
        return sorted([*self._hard, *(m.end() for m in _SOFT_BREAK.finditer(self.text))])

    @functools.cached_property
    def counts(self) -> list[Count]:
        """The numbers that can count people: not years, dates, clock times, money or measures."""
        taken = sorted(
            [m.span() for m in self.dates] + [m.span() for m in _CLOCK.finditer(self.text)]
        )
        starts = [start for start, _ in taken]
        found = []
        for number in find_numbers(self.text):
            at = bisect.bisect_right(starts, number.start) - 1
            if at >= 0 and taken[at][0] <= number.start < taken[at][1]:
                continue
            if number.year_like or not self._a_count(number):
                continue
            qualifier, head = self._qualifier(number)
            found.append(
                Count(number.value, number.start, number.end, number.text, head, qualifier)
            )
        return found

    @functools.cached_property
    def ranges(self) -> tuple[set[int], dict[int, bool]]:
        """The starts of counts that are an end of a range ("from 2,000 to 6,000", "between 30
        and 50", "30-50"), and those of a change over time ("from 55,000 in 1999 to 3,500"),
        each with whether it is the earlier end."""
        ranges: set[int] = set()
        changes: dict[int, bool] = {}
        counts = self.counts
        for first, second in itertools.pairwise(counts):
            between = self.text[first.end : second.head]
            joined = _RANGE_JOIN.fullmatch(between)
            year_between = IN_YEAR_AFTER.match(self.text, first.end, second.head)
            lowest = max(self.window_before(first.head), first.head - NEAR)
            opened = words.FROM_BEFORE.search(self.text, lowest, first.head)
            if joined is None and not (opened and year_between and " to " in between):
                continue
            clause = self.text[self.window_before(first.head) : first.head]
            changing = words.CHANGE.search(clause) or words.SHRINK.search(clause)
            if opened and (changing or year_between or words.SIZE_WORDS.search(clause)):
                changes[first.start] = True
                changes[second.start] = False
            else:
                ranges.update((first.start, second.start))
        return ranges, changes

    def _a_count(self, number: NumberMatch) -> bool:
        after = words.NOT_A_COUNT_AFTER.match(self.text, number.end, number.end + 14)
        before = words.NOT_A_COUNT_BEFORE.search(self.text, max(0, number.start - 14), number.start)
        return after is None and before is None

    def _qualifier(self, number: NumberMatch) -> tuple[str, int]:
        """The hedge written just before a number, and where the quoted span should start."""
        match = words.QUALIFIER.search(self.text, max(0, number.start - 30), number.start)
        if match is None:
            return "exactly", number.start
        name = "around" if match["around"] else "almost" if match["almost"] else "more than"
        return name, match.start()

    def clause_start(self, position: int, *, soft: bool = True) -> int:
        """Where the clause holding `position` starts (soft breaks count unless told otherwise)."""
        breaks = self._soft if soft else self._hard
        at = bisect.bisect_right(breaks, position) - 1
        return breaks[at] if at >= 0 else 0

    def clause_end(self, position: int, *, soft: bool = True) -> int:
        """Where the clause holding `position` ends."""
        breaks = self._soft if soft else self._hard
        at = bisect.bisect_right(breaks, position)
        return breaks[at] if at < len(breaks) else len(self.text)

    def window_before(self, position: int, *, soft: bool = True) -> int:
        """The start of the stretch of its clause, at most CLAUSE_LOOKBACK long, before `position`."""
        return max(self.clause_start(position, soft=soft), position - CLAUSE_LOOKBACK)

    def window_after(self, position: int, *, soft: bool = True) -> int:
        """The end of the stretch of its clause, at most CLAUSE_LOOKBACK long, after `position`."""
        return min(self.clause_end(position, soft=soft), position + CLAUSE_LOOKBACK)

    @functools.cached_property
    def mission(self) -> Cues:
        """Where the mission is named: KFOR, the Kosovo Force, NATO."""
        return self._cues(words.MISSION_NAMED)

    @functools.cached_property
    def kfor(self) -> Cues:
        """Where KFOR itself is named (not NATO, which names much else)."""
        return self._cues(words.KFOR_NAMED)

    @functools.cached_property
    def peace(self) -> Cues:
        """Where peacekeeping or peacekeepers are named."""
        return self._cues(words.PEACE)

    @functools.cached_property
    def named(self) -> Cues:
        """Where the mission or peacekeeping is named."""
        return Cues(sorted([*self.mission.spans, *self.peace.spans]))

    def _cues(self, pattern: LazyPattern) -> Cues:
        if not words.holds(self.lower, words.MISSION_HINT):
            return Cues([])
        return Cues([m.span() for m in pattern.finditer(self.text)])

    @functools.cached_property
    def others(self) -> Cues:
        """Where another force, a party's force, another mission or a place abroad is named."""
        spans = [m.span() for m in words.OTHER_FORCE.finditer(self.text)]
        spans += [m.span() for m in words.ELSEWHERE.finditer(self.text)]
        return Cues(sorted(spans))

    @functools.cached_property
    def kosovo(self) -> Cues:
        """Where Kosovo is named."""
        return Cues([m.span() for m in words.KOSOVO.finditer(self.text)])

    @functools.cached_property
    def country(self) -> Cues:
        """Where Kosovo, or "the country", is named."""
        return Cues([m.span() for m in words.COUNTRY.finditer(self.text)])

    def names_mission(self) -> bool:
        """Whether the sentence names the mission or peacekeeping anywhere."""
        if self._mission is None:
            self._mission = names_mission(self.text, self.lower)
        return self._mission

    def specific_mission(self, lowest: int, highest: int) -> bool:
        """Whether [lowest, highest) names KFOR itself, or peacekeeping with no other force beside."""
        return self.kfor.any_in(lowest, highest) or (
            self.peace.any_in(lowest, highest) and not self.others.any_in(lowest, highest)
        )


class Cues:
    """Spans where something is named, in order, with the searches the rules ask of them."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        self.spans = list(spans)
        self._starts = [start for start, _ in self.spans]

    def last_before(self, position: int, lowest: int) -> tuple[int, int] | None:
        """The last span starting in [lowest, position) and ending by `position`."""
        at = bisect.bisect_left(self._starts, position) - 1
        while at >= 0 and self._starts[at] >= lowest:
            if self.spans[at][1] <= position:
                return self.spans[at]
            at -= 1
        return None

    def first_after(self, position: int, highest: int) -> tuple[int, int] | None:
        """The first span starting in [position, highest)."""
        at = bisect.bisect_left(self._starts, position)
        if at < len(self.spans) and self._starts[at] < highest:
            return self.spans[at]
        return None

    def any_in(self, lowest: int, highest: int) -> bool:
        """Whether a span starts in [lowest, highest)."""
        at = bisect.bisect_left(self._starts, lowest)
        return at < len(self.spans) and self._starts[at] < highest
