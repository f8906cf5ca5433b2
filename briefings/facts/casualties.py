"""Casualties: how many were injured or killed, and who they were.

Each casualty word governs the counted groups it is about, and each group keeps its own noun and
owner:
- after a passive or bare verb ("25 KFOR soldiers ... were injured", "four peacekeepers injured",
  "left over 90 peacekeepers injured"), the groups are the ones just before the verb: the last
  group, with those joined to it by "and" or a list; a relative clause or participle after a group
  ("25 KFOR soldiers who were escorting four officials were injured") belongs to that group, so
  the four officials are not the injured;
- after an active verb or a noun ("injuring 12 people", "hanno ferito 30 membri ... e 52
  manifestanti", "the deaths of one police officer and three gunmen"), the groups just after it.
A group of soldiers or peacekeepers is the mission's when its words name the mission, or when no
other force is named in them and the sentence or the article is about the mission ("30 soldiers
were injured"); protesters, police, civilians and every other group are their own owners, named as
written ("Injured: 40 Serbian protesters"). A count without a noun ("At least 25 injured") takes
the group named just before it in its clause, unless that group did the injuring ("wounded by the
multinational contingent").

Casualties from history are not news: a figure in a sentence that names a war, or whose clause
names a year at least HISTORY_YEARS before publication, is left out. Only figures written in the
text are reported: "one police officer and three gunmen" gives 1 and 3, never a computed 4.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from briefings.fact_kinds import FactKind
from briefings.facts import words
from briefings.facts.owners import MISSION
from briefings.facts.sentence import CLAUSE_LOOKBACK, Count, Sentence
from briefings.facts.troops import Context
from briefings.models import Fact, Precision
from briefings.patterns import LazyPattern

HISTORY_YEARS = 2

_WORD = r"(?!(?i:and|or|who|which|that|were|was|are|is|in|at|on|of|from|to|with|by|for|i|e|y|und|je|su|sono|fueron)\b)[^\W\d][\w.'\u2019-]*"
_NOUN = LazyPattern(
    r"(?:\s+(?i:of(?:\s+(?:the|its|their|our))?(?:\s+\d[\d,.]*)?|de))?"
    rf"(?P<mods>(?:\s+{_WORD}){{0,3}}?)\s+"
    rf"(?:(?P<troops>(?i:{words.TROOPS}))|(?P<members>(?i:{words.MEMBERS}))|"
    rf"(?P<people>(?i:{words.PEOPLE})))\b"
)
# Any other noun phrase after a number ("one police sergeant"): up to three words, before a verb.
_OTHER_NOUN = LazyPattern(
    r"(?:\s+(?!(?i:and|or|in|at|on|near|were|was|is|are|have|has|had|who|which|that|during|after|"
    r"when|while|of|from|to|by|with|as|been|also|more|people)\b)[^\W\d][\w'\u2019-]*){1,3}"
)
# After a counted group: a relative clause or participle that describes it ("who were escorting").
_DESCRIBED = LazyPattern(
    r"(?i:\s*,?\s*(?:who|whom|which|that|whose|koji|koja|koje|che|que|die|der|care)\b|"
    r"\s+[a-z]+ing\b(?<!\bbeing)(?<!\bduring))"
)
_ACTIVE_GAP = LazyPattern(r"(?i:\s+(?:(?:a|al|à|ai|le|la|les|the|of)\s+)?)")
_TAIL_WORDS = 9
_LINK = LazyPattern(rf"(?:{words.AND}|{words.LIST_COMMA})$")
_AND_END = LazyPattern(rf"{words.AND}$")
_BARE_TAIL = LazyPattern(
    r"(?i:\s*(?:(?:were|was|are|is|got|have\s+been|had\s+been|reported|"
    r"also|more|others?|people)\s+){0,3})"
)
_YEAR = LazyPattern(r"\b(?:19|20)\d\d\b")
_CLAUSE_BREAK = LazyPattern(r"[;:()\u2013\u2014]|,(?!\d)")


@dataclass(frozen=True)
class _Group:
    """One counted group: its number, where its noun phrase ends, its words and its owner."""

    count: Count
    end: int
    noun: str
    owner: str


def casualty_facts(s: Sentence, index: int, context: Context) -> list[tuple[int, Fact]]:
    """Every injured and killed figure of the sentence, with its group, by position."""
    if not words.holds(s.lower, words.CASUALTY_HINT):
        return []
    counts = s.counts
    if not counts:
        return []
    starts = [c.head for c in counts]
    claimed: set[int] = set()
    found: list[tuple[int, Fact]] = []
    triggers = [
        (m, FactKind.INJURED if m["injured"] else FactKind.KILLED, True)
        for m in words.CASUALTY.finditer(s.text)
    ]
    triggers += [
        (m, FactKind.INJURED if m.group().lower().startswith("injur") else FactKind.KILLED, False)
        for m in words.CASUALTY_NOUN.finditer(s.text)
    ]
    war = words.WAR.search(s.text) is not None
    ranges, _ = s.ranges
    for match, kind, verb in sorted(triggers, key=lambda t: t[0].start()):
        groups, spans_to_verb = _governed(s, match, verb, counts, starts, context)
        for group in groups:
            if group.count.start in claimed:
                continue
            claimed.add(group.count.start)
            if war or group.count.start in ranges or _old(s, group.count, context):
                continue
            if not group.noun and not group.count.text[0].isdigit():
                continue  # "one was injured": a pronoun, not a count
            end = match.end() if spans_to_verb else group.end
            found.append(
                (
                    group.count.head,
                    Fact(
                        kind,
                        group.count.value,
                        group.count.qualifier,
                        index,
                        s.text[group.count.head : end],
                        owner=group.owner,
                        noun=group.noun,
                        start=group.count.head,
                    ),
                )
            )
    return found


def _governed(
    s: Sentence,
    match: re.Match[str],
    verb: bool,
    counts: list[Count],
    starts: list[int],
    context: Context,
) -> tuple[list[_Group], bool]:
    """The groups a casualty word is about, and whether their spans run on to the word."""
    at = bisect.bisect_left(starts, match.end())
    following = counts[at] if at < len(counts) else None
    passive = verb and words.PASSIVE_BEFORE.search(
        s.text, max(0, match.start() - 40), match.start()
    )
    if (
        following is not None
        and not passive
        and _ACTIVE_GAP.fullmatch(s.text, match.end(), following.head)
    ):
        return _forward(s, counts, at, context, match), False
    if not verb:
        return [], False
    return _backward(s, counts, at, context, match), True


def _forward(
    s: Sentence, counts: list[Count], at: int, context: Context, match: re.Match[str]
) -> list[_Group]:
    """The group right after an active verb, and those joined to it."""
    limit = s.window_after(match.end(), soft=False)
    groups = [_group(s, counts[at], context, match, limit)]
    for count in counts[at + 1 :]:
        if count.head >= limit:
            break
        gap = s.text[groups[-1].end : count.head]
        if len(gap) > 80 or not _LINK.search(gap) or any(ch.isdigit() for ch in gap):
            break
        groups.append(_group(s, count, context, match, limit))
    return groups


def _backward(
    s: Sentence, counts: list[Count], at: int, context: Context, match: re.Match[str]
) -> list[_Group]:
    """The subject groups of a passive or bare verb: the last group before it, and those joined
    to it; a group described by a relative clause ends the subject there."""
    lowest = max(s.clause_start(match.start(), soft=False), match.start() - CLAUSE_LOOKBACK)
    zone = [c for c in counts[max(0, at - 12) : at] if c.head >= lowest]
    if not zone:
        return []
    groups: list[_Group] = []
    for count in zone:
        # "30 of the 500 protesters": the inner number belongs to the group before it.
        if not groups or count.head >= groups[-1].end:
            groups.append(_group(s, count, context, match, match.start()))
    last = len(groups) - 1
    for i, group in enumerate(groups):
        if _DESCRIBED.match(s.text, group.end):
            last = i
            break
    else:
        tail = s.text[groups[last].end : match.start()]
        if len(tail.split()) > _TAIL_WORDS or any(ch.isdigit() for ch in tail):
            return []
        if not groups[last].noun and not _BARE_TAIL.fullmatch(tail):
            return []
    subject = [groups[last]]
    joined_by_and = False
    for i in range(last - 1, -1, -1):
        gap = s.text[groups[i].end : subject[0].count.head]
        if len(gap) > 80 or any(ch.isdigit() for ch in gap):
            break
        if _AND_END.search(gap):
            joined_by_and = True
        elif not (joined_by_and and re.fullmatch(words.LIST_COMMA, gap)):
            break
        subject.insert(0, groups[i])
    return subject


def _group(s: Sentence, count: Count, context: Context, match: re.Match[str], limit: int) -> _Group:
    """A counted group: its noun phrase and whose it is."""
    noun = _NOUN.match(s.text, count.end, max(count.end, limit))
    if noun is None:
        other = _OTHER_NOUN.match(s.text, count.end, max(count.end, limit))
        if other is None:
            return _Group(count, count.end, "", _bare_owner(s, count, match))
        phrase = " ".join(other.group().split())
        owner = MISSION if words.MISSION.search(phrase) else phrase
        return _Group(count, other.end(), phrase, owner)
    phrase = " ".join(noun.group().split())
    extension_end = min(limit, noun.end() + 60)
    extension = s.text[noun.end() : extension_end]
    cut = re.search(r"[,;(]|\s(?:and|e|y|i|und|were|was|who)\s", extension)
    extension = extension[: cut.start()] if cut else extension
    described = f"{noun['mods']} {extension}"
    if noun["people"]:
        # The owner is the group itself: "30 of the 500 protesters" are protesters'.
        owner = " ".join(f"{noun['mods']} {noun['people']}".split())
        return _Group(count, noun.end(), phrase, owner)
    if words.MISSION.search(described) and not words.OTHER_FORCE.search(noun["mods"]):
        if words.MISSION.search(extension):
            # "30 membri della forza di pace NATO": the noun is named by what follows it.
            phrase = " ".join(f"{phrase}{extension}".split())
        return _Group(count, noun.end(), phrase, MISSION)
    if words.OTHER_FORCE.search(described):
        return _Group(count, noun.end(), phrase, phrase)
    if noun["troops"] and (s.names_mission() or context.mission_article):
        return _Group(count, noun.end(), phrase, MISSION)
    return _Group(count, noun.end(), phrase, phrase)


_GROUP_BEFORE = LazyPattern(rf"(?i:\b(?:{words.TROOPS}|{words.PEOPLE})\b)")


def _bare_owner(s: Sentence, count: Count, match: re.Match[str]) -> str:
    """Whose a count without a noun is: the group named just before it in its clause, unless the
    casualty word says that group did it ("wounded by the multinational contingent")."""
    lowest = max(s.clause_start(count.head, soft=False), count.head - 80)
    named = None
    for found in _GROUP_BEFORE.finditer(s.text, lowest, count.head):
        named = found
    mission = s.mission.last_before(count.head, lowest)
    agent = words.BY_AGENT.match(s.text, match.end())
    if agent is not None and s.mission.first_after(agent.end(), agent.end() + 40):
        return ""
    if mission is not None and (named is None or mission[1] >= named.start()):
        return MISSION
    if named is not None:
        if words.MISSION.search(s.text, max(lowest, named.start() - 30), named.end()):
            return MISSION
        return named.group().lower()
    return ""


def _old(s: Sentence, count: Count, context: Context) -> bool:
    """Whether the figure's clause names a year at least HISTORY_YEARS before publication."""
    published = context.published
    if published.value is None or published.precision is Precision.UNKNOWN:
        return False
    start, end = (
        max(0, count.start - CLAUSE_LOOKBACK),
        min(len(s.text), count.end + CLAUSE_LOOKBACK),
    )
    for brk in _CLAUSE_BREAK.finditer(s.text, start, end):
        if brk.end() <= count.start:
            start = brk.end()
        elif brk.start() >= count.end:
            end = brk.start()
            break
    latest = published.value.year - HISTORY_YEARS
    return any(int(year) <= latest for year in _YEAR.findall(s.text, start, end))
