"""Pure text clean-up: hostile characters out, page furniture out, sentences split."""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from dataclasses import dataclass

from briefings.patterns import LazyPattern

# Characters that only ever hide or reorder text in a chat message: C0/C1 controls (except tab and
# newline), bidi overrides, embeddings and isolates, and zero-width characters.
_INVISIBLE = (
    [c for c in range(0x20) if c not in (0x09, 0x0A)]
    + list(range(0x7F, 0xA0))
    + [0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x2060, 0xFEFF, 0x061C]
    + list(range(0x202A, 0x202F))
    + list(range(0x2066, 0x206A))
)
# One character class rather than str.translate with a dict, which is ten times slower.
_INVISIBLE_CHARS = LazyPattern("[" + "".join(re.escape(chr(c)) for c in _INVISIBLE) + "]+")
# A flood of combining marks needs at least three non-ASCII characters in a row: a cheap test
# that spares most texts the full scan.
_NON_ASCII_RUN = LazyPattern(r"[^\x00-\x7f]{3}")
_LINE_BREAKS = LazyPattern(r"\r\n?|\u0085|\u2028")
MAX_COMBINING_MARKS = 2

_PARAGRAPH_BREAK = LazyPattern(r"\n\s*\n")


@functools.cache
def _mark_flood() -> re.Pattern[str]:
    """A run of more than MAX_COMBINING_MARKS combining marks (built once, on first need).

    The class is written as code-point ranges: enumerating its thousands of characters one by one
    made every match slow.
    """
    marks = [
        cp
        for cp in (*range(0x300, 0x20000), *range(0xE0100, 0xE01F0))
        if unicodedata.category(chr(cp)) in ("Mn", "Me")
    ]
    ranges: list[list[int]] = []
    for cp in marks:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1][1] = cp
        else:
            ranges.append([cp, cp])
    cls = "[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges) + "]"
    return re.compile(f"({cls}{{{MAX_COMBINING_MARKS}}}){cls}+")


def strip_controls(s: str) -> str:
    """Remove characters that can hide, reorder or smear text, so what is shown is what is stored.

    Line breaks become "\\n"; controls, bidi formatting and zero-width characters go; a flood of
    combining marks on one letter ("zalgo") is cut to two; the result is NFC.
    """
    # Every character removed or rewritten here is unprintable, and most texts hold none besides
    # newlines and tabs: that test costs a tenth of the two substitutions.
    if not s.replace("\n", "").replace("\t", "").isprintable():
        s = _INVISIBLE_CHARS.sub("", _LINE_BREAKS.sub("\n", s).replace("\u2029", "\n\n"))
    if s.isascii():
        return s
    s = unicodedata.normalize("NFC", s)
    if not _NON_ASCII_RUN.search(s):
        return s
    return _mark_flood().sub(r"\1", s)


def normalise_whitespace(s: str) -> str:
    """Collapse runs of spaces, tabs and no-break spaces to one space, keeping line breaks.

    Split and joined line by line: a pattern for the runs matched every single space between
    two words (most texts come with their spacing clean), three times slower.
    """
    return "\n".join(" ".join(line.split()) for line in s.split("\n"))


def shorten(text: str, limit: int) -> str:
    """The text if it fits in `limit` characters, else cut at the last word boundary with "…"."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"


@dataclass(frozen=True)
class CleanText:
    """An article's own paragraphs joined by blank lines, and the dateline trimmed from them."""

    text: str
    dateline: str | None = None


def clean_article(raw: str, title: str | None = None) -> CleanText:
    """The article's own paragraphs with page furniture removed, and its dateline.

    See `briefings.furniture` for the rules; they judge the shape of a line, not its exact words.
    Clean text cleans to itself, so stored articles can be cleaned again by newer rules.
    """
    # Loaded here, not above: the furniture rules are only for cleaning, and compiling their
    # patterns slowed every command's start-up.
    from briefings import furniture

    text = furniture.strip_date_marker(_LINE_BREAKS.sub("\n", raw))
    lines = normalise_whitespace(text).split("\n")
    found = furniture.article(lines, title)
    dateline = found.dateline.text if found.dateline else None
    return CleanText("\n\n".join(found.paragraphs), dateline)


def clean_text(raw: str, title: str | None = None) -> str:
    """The article's own paragraphs, joined by blank lines, with page furniture removed."""
    return clean_article(raw, title).text


def with_dateline(text: str, dateline: str | None) -> str:
    """A stored clean text with its stored dateline put back in front, as a draft to derive
    again: cleaning trims the dateline once more and keeps it (see `clean_article`)."""
    return f"{dateline} - {text}" if dateline else text


def article_sentences(text: str) -> list[str]:
    """The sentences of a clean text, without its sub-headings: a heading is the article's
    structure, kept in its text, but never a point of a reply. A text that is only a headline
    keeps it."""
    from briefings import furniture  # see clean_article

    sentences = split_sentences(text)
    prose = [s for s in sentences if not furniture.is_heading(s)]
    return prose or sentences


# --- sentences -------------------------------------------------------------------------------------
#
# Rules, not a model: pysbd, used before, took about 13 ms an article, most of ingest's CPU time.
# Each stop followed by a space is a candidate; the token before it and the word after it decide.

_STOPS = ".?!\u2026\u3002\uff01\uff1f"  # with the ellipsis character and the CJK full stop, ! and ?
_CLOSERS = "\"'\u201d\u2019\u00bb)]"
_OPENERS = "\"'\u201c\u201e\u2018\u00ab(["
_DOUBLE_OPEN = '"\u201c\u201e\u00ab'
_DOUBLE_CLOSE = '"\u201c\u201d\u00bb'  # German quotations close with \u201c
# A stop with any closing quotes or brackets after it, then the space before the next token. The
# first stop is a class of its own: a pattern that starts with one character class is scanned fast.
_STOP = LazyPattern(f"[{_STOPS}][{_STOPS}]*[{re.escape(_CLOSERS)}]* ")
# Quotations and brackets closed within their paragraph: a stop inside one never ends the sentence
# around it, so a quoted remark of two sentences stays one unit, as it did under pysbd and as facts
# and citations expect. A single quote opens only between a non-letter and a letter, and closes
# only where no letter follows, so the apostrophes in "Kosovo's" and "Serbs' cars" stay
# apostrophes. Double quotes and brackets close at the next mark of their kind (see `_quotations`).
_OPENING = LazyPattern(f"[{_DOUBLE_OPEN}(\\[\u2018']")
_CLOSED_AFTER = {
    **dict.fromkeys(
        _DOUBLE_OPEN, LazyPattern(f"[^{_DOUBLE_OPEN}{_DOUBLE_CLOSE}\n]*[{_DOUBLE_CLOSE}]")
    ),
    "(": LazyPattern(r"[^()\n]*\)"),
    "[": LazyPattern(r"[^\[\]\n]*\]"),
}
# Where a single quotation's text ends: an opening single quote, a line break, or a single quote
# that no letter follows (the close).
_SINGLE_QUOTE_END = LazyPattern("[\u2018\n]|[\u2019'](?!\\w)")
_INITIALS = LazyPattern(r"(?:[^\W\d_]\.)*[^\W\d_]")  # "U.S", "F", "p.m": the last stop comes apart
_LEADING_WORD = LazyPattern(r"[^\W\d_]+(?:-[^\W\d_]+)*")  # "The", "Under-Secretary"

# What a full stop after a known abbreviation or an initialism means:
_NEVER = "never"  # a title or a word that leads into a name or figure: "Gen. Ulutas", "approx. 40"
_BEFORE_NUMBER = "before number"  # goes on before a figure ("No. 2"), else a plain word ("No.")
# Can close a sentence as well as sit inside one ("Acme Inc.", "on Sept. 20", "the U.S."): it ends
# one only before a word that commonly opens one ("the U.S. They...", not "the U.S. Embassy").
_BEFORE_STARTER = "before starter"
# Ends one before a capital ("5 p.m. Officials left"), unless a weekday or an acronym follows it
# ("5 p.m. Monday", "5 p.m. GMT").
_BEFORE_CAPITAL = "before capital"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_ABBREVIATIONS = {
    **dict.fromkeys(
        _words(
            "mr mrs ms dr prof gen brig lt col maj capt cpl sgt pvt adm cmdr gov sen rep pres st"
            " mt ft rev vs approx ca cf e.g i.e incl esp"
        ),
        _NEVER,
    ),
    **dict.fromkeys(_words("no nos art vol fig p pp"), _BEFORE_NUMBER),
    **dict.fromkeys(
        _words(
            "inc ltd co corp plc llc bros jr sr al jan feb mar apr jun jul aug sep sept oct nov dec"
        ),
        _BEFORE_STARTER,
    ),
    "etc": _BEFORE_CAPITAL,
}
# Words that open sentences far more often than they follow "U.S." or "Inc." inside one.
_STARTERS = _words(
    """The A An He She It I We They You His Her Its Their Our This That These Those There Here
    But And Or So Yet Then Now Still Also However Meanwhile Moreover Instead Although Though While
    When After Before Since If As At In On By For From With Without During Despite Some Many
    More Most Several All Both Each Who What Where Why How"""
)
_WEEKDAYS = _words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")


def split_sentences(text: str) -> list[str]:
    """Sentences of each paragraph in order; no sentence spans a blank line.

    Whitespace inside a sentence collapses to single spaces, line breaks included: clean text keeps
    a line break only between paragraphs, so a lone one is hard wrapping. Pure and stateless, so
    threads may share it (pysbd kept per-call state and garbled text across threads).
    """
    # One line per paragraph with single spaces inside, so each pattern scans the text only once.
    flat = "\n".join(" ".join(paragraph.split()) for paragraph in _PARAGRAPH_BREAK.split(text))
    quotations = iter(_quotations(flat))
    quoted = next(quotations, None)
    pieces: list[str] = []
    start = 0
    for stop in _STOP.finditer(flat):
        space = stop.end() - 1
        while quoted and quoted[1] <= space:
            quoted = next(quotations, None)
        if quoted and quoted[0] < space:
            continue  # inside a quotation or brackets
        if _ends_sentence(flat, stop.start(), space, start):
            pieces.append(flat[start:space])
            start = space + 1
    pieces.append(flat[start:])
    return [sentence for piece in pieces for sentence in piece.split("\n") if sentence]


def _quotations(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each quotation and bracketed part closed within its paragraph, left to
    right, none inside another.

    Linear in the text: a double quote or bracket is read to the next mark of its kind, and each
    single quote looks up where its quotation would end among ends found once for the whole text
    (a pattern that read from every quote to the end of the paragraph took minutes on a text of
    many quotes and no close).
    """
    spans: list[tuple[int, int]] = []
    ends = [m.start() for m in _SINGLE_QUOTE_END.finditer(text)]
    done = 0
    for opening in _OPENING.finditer(text):
        start = opening.start()
        if start < done:
            continue
        mark = text[start]
        if mark in _CLOSED_AFTER:
            closed = _CLOSED_AFTER[mark].match(text, start + 1)
            end = closed.end() if closed else None
        else:
            end = _single_quotation_end(text, start, ends)
        if end is not None:
            spans.append((start, end))
            done = end
    return spans


def _single_quotation_end(text: str, start: int, ends: list[int]) -> int | None:
    """Where the single quotation opened at `start` ends, if it opens there and is closed."""
    before, after = text[start - 1 : start], text[start + 1 : start + 2]
    if (before and (before.isalnum() or before == "_")) or not (after.isalnum() or after == "_"):
        return None
    end = ends[bisect.bisect_right(ends, start)] if ends and ends[-1] > start else None
    if end is None or text[end] not in "\u2019'":
        return None
    return end + 1


def _ends_sentence(text: str, stop: int, space: int, sentence_start: int) -> bool:
    """Whether the stop at `stop`, then any closers and the space at `space`, ends a sentence."""
    last = text[space - 1]
    if last in "?!\u3002\uff01\uff1f":
        return True
    if last in _CLOSERS:
        # "an act of terror." Belgrade rejected it. / "Why?" he asked. / (see above.) left
        first = _next_token(text, space)[:1]
        return not (first.islower() or first in "-\u2013\u2014")
    if last != "." or text[space - 2 : space - 1] == ".":
        # An ellipsis ends a sentence only before a capital: "Then... Nothing happened."
        return _next_token(text, space)[:1].isupper()
    # The word starts after the last space or line break; the break is looked for only within the
    # word, since looking back to the paragraph's start for every stop was quadratic.
    last_space = text.rfind(" ", 0, stop)
    begin = max(last_space, text.rfind("\n", last_space + 1, stop)) + 1
    word = text[begin:stop].lstrip(_OPENERS)
    kind = _ABBREVIATIONS.get(word.lower())
    if kind is None and (word.isupper() or "." in word) and _INITIALS.fullmatch(word):
        kind = _BEFORE_STARTER if word.isupper() else _BEFORE_CAPITAL  # "U.S.", "F."; "p.m."
    if kind is None:
        # A number opening a sentence is a list number ("1. Troops..."), not a sentence of its own.
        return not (word.isdigit() and (begin == sentence_start or text[begin - 1] == "\n"))
    if kind is _NEVER:
        return False
    after = _next_token(text, space)
    if kind is _BEFORE_NUMBER:
        return not after[:1].isdigit()
    letters = _LEADING_WORD.match(after)
    word_after = letters.group() if letters else ""
    if kind is _BEFORE_STARTER:
        return word_after in _STARTERS
    return word_after[:1].isupper() and word_after not in _WEEKDAYS and not word_after.isupper()


def _next_token(text: str, space: int) -> str:
    """The start of what follows the space, opening quotes and brackets skipped."""
    return text[space + 1 : space + 30].lstrip(_OPENERS)
