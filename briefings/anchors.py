"""The figures and names a sentence states: two sentences that differ in them say different things."""

from __future__ import annotations

from functools import lru_cache

from briefings.fold import fold
from briefings.numbers import find_numbers
from briefings.patterns import LazyPattern

# A capitalised word: a name or an acronym, unless it only starts the sentence (see _OPENERS).
_NAME = LazyPattern(r"(?<![\w'\u2019])([^\W\d_][\w'\u2019-]*)")
# Words capitalised only because a sentence starts with them.
_OPENERS = frozenset(
    [
        "a",
        "an",
        "the",
        "on",
        "in",
        "at",
        "after",
        "before",
        "but",
        "and",
        "or",
        "as",
        "for",
        "from",
        "with",
        "by",
        "since",
        "when",
        "while",
        "however",
        "meanwhile",
        "also",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "he",
        "she",
        "they",
        "we",
        "i",
        "his",
        "her",
        "their",
        "there",
        "here",
        "some",
        "many",
        "most",
        "more",
        "several",
        "both",
        "all",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "if",
        "despite",
        "according",
        "during",
        "under",
        "over",
        "until",
        "of",
        "to",
    ]
)

_POSSESSIVE = LazyPattern(r"['\u2019]s?$")


@lru_cache(maxsize=8192)
def anchors(sentence: str) -> frozenset[str]:
    """Every number (as its value) and every capitalised word but a sentence opener, folded.

    "Ristuccia took command of KFOR, succeeding Kajari" and "Ulutaş took command of KFOR,
    succeeding Ristuccia" share most words but not their anchors, so neither may stand for the other.
    """
    numbers = {f"#{match.value}" for match in find_numbers(sentence)}
    words = _NAME.findall(sentence)
    names = {
        _POSSESSIVE.sub("", fold(word))
        for position, word in enumerate(words)
        if word[0].isupper() and not (position == 0 and word.lower() in _OPENERS)
    }
    return frozenset(numbers | names)
