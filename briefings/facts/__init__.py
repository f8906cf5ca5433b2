"""Troop figures, contributing nations, casualties and deadlines read from sentences, each with its
exact span, its owner and, when the sentence gives one, its own date.

Rules a reader of the facts should know (each module says more):
- Only figures written in the text are reported, and only numbers that can count people: years,
  dates, clock times, money, shares and measures never become counts (see `sentence`).
- A troop figure is the mission's only when its sentence makes the mission its owner: KFOR, the
  Kosovo Force, NATO or its peacekeepers, named in the noun phrase, right after it, or as the
  force named last before it in its clause (see `owners`). Other forces, places abroad,
  populations, ranges, parts and past strengths are not its strength (see `troops`).
- Casualties keep their own noun and owner: "25 KFOR soldiers", "40 protesters" (see
  `casualties`); history (a war, an old year) is not news.
- Deadlines need words that make a date one (see `deadlines`).
- Qualifiers: "around" (about, around, approximately, roughly, some, oko, circa...), "almost"
  (almost, nearly, just under, up to, skoro, quasi...), "more than" (more than, over, at least,
  više od, oltre, mehr als...), else "exactly".

Every rule looks only at a bounded neighbourhood of a number or date, found by binary search in
what the sentence was read for once, so reading takes time in proportion to the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from briefings.facts import words
from briefings.facts.deadlines import deadline_facts
from briefings.facts.sentence import Sentence, may_hold_dates, names_mission
from briefings.models import Fact, Published
from briefings.numbers import NUMBER_WORDS
from briefings.patterns import LazyPattern

if TYPE_CHECKING:
    from briefings.facts.troops import Context

_DIGIT = LazyPattern(r"\d")
_LETTERS = LazyPattern(r"[^\W\d_]+")
# Lower-case substrings without which a sentence holds no troop noun.
_TROOP_HINT = (
    "troop",
    "soldi",
    "solder",
    "personnel",
    "servicem",
    "service m",
    "reinforc",
    "contingent",
    "vojni",
    "pripadni",
    "militar",
    "soldat",
    "efectiv",
    "efetiv",
    "einsatz",
    "truppe",
    "trupe",
    "tropas",
    "rinforz",
    "refuerz",
    "poja\u010d",
    "pojac",
    "usht",
)


def extract_facts(sentences: Sequence[str], published: Published) -> list[Fact]:
    """Every fact in the sentences, in reading order; `sentence_index` is the position in `sentences`.

    Most sentences hold no fact, and most articles are about something else: what would tell is
    tested for the whole article first (substring tests, fast), then only in sentences that hold
    a number, so reading an article that names neither the mission nor casualties costs little.
    """
    # The finders load here, not above: replies read `facts.deadlines` and `facts.words` only,
    # and compiling the finders' patterns cost every command a tenth of its start-up.
    from briefings.facts.troops import Context

    lowers = [text.lower() for text in sentences]
    article = "\n".join(lowers)
    may_name = words.holds(article, words.MISSION_HINT)
    may_hurt = words.holds(article, words.CASUALTY_HINT)
    may_troop = may_name and words.holds(article, _TROOP_HINT)
    mission = [
        may_name and names_mission(text, lower)
        for text, lower in zip(sentences, lowers, strict=True)
    ]
    context = Context(published, any(mission))
    facts: list[Fact] = []
    for index, (text, lower) in enumerate(zip(sentences, lowers, strict=True)):
        digits = _DIGIT.search(text) is not None
        if not digits and not ((may_name or may_hurt) and _number_word(lower)):
            continue
        troops = mission[index] or (
            context.mission_article and may_troop and words.holds(lower, _TROOP_HINT)
        )
        casualties = may_hurt and words.holds(lower, words.CASUALTY_HINT)
        if troops or casualties or (digits and may_hold_dates(text)):
            sentence = Sentence(text, lower, mission=mission[index])
            facts.extend(
                _sentence_facts(sentence, index, context, troops=troops, casualties=casualties)
            )
    return facts


def _number_word(lower: str) -> bool:
    """Whether the lower-cased sentence holds a number written as a word."""
    return not NUMBER_WORDS.isdisjoint(_LETTERS.findall(lower))


def _sentence_facts(
    s: Sentence, index: int, context: Context, *, troops: bool, casualties: bool
) -> list[Fact]:
    from briefings.facts.casualties import casualty_facts  # see extract_facts
    from briefings.facts.troops import troop_facts

    found = deadline_facts(s, index, context.published) if s.dates else []
    if troops or casualties:
        read = casualty_facts(s, index, context) if casualties else []
        found += read
        if troops:
            heads = {fact.start for _, fact in read}
            taken = {count.start for count in s.counts if count.head in heads}
            found += troop_facts(s, index, context, taken)
    found.sort(key=lambda item: item[0])
    return [fact for _, fact in found]
