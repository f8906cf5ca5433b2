"""Troop figures, contributing nations, casualties and deadlines read from sentences, each with its exact span.

Rules a reader of the facts should know:
- Only figures written in the text are reported. "the deaths of one police officer and three gunmen"
  gives two `killed` facts (1 and 3), never a computed 4, so every number shown can be found in the
  cited sentence.
- Casualties from history are not news: a `killed`/`injured` figure in a sentence that names a war,
  or whose clause names a year at least two years before publication, is skipped ("the 1998-99 war
  that left 10,000 dead", "the riots of 2004 left 19 dead").
- Troops Serbia or Belgrade moves are not KFOR's: a troop figure is read only in a sentence about
  KFOR, NATO or peacekeepers, and not when the last force named before it is Serbia's.
- `kfor_troops` is the mission's total strength: a smaller figure (KFOR has never been under a few
  thousand) or one tied to a nation ("70 soldiers from Germany") is a contingent and not reported.
- A deadline without a year is dated only when the article is dated to the month or day; otherwise
  its value is the text as written ("December 1") with resolved=False, since guessing the year from
  a year-only date could put it in the wrong year.
- Qualifiers: "around" (about, around, approximately, roughly, some, an estimated), "almost" (almost,
  nearly, just under, close to, and ceilings: less than, fewer than, under, up to, no more than),
  "more than" (more than, over, at least, upwards of, in excess of, above), else "exactly".
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import re
from collections.abc import Sequence

from briefings.dates import month_number, resolve_day_month
from briefings.models import Fact, Precision, Published
from briefings.numbers import NUMBER_PATTERN, NumberMatch, find_numbers

MIN_TOTAL_STRENGTH = 1_000
HISTORY_YEARS = 2

_AROUND = r"about|around|approximately|approx\.|roughly|some|an\s+estimated|estimated|circa"
_ALMOST = (
    r"almost|nearly|just\s+under|close\s+to|just\s+shy\s+of|less\s+than|fewer\s+than|under|"
    r"up\s+to|no\s+more\s+than"
)
_MORE = (
    r"more\s+than|well\s+over|just\s+over|over|at\s+least|upwards\s+of|in\s+excess\s+of|above|"
    r"no\s+fewer\s+than|no\s+less\s+than"
)
_QUALIFIER = re.compile(
    rf"(?i:\b(?:(?P<around>{_AROUND})|(?P<almost>{_ALMOST})|(?P<more>{_MORE})))\s+$"
)
_QUALIFIER_WORDS = rf"(?i:{_AROUND}|{_ALMOST}|{_MORE})"
# The last word of every qualifier (lower case): the pattern is tried only after one of them.
_QUALIFIER_ENDS = frozenset(
    phrase.split(r"\s+")[-1].replace("\\.", ".")
    for phrase in f"{_AROUND}|{_ALMOST}|{_MORE}".split("|")
)

_KFOR_CONTEXT = re.compile(
    r"(?i:\bKFOR\b|\bKosovo\s+Force\b|\bNATO\b|\bNorth\s+Atlantic\s+Treaty\b|\bpeace-?keep|"
    r"\balliance\b)"
)
# Lower-case substrings at least one of which every _KFOR_CONTEXT match holds, found four times
# faster than that case-blind pattern. Its "i" also matches the dotless i (U+0131) and the dotted
# capital I (U+0130), which lower-cases to "i" and a combining dot.
_KFOR_HINT = re.compile("kfor|force|nato|north|peace|alli|all\u0131")
_TROOP_NOUN = (
    r"(?i:troops|soldiers|peacekeepers|peace-keepers|personnel|servicemen|service\s+members|"
    r"servicemembers|reinforcements)"
)
_MODIFIER = (
    r"(?:[A-Z][\w.'\u2019-]*|(?i:international|foreign|multinational|peacekeeping|allied|additional|"
    r"extra|more|further|fresh|new|combat|military|alliance))"
)
_AFTER_TROOPS = re.compile(rf"(?P<mods>(?:\s+{_MODIFIER}){{0,3}}?)\s+(?P<noun>{_TROOP_NOUN})\b")
_ALLIANCE_NAMES = frozenset({"NATO", "NATO-led", "KFOR", "Alliance", "Allied"})
_PARTY_NAMES = frozenset(
    {
        "Serb",
        "Serbia",
        "Serbian",
        "Serbia's",
        "Kosovo",
        "Kosovar",
        "Kosovo's",
        "Russian",
        "Albanian",
    }
)
_PARTY_FORCE = re.compile(
    r"\b(?:Serbia|Serbian|Belgrade|Kosovo\s+Security\s+Force|KSF|Russia|Russian)\b"
)
_MORE_WORDS = frozenset({"additional", "extra", "more", "further", "fresh", "new"})
_MORE_BEFORE = re.compile(
    r"(?i:\b(?:an?\s+)?(?:additional|extra|further|another|more|fresh|reinforcements?\s+of)\s+)$"
)
_BY_BEFORE = re.compile(r"(?i:\bby\s+)$")
_INCREASE_VERB = re.compile(
    r"(?i:\b(?:increas|boost|bolster|strengthen|reinforc|expand|enlarg|augment)\w*|"
    r"\brais(?:e|es|ed|ing)\b|\b(?:ramp|beef)\w*\s+up\b)"
)
_SEND_BEFORE = re.compile(
    r"(?i:\b(?:send|sends|sent|sending|deploy|deploys|deployed|deploying|dispatch\w*|"
    r"mobili[sz]\w*)\s+)$"
)
_TO_AFTER = re.compile(r"\s+(?:to|into)\b")
_FROM_PLACE = re.compile(r"\s+from\s+(?:the\s+)?[A-Z]")
_PART_BEFORE = re.compile(r"(?i:\b(?:including|among\s+them|of\s+whom|of\s+them|of\s+which)\s+)$")
_STRONG_AFTER = re.compile(r"-strong\b")
_TOTAL_BEFORE = re.compile(
    r"(?i:\b(?:total|strength|size)\b[^.;:]{0,80}?\b(?:to|at|of|is|was|stands\s+at|reach\w*)\s+)$"
)
_TOTAL_TAIL = re.compile(
    rf"\s+{_TROOP_NOUN}\b|\s*(?:[.,;:)]|$)|\s+(?i:in|as|by|and|after|since|this|last|under)\b"
)

_COUNTRIES_AFTER = re.compile(
    r"\s+(?P<kind>(?i:(?:different|allied|partner|member|contributing|troop-contributing|"
    r"allied\s+and\s+partner)\s+){0,2})(?i:countries|nations|states)\b"
)
_FROM_BEFORE = re.compile(r"(?i:\bfrom\s+)$")
_CONTRIBUTE_AFTER = re.compile(r"(?i:\s+(?:that\s+)?(?:contribut|provid|participat|tak\w*\s+part))")

_GAP_STOP = r"and\s+then|after|before|when|while|since|as|because|who|which|that|but|amid|following"
_CASUALTY_AFTER = re.compile(
    rf"(?:\s+(?!(?i:{_GAP_STOP})\b)[^\W\d][\w'\u2019-]*){{0,7}}?"
    r"\s+(?i:(?:were|was|have\s+been|has\s+been|had\s+been|are|is|got|being)\s+)?"
    r"(?i:(?P<injured>injured|wounded|hurt|(?:suffered|sustained)\s+(?:\w+\s+)?injuries)|"
    r"(?P<killed>killed|dead|died|lost\s+their\s+lives))\b"
)
_LIST_ITEM = rf"{NUMBER_PATTERN}(?:\s+[^\W\d][\w'\u2019-]*){{1,3}}(?:\s*,\s*|,?\s+and\s+)"
_KILLED_BEFORE = re.compile(
    r"(?i:\b(?:killing|killed|kills|deaths?\s+of|death\s+toll\s+(?:of|at|to|rose\s+to)|"
    rf"claimed\s+the\s+lives\s+of)\s+)(?:{_LIST_ITEM})*(?:{_QUALIFIER_WORDS}\s+)?$"
)
_INJURED_BEFORE = re.compile(
    r"(?i:\b(?:injuring|wounding|injured|wounded|injuries\s+to)\s+)"
    rf"(?:{_LIST_ITEM})*(?:{_QUALIFIER_WORDS}\s+)?$"
)
_NOUN_AFTER = re.compile(
    r"(?:\s+(?!(?i:and|or|in|at|on|near|were|was|who|during|after|when|while)\b)"
    r"[^\W\d][\w'\u2019-]*){1,3}"
)
_CLAUSE_BREAK = re.compile(r"[;:()\u2013\u2014]|,(?!\d)")
_WAR = re.compile(r"(?i:\bwar\b(?!\s+zone)|\bwartime\b)")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")

_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\b\.?)"
)
# Substrings without which no date can match; one pattern finds any of them in half the time of
# a test per stem.
_MONTH_STEMS = re.compile("Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec")
_DAY = r"(?:0?[1-9]|[12]\d|3[01])(?:st|nd|rd|th)?\b"
_DATE = re.compile(
    rf"(?P<written>(?P<m1>{_MONTH})\s+(?P<d1>{_DAY})|(?P<d2>{_DAY})\s+(?:of\s+)?(?P<m2>{_MONTH}))"
    r"(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?"
)
_DEADLINE_BEFORE = re.compile(
    r"(?i:\b(?:deadline|ultimatum)(?:\s+(?:of|for|on|is|was|set\s+for|until|at|expires\s+on|"
    r"ends\s+on))?\s+(?:the\s+)?|"
    r"\b(?:expires?|expired|expiring|extended|postponed|delayed|pushed\s+back)\s+"
    r"(?:on|to|until|till)\s+(?:the\s+)?)$"
)
_BY_DATE_BEFORE = re.compile(
    r"(?i:\b(?:by|until|till|before|no\s+later\s+than|not\s+later\s+than)\s+(?:the\s+)?)$"
)
_OBLIGATION = re.compile(
    r"(?i:\b(?:deadline|ultimatum|must|requir\w*|obliged|obligat\w*|expir\w*|grace\s+period|"
    r"(?:have|has|had|need|needs)\s+to|re-?regist\w*|regist\w*|switch\w*|replac\w*)\b)"
)
_DEADLINE_AFTER = re.compile(r"\s+(?i:deadline|ultimatum)\b")
_ORDINAL = re.compile(r"(?:st|nd|rd|th)$")

_LOOKBACK = 150
# How far back a one- or two-word cue ("an additional", "by", "including") is looked for.
_NEAR = 40
# Lower-case stems with which each match of _KILLED_BEFORE and _INJURED_BEFORE opens.
_KILLED_CUE = re.compile("kill|death|claimed")
_INJURED_CUE = re.compile("injur|wound")
CUES_TRIED = 3
# Substrings without which no casualty pattern can match; checked once per lower-cased sentence.
_CASUALTY_WORDS = re.compile("kill|dead|died|death|lives|injur|wound|hurt")
_PARTY_WORDS = ("Serb", "Belgrade", "Russia", "KSF", "Security Force")


class _Scan:
    """What the figures of one sentence ask about the whole of it, found once per sentence.

    Asked once per figure, these scans of the whole sentence made a sentence of thousands of
    figures ("killed 1 killed 1 ...") take minutes; each is now a lookup or a binary search.
    """

    def __init__(self, sentence: str) -> None:
        self.sentence = sentence
        self._years: dict[int, tuple[list[int], list[int]]] = {}

    @functools.cached_property
    def war(self) -> bool:
        return _WAR.search(self.sentence) is not None

    @functools.cached_property
    def obliged(self) -> bool:
        return _OBLIGATION.search(self.sentence) is not None

    @functools.cached_property
    def increasing(self) -> bool:
        return _INCREASE_VERB.search(self.sentence) is not None

    @functools.cached_property
    def breaks(self) -> tuple[list[int], list[int]]:
        spans = [m.span() for m in _CLAUSE_BREAK.finditer(self.sentence)]
        return [a for a, _ in spans], [b for _, b in spans]

    @functools.cached_property
    def party_named(self) -> bool:
        return any(word in self.sentence for word in _PARTY_WORDS)

    @functools.cached_property
    def party_ends(self) -> list[int]:
        return [m.end() for m in _PARTY_FORCE.finditer(self.sentence)]

    @functools.cached_property
    def mission_ends(self) -> list[int]:
        return [m.end() for m in _KFOR_CONTEXT.finditer(self.sentence)]

    @functools.cached_property
    def lower(self) -> str | None:
        """The sentence in lower case, or None where that moves characters ("İ" is two)."""
        lower = self.sentence.lower()
        return lower if len(lower) == len(self.sentence) else None

    def cue_start(self, cue: re.Pattern[str], start: int, end: int) -> int | None:
        """Where a pattern that opens with `cue` is worth searching for in sentence[start:end]:
        from the last few cues, or None when there is none. A figure in a list of figures
        ("killed 1 killed 1 ...") had the pattern tried at every one of the dozens of cues in
        its window; a list of figures after a cue never holds more than a couple of cues."""
        if self.lower is None:
            return start
        found = [m.start() for m in cue.finditer(self.lower, start, end)]
        return found[-CUES_TRIED:][0] if found else None

    def years_until(self, latest: int) -> tuple[list[int], list[int]]:
        """Starts and ends of the years named in the sentence that are `latest` or earlier."""
        if latest not in self._years:
            spans = [m.span() for m in _YEAR.finditer(self.sentence) if int(m.group()) <= latest]
            self._years[latest] = ([a for a, _ in spans], [b for _, b in spans])
        return self._years[latest]


@functools.lru_cache(maxsize=8)
def _scan(sentence: str) -> _Scan:
    """The sentence's _Scan; every figure of a sentence passes the same string, so this hits."""
    return _Scan(sentence)


def _last_before(ends: list[int], head: int) -> int:
    """The largest end at or before `head`, or -1."""
    at = bisect.bisect_right(ends, head) - 1
    return ends[at] if at >= 0 else -1


def extract_facts(sentences: Sequence[str], published: Published) -> list[Fact]:
    """Every fact in the sentences, in reading order; `sentence_index` is the position in `sentences`."""
    facts: list[Fact] = []
    for index, sentence in enumerate(sentences):
        facts.extend(_sentence_facts(sentence, index, published))
    return facts


def _sentence_facts(sentence: str, index: int, published: Published) -> list[Fact]:
    found: list[tuple[int, Fact]] = []
    taken_starts: list[int] = []
    taken_ends: list[int] = []
    if _MONTH_STEMS.search(sentence):
        for date in _DATE.finditer(sentence):
            taken_starts.append(date.start())
            taken_ends.append(date.end())
            fact = _deadline(sentence, date, index, published)
            if fact is not None:
                found.append((date.start(), fact))
    lower = sentence.lower()
    kfor_context = bool(_KFOR_HINT.search(lower) and _KFOR_CONTEXT.search(sentence))
    casualties = _CASUALTY_WORDS.search(lower) is not None
    # A number becomes a fact only in a sentence about KFOR or about casualties: finding the
    # numbers of every other sentence was half of the cost of reading facts.
    numbers = find_numbers(sentence) if kfor_context or casualties else []
    if not numbers:
        return [fact for _, fact in found]
    for number in numbers:
        # Dates do not overlap, so only the last one starting at or before the number can hold it.
        at = bisect.bisect_right(taken_starts, number.start) - 1
        if at >= 0 and number.start < taken_ends[at]:
            continue
        qualifier, head = _qualifier(sentence, number)
        reading = (
            (_casualty(sentence, number, head, published) if casualties else None)
            or (_countries(sentence, number, head) if kfor_context else None)
            or (_troops(sentence, number, head) if kfor_context else None)
        )
        if reading is not None:
            kind, start, end = reading
            fact = Fact(kind, number.value, qualifier, index, sentence[start:end])
            found.append((start, fact))
    found.sort(key=lambda item: item[0])
    return [fact for _, fact in found]


def _qualifier(sentence: str, number: NumberMatch) -> tuple[str, int]:
    """The hedge written just before a number, and where the quoted span should start."""
    words = sentence[max(0, number.start - 30) : number.start + 1].split()
    if len(words) < 2 or words[-2].lower() not in _QUALIFIER_ENDS:
        return "exactly", number.start
    match = _QUALIFIER.search(sentence, max(0, number.start - 30), number.start)
    if match is None:
        return "exactly", number.start
    name = "around" if match["around"] else "almost" if match["almost"] else "more than"
    return name, match.start()


Reading = tuple[str, int, int]


def _casualty(
    sentence: str, number: NumberMatch, head: int, published: Published
) -> Reading | None:
    if number.year_like:
        return None
    window = max(0, head - _LOOKBACK)
    after = _CASUALTY_AFTER.match(sentence, number.end)
    scan = _scan(sentence)
    killed_from = scan.cue_start(_KILLED_CUE, window, head)
    injured_from = scan.cue_start(_INJURED_CUE, window, head)
    if killed_from is not None and _KILLED_BEFORE.search(sentence, killed_from, head):
        kind = "killed"
    elif injured_from is not None and _INJURED_BEFORE.search(sentence, injured_from, head):
        kind = "injured"
    elif after is not None:
        kind = "injured" if after["injured"] else "killed"
    else:
        return None
    if after is not None and kind == ("injured" if after["injured"] else "killed"):
        end = after.end()
    else:
        noun = _NOUN_AFTER.match(sentence, number.end)
        end = noun.end() if noun else number.end
    if _historical(sentence, number, published):
        return None
    return kind, head, end


def _historical(sentence: str, number: NumberMatch, published: Published) -> bool:
    """Whether a casualty figure belongs to a past war, or its clause names an earlier year."""
    scan = _scan(sentence)
    if scan.war:
        return True
    if published.value is None or published.precision is Precision.UNKNOWN:
        return False
    # The clause runs from the last break ending before the number to the first starting after it.
    break_starts, break_ends = scan.breaks
    start = max(0, _last_before(break_ends, number.start))
    after = bisect.bisect_left(break_starts, number.end)
    end = break_starts[after] if after < len(break_starts) else len(sentence)
    starts, ends = scan.years_until(published.value.year - HISTORY_YEARS)
    first = bisect.bisect_left(starts, start)
    return first < len(starts) and ends[first] <= end


def _countries(sentence: str, number: NumberMatch, head: int) -> Reading | None:
    if number.year_like:
        return None
    after = _COUNTRIES_AFTER.match(sentence, number.end)
    if after is None:
        return None
    contributing = "contributing" in after["kind"].lower()
    if (
        contributing
        or _FROM_BEFORE.search(sentence, max(0, head - 10), head)
        or _CONTRIBUTE_AFTER.match(sentence, after.end())
    ):
        return "countries", head, after.end()
    return None


def _troops(sentence: str, number: NumberMatch, head: int) -> Reading | None:
    """A troop figure: a reinforcement, the mission's total, or None for anything else."""
    window, near = max(0, head - _LOOKBACK), max(0, head - _NEAR)
    if _party_speaking(sentence, head):
        return None
    after = _AFTER_TROOPS.match(sentence, number.end)
    if number.year_like and (after is None or after["mods"]):
        return None
    by = _BY_BEFORE.search(sentence, near, head) is not None
    growing = by and _scan(sentence).increasing
    if by and not growing:
        return None
    if after is None:
        return _bare_troops(sentence, number, head, window, growing)
    names = after["mods"].replace("Kosovo Force", "KFOR").split()
    if any(name in _PARTY_NAMES for name in names):
        return None
    more_before = _MORE_BEFORE.search(sentence, near, head)
    if (
        growing
        or more_before
        or after["noun"].lower() == "reinforcements"
        or any(name.lower() in _MORE_WORDS for name in names)
        or (_SEND_BEFORE.search(sentence, near, head) and _TO_AFTER.match(sentence, after.end()))
    ):
        return "troop_increase", more_before.start() if more_before else head, after.end()
    national = any(name[0].isupper() and name not in _ALLIANCE_NAMES for name in names)
    if (
        national
        or number.value < MIN_TOTAL_STRENGTH
        or _FROM_PLACE.match(sentence, after.end())
        or _PART_BEFORE.search(sentence, near, head)
    ):
        return None
    return "kfor_troops", head, after.end()


def _party_speaking(sentence: str, head: int) -> bool:
    """Whether the last force named before a figure is Serbia's or Kosovo's own, not the mission."""
    scan = _scan(sentence)
    if not scan.party_named:
        return False
    return _last_before(scan.party_ends, head) > _last_before(scan.mission_ends, head)


def _bare_troops(
    sentence: str, number: NumberMatch, head: int, window: int, growing: bool
) -> Reading | None:
    """A troop figure with no noun after it: "the 3,800-strong force", "the total ... to 4,500"."""
    if number.year_like:
        return None
    strong = _STRONG_AFTER.match(sentence, number.end)
    if strong and number.value >= MIN_TOTAL_STRENGTH:
        return "kfor_troops", head, strong.end()
    if not _TOTAL_TAIL.match(sentence, number.end):
        return None
    if growing:
        return "troop_increase", head, number.end
    if number.value < MIN_TOTAL_STRENGTH:
        return None
    total = _TOTAL_BEFORE.search(sentence, window, head)
    if total:
        return "kfor_troops", total.start(), number.end
    return None


def _deadline(sentence: str, date: re.Match[str], index: int, published: Published) -> Fact | None:
    start, end = date.span()
    window = max(0, start - _LOOKBACK)
    before = _DEADLINE_BEFORE.search(sentence, window, start)
    if before is None and _scan(sentence).obliged:
        # "by"/"until" a date is a deadline only when the sentence says something is required.
        before = _BY_DATE_BEFORE.search(sentence, window, start)
    after = _DEADLINE_AFTER.match(sentence, end)
    if before is None and after is None:
        return None
    span = sentence[before.start() if before else start : after.end() if after else end]
    month = month_number((date["m1"] or date["m2"]).rstrip("."))
    day = int(_ORDINAL.sub("", date["d1"] or date["d2"]))
    when = _resolve(day, month, date["year"], published) if month else None
    if when is None:
        return Fact("deadline", date["written"], "exactly", index, span, resolved=False)
    return Fact("deadline", when.isoformat(), "exactly", index, span)


def _resolve(day: int, month: int, year: str | None, published: Published) -> dt.date | None:
    if year is not None:
        try:
            return dt.date(int(year), month, day)
        except ValueError:
            return None
    if published.precision in (Precision.DAY, Precision.MONTH):
        return resolve_day_month(day, month, published)
    return None
