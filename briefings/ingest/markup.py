"""A feed body to plain text: HTML keeps its block boundaries, plain text keeps its line breaks.

Feeds declare almost every body text/html (feedparser types an RSS description so whatever it
holds), so the declared type says nothing. The body is read as HTML only when it holds HTML tags;
otherwise its line breaks are the article's structure, and flattening them glued the site's menu,
timestamps and headline to the first sentence.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

MAX_HTML_CHARS = 2_000_000


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Elements that end a line of text: a paragraph, a list item, a heading, a cell of a table.
BLOCK_TAGS = _names(
    """address article aside blockquote caption dd details div dl dt fieldset figure footer form
    h1 h2 h3 h4 h5 h6 header hr li main ol p pre section summary table tbody tfoot thead tr ul"""
)
# Elements whose text is never prose: scripts and styles...
SCRIPT_TAGS = _names("script style noscript template head title")
# ...and never article prose: navigation, captions under images, form controls.
SKIPPED_TAGS = SCRIPT_TAGS | _names(
    "nav figcaption button select option textarea svg iframe object"
)
_VOID = _names("br img hr input meta link source wbr")
_KNOWN_TAGS = (
    BLOCK_TAGS
    | SKIPPED_TAGS
    | _VOID
    | _names(
        """a abbr b big cite code em font i ins kbd label mark picture q s small span strike strong sub
    sup td th time u video audio center"""
    )
)
# An opening, closing or self-closing tag of a known HTML element; "a < b" or "<3" is not one.
_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]{0,9})(?=[\s/>])[^<>]{0,2000}>")
_CHARACTER_REFERENCE = re.compile(
    r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});"
)
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def looks_like_html(body: str) -> bool:
    """Whether the body holds at least one tag of a known HTML element."""
    return any(match.group(1).lower() in _KNOWN_TAGS for match in _TAG.finditer(body))


def body_to_text(body: str) -> str:
    """Plain text of a feed body, told HTML or plain by its content.

    Plain text keeps its line breaks; a character reference left in it (a feed that escaped its
    text twice) is decoded.
    """
    if looks_like_html(body):
        text = html_to_text(body)
        # A feed that escaped its HTML twice: the markup is still there, as text.
        return html_to_text(text) if looks_like_html(text) else text
    if "&" in body:
        body = _CHARACTER_REFERENCE.sub(lambda m: unescape(m.group()), body)
    # Spaces around line breaks go line by line: a pattern around "\n" read every run of
    # spaces to its end from each of its characters.
    return "\n".join(line.strip(" \t") for line in body.split("\n"))


def html_to_text(markup: str) -> str:
    """Text of an HTML fragment: one line per block element or <br>, a blank line between
    paragraphs, list items marked "• ", scripts, navigation and captions dropped.

    A fragment with no block element and no <br> is text with inline markup (a link, a bold
    word): its own line breaks are kept as lines.
    """
    markup = markup[:MAX_HTML_CHARS]
    names = {m.group(1).lower() for m in _TAG.finditer(markup)}
    keep_newlines = not names & (BLOCK_TAGS | {"br"})
    extractor = _TextExtractor(keep_newlines, SKIPPED_TAGS)
    text = extractor.text(markup)
    if extractor.unclosed:
        # A navigation or caption element left open would swallow the rest of the article: read
        # the fragment again, dropping only scripts and styles.
        text = _TextExtractor(keep_newlines, SCRIPT_TAGS).text(markup)
    return text


class _TextExtractor(HTMLParser):
    """Collects the text of an HTML fragment, one paragraph per block element."""

    def __init__(self, keep_newlines: bool, skipped: frozenset[str]) -> None:
        super().__init__(convert_charrefs=True)
        self._keep_newlines = keep_newlines
        self._skipped = skipped
        self._paragraphs: list[str] = []
        self._pieces: list[str] = []
        self._skipping: list[str] = []
        self._breaks = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._skipped:
            self._skipping.append(tag)
        elif self._skipping:
            return
        elif tag == "br":
            self._breaks += 1
            # Two line breaks in a row are how many pages write a paragraph break.
            self._pieces.append("\n\n" if self._breaks == 2 else "\n")
        elif tag in BLOCK_TAGS:
            self._end_paragraph()
            if tag == "li":
                self._pieces.append("\u2022 ")
        elif tag in ("td", "th"):
            self._pieces.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self._skipped:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._skipped:
            if tag in self._skipping:
                del self._skipping[len(self._skipping) - 1 - self._skipping[::-1].index(tag) :]
        elif not self._skipping and tag in BLOCK_TAGS:
            self._end_paragraph()

    def handle_data(self, data: str) -> None:
        # A line break in the markup is only a space (<br> alone breaks a line), unless the
        # fragment has no block structure of its own; the other runs of whitespace are collapsed
        # in `_end_paragraph`, far faster than by a regex here.
        if self._skipping:
            return
        if data.strip():
            self._breaks = 0
        self._pieces.append(data if self._keep_newlines else data.replace("\n", " "))

    def text(self, markup: str) -> str:
        """The text of `markup`, paragraphs apart by a blank line."""
        self.feed(markup)
        self.close()
        self._end_paragraph()
        return "\n\n".join(self._paragraphs)

    @property
    def unclosed(self) -> bool:
        """Whether the fragment ended inside a skipped element other than a script or style."""
        return any(tag not in SCRIPT_TAGS for tag in self._skipping)

    def _end_paragraph(self) -> None:
        self._breaks = 0
        joined = "".join(self._pieces)
        self._pieces = []
        for block in _PARAGRAPH_BREAK.split(joined):
            lines = (" ".join(line.split()) for line in block.split("\n"))
            paragraph = "\n".join(line for line in lines if line and line != "\u2022")
            if paragraph:
                self._paragraphs.append(paragraph)
