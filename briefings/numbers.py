"""Whole numbers as news text writes them: "3,800", "3 800", "1.8 million", "seven hundred", "a thousand"."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from briefings.patterns import LazyPattern

_UNITS = {
    word: value
    for value, word in enumerate(
        (
            "zero",
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
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        )
    )
}
_TENS = {
    word: 10 * (index + 2)
    for index, word in enumerate(
        ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
    )
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}

_WORD = "|".join(sorted([*_UNITS, *_TENS, *_SCALES], key=len, reverse=True))
_SCALE = "hundred|thousand|million|billion"
# Thousands grouped by one separator used throughout: "3,800", "3.800", "3 800" (also no-break spaces).
# The pattern opens with a plain digit (then looks behind it) so the scanner can skip ahead quickly.
_SPACE = "[ \u00a0\u202f\u2009]"
_DIGITS = (
    r"\d(?<![\w.,]\d)"
    rf"(?:\d{{0,2}}(?:,\d{{3}})+|\d{{0,2}}(?:\.\d{{3}})+|\d{{0,2}}(?:{_SPACE}\d{{3}})+|\d*(?:[.,]\d+)?)"
    rf"(?![\w]|[.,]\d)(?:\s+(?:{_SCALE})\b)?"
)
# "and" may only follow a scale word, so "one hundred and five" is one number, "two and three" two.
_WORDS = (
    rf"\b(?:an?\s+(?:{_SCALE})|{_WORD})"
    rf"(?:(?:[\s-]+|(?:(?<=hundred)|(?<=thousand)|(?<=million))\s+and\s+)(?:{_WORD}))*\b"
)

# For building larger patterns: matches exactly what `find_numbers` reads, with no groups.
NUMBER_PATTERN = rf"(?i:{_DIGITS}|{_WORDS})"
_DIGIT_NUMBER = LazyPattern(_DIGITS, re.IGNORECASE)
_WORD_NUMBER = LazyPattern(_WORDS, re.IGNORECASE)
# A number in words is matched only where one of these words starts: most sentences have none,
# and trying the pattern at every position of every sentence is several times slower.
# (Plain substring tests on the lowered text beat splitting it into words.)
_NUMBER_WORDS = (*_UNITS, *_TENS, *_SCALES)
# The same as a set, for callers that test a text's words at once.
NUMBER_WORDS = frozenset(_NUMBER_WORDS)
_ARTICLE_BEFORE = LazyPattern(r"\ban?\s+$")
_SPLIT = LazyPattern(r"[\s-]+")
_SCALED = LazyPattern(rf"(.+?)\s+({_SCALE})")
_DECIMAL = LazyPattern(r"\d+[.,](?:\d{1,2}|\d{4,})")
_NOT_DIGIT = LazyPattern(r"\D")
# Longer than any count news reports ("7,900,000,000 people", a scale word after it): a longer run
# of digit groups is not read, and int() refuses more than 4,300 digits anyway.
MAX_DIGITS_CHARS = 40


@dataclass(frozen=True)
class NumberMatch:
    """A whole number found in a text, with where it sits so callers can quote it exactly."""

    value: int
    start: int
    end: int
    text: str

    @property
    def year_like(self) -> bool:
        """A bare four-digit 1900-2099 ("in 1999") is almost always a year, not a count."""
        return self.text.isdigit() and len(self.text) == 4 and 1900 <= self.value <= 2099


def find_numbers(text: str) -> list[NumberMatch]:
    """Every whole number in `text`, left to right; decimals without a scale word are skipped."""
    matches = list(_DIGIT_NUMBER.finditer(text))
    taken = [match.span() for match in matches]
    taken_starts = [a for a, _ in taken]
    end = -1
    for start in _word_starts(text):
        at = bisect.bisect_right(taken_starts, start) - 1
        if start < end or (at >= 0 and start < taken[at][1]):
            continue
        match = _WORD_NUMBER.match(text, start)
        if match is not None:
            matches.append(match)
            end = match.end()
    found = []
    for match in sorted(matches, key=lambda m: m.start()):
        value = parse_number(match.group())
        if value is not None:
            found.append(NumberMatch(value, match.start(), match.end(), match.group()))
    return found


def _word_starts(text: str) -> list[int]:
    """Where a number in words may begin: at a number word, or at "a"/"an" before a scale word."""
    lower = text.lower()
    present = [word for word in _NUMBER_WORDS if word in lower]
    if not present:
        return []
    if len(lower) != len(text):
        # Positions must line up with `text`, and a few characters lower-case to two ("İ").
        lower = "".join(ch.lower()[0] for ch in text)
    starts = set()
    for word in present:
        at = lower.find(word)
        while at >= 0:
            if at == 0 or not lower[at - 1].isalpha():
                starts.add(at)
                article = _ARTICLE_BEFORE.search(lower, max(0, at - 4), at)
                if article is not None and word in _SCALES:
                    starts.add(article.start())
            at = lower.find(word, at + 1)
    return sorted(starts)


def parse_number(written: str) -> int | None:
    """The value of one number as matched by NUMBER_PATTERN, or None if it is not a whole number."""
    written = written.strip().lower()
    if written[0].isdigit():
        return _parse_digits(written)
    return _parse_words(written)


def _parse_digits(written: str) -> int | None:
    if len(written) > MAX_DIGITS_CHARS:
        return None  # "100 100 100 ..." read as one group of thousands: not a count of anything
    scaled = _SCALED.fullmatch(written)
    if scaled:
        head, scale = scaled.groups()
        # A scale word makes a single separator a decimal point: "1.8 million", "1,5 million".
        if head.count(".") + head.count(",") == 1:
            return round(float(head.replace(",", ".")) * _SCALES[scale])
        return int(_NOT_DIGIT.sub("", head)) * _SCALES[scale]
    if _DECIMAL.fullmatch(written):
        return None
    return int(_NOT_DIGIT.sub("", written))


def _parse_words(written: str) -> int | None:
    total = current = 0
    for word in _SPLIT.split(written):
        if word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in _SCALES:
            total += (current or 1) * _SCALES[word]
            current = 0
        elif word not in ("a", "an", "and"):
            return None
    return total + current
