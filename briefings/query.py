"""A search query as groups of words: each word the user typed, its other forms and its synonyms.

The full-text index stems English words (Porter), so "soldiers" already finds "soldier". What
stemming misses, the query adds: the y/ie forms ("injured" and "injuries" stem apart), and this
field's synonyms (wounded/injured/hurt, troops/soldiers/peacekeepers, plates/registration,
crossing/checkpoint, barricade/roadblock, removed/dismantled, a contributing country and its
people), next to the place-name spellings `fold` unifies.
A group matches when any of its words does; a query's groups are what "all words" counts.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from briefings.fold import fold_query_terms

# Words that mean the same in reports on this field; each line is one group.
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("wounded", "injured", "injury", "injuries", "hurt"),
    ("troops", "soldiers", "peacekeepers", "servicemen"),
    ("plates", "registration", "licence", "license"),
    ("crossing", "crossings", "checkpoint", "checkpoints"),
    ("barricade", "barricades", "roadblock", "roadblocks", "blockade"),
    ("removed", "remove", "removal", "dismantled", "dismantle"),
    # A contributing country and its people: "Romanian troops" are news about Romania's troops.
    ("romania", "romanian", "romanians"),
    ("turkey", "turkish", "turkiye", "turks"),
    ("switzerland", "swiss"),
    ("italy", "italian", "italians"),
    ("poland", "polish"),
    ("hungary", "hungarian", "hungarians"),
    ("germany", "german", "germans"),
    ("britain", "british"),
    ("serbia", "serbian", "serbians", "serbs", "serb"),
    ("albania", "albanian", "albanians"),
)
# Words too common to require: a query "troops in Zvecan" is about troops and Zvecan.
STOPWORDS = frozenset(
    ["a", "an", "the", "of", "in", "on", "at", "to", "for", "and", "or", "by", "with", "from"]
)
# A stem shorter than this would find unrelated words as a prefix ("inj" would).
MIN_PREFIX = 5
# Words this short are matched only as themselves, never as a stem with an ending ("kfor", "uk").
SHORT_WORD = 4


@dataclass(frozen=True)
class WordGroup:
    """One word of the query, with every form and synonym that counts as finding it."""

    word: str
    forms: tuple[str, ...]
    prefixes: tuple[str, ...]

    def expression(self) -> str:
        """FTS5 syntax matching any of the forms: each quoted, so no input is FTS syntax.

        Forms the index finds anyway are left out, as each costs the search time: a plural
        whose singular is a form (the index stems words), or a word a prefix already covers.
        """
        forms = set(self.forms)
        needed = [
            form
            for form in self.forms
            if not (form.endswith("s") and form[:-1] in forms)
            and not form.startswith(self.prefixes)
        ]
        parts = [_quoted(form) for form in needed]
        parts += [f"{_quoted(prefix)}*" for prefix in self.prefixes]
        return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"

    def matches(self, folded_word: str) -> bool:
        """Whether a word of a folded text is one of this group's forms."""
        return self._pattern.fullmatch(folded_word) is not None

    def found_in(self, folded_text: str) -> bool:
        """Whether a folded text holds one of this group's forms."""
        return self._pattern.search(folded_text) is not None

    @functools.cached_property
    def _pattern(self) -> re.Pattern[str]:
        """A form's stem and any ending ("injur" finds "injuries"); a short word only as itself."""
        stems = sorted({_base(form) for form in self.forms if len(form) > SHORT_WORD})
        short = sorted({form for form in self.forms if len(form) <= SHORT_WORD})
        parts = [*(rf"{re.escape(stem)}\w*" for stem in stems), *map(re.escape, short)]
        return re.compile(r"\b(?:" + "|".join(parts) + r")\b")


def parse(query: str) -> list[WordGroup]:
    """The query's word groups in the order typed, one per distinct meaning.

    Common function words are dropped unless the query holds nothing else; two words of one
    synonym group ("plates registration") are one group.
    """
    words = fold_query_terms(query)
    content = [w for w in words if w not in STOPWORDS] or words
    groups: dict[frozenset[str], WordGroup] = {}
    for word in content:
        forms = _synonyms(word)
        groups.setdefault(frozenset(forms), _group(word, forms))
    return list(groups.values())


def all_of(groups: list[WordGroup]) -> str:
    """FTS5 syntax: every group must match."""
    return " AND ".join(group.expression() for group in groups)


def any_of(groups: list[WordGroup]) -> str:
    """FTS5 syntax: any group may match."""
    return " OR ".join(group.expression() for group in groups)


def _synonyms(word: str) -> tuple[str, ...]:
    base = _base(word)
    for line in SYNONYMS:
        if any(_base(member) == base for member in line):
            return (word, *(member for member in line if member != word))
    return (word,)


def _group(word: str, forms: tuple[str, ...]) -> WordGroup:
    prefixes = tuple(
        dict.fromkeys(
            _base(form)
            for form in forms
            if form.endswith(("y", "ies", "ied", "ed")) and len(_base(form)) >= MIN_PREFIX
        )
    )
    return WordGroup(word, forms, prefixes)


def _base(word: str) -> str:
    """A crude stem for comparing word forms: "injuries", "injured", "injury" -> "injur"."""
    if len(word) <= SHORT_WORD:
        return word
    for ending in ("ies", "ied", "ing", "ed"):
        if word.endswith(ending):
            return word[: -len(ending)]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    if word.endswith("y"):
        return word[:-1]
    return word


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'
