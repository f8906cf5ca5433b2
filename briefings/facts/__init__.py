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

import re
from collections.abc import Sequence

from briefings.facts import words
from briefings.facts.casualties import casualty_facts
from briefings.facts.deadlines import deadline_facts
from briefings.facts.sentence import Sentence
from briefings.facts.troops import Context, troop_facts
from briefings.models import Fact, Published

# Lower-case substrings without which a sentence holds no troop noun.
_TROOP_HINT = re.compile(
    "troop|soldi|solder|personnel|servicem|service m|reinforc|contingent|vojni|pripadni|militar|"
    "soldat|efectiv|efetiv|einsatz|truppe|trupe|tropas|rinforz|refuerz|poja\u010d|pojac|usht"
)


def extract_facts(sentences: Sequence[str], published: Published) -> list[Fact]:
    """Every fact in the sentences, in reading order; `sentence_index` is the position in `sentences`."""
    mission_article = any(
        words.MISSION_HINT.search(text.lower()) and words.MISSION.search(text) for text in sentences
    )
    context = Context(published, mission_article)
    facts: list[Fact] = []
    for index, text in enumerate(sentences):
        facts.extend(_sentence_facts(Sentence(text), index, context))
    return facts


def _sentence_facts(s: Sentence, index: int, context: Context) -> list[Fact]:
    found = deadline_facts(s, index, context.published) if s.dates else []
    troops = s.names_mission() or (
        context.mission_article and _TROOP_HINT.search(s.lower) is not None
    )
    # A number becomes a fact only in a sentence about the mission, its troops or casualties:
    # finding the numbers of every other sentence would be most of the cost of reading facts.
    if troops or words.CASUALTY_HINT.search(s.lower):
        casualties = casualty_facts(s, index, context)
        found += casualties
        if troops:
            heads = {fact.start for _, fact in casualties}
            taken = {count.start for count in s.counts if count.head in heads}
            found += troop_facts(s, index, context, taken)
    found.sort(key=lambda item: item[0])
    return [fact for _, fact in found]
