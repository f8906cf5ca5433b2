"""Pure text clean-up: hostile characters out, page furniture out, sentences split."""

from __future__ import annotations

import functools
import re
import threading
import unicodedata

import pysbd

from briefings import furniture

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
_INVISIBLE_CHARS = re.compile("[" + "".join(re.escape(chr(c)) for c in _INVISIBLE) + "]+")
# A flood of combining marks needs at least three non-ASCII characters in a row: a cheap test
# that spares most texts the full scan.
_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]{3}")
_LINE_BREAKS = re.compile(r"\r\n?|\u0085|\u2028")
MAX_COMBINING_MARKS = 2

_SPACES = re.compile(r"[^\S\n]+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# pysbd leaves a closing quote that follows the full stop at the start of the next segment.
_STRAY_CLOSERS = re.compile("^([\"\u201d\u2019'\u00bb)\\]]+)(?=\\s|$)")
# pysbd keeps per-call state on the Segmenter, so threads sharing one garble each other's text
# (sentences were lost); each thread gets its own, built once since building one is slow.
_SEGMENTERS = threading.local()


def _segmenter() -> pysbd.Segmenter:
    segmenter = getattr(_SEGMENTERS, "segmenter", None)
    if segmenter is None:
        segmenter = _SEGMENTERS.segmenter = pysbd.Segmenter(language="en", clean=False)
    return segmenter


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
    s = _INVISIBLE_CHARS.sub("", _LINE_BREAKS.sub("\n", s).replace("\u2029", "\n\n"))
    s = unicodedata.normalize("NFC", s)
    if not _NON_ASCII_RUN.search(s):
        return s
    return _mark_flood().sub(r"\1", s)


def normalise_whitespace(s: str) -> str:
    """Collapse runs of spaces, tabs and no-break spaces to one space, keeping line breaks."""
    return "\n".join(_SPACES.sub(" ", line).strip() for line in s.split("\n"))


def clean_text(raw: str, title: str | None = None) -> str:
    """The article's own paragraphs, joined by blank lines, with page furniture removed.

    See `briefings.furniture` for the rules; they judge the shape of a line, not its exact words.
    """
    text = furniture.strip_date_marker(_LINE_BREAKS.sub("\n", raw))
    lines = normalise_whitespace(text).split("\n")
    return "\n\n".join(furniture.article_paragraphs(lines, title))


def split_sentences(text: str) -> list[str]:
    """Sentences of each paragraph in order; no sentence spans a blank line.

    The whole text goes to pysbd in one call (much faster than one call per paragraph), and its
    segments are then cut again at paragraph breaks.
    """
    if not text.strip():
        return []
    sentences: list[str] = []
    new_paragraph = True
    for segment in _segmenter().segment(text):
        for index, piece in enumerate(_PARAGRAPH_BREAK.split(segment)):
            new_paragraph = new_paragraph or index > 0
            piece = " ".join(piece.split())
            closers = _STRAY_CLOSERS.match(piece)
            if closers and not new_paragraph:
                sentences[-1] += closers.group(1)
                piece = piece[closers.end() :].lstrip()
            if piece:
                sentences.append(piece)
                new_paragraph = False
    return sentences
