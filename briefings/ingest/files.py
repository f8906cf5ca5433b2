"""Local files to article drafts: plain text, Markdown, saved web pages and feed documents."""

from __future__ import annotations

import codecs
import datetime as dt
import os
import re
import stat
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from briefings import furniture
from briefings.dates import date_from_html_meta
from briefings.errors import FeedError, RejectedInput
from briefings.ingest.feeds import (
    MAX_PUBLISHER_CHARS,
    MAX_TEXT_CHARS,
    MAX_TITLE_CHARS,
    MAX_URL_CHARS,
    parse_feed,
    split_feed,
)
from briefings.ingest.slices import SLICE_BYTES, FeedSlices
from briefings.ingest.urls import is_http_url
from briefings.models import ArticleDraft
from briefings.text import strip_controls

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_HEADLINE_CHARS = 200
# Share of characters that may be controls or undecodable before a file counts as binary.
MAX_NON_TEXT_SHARE = 0.05
# Share of letters in the Latin-1 accented range above which a Windows-1252 reading is taken
# for Cyrillic text written in Windows-1251 (real Western prose stays far below it).
CYRILLIC_MOJIBAKE_SHARE = 0.5

TEXT_SUFFIXES = frozenset({".txt"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom", ".rdf"})
_FEED_STARTS = (b"<?xml", b"<rss", b"<feed", b"<rdf:rdf")
_Read = TypeVar("_Read")
_UNICODE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

# Every span pattern below stops at the next character that could open another span ("[", "(",
# "*", "_") or at the line's end, so each character is scanned from one opening at most: with
# ".+?" or "[^\]]*", a line of thousands of unclosed openings ("[a [a [a ...") was scanned to its
# end from each of them.
_MD_IMAGE = re.compile(r"!\[([^\[\]\n]*)\]\([^()\n]*\)")
_MD_LINK = re.compile(r"\[([^\[\]\n]+)\](?:\([^()\n]*\)|\[[^\[\]\n]*\])")
_MD_LINK_DEFINITION = re.compile(r"^ {0,3}\[[^\]\n]+\]:[ \t]*\S+.*$", re.MULTILINE)
_MD_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.*)$", re.MULTILINE)
_MD_SETEXT_OR_RULE = re.compile(r"^ {0,3}(?:[-*_=][ \t]*){3,}$", re.MULTILINE)
_MD_QUOTE = re.compile(r"^ {0,3}>[ \t]?", re.MULTILINE)
_MD_STRONG = re.compile(
    r"\*\*(?=\S)((?:[^*\n]|\*(?!\*))+?)(?<=\S)\*\*|__(?=\S)((?:[^_\n]|_(?!_))+?)(?<=\S)__"
)
_MD_EMPHASIS = re.compile(
    r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])|(?<!\w)_(?=\S)([^_\n]+?)(?<=\S)_(?!\w)"
)
_MD_CODE = re.compile(r"`+([^`\n]+?)`+")


def expand(path: Path) -> list[Path]:
    """The files a path names: itself, or every visible file below a folder, in name order."""
    return _files_under(path) if path.is_dir() else [path]


def _files_under(folder: Path) -> list[Path]:
    """Visible files under `folder`, depth first in name order; symlinked folders are not followed."""
    try:
        children = sorted(folder.iterdir())
    except OSError:
        return [folder]
    found: list[Path] = []
    for child in children:
        if child.name.startswith("."):
            continue
        if child.is_dir() and not child.is_symlink():
            found.extend(_files_under(child))
        else:
            found.append(child)
    return found


def read_file(file: Path, fetched_at: dt.datetime) -> list[ArticleDraft] | RejectedInput:
    """One file's drafts, or a RejectedInput whose message says in one line why it cannot be
    imported. `fetched_at` stands in for "now" when feed dates are clamped."""
    return _reading(file, lambda raw: _drafts_from(file, raw, fetched_at))


def read_for_import(
    file: Path, fetched_at: dt.datetime
) -> list[ArticleDraft] | FeedSlices | RejectedInput:
    """As `read_file`, but a feed document larger than SLICE_BYTES comes as its slices, which the
    importer parses one at a time so that memory stays bounded whatever the feed's size."""

    def drafts_or_slices(raw: bytes) -> list[ArticleDraft] | FeedSlices:
        if len(raw) > SLICE_BYTES and _is_feed(file, raw):
            try:
                return split_feed(raw, {}, None)
            except FeedError as exc:
                raise RejectedInput(str(exc)) from None
        return _drafts_from(file, raw, fetched_at)

    return _reading(file, drafts_or_slices)


def _reading(file: Path, read: Callable[[bytes], _Read]) -> _Read | RejectedInput:
    """`read` of the file's bytes, or why the file cannot be imported."""
    if not file.exists():
        return RejectedInput("no such file or folder")
    try:
        raw = _read_bytes(file)
        if not raw.strip():
            raise RejectedInput("empty file")
        return read(raw)
    except RejectedInput as exc:
        return exc


def _is_feed(file: Path, raw: bytes) -> bool:
    suffix = file.suffix.lower()
    return suffix not in HTML_SUFFIXES and (suffix in FEED_SUFFIXES or _looks_like_feed(raw))


def _drafts_from(file: Path, raw: bytes, fetched_at: dt.datetime) -> list[ArticleDraft]:
    suffix = file.suffix.lower()
    if suffix in HTML_SUFFIXES:
        return [_html_article(raw, fetched_at)]
    if _is_feed(file, raw):
        return _feed_articles(raw, fetched_at)
    if suffix in TEXT_SUFFIXES | MARKDOWN_SUFFIXES:
        return [_plain_article(_decode_text(raw), markdown=suffix in MARKDOWN_SUFFIXES)]
    kinds = ", ".join(sorted(TEXT_SUFFIXES | MARKDOWN_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES))
    shown = f"'{suffix}'" if suffix else "no extension"
    raise RejectedInput(f"unknown kind of file ({shown}); the bot reads {kinds}")


def _read_bytes(file: Path) -> bytes:
    """The file's bytes; anything but a regular file is refused before it is read.

    A named pipe or a device would block the import (or never end), so the file is opened
    without waiting and judged by what was opened, not by a look at the path beforehand.
    """
    try:
        descriptor = os.open(file, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(descriptor, "rb") as handle:
            mode = os.fstat(handle.fileno()).st_mode
            if stat.S_ISDIR(mode):
                raise RejectedInput("cannot list the folder")
            if not stat.S_ISREG(mode):
                raise RejectedInput(f"not a regular file but {_kind_of(mode)}; skipped")
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_FILE_BYTES:
                raise RejectedInput(_too_large(size))
            raw = handle.read(MAX_FILE_BYTES + 1)
    except PermissionError:
        raise RejectedInput("cannot read the file: permission denied") from None
    except OSError as exc:
        raise RejectedInput(f"cannot read the file: {exc.strerror or exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise RejectedInput(_too_large(len(raw)))
    return raw


def _kind_of(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"


def _too_large(size: int) -> str:
    return f"file too large ({size / 2**20:.1f} MiB; the limit is {MAX_FILE_BYTES // 2**20} MiB)"


def _looks_like_feed(raw: bytes) -> bool:
    """Whether the first bytes open an XML feed, whatever the file is called."""
    start = raw[:512].lstrip(codecs.BOM_UTF8).lstrip().lower()
    return start.startswith(_FEED_STARTS)


def _decode_text(raw: bytes) -> str:
    """Unicode text of an article file: a BOM or valid UTF-8 decides, else a Windows code page.

    Windows-1252 also reads Latin-1 text; Windows-1251 is chosen when the 1252 reading is
    mostly accented capitals, the sign of Cyrillic. A detector (charset_normalizer) was tried
    and rejected: on short articles it reads Windows-1252 as Windows-1250, turning "à" into "ŕ".
    """
    for bom, codec in _UNICODE_BOMS:
        if raw.startswith(bom):
            text = raw.decode(codec, errors="replace")
            break
    else:
        if b"\x00" in raw:
            raise RejectedInput("binary file, not an article")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = _decode_legacy(raw)
    if _non_text_share(text) > MAX_NON_TEXT_SHARE:
        raise RejectedInput("binary file, not an article")
    return text


def _decode_legacy(raw: bytes) -> str:
    western = raw.decode("cp1252", errors="replace")
    letters = [c for c in western if c.isalpha()]
    accented = sum(1 for c in letters if "\u00c0" <= c <= "\u00ff")
    if letters and accented / len(letters) > CYRILLIC_MOJIBAKE_SHARE:
        return raw.decode("cp1251", errors="replace")
    return western


def _non_text_share(text: str) -> float:
    if not text:
        return 0.0
    odd = sum(
        1
        for c in text
        if c == "\ufffd" or (unicodedata.category(c) == "Cc" and c not in "\t\n\r\f")
    )
    return odd / len(text)


def _plain_article(text: str, *, markdown: bool) -> ArticleDraft:
    """A text or Markdown article: a headline-like first line is its title, the rest its text.

    A leading "date YYYY-MM-DD" marker stays at the start of the text, where the date reader
    looks for it. With no headline the title is left empty and derived from the first sentence.
    """
    text = strip_controls(text)[:MAX_TEXT_CHARS]  # a draft's most, before any Markdown is read
    rest = furniture.strip_date_marker(text)
    marker = text[: len(text) - len(rest)].strip()
    if markdown:
        rest = _markdown_to_text(rest)
    first, _, after = rest.lstrip().partition("\n")
    headline = " ".join(first.split())
    if len(headline) < MAX_HEADLINE_CHARS and not headline.endswith("."):
        title, body = headline, after
    else:
        title, body = "", rest
    body = body.strip()
    if not body:
        raise RejectedInput("no article text, only a title line")
    body = f"{marker}\n{body}" if marker else body
    return ArticleDraft(title=title[:MAX_TITLE_CHARS], text=body[:MAX_TEXT_CHARS])


def _markdown_to_text(markdown: str) -> str:
    """Markdown as the prose a reader sees: no heading marks, emphasis or link syntax."""
    text = _MD_LINK_DEFINITION.sub("", markdown)
    text = _MD_SETEXT_OR_RULE.sub("", text)
    text = _MD_HEADING.sub(_heading_text, text)
    text = _MD_QUOTE.sub("", text)
    text = _MD_IMAGE.sub(r"\1", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_CODE.sub(r"\1", text)
    text = _MD_STRONG.sub(lambda m: m[1] or m[2], text)
    return _MD_EMPHASIS.sub(lambda m: m[1] or m[2], text)


def _heading_text(heading: re.Match[str]) -> str:
    """An ATX heading's text without its closing hashes (a run of "#" after a space).

    Stripped with str methods: a pattern ending in `(.*?)(?:[ \t]+#+)?[ \t]*$` retried the
    whole tail at each character, and "# a" + 50,000 spaces + "b" took seconds.
    """
    text = heading[1].rstrip(" \t")
    bare = text.rstrip("#")
    if bare != text and (not bare or bare[-1] in " \t"):
        text = bare
    return text.rstrip(" \t")


def _html_article(raw: bytes, fetched_at: dt.datetime) -> ArticleDraft:
    """A saved web page's main text and metadata, read by trafilatura.

    Imported here, not at the top: it is slow to import and only pages need it, and a broken
    install (lxml 6 without lxml_html_clean) then costs the HTML files, not the whole import.
    """
    try:
        import trafilatura
    except ImportError as exc:
        raise RejectedInput(f"cannot read web pages: trafilatura is not usable ({exc})") from None
    document = trafilatura.bare_extraction(
        raw,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        date_extraction_params={
            "original_date": True,
            "extensive_search": False,
            "max_date": fetched_at.date().isoformat(),
        },
    )
    # Without as_dict it gives a Document, or None for a page with no main text.
    if document is None or isinstance(document, dict):
        raise RejectedInput("no article text found in the page")
    text = strip_controls(document.text or "").strip()
    if not text:
        raise RejectedInput("no article text found in the page")
    url = " ".join((document.url or "").split())
    title = " ".join(strip_controls(document.title or "").split())
    publisher = " ".join(strip_controls(document.sitename or "").split())
    return ArticleDraft(
        title=title[:MAX_TITLE_CHARS],
        text=text[:MAX_TEXT_CHARS],
        url=url if is_http_url(url) and len(url) <= MAX_URL_CHARS else None,
        publisher=publisher[:MAX_PUBLISHER_CHARS] or None,
        published=date_from_html_meta(document.date),
    )


def _feed_articles(raw: bytes, fetched_at: dt.datetime) -> list[ArticleDraft]:
    try:
        document = parse_feed(raw, {}, None, fetched_at)
    except FeedError as exc:
        raise RejectedInput(str(exc)) from None
    if document.entries:
        return list(document.entries)
    if document.error:
        raise RejectedInput(f"the feed could not be read: {document.error}")
    raise RejectedInput("the feed has no entries")
