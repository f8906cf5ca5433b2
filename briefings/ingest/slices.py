"""A feed document cut into slices of a few hundred entries, each a document the parser reads alone.

feedparser keeps every entry of a document in memory, about fifty times the document's size: a
feed of 100,000 items peaked at 737 MB. Read slice by slice (and derived and stored the same way),
a feed costs what one slice costs, whatever its size.

One pass of expat over the document finds where each entry (an `item` or `entry` element not
inside another) starts, and the elements it sits in. A slice after the first is those elements
opened again, its entries, and them closed again, so each slice is as well-formed as the document.
Past a point where the document is not well-formed, entries are found by their start tags
instead, and those slices are read by feedparser's lenient parser, as the whole document was.

The same pass refuses shapes no real feed has that cost feedparser memory or time out of all
proportion to their size (see the MAX_ limits); past an error, a look at the tags checks the same.
"""

from __future__ import annotations

import re
import xml.parsers.expat
from dataclasses import dataclass, field
from typing import Any

from briefings.errors import UnsafeDocument

SLICE_ENTRIES = 500
SLICE_BYTES = 1024 * 1024
# No feed element carries more than a handful of attributes; feedparser's strict parser takes
# time quadratic in their number (50,000 took 54 s), so a document with more is refused.
MAX_ATTRIBUTES = 100
# feedparser keeps a stack entry for every open element and a field for every distinct element
# name: 10 MiB of nested "<x>" took 660 MB (500 MB in the lenient parser), 10 MiB of distinct
# empty elements 380 MB. Real feeds nest a few dozen deep and use a few dozen names.
MAX_DEPTH = 1_000
MAX_ELEMENT_NAMES = 1_000
# The elements around the entries are written again at the head of every slice.
MAX_OPENING_BYTES = 64 * 1024
# Elements that never hold others in HTML, which the lenient parser reads as such.
_VOID = frozenset(b"area base br col embed hr img input link meta param source track wbr".split())
# A tag, a CDATA section or a comment, as the lenient parser sees markup: a tag ends at the next
# "<" or ">", so that no character is scanned twice.
_LENIENT_TOKEN = re.compile(rb"<(?:(!\[CDATA\[)|(!--)|(/?)([A-Za-z_][^\s/<>]*)([^<>]*))")
_LENIENT_ATTRIBUTE = re.compile(rb"\s[^\s=<>/]+\s*=")
ENTRY_NAMES = frozenset({"item", "entry"})
_ENTRY_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s>/]", re.IGNORECASE)
DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'


@dataclass(frozen=True)
class FeedSlices:
    """The slice documents in order (the first holds the feed's own title and details), and the
    expat error that made the rest be read leniently, if any."""

    documents: tuple[bytes, ...]
    error: str | None = None


class _Refused(Exception):
    """The reason a document is refused, raised from inside the expat pass."""


@dataclass
class _Pass:
    """What the expat pass found: entry starts, the elements around the first, the error."""

    starts: list[int]
    opening: bytes = b""
    closing: bytes = b""
    error: str | None = None
    error_at: int | None = None
    depth_at_error: int = 0
    names: set[str] = field(default_factory=set)


def slice_document(document: bytes) -> FeedSlices:
    """`document` (UTF-8, as `charset.document_text` gives it) as slices; one slice when small.

    Raises UnsafeDocument for a shape past a MAX_ limit.
    """
    try:
        found = _expat_pass(document)
        if found.error_at is not None:
            _check_leniently(document, found)
    except _Refused as exc:
        raise UnsafeDocument(f"refused: {exc}") from None
    starts = found.starts
    if found.error_at is not None:
        lexical = _ENTRY_START.finditer(document, found.error_at + 1)
        starts = starts + [m.start() for m in lexical]
    cuts = _cuts(starts)
    if len(cuts) <= 1:
        return FeedSlices((document,), found.error)
    slices = [document[: cuts[1]] + found.closing]
    for begin, end in zip(cuts[1:], [*cuts[2:], len(document)], strict=True):
        tail = found.closing if end < len(document) else b""
        slices.append(DECLARATION + found.opening + document[begin:end] + tail)
    return FeedSlices(tuple(slices), found.error)


def _cuts(starts: list[int]) -> list[int]:
    """Entry starts at which a new slice begins: every SLICE_ENTRIES entries, or sooner when a
    slice would pass SLICE_BYTES. The first cut is 0 (the slice with the feed's details)."""
    cuts = [0]
    count = 0
    for start in starts:
        if count and (count >= SLICE_ENTRIES or start - cuts[-1] > SLICE_BYTES):
            cuts.append(start)
            count = 0
        count += 1
    return cuts


def _expat_pass(document: bytes) -> _Pass:
    """Entry starts (byte offsets) up to the end or the first error, with the open elements
    around the first entry written out again."""
    parser = xml.parsers.expat.ParserCreate()
    parser.ordered_attributes = True
    # Undefined entities (&nbsp; in sloppy feeds) are skipped here rather than ending the pass;
    # no DTD is read, inline or external.
    parser.UseForeignDTD(True)
    found = _Pass(starts=[])
    stack: list[tuple[str, list[str]]] = []
    depth_in_entry = 0

    def start(name: str, attributes: list[str]) -> None:
        nonlocal depth_in_entry
        _check_element(name, len(attributes) // 2, len(stack) + depth_in_entry + 1, found.names)
        if depth_in_entry:
            depth_in_entry += 1
        elif name.rpartition(":")[2].lower() in ENTRY_NAMES:
            if not found.starts:
                found.opening = b"".join(_start_tag(n, a) for n, a in stack)
                found.closing = b"".join(f"</{n}>".encode() for n, _ in reversed(stack))
                if len(found.opening) > MAX_OPENING_BYTES:
                    raise _Refused(
                        f"the elements around the entries take more than "
                        f"{MAX_OPENING_BYTES // 1024} KiB"
                    )
            found.starts.append(parser.CurrentByteIndex)
            depth_in_entry = 1
        else:
            stack.append((name, attributes))

    def end(name: str) -> None:
        nonlocal depth_in_entry
        if depth_in_entry:
            depth_in_entry -= 1
        elif stack:
            stack.pop()

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(document, True)
    except xml.parsers.expat.ExpatError as exc:
        found.error = f"{xml.parsers.expat.errors.messages[exc.code]} (line {exc.lineno})"
        found.error_at = parser.ErrorByteIndex
        found.depth_at_error = len(stack) + depth_in_entry
    return found


def _check_leniently(document: bytes, found: _Pass) -> None:
    """The MAX_ limits past where the document stops being well-formed, judged by its tags as
    the lenient parser reads them (names folded to lower case, HTML's empty elements, CDATA
    sections and comments skipped whole)."""
    depth = found.depth_at_error
    names = found.names
    position = found.error_at or 0
    while match := _LENIENT_TOKEN.search(document, position):
        cdata, comment, closing, name, rest = match.groups()
        if cdata or comment:
            end = document.find(b"]]>" if cdata else b"-->", match.end())
            if end < 0:
                return  # the rest is inside it
            position = end + 3
            continue
        position = match.end()
        name = name.lower()
        if closing:
            depth = max(0, depth - 1)
            continue
        empty = rest.endswith(b"/") or name in _VOID
        depth += 0 if empty else 1
        attributes = len(_LENIENT_ATTRIBUTE.findall(rest))
        _check_element(name.decode("utf-8", errors="replace"), attributes, depth, names)


def _check_element(name: str, attributes: int, depth: int, names: set[str]) -> None:
    """Raise _Refused when an element passes a MAX_ limit; `names` gathers the distinct names."""
    if attributes > MAX_ATTRIBUTES:
        raise _Refused(f"an element <{name[:40]}> has more than {MAX_ATTRIBUTES} attributes")
    if depth > MAX_DEPTH:
        raise _Refused(f"elements are nested more than {MAX_DEPTH} deep")
    names.add(name)
    if len(names) > MAX_ELEMENT_NAMES:
        raise _Refused(f"the document uses more than {MAX_ELEMENT_NAMES} element names")


def _start_tag(name: str, attributes: list[Any]) -> bytes:
    # xml.sax loads urllib.request: 3 ms of start-up for commands that never slice a feed.
    from xml.sax.saxutils import quoteattr

    pairs = zip(attributes[::2], attributes[1::2], strict=True)
    written = "".join(f" {key}={quoteattr(value)}" for key, value in pairs)
    return f"<{name}{written}>".encode()
