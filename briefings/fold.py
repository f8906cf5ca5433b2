"""Search folding: case, diacritics and Serbian/Albanian place-name spellings reduced to one form."""

from __future__ import annotations

import re

from unidecode import unidecode

from briefings.patterns import LazyPattern

# Spellings (after lower-casing and transliteration) of the same place, by the canonical token.
# Serbian and Albanian names, Albanian definite forms, and English usage all meet in one token.
_PLACES = {
    "mitrovica": ("mitrovica", "mitrovice", "mitrovices", "mitrovicen"),
    "pristina": ("pristina", "prishtina", "prishtine", "prishtines", "prishtinen"),
    "leposavic": ("leposavic", "leposaviq", "leposaviqi"),
    "zvecan": ("zvecan", "zvecani", "zvecanit"),
    "jarinje": ("jarinje", "jarinja", "jarinjes"),
    "zubin potok": ("zubin potok", "zubin potoku", "zubin potokut"),
    "gjilan": ("gjilan", "gjilani", "gnjilane"),
    "peja": ("peja", "peje", "pec"),
    "prizren": ("prizren", "prizreni"),
    "brnjak": ("brnjak", "bernjak", "bernjaku"),
    "kosovo": ("kosovo", "kosova", "kosove", "kosoves"),
}
# Only spellings that differ from their canonical token need replacing.
_REPLACE = {
    variant: canonical
    for canonical, names in _PLACES.items()
    for variant in names
    if variant != canonical
}


def _trie(words: list[str]) -> str:
    """A regex matching exactly `words`, factored by shared prefixes.

    Python's regex engine tries a plain alternation branch by branch; the factored form decides
    one character at a time.
    """
    branches: dict[str, list[str]] = {}
    for word in words:
        if word:
            branches.setdefault(word[0], []).append(word[1:])
    parts = [
        (r"\s+" if first == " " else re.escape(first)) + _trie(rest)
        for first, rest in sorted(branches.items())
    ]
    if not parts:
        return ""
    body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
    return f"(?:{body})?" if "" in words else body


# No leading \b: a pattern that starts with a plain character lets the engine skip ahead to
# candidate letters, several times faster over long texts; the start is checked in `_canonical`.
_PLACE_NAME = LazyPattern(_trie(sorted(_REPLACE)) + r"\b")
_WORD = LazyPattern(r"[^\W_]+")


class _Transliteration(dict[int, str]):
    """A `str.translate` table that fills itself: each character is looked up in Unidecode once.

    Translating through a dict runs in C, several times faster than calling Unidecode on every
    non-ASCII run of every article.
    """

    def __missing__(self, codepoint: int) -> str:
        char = chr(codepoint)
        folded = char if codepoint < 0x80 else unidecode(char).lower()
        self[codepoint] = folded
        return folded


_TRANSLITERATION = _Transliteration()


def _canonical(match: re.Match[str]) -> str:
    start = match.start()
    if start and match.string[start - 1].isalnum():
        return match.group()
    return _REPLACE[" ".join(match.group().split())]


def fold(text: str) -> str:
    """Text as the search index stores it, so "Zvečan", "Zveçan" and "Zvecani" find each other.

    Lower-cased, transliterated to ASCII, with every known spelling of a place replaced by one
    token; hyphens and punctuation stay for the full-text tokenizer.
    """
    folded = text.lower()
    if not folded.isascii():
        folded = folded.translate(_TRANSLITERATION)
    return _PLACE_NAME.sub(_canonical, folded)


def fold_query_terms(query: str) -> list[str]:
    """A user's search text as folded bare words (letters and digits only).

    Quotes, operators' punctuation, brackets, stars and emoji disappear, so whatever was typed the
    store can quote each word and hand it to FTS5 as plain text.
    """
    return _WORD.findall(fold(query))
