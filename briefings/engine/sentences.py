"""Sentences as points: whether one reads alone, its dateline trimmed, its words, how informative it is."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from briefings.fold import fold
from briefings.patterns import LazyPattern

MIN_CHARS = 40
# Sentences whose analysis is kept: replies are asked for again and again about the same newest
# articles, and reading a sentence (regexes, folding) costs more than everything else per point.
CACHED_SENTENCES = 16_384
# Longer "sentences" are paragraphs the splitter could not cut; no chat field would hold one.
MAX_CHARS = 600

_PRONOUN_START = LazyPattern(
    r"^[\"\u201c\u2018'(\s]*(?:he|she|they|it|this|these|those|that|such|his|her|hers|their|its|him|them"
    r"|and|or|also)\b",
    re.IGNORECASE,
)
_TERMINAL = LazyPattern(r"[.!?][\"\u201d\u2019')\]]*$")
_DOUBLE_QUOTES = LazyPattern(r"[\"\u201c\u201d]")
# What precedes the news in a first sentence: a dateline ("PRISTINA/MITROVICA: ", "JARINJE, Kosovo - "
# with any dash, "PRISTINA (Agency) - ") or a paragraph number ("2: ").
_LEAD_IN = LazyPattern(
    r"^(?:\d{1,2}:\s+|[A-Z][A-Z'\u2019.-]+(?:[ /][A-Z][A-Z'\u2019.-]+)*(?:,\s+[A-Z][a-z]+)?"
    r"(?:\s+\([^()]{1,40}\))?\s*(?::|\u2013|\u2014|--?)\s+)"
)
_WORD = LazyPattern(r"[a-z0-9]+")
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "as",
        "is",
        "was",
        "were",
        "are",
        "be",
        "been",
        "has",
        "have",
        "had",
        "that",
        "this",
        "it",
        "its",
        "their",
        "they",
        "he",
        "she",
        "his",
        "her",
        "which",
        "who",
        "said",
        "says",
        "will",
        "would",
        "also",
        "after",
        "than",
        "into",
        "over",
        "not",
    ]
)
_NAME = LazyPattern(r"(?<!^)(?<![.!?]\s)\b[A-Z][\w\u2019'-]*[a-zA-Z]")
_NOT_NAMES = frozenset(
    [
        "The",
        "A",
        "An",
        "In",
        "On",
        "At",
        "For",
        "But",
        "And",
        "It",
        "He",
        "She",
        "They",
        "This",
        "That",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
)
_DATE_WORDS = LazyPattern(
    r"\b(?:(?:19|20)\d\d|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Monday|Tuesday|Wednesday"
    r"|Thursday|Friday|Saturday|Sunday|yesterday|today)\w*\b"
)


@functools.lru_cache(maxsize=CACHED_SENTENCES)
def readable(text: str) -> bool:
    """Whether a sentence can stand alone in a reply: long enough, complete, self-contained, balanced."""
    if not MIN_CHARS <= len(text) <= MAX_CHARS:
        return False
    if not (text[0].isupper() or text[0].isdigit() or text[0] in '"\u201c\u2018'):
        return False
    return (
        _TERMINAL.search(text) is not None
        and _PRONOUN_START.match(text) is None
        and len(_DOUBLE_QUOTES.findall(text)) % 2 == 0
        and text.count("(") == text.count(")")
    )


@functools.lru_cache(maxsize=CACHED_SENTENCES)
def trimmed(text: str) -> str:
    """The sentence without a leading dateline or paragraph number, when what is left reads on its own."""
    rest = _LEAD_IN.sub("", text, count=1)
    return rest if rest != text and readable(rest) else text


@functools.lru_cache(maxsize=CACHED_SENTENCES)
def tokens(text: str) -> frozenset[str]:
    """Content words of a sentence, folded, for comparing what two sentences say."""
    return frozenset(w for w in _WORD.findall(fold(text)) if w not in _STOPWORDS)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Shared words over all words; 0 for two empty sets."""
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return shared / (len(a) + len(b) - shared)


def informativeness(text: str, fact_kinds: Iterable[str]) -> float:
    """0..1: figures and deadlines read from the sentence, named actors, and dates make it worth reading."""
    facts = min(1.0, 0.5 * len(set(fact_kinds)))
    actors, dates = _actors_and_dates(text)
    return 0.5 * facts + 0.3 * actors + 0.2 * dates


@functools.lru_cache(maxsize=CACHED_SENTENCES)
def _actors_and_dates(text: str) -> tuple[float, float]:
    """The text's parts of `informativeness`: named actors (0..1), and whether it gives a date."""
    names = {name for name in _NAME.findall(text) if name not in _NOT_NAMES}
    return min(1.0, len(names) / 4), 1.0 if _DATE_WORDS.search(text) else 0.0
