"""Background sentences: standing facts and history that a report repeats, not what happened.

A report on a roadblock cleared today also says that KFOR "has been deployed since 1999", that
Kosovo "declared independence in 2008" and that the mission "consists of" so many troops. Those
sentences are true and cited, but they are not a development: the status card's "latest" and a
brief's points take a sentence that reports what happened whenever there is one, and label a
background sentence as such where one is shown.

The rules read English sentences for the shapes such context takes, each of them general:
  - a state that has lasted "since" a year or the war ("has been deployed since 1999");
  - a state lasting "for two decades" / "for years" in a perfect tense, or a perfect negated
    or repeated ("has never recognised", "have often clashed");
  - what is done as a rule ("routinely meets", "patrols take place along the boundary") or
    how a body regards something ("views the plates as illegal"), in the present tense and
    unattributed;
  - how a body is made up or what it is ("the mission consists of", "is made up of",
    "is a NATO-led force", "there are about 5,000 ... in Kosovo" (a count, not "there are
    problems"), "currently numbers");
  - how it was founded ("was established in 1999", "set up under Resolution 1244");
  - what the mission is for ("contributes to a safe and secure environment", "KFOR supports
    the development of ..."), with no action;
  - the settled history of this field (independence declared and not recognised, the 1998-99
    war, the bombing campaign) when the sentence names no recent moment and no new action;
  - anything whose only time anchors lie well before the report's own date ("from 55,000 in
    1999 to about 3,500", "the 2008 declaration", "last November" in a June report, "last
    summer"), unless it measures today's news against them ("the worst clashes since 2004");
  - a row of a reference table ("Founded | 11 June 1999 | Size | ..."), or encyclopaedia text
    with its footnote marks ("... personnel.[7]").
A sentence that names a recent moment (a weekday, "today", "this week", a date near the report's)
reports something new, except for the first three shapes, which stay context whoever says them
(a state that began lately, "closed since 10 November 2026" in that month's report, is news).
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from briefings.dates import month_number
from briefings.engine.when import DAY_MONTH, MONTH, span
from briefings.models import Precision, Published
from briefings.patterns import LazyPattern

# A year named in a sentence is "old", a reference back rather than news, when even its last day
# lies this long before the report's own earliest possible day.
OLD_AFTER = dt.timedelta(days=180)

_YEAR = r"(?:19[5-9]\d|20\d\d)"
_MONTHS = MONTH
_NUMBER_WORDS = r"(?:two|three|four|five|six|seven|eight|nine|ten|twenty|\d+)"
_PERFECT = (
    r"\b(?:has|have|had)(?:\s+(?:not|never|also|long|since|always|now|already))*"
    r"\s+(?:been\b|\w+(?:ed|en|wn|ld|pt|nt|ght|ne)\b)"
)

# A state that has lasted since a point long past: a year, "the (1998-99) war", "independence".
_SINCE_ANCHOR = (
    rf"since\s+(?:(?:early|late|mid)[- ]?)?(?:{_MONTHS}\s+)?(?:\d{{1,2}}\s+{_MONTHS}\s+)?{_YEAR}\b"
    r"|since\s+(?:the\s+)?(?:end\s+of\s+the\s+)?(?:\d{4}(?:[-\u2013/]\d{2,4})?\s+)?(?:Kosovo\s+)?"
    r"(?:war|conflict)\b"
    r"|since\s+(?:its\s+|the\s+)?(?:independence|inception|creation|establishment|founding|deployment)\b"
)
# "the worst clashes since 2011" compares today's news with the past: that is news.
_COMPARED = LazyPattern(
    r"\b(?:worst|biggest|largest|highest|lowest|first|deadliest|most\s+\w+|last\s+time|"
    r"never|unprecedented|since\s+then)\b[^.;]{0,80}?\bsince\b",
    re.IGNORECASE,
)
_STANDING_SINCE = LazyPattern(
    rf"{_PERFECT}[^;]{{0,120}}?\b(?:{_SINCE_ANCHOR})"
    rf"|\b(?:{_SINCE_ANCHOR})[^;]{{0,120}}?{_PERFECT}"
    rf"|\b(?:in\s+Kosovo|there|present|deployed|stationed|based|active)\s+(?:{_SINCE_ANCHOR})",
    re.IGNORECASE,
)
_LASTING = LazyPattern(
    rf"{_PERFECT}[^;]{{0,120}}?\bfor\s+(?:the\s+)?(?:(?:last|past)\s+)?(?:(?:more\s+than|over|nearly|"
    rf"almost|about|some|around)\s+)?{_NUMBER_WORDS}\s+(?:decades|years)\b"
    rf"|{_PERFECT}[^;]{{0,120}}?\bfor\s+(?:(?:many|several)\s+)?(?:years|decades)\b"
    rf"|\bfor\s+(?:(?:more\s+than|over|nearly|almost|about|some|around)\s+)?(?:two|three|"
    rf"several|many)\s+decades\b|\b(?:has|have)\s+long\s+been\b"
    rf"|\bfor\s+(?:many\s+)?years\b[^;]{{0,80}}?{_PERFECT}",
    re.IGNORECASE,
)
# How a body is made up, or what it is: present-tense definitions.
_MADE_UP = LazyPattern(
    r"\b(?:consists?\s+of|consisted\s+of|(?:is|are|was|were)\s+(?:currently\s+)?(?:made\s+up|"
    r"composed)\s+of|comprises?\b|currently\s+(?:has|have|numbers?|counts?|includes?|comprises?)\b|"
    r"(?:is|are)\s+(?:still\s+)?(?:stationed|deployed|based)\s+in\b|"
    r"(?:is|are|remains?)\s+(?:a|an)\s+(?:[\w-]+\s+){0,4}(?:force|mission|operation|alliance|contingent|"
    r"organi[sz]ation|province|territory|country|state|region|city|town|crossing)\b|"
    r"(?:is|are)\s+(?:supported|led|commanded)\s+by\b|(?:is|are)\s+(?:tasked\s+with|responsible\s+for|"
    r"home\s+to|part\s+of)\b|whose\s+mandate\b|^Currently,?\s|"
    r"^There\s+(?:is|are)\s+(?:(?:about|around|some|nearly|almost|over|more\s+than|approximately|"
    r"roughly)\s+)?\d|"
    r"(?:is|are)\s+(?:\w+(?:'s|\u2019s)\s+|the\s+|its\s+|their\s+)(?:\w+\s+)?(?:largest|biggest|main|"
    r"top|oldest|only|most\s+important|busiest|second|third)\b|"
    r"(?:is|are|remains?)\s+(?:(?:a|an|the)\s+)?(?:\w+\s+)?(?:crucial|essential|vital|indispensable|key)"
    r"\s+(?:\w+\s+){0,2}?(?:in|to|for|of)\b)",
    re.IGNORECASE,
)
_FOUNDED = LazyPattern(
    r"\b(?:(?:was|were|had\s+been)\s+(?:\w+ly\s+)?)?(?:established|founded|created|formed|set\s+up|"
    r"launched|mandated|authori[sz]ed)\b(?:\s+\w+){0,6}?\s+(?:in|on|by|under|after|following)\b",
    re.IGNORECASE,
)
# The mandate's own words: a sentence about a "safe and secure environment" or "freedom of
# movement" that reports no action restates what the mission is for; so does the mission's
# role in the present tense ("KFOR supports the development of ...", "is helping make ...").
_MANDATE = LazyPattern(
    r"\bsafe\s+and\s+secure\s+environment\b|\bfreedom\s+of\s+movement\s+for\s+(?:all|everyone)\b"
    r"|\b(?:KFOR|the\s+(?:mission|force))\s+(?:also\s+)?(?:supports|helps|assists|contributes|ensures"
    r"|guarantees|(?:is|are)\s+helping)\b",
    re.IGNORECASE,
)
_FOUNDING_AUTHORITY = LazyPattern(
    r"\bresolution\b|\bsecurity\s+council\b|\bmandate\b|\bKumanovo\b", re.IGNORECASE
)
# The settled history of this field, repeated as context in nearly every report on it.
_HISTORY = LazyPattern(
    r"\bdeclar(?:ed|ation\s+of)\s+(?:its\s+)?independence\b"
    r"|\b(?:does|do|did|has|have|will)\s+not\s+recogni[sz]e\b|\brefus(?:es|ed|e)\s+to\s+recogni[sz]e\b"
    r"|\bnever\s+recogni[sz]ed\b|\bnon-recognition\b|\bnot\s+recogni[sz]ed\s+by\b"
    r"|\b(?:19\d\d)[-\u2013/](?:19)?\d\d\s+(?:Kosovo\s+)?war\b|\bKosovo\s+[Ww]ar\b"
    r"|\bbombing\s+campaign\b|\bformer\s+(?:southern\s+|Serbian\s+)?province\b"
    r"|\bbroke\s+away\s+from\b|\brecogni[sz]es?\s+(?:Kosovo|Kosova|its\s+independence)\b",
    re.IGNORECASE,
)
# What is done as a rule rather than once: "the commander periodically meets ...".
_HABITUAL = LazyPattern(
    r"\b(?:periodically|regularly|routinely|usually|normally|typically|traditionally|customarily)\b",
    re.IGNORECASE,
)
# A routine in the present tense: "joint patrols take place along the boundary", "KFOR maintains
# a presence at the crossing", "troops carry out checks". Said of one moment, it names that moment
# ("on Monday"), which makes it news before this is asked.
_ROUTINE = LazyPattern(
    r"\b(?:takes?\s+place|conducts|carr(?:y|ies)\s+out|maintains?|operates?|monitors)\b",
    re.IGNORECASE,
)
# How a body regards something, as a standing position: "the authorities view the plates as
# illegal", "plates that are considered illegal by Pristina".
_STANCE = LazyPattern(
    r"\b(?:view|views|regard|regards|consider|considers|see|sees|treat|treats)\s+(?:\S+\s+){1,8}?as\b"
    r"|\b(?:is|are)\s+(?:widely\s+|still\s+|generally\s+)?(?:considered|regarded|viewed|seen|treated)"
    r"\s+(?:as\b|\w+\s+by\b)",
    re.IGNORECASE,
)
# "are still deployed in Kosovo": a force's presence goes on, whatever day the report names.
_STILL_THERE = LazyPattern(r"\bstill\s+(?:stationed|deployed|based|present)\b", re.IGNORECASE)
# A row of a reference table ("Founded | 11 June 1999 | Size | ..."): an infobox, not a report.
_TABLE_CELLS = LazyPattern(r"\s\|\s")
# Footnote marks ("... personnel.[7]") are an encyclopaedia's, whose text is reference, not news.
_FOOTNOTE = LazyPattern(r"[^\W\d_][.,]?\[\d{1,3}\]")
TABLE_CELLS = 5
# A month named without its day or year ("in July", "last November") looks back when it lies
# this many months or more before the report's own month.
OLD_MONTHS = 3
_MONTH_ONLY = LazyPattern(
    rf"\b(?i:(?P<last>last)|in|since|during|early|late|mid-?)\s+(?:(?:early|late|mid)-?\s*)?"
    rf"(?P<month>{_MONTHS})\b(?!\s*\d)"
)
# "Last summer", "last year": a season or year before the report's own, named as a recap.
_LAST_SEASON = LazyPattern(r"\blast\s+(?:summer|winter|spring|autumn|fall|year)\b", re.IGNORECASE)
_FUTURE = LazyPattern(r"\b(?:will|would|shall|is\s+to|are\s+to|due\s+to|plans?\s+to|next)\b", re.I)
# What makes a sentence report something new: a recent moment, or a statement made lately.
_RECENT = LazyPattern(
    r"\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|tonight|yesterday|"
    r"this\s+(?:morning|afternoon|evening|week|weekend|month)|last\s+(?:night|week|weekend|month)|"
    r"earlier\s+(?:on|this|today)|overnight|now|recently|recent)\b",
    re.IGNORECASE,
)
_YEARS = LazyPattern(rf"(?<![\d,.])(?:(?P<month>{_MONTHS})\s+)?(?P<year>{_YEAR})(?!\d|[,.]\d)")
# A relative or appositive clause set off by commas ("Serbia, which does not recognise ...,")
# says something about a name, not what the sentence reports.
_ASIDE = LazyPattern(r",\s*(?:which|who|whose|where)\b[^,;]*(?:,|$)", re.IGNORECASE)
# A relative clause without commas ("the road that Serbs have used since 1999 ..."), up to the
# next comma; "that" after a verb of saying opens what was said, not a relative clause.
_RELATIVE = LazyPattern(r"\b(?P<before>\w+)\s+(?:that|which|who|whose)\b[^,;]*", re.IGNORECASE)
_SAYING = frozenset(
    [
        *("said", "says", "say", "stated", "states", "noted", "notes", "added", "adds"),
        *("warned", "warns", "announced", "announces", "claimed", "believes", "believe"),
        *("thinks", "think", "argued", "insisted", "reported", "reports", "confirmed"),
        *("confirms", "explained", "told", "tells", "so"),
    ]
)
# A finite past-tense action: "closed", "sent", "said" (perfects and passives are read apart).
_ACTION = LazyPattern(
    r"(?<!-)(?<!\b[Tt]he\s)(?<!\b[Aa]\s)(?<!\b[Aa]n\s)\b(?:\w{3,}ed|said|told|sent|met|began|held|made|gave|took|threw|shot|hit|set|put|struck"
    r"|brought|kept|found|spoke|rose|fell|left|went|came|won|led|fought|broke|stood|drove|flew"
    r"|saw)\b"
)
# A sentence does not open on its finite verb: a first word in -ed is an adjective ("Synchronised
# patrols take place ...", "Armed men ...").
_OPENING_PARTICIPLE = LazyPattern(r"^\W*\w+ed\b")
_IRREGULAR_PARTICIPLES = (
    "made|set|put|sent|held|led|left|met|begun|taken|given|brought|kept|found|spoken|struck|won"
    "|fought|broken|stood|driven|flown|seen|become|come|gone|done|had|been|known|shot|hit|thrown"
)
_PERFECT_VERB = LazyPattern(
    r"\b(?:has|have|had)(?P<adverbs>(?:\s+(?:not|never|also|long|since|always|now|already|just|"
    r"recently|often|repeatedly|frequently|regularly|sometimes))*)"
    rf"\s+(?P<verb>\w+(?:ed|en|wn|ne)|{_IRREGULAR_PARTICIPLES})\b",
    re.IGNORECASE,
)
# Perfects that state how things stand rather than what was done ("has seen plates become ...").
_STATIVE = frozenset(
    ["been", "seen", "had", "known", "remained", "become", "lived", "refused", "stood", "kept"]
)
# A perfect negated or repeated ("has never recognised", "have often clashed") tells how things
# have stood, not of one thing done.
_STATE_ADVERBS = frozenset(
    [
        "not",
        "never",
        "long",
        "always",
        "often",
        "repeatedly",
        "frequently",
        "regularly",
        "sometimes",
    ]
)
_PAST_PASSIVE = LazyPattern(r"\b(?:was|were)\s+(?:\w+ly\s+)?\w+(?:ed|en|wn)\b", re.IGNORECASE)
_PRESENT_PASSIVE = LazyPattern(
    r"\b(?:is|are|am|be|being)\s+(?:\w+ly\s+)?\w+(?:ed|en|wn)\b", re.IGNORECASE
)
# Who said it: a statement reported as made is news even when it looks back.
_ATTRIBUTED = LazyPattern(
    r"\b(?:said|says|saying|told|announced|stated|warned|according\s+to|reported|confirmed)\b",
    re.IGNORECASE,
)
# A year as the time of the action ("in 1999", "since 2008", "June 1999"), not a name's
# attribute ("the 2013 agreement").
_ADVERBIAL_YEAR = LazyPattern(
    rf"\b(?:in|during|since|until|till|before|after|from|by|between)\s+(?:(?:early|late|mid|"
    rf"summer|winter|spring|autumn|fall|the\s+(?:summer|winter|spring|autumn)\s+of|{_MONTHS})"
    rf"[\s-]+)?{_YEAR}\b",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=16_384)
def background_reason(text: str, published: Published) -> str | None:
    """Why the sentence is background rather than news ("standing", "history", ...), or None.

    `published` is the date of the report the sentence is from (its story's, where known):
    a year counts as history only against it.
    """
    if len(_TABLE_CELLS.findall(text)) >= TABLE_CELLS or _FOOTNOTE.search(text):
        return "reference"
    main = _main_clause(text)
    recent = _names_recent(text, published)
    compared = _COMPARED.search(main) is not None
    since = _STANDING_SINCE.search(main)
    if since and not compared and not _starts_lately(since.group(), published):
        return "standing"
    if _LASTING.search(main):
        return "standing"
    if _MADE_UP.search(main) and (not _names_recent_moment(text) or _STILL_THERE.search(main)):
        return "composition"
    if recent:
        return None
    if _FOUNDED.search(text) and (
        _FOUNDING_AUTHORITY.search(text) or _old_anchors_only(text, published)
    ):
        return "founding"
    acts = _acts(main)
    attributed = _ATTRIBUTED.search(text) is not None
    if _HISTORY.search(text) and not acts:
        return "history"
    if _MANDATE.search(text) and not acts and not attributed:
        return "mandate"
    routine = _HABITUAL.search(main) or _ROUTINE.search(main) or _STANCE.search(main)
    if routine and not acts and not attributed:
        return "standing"
    # "the worst clashes since 2004" measures today's news against the past: not a recap.
    looks_back = not attributed and not compared and _old_anchors_only(text, published)
    named = _ADVERBIAL_YEAR.search(main) or _MONTH_ONLY.search(main) or _LAST_SEASON.search(main)
    if looks_back and (named or not acts):
        return "history"
    return None


def is_background(text: str, published: Published) -> bool:
    """Whether the sentence states context (standing facts, history) rather than what happened."""
    return background_reason(text, published) is not None


def _main_clause(text: str) -> str:
    """The sentence without its relative clauses and asides, which describe rather than report."""
    text = _ASIDE.sub(",", text)
    return _RELATIVE.sub(
        lambda m: m.group() if m["before"].lower() in _SAYING else m["before"], text
    )


def _acts(main: str) -> bool:
    """Whether the main clause tells of something done: a past action ("closed", "was attacked")
    or a perfect of one ("have removed"), not a state ("has seen", "has been", "is rejected")."""
    for perfect in _PERFECT_VERB.finditer(main):
        adverbs = set(perfect["adverbs"].lower().split())
        if perfect["verb"].lower() not in _STATIVE and not adverbs & _STATE_ADVERBS:
            return True
    if _PAST_PASSIVE.search(main):
        return True
    rest = _OPENING_PARTICIPLE.sub(" ", main)
    return _ACTION.search(_PRESENT_PASSIVE.sub(" ", _PERFECT_VERB.sub(" ", rest))) is not None


def _starts_lately(since: str, published: Published) -> bool:
    """Whether a "since" state began lately: every year it names lies within OLD_AFTER of the
    report ("closed since 10 November 2026" in a report of that month is news, not standing)."""
    bounds = span(published)
    years = list(_YEARS.finditer(since))
    return bounds is not None and bool(years) and not any(_is_old(y, bounds[0]) for y in years)


def _names_recent_moment(text: str) -> bool:
    """A weekday, "today", "this week" or a day of a month: the sentence is about a moment."""
    return _RECENT.search(text) is not None or DAY_MONTH.search(text) is not None


def _names_recent(text: str, published: Published) -> bool:
    """A recent moment, or a year or month no older than the report's own (see OLD_AFTER)."""
    if _names_recent_moment(text):
        return True
    bounds = span(published)
    if bounds is None:
        return False
    return any(not old for old in _anchors(text, published, bounds))


def _old_anchors_only(text: str, published: Published) -> bool:
    """The sentence names years or months, and every one lies well before the report."""
    bounds = span(published)
    if bounds is None:
        return False
    anchors = _anchors(text, published, bounds)
    return bool(anchors) and all(anchors)


def _anchors(text: str, published: Published, bounds: tuple[dt.date, dt.date]) -> list[bool]:
    """For each year, and each month named alone in a past-tense sentence, whether it is old."""
    found = [_is_old(year, bounds[0]) for year in _YEARS.finditer(text)]
    found += [True for _ in _LAST_SEASON.finditer(text)]
    if published.precision in (Precision.DAY, Precision.MONTH) and not _FUTURE.search(text):
        for month in _MONTH_ONLY.finditer(text):
            if _YEARS.match(text, month.start("month")):
                continue
            number = month_number(month["month"])
            back = (bounds[0].month - number) % 12 if number else 0
            found.append((back or (12 if month["last"] else 0)) >= OLD_MONTHS)
    return found


def _is_old(found: re.Match[str], report_day: dt.date) -> bool:
    year = int(found["year"])
    month = month_number(found["month"]) if found["month"] else None
    last = dt.date(year, month, 28) if month else dt.date(year, 12, 31)
    return report_day - last > OLD_AFTER
