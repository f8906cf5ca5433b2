"""Troop figures: the mission's total strength, reinforcements, and the number of contributing nations.

- A total (`kfor_troops`) is a figure of at least MIN_TOTAL_STRENGTH and at most
  MAX_TOTAL_STRENGTH (KFOR has never been outside that) that the mission owns (see `owners`), and
  that is neither one nation's contingent, a part ("of whom 350", "including 300"), a range ("from
  2,000 to 6,000", "between 30 and 50") nor a past strength without a date.
- A past strength ("55,000 in 1999", "from 55,000 in 1999 to 3,500 today") is kept with its own
  date (`Fact.as_of`); one without a year ("from a peak of 50,000", "at its height") is left out.
- A reinforcement (`troop_increase`) is a number of troops sent, deployed, arriving, "additional"
  or "more", or the change in "boost the force by 600". A nation's contingent counts ("350
  Hungarian troops arrived"), for the mission when its clause names the mission or the troops go
  to Kosovo; a figure the clause gives to another force or place ("800 British troops deploy to
  Estonia") does not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefings.fact_kinds import FactKind
from briefings.facts import words
from briefings.facts.owners import MISSION, NATIONAL, OTHER, Owner, troop_owner
from briefings.facts.sentence import IN_YEAR_AFTER, NEAR, Count, Sentence
from briefings.models import Fact, Published
from briefings.patterns import LazyPattern

MIN_TOTAL_STRENGTH = 1_000
MAX_TOTAL_STRENGTH = 60_000

_WORD = r"(?!(?i:and|or|who|which|that|were|was|are|is|in|at|of|from|to|with|by|for|per|i|e|y|und)\b)[^\W\d][\w.'\u2019-]*"
_NOUN = LazyPattern(
    rf"(?:\s+(?i:de)\b)?(?P<mods>(?:\s+{_WORD}){{0,4}}?)\s+"
    rf"(?:(?P<troops>(?i:{words.TROOPS}))|(?P<members>(?i:{words.MEMBERS}))|"
    rf"(?P<persons>(?i:{words.PERSONS})))\b"
)
_PASSIVE = LazyPattern(r"(?i:\b(?:been|is|are|was|were|be)\s+)$")
_SEND_GAP = LazyPattern(
    r"(?i:(?:\s+(?!(?:and|has|have|had|is|are|was|were|since|but|while)\b)[\w'\u2019-]+){0,4}\s+)"
)
_CLAUSE_END = LazyPattern(r"\s*(?:[.,;:)]|$)")
_STRONG = LazyPattern(r"-(?:strong|member|man)\b")
# A bare number is a total after its force's size is named: "Total Strength: 4,273", "KFOR's size
# ... to about 3,500", "a force of 4,000".
_BARE_TOTAL = LazyPattern(
    r"(?i:(?:\s*:\s*|\b(?:of|to|at|is|was|now|reached|reaches|stands\s+at|stood\s+at|totals|"
    r"totalled|de|di|da|od|aus|von|cu|com|je|su|est)\s+))$"
)
_BY_BEFORE = LazyPattern(r"(?i:\b(?:by|za|di|en|um|cu|de)\s+)$")
# "reinforced with 200 British soldiers", "pojačan i sa 200 vojnika", "rafforzato con 300".
_WITH_BEFORE = LazyPattern(r"(?i:\b(?:with|by|sa|s|za|con|mit|cu|com|avec)\s+)$")
_TO_BEFORE = LazyPattern(r"(?i:\b(?:to|na|a|auf|la|para)\s+)$")
_IN_YEAR_BEFORE = LazyPattern(
    r"(?i:\b(?:in|as\s+of|by\s+the\s+end\s+of|at\s+the\s+end\s+of|u|nel|en|im|[îi]n)\s+"
    r"(?:(?P<month>January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\s+)?(?P<year>(?:19|20)\d\d)\b(?!\s*(?:-|\u2013|and)\s*\d))"
)
_SINCE_BEFORE = LazyPattern(r"(?i:\b(?:since|od|dal|desde|seit|din)\s+$)")
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_COUNTRIES = LazyPattern(
    r"(?:\s+(?i:de))?\s+(?P<kind>(?i:(?:different|allied|partner|member|contributing|"
    r"troop[\s-]contributing|nato|eu|allied\s+and\s+partner|nato\s+and\s+partner|"
    r"differenti|diverse|verschiedenen|razli[čc]itih|diferentes|diferite|alleati|aliados)\s+){0,2})"
    r"(?i:countries|nations|states|zemalja|zemlje|dr[žz]ava|dr[žz]ave|nacija|nazioni|paesi|stati|"
    r"pa[íi]ses|naciones|estados|na[çc][õo]es|[țţ][ăa]ri|state|na[țţ]iuni|nationen|l[äa]nder|"
    r"staaten|pays)\b"
)
_FROM_BEFORE = LazyPattern(r"(?i:\b(?:from|of|iz|da|di|de|aus|din|des)\s+)$")
_CONTRIBUTE_AFTER = LazyPattern(
    r"(?i:\s+(?:that\s+|which\s+)?(?:contribut\w*|provid\w*|participat\w*|tak\w*\s+part|"
    r"serv(?:e|es|ing)|send\w*|doprinos\w*|u[čc]estvu\w*|contribu\w*|partecip\w*|"
    r"particip\w*|beitrag\w*|beteilig\w*))"
)


@dataclass(frozen=True)
class Context:
    """What a sentence's rules may know of its article."""

    published: Published
    mission_article: bool


def troop_facts(
    s: Sentence, index: int, context: Context, taken: set[int]
) -> list[tuple[int, Fact]]:
    """The totals, reinforcements and contributing-nation counts of one sentence, by position."""
    found: list[tuple[int, Fact]] = []
    counts = [c for c in s.counts if c.start not in taken]
    ranges, changes = s.ranges
    for count in counts:
        fact = _countries(s, count, index, context) or _troops(
            s, count, index, context, ranges, changes
        )
        if fact is not None:
            found.append((fact.start, fact))
    return found


def _troops(
    s: Sentence,
    count: Count,
    index: int,
    context: Context,
    ranges: set[int],
    changes: dict[int, bool],
) -> Fact | None:
    """A total or a reinforcement, or None for any other number."""
    if count.start in ranges or _part(s, count):
        return None
    if words.NOT_STRENGTH.search(s.text, s.window_before(count.head), s.window_after(count.end)):
        return None
    noun = _NOUN.match(s.text, count.end)
    mods, noun_end = (noun["mods"], noun.end()) if noun else ("", count.end)
    owner = troop_owner(s, count.head, mods, noun_end, context=context.mission_article)
    if owner.who == OTHER:
        return None
    if noun is None:
        return _bare(s, count, index, owner, changes)
    if (noun["members"] or noun["persons"]) and owner.who != MISSION:
        return None
    if noun["persons"] and not words.SIZE_WORDS.search(
        s.text, s.window_before(count.head), count.head
    ):
        return None
    if not words.TOTAL_VERB.search(s.text, max(0, count.start - 40), count.start) and _increase(
        s, count, noun, owner, context
    ):
        return _fact(FactKind.INCREASE, s, count, index, noun_end, noun.group().strip())
    if owner.who != MISSION or count.value < MIN_TOTAL_STRENGTH:
        return None
    return _total(s, count, index, noun_end, changes, noun.group().strip())


def _bare(
    s: Sentence, count: Count, index: int, owner: Owner, changes: dict[int, bool]
) -> Fact | None:
    """A number with no noun: "the 3,800-strong force", "total strength: 4,273", "boosted by 600"."""
    lowest = s.window_before(count.head)
    strong = _STRONG.match(s.text, count.end)
    if strong and owner.who == MISSION and count.value >= MIN_TOTAL_STRENGTH:
        return _total(s, count, index, strong.end(), changes, "strong")
    if _BY_BEFORE.search(s.text, max(lowest, count.head - 6), count.head):
        before = s.text[lowest : count.head]
        if words.CHANGE.search(before) and owner.who == MISSION and s.names_mission():
            return _fact(FactKind.INCREASE, s, count, index, count.end, "")
        return None
    if owner.who != MISSION or count.value < MIN_TOTAL_STRENGTH:
        return None
    if count.start in changes:
        # "shrank from 50,000 in 1999 to about 4,000 today": both ends are the force's size.
        return _total(s, count, index, count.end, changes, "")
    if words.PAST_BEFORE.search(s.text, max(lowest, count.head - 40), count.head):
        # "down from 50,000 in 1999": kept only with its year (see `_total`).
        return _total(s, count, index, count.end, changes, "")
    if words.TOTAL_VERB.search(s.text, max(lowest, count.start - 40), count.start) and (
        _CLAUSE_END.match(s.text, count.end)
    ):
        # "while KFOR has 3,700."
        return _total(s, count, index, count.end, changes, "")
    size = words.SIZE_WORDS.search(s.text, max(lowest, count.head - 80), count.head)
    if size is None or not _BARE_TOTAL.search(s.text, size.end(), count.head):
        return None
    return _total(s, count, index, count.end, changes, "", size.start())


def _increase(
    s: Sentence, count: Count, noun: re.Match[str], owner: Owner, context: Context
) -> bool:
    """Whether a troop figure is a reinforcement: more troops, sent, arriving, or reinforcements."""
    lowest = s.window_before(count.head)
    near = max(lowest, count.head - NEAR)
    after_end = s.window_after(noun.end())
    if words.SHRINK.search(s.text, near, count.head):
        return False
    if _TO_BEFORE.search(s.text, near, count.head) and words.CHANGE.search(
        s.text, lowest, count.head
    ):
        return False
    extension = s.text[noun.end() : min(after_end, noun.end() + 50)]
    stop = re.search(r"[,.;:(]", extension)
    extension = extension[: stop.start()] if stop else extension
    more = (
        words.MORE_BEFORE.search(s.text, near, count.head)
        or (
            _WITH_BEFORE.search(s.text, near, count.head)
            and words.CHANGE.search(s.text, lowest, count.head)
        )
        or _sent(s, count, lowest)
        or words.MORE_BESIDE.search(noun["mods"])
        or words.MORE_BESIDE.search(extension)
        or (noun["troops"] or "").lower().startswith("reinforcement")
        or words.REINFORCEMENTS.search(s.text, lowest, after_end)
        or words.ARRIVE.search(s.text, noun.end(), min(after_end, noun.end() + NEAR))
        or words.TO_REINFORCE.search(s.text, noun.end(), min(after_end, noun.end() + 60))
    )
    if not more:
        return False
    if owner.who == MISSION:
        return True
    mission = s.named.any_in(lowest, after_end)
    to_kosovo = s.kosovo.any_in(max(lowest, count.head - 60), min(after_end, noun.end() + 60))
    if owner.who == NATIONAL:
        # A nation's troops are the mission's when they go to Kosovo or KFOR: "NATO" alone also
        # names its other deployments.
        return to_kosovo or s.specific_mission(lowest, after_end)
    reinforcements = words.REINFORCEMENTS.search(s.text, lowest, after_end)
    return bool(mission or to_kosovo or reinforcements) and context.mission_article


def _sent(s: Sentence, count: Count, lowest: int) -> bool:
    """Whether a verb of sending governs the number: "mobilized an additional 1,000", "sending to
    Kosovo another 500"; not "has been deployed since 1999 and has 3,800"."""
    for send in words.SEND.finditer(s.text, max(lowest, count.head - 40), count.head):
        gap = s.text[send.end() : count.head]
        passive = _PASSIVE.search(s.text, max(0, send.start() - 12), send.start())
        if not passive and _SEND_GAP.fullmatch(gap):
            return True
    return False


def _total(
    s: Sentence,
    count: Count,
    index: int,
    end: int,
    changes: dict[int, bool],
    noun: str,
    start: int = -1,
) -> Fact | None:
    """The mission's total, dated by its own year when its clause gives one; None for a past
    strength without a date."""
    if count.value > MAX_TOTAL_STRENGTH:
        return None
    lowest = s.window_before(count.head)
    past = changes.get(count.start, False) or words.PAST_BEFORE.search(
        s.text, max(lowest, count.head - 60), count.head
    )
    as_of = _own_date(s, count, end, lowest)
    if past and as_of is None:
        return None
    fact = _fact(FactKind.TROOPS, s, count, index, end, noun, start)
    return Fact(**{**fact.__dict__, "as_of": as_of})


def _own_date(s: Sentence, count: Count, end: int, lowest: int) -> str | None:
    """The year (and month) the figure's clause gives it: "55,000 in 1999", "In January 2022,
    KFOR had 3,800", "Total strength: 4,273 February 2017"; "since 1999" is no date of it."""
    after = IN_YEAR_AFTER.match(s.text, end, min(len(s.text), end + 30))
    if after is None:
        after = IN_YEAR_AFTER.match(s.text, count.end, min(len(s.text), count.end + 30))
    if after is None:
        before = None
        for match in _IN_YEAR_BEFORE.finditer(s.text, lowest, count.head):
            before = match
        if (
            before is None
            or _SINCE_BEFORE.search(s.text, lowest, before.start())
            or any(ch.isdigit() for ch in s.text[before.end() : count.head])
            or any(ch.isdigit() for ch in s.text[max(lowest, before.start() - 12) : before.start()])
        ):
            return None
        after = before
    year = after["year"]
    month = after["month"]
    if month:
        return f"{year}-{_MONTHS.index(month.lower()) + 1:02d}"
    return year


def _part(s: Sentence, count: Count) -> bool:
    """Whether the number is a part of a larger one: "including 300", "350 of them"."""
    return bool(
        words.PART_BEFORE.search(s.text, max(0, count.head - 25), count.head)
        or words.PART_AFTER.match(s.text, count.end)
    )


def _countries(s: Sentence, count: Count, index: int, context: Context) -> Fact | None:
    """How many nations contribute to the mission: "troops from 28 countries", "28 states
    contribute to KFOR", "30 troop contributing nations"."""
    after = _COUNTRIES.match(s.text, count.end)
    if after is None or count.value > 60:
        return None
    contributing = "contributing" in after["kind"].lower()
    if not (
        contributing
        or _FROM_BEFORE.search(s.text, max(0, count.head - 8), count.head)
        or _CONTRIBUTE_AFTER.match(s.text, after.end())
    ):
        return None
    lowest = s.window_before(count.head)
    highest = s.window_after(after.end())
    other = s.others.last_before(count.head, lowest)
    mission = s.mission.last_before(count.head, lowest) or s.mission.first_after(
        after.end(), highest
    )
    if mission is None and not s.others.any_in(lowest, highest):
        mission = s.peace.last_before(count.head, lowest) or s.peace.first_after(
            after.end(), highest
        )
    if mission is None and not (context.mission_article and contributing and other is None):
        return None
    if other and (mission is None or other[0] > mission[0]):
        return None
    return _fact(FactKind.COUNTRIES, s, count, index, after.end(), "")


def _fact(
    kind: str, s: Sentence, count: Count, index: int, end: int, noun: str, start: int = -1
) -> Fact:
    """A figure of the mission's (only the mission's figures are reported), quoted from `start`
    (the number's hedge, unless told) to `end`."""
    start = count.head if start < 0 else start
    return Fact(
        kind,
        count.value,
        count.qualifier,
        index,
        s.text[start:end],
        owner=MISSION,
        noun=noun,
        start=start,
    )
