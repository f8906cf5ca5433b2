"""Feed documents (RSS, Atom, RDF) to article drafts: refused when hostile, trimmed when oversized."""

from __future__ import annotations

import datetime as dt
import io
import pyexpat
import re
import xml.sax
from collections.abc import Iterable, Iterator, Sequence
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from briefings.dates import parse_feed_date
from briefings.errors import NotAFeed, UnsafeDocument
from briefings.ingest.charset import document_text
from briefings.ingest.markup import body_to_text, html_to_text
from briefings.ingest.slices import FeedSlices, slice_document
from briefings.ingest.urls import canonical_url, is_http_url
from briefings.models import ArticleDraft, FeedDocument
from briefings.text import strip_controls

MAX_TITLE_CHARS = 300
# The most characters of an entry's text a draft carries. More than an article keeps when stored
# (briefings.derive.MAX_STORED_TEXT_CHARS), so that derive sees, and reports, every cut it makes.
MAX_TEXT_CHARS = 1_000_000
MAX_URL_CHARS = 2_048
MAX_GUID_CHARS = 1_024
MAX_PUBLISHER_CHARS = 200
MAX_ERROR_CHARS = 300
PROLOG_WINDOW = 64 * 1024
# feedparser's HTML sanitiser and link resolver are off: every HTML field becomes plain text
# through `markup.html_to_text`, which drops scripts and links itself, so they would only double
# the parse time.
PARSE_OPTIONS = {"sanitize_html": False, "resolve_relative_uris": False}

# Expat before 2.4.1 has no limit on entity amplification; the pre-parse refusal below is the
# first line of defence, the parser's own limit the second.
if pyexpat.version_info < (2, 4, 1):
    raise ImportError(
        f"expat {'.'.join(map(str, pyexpat.version_info))} is too old to parse feeds safely; "
        "2.4.1 or newer is required"
    )

ENTITY_REFUSAL = "refused: the document declares XML entities (entity-expansion attack)"
HTML_PAGE = "not a feed: it is an HTML page"

# Tokens that can precede the root element. Comments, processing instructions and quoted
# literals are consumed whole so that a "<x" inside them is not taken for the root element.
_PROLOG_TOKEN = re.compile(
    r"""<!--.*?-->|<\?.*?\?>|"[^"]*"|'[^']*'"""
    r"""|(?P<entity><!ENTITY)|(?P<doctype><!DOCTYPE\s+(?P<doctype_name>[^\s>\[]*))"""
    r"""|<(?P<root>[^!?\s][^\s/>]*)|(?P<open><!--|<\?|["'])""",
    re.IGNORECASE | re.DOTALL,
)
_TRUNCATION_MESSAGES = ("no element found", "unclosed token", "unclosed cdata", "partial character")
# Bozo reasons that say nothing is wrong with the entries themselves.
_SURVIVABLE = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
_FEED_LINK_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})


def parse_feed(
    body: bytes, headers: dict[str, str], url: str | None, fetched_at: dt.datetime
) -> FeedDocument:
    """Read one feed document whole; UnsafeDocument or NotAFeed when there is nothing safe to read.

    Its entries are all in memory at once: callers that must stay within bounded memory take the
    slices one at a time (`split_feed`, then `parse_slice`), as the corpus does.
    """
    slices = split_feed(body, headers, url)
    first = parse_slice(slices.documents[0], headers, url, fetched_at)
    documents = [first] + [
        parse_slice(document, headers, url, fetched_at, feed_title=first.title)
        for document in slices.documents[1:]
    ]
    seen: set[str] = set()
    entries = tuple(entry for document in documents for entry in unseen(document.entries, seen))
    return FeedDocument(
        title=documents[0].title,
        entries=entries,
        error=slices_error(slices, documents),
        rejected=sum(d.rejected for d in documents)
        + sum(len(d.entries) for d in documents)
        - len(entries),
    )


def split_feed(body: bytes, headers: dict[str, str], url: str | None) -> FeedSlices:
    """The document decoded, checked and cut into slices (see `briefings.ingest.slices`).

    The checks read the text the parser will read (see `briefings.ingest.charset`): a refused
    encoding, entity declarations, an HTML page or no root element in the first 64 KiB stop it
    here, before any parsing.
    """
    if not body.strip():
        raise NotAFeed("not a feed: the document is empty")
    text = document_text(body, _lowered(headers).get("content-type"))
    _refuse_hostile_prolog(text, url)
    return slice_document(text.encode("utf-8"))


def parse_slice(
    document: bytes,
    headers: dict[str, str],
    url: str | None,
    fetched_at: dt.datetime,
    feed_title: str | None = None,
) -> FeedDocument:
    """One slice of `split_feed` as drafts. The first (`feed_title` None) must show a feed (else
    NotAFeed) and gives the feed's title; a later one is given it, for its entries' publisher.

    feedparser only ever sees a BytesIO: given a str or bytes it would treat it as a path or URL.
    """
    parsed = feedparser.parse(
        io.BytesIO(document),
        response_headers=_response_headers(headers, url),
        **PARSE_OPTIONS,
    )
    if feed_title is None and not parsed.get("version"):
        raise NotAFeed(f"not a feed: no RSS, Atom or RDF document found{_parser_said(parsed)}")
    error, truncated = _bozo_error(parsed)
    publisher = (
        _title_of(parsed.get("feed", {}), MAX_PUBLISHER_CHARS) if feed_title is None else feed_title
    )
    raw_entries = list(parsed.get("entries", []))
    if truncated and raw_entries:
        raw_entries.pop()
    rejected = len(parsed.get("entries", [])) - len(raw_entries)
    drafts: list[ArticleDraft] = []
    seen: set[str] = set()
    for entry in raw_entries:
        draft = _draft(entry, publisher or None, fetched_at)
        if not (draft.title or draft.text) or entry_keys(draft) & seen:
            rejected += 1
            continue
        seen |= entry_keys(draft)
        drafts.append(draft)
    return FeedDocument(title=publisher, entries=tuple(drafts), error=error, rejected=rejected)


def unseen(entries: Iterable[ArticleDraft], seen: set[str]) -> Iterator[ArticleDraft]:
    """The entries not already met under any of their keys in `seen` (which they are added to):
    the same item in two slices of one document counts once."""
    for entry in entries:
        keys = entry_keys(entry)
        if not keys & seen:
            seen |= keys
            yield entry


def slices_error(slices: FeedSlices, documents: Sequence[FeedDocument]) -> str | None:
    """One complaint for a document read in slices: the parser's on a whole document, else the
    first slice's, else where the strict reading stopped."""
    complaints = [d.error for d in documents if d.error]
    if complaints:
        return complaints[0]
    if slices.error and len(slices.documents) > 1:
        return _one_line(f"the document is not well-formed: {slices.error}")
    return None


def _refuse_hostile_prolog(text: str, url: str | None) -> None:
    """Refuse entity declarations before the root element, and HTML pages, without parsing.

    `text` is the decoded document, exactly what the parser will read.
    """
    head = text[:PROLOG_WINDOW]
    kind, root = _scan_prolog(head)
    if kind == "entity":
        raise UnsafeDocument(ENTITY_REFUSAL)
    if kind != "root" and len(text) > PROLOG_WINDOW:
        raise UnsafeDocument(
            f"refused: no root element within the first {PROLOG_WINDOW // 1024} KiB of the document"
        )
    if root == "html":
        link = _alternate_link(head, url)
        hint = f"; its feed may be at {link}" if link else " (maybe try /feed.xml)"
        raise NotAFeed(HTML_PAGE + hint)


def _scan_prolog(text: str) -> tuple[str, str | None]:
    """("entity", None), ("root", name) or ("none", None); the name is "html" for an HTML doctype."""
    doctype = None
    for token in _PROLOG_TOKEN.finditer(text):
        if token["entity"]:
            return "entity", None
        if token["doctype"]:
            doctype = token["doctype_name"].lower()
        elif token["root"] is not None:
            return "root", "html" if doctype == "html" else token["root"].lower()
        elif token["open"]:
            if "<!entity" in text[token.start() :].lower():
                return "entity", None
            break
    return "none", "html" if doctype == "html" else None


def _alternate_link(page: str, url: str | None) -> str | None:
    """The feed URL an HTML page advertises with <link rel="alternate">, if it is a web link."""
    finder = _AlternateLinkFinder()
    finder.feed(page)
    if finder.href is None:
        return None
    href = " ".join(strip_controls(finder.href).split())
    link = urljoin(url, href) if url else href
    if len(link) > MAX_URL_CHARS or urlsplit(link).scheme.lower() not in ("", "http", "https"):
        return None
    return link


def _lowered(headers: dict[str, str]) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def _response_headers(headers: dict[str, str], url: str | None) -> dict[str, str]:
    """Lower-cased headers for feedparser: the media type as served (XML when none, so that a bare
    local file is not judged by it) and UTF-8, which `split_feed` made the document."""
    lowered = _lowered(headers)
    if url:
        lowered["content-location"] = url
    media = lowered.get("content-type", "").split(";")[0].strip() or "application/xml"
    lowered["content-type"] = f"{media}; charset=utf-8"
    return lowered


def _bozo_error(parsed: Any) -> tuple[str | None, bool]:
    """The parser's complaint as one line (None when harmless), and whether the document was cut."""
    if not parsed.get("bozo"):
        return None, False
    exc = parsed.get("bozo_exception")
    if isinstance(exc, _SURVIVABLE):
        return None, False
    if isinstance(exc, xml.sax.SAXParseException):
        message = exc.getMessage()
        truncated = message.lower().startswith(_TRUNCATION_MESSAGES)
        what = "the document is cut off" if truncated else "the document is not well-formed XML"
        return _one_line(f"{what}: {message} (line {exc.getLineNumber()})"), truncated
    return _one_line(f"{type(exc).__name__}: {exc}"), False


def _parser_said(parsed: Any) -> str:
    error, _ = _bozo_error(parsed)
    return f" ({error})" if error else ""


def _one_line(message: str) -> str:
    return _cap(" ".join(strip_controls(message).split()), MAX_ERROR_CHARS)


def _draft(entry: Any, publisher: str | None, fetched_at: dt.datetime) -> ArticleDraft:
    """One entry as a draft, every field cleaned and capped."""
    # dict.get: feedparser's own lookup of a missing "updated_parsed" warns and falls back.
    when = dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
    guid = strip_controls(entry.get("id") or "").strip()
    return ArticleDraft(
        title=_title_of(entry, MAX_TITLE_CHARS),
        text=_text_of(entry),
        url=_link_of(entry),
        publisher=publisher,
        published=parse_feed_date(when, fetched_at),
        guid=guid[:MAX_GUID_CHARS] or None,
    )


def _title_of(node: Any, limit: int) -> str:
    """A one-line title: HTML titles become text, plain ones are already unescaped by feedparser."""
    detail = node.get("title_detail") or {}
    title = node.get("title") or ""
    if "html" in (detail.get("type") or ""):
        title = html_to_text(title)
    return _cap(" ".join(strip_controls(title).split()), limit)


def _text_of(entry: Any) -> str:
    """The fullest body the entry offers (content before summary) as plain text.

    Told HTML or plain by what it holds, not by the type the feed declares (see `markup`).
    """
    contents = entry.get("content") or [{}]
    detail = contents[0] if contents[0].get("value") else entry.get("summary_detail") or {}
    value = body_to_text(detail.get("value") or "")
    return strip_controls(value).strip()[:MAX_TEXT_CHARS]


def _link_of(entry: Any) -> str | None:
    """The entry's link when it is an absolute http(s) URL short enough to post."""
    link = strip_controls(entry.get("link") or "").strip()
    if not link or len(link) > MAX_URL_CHARS or not is_http_url(link):
        return None
    return link


def entry_keys(draft: ArticleDraft) -> set[str]:
    """The keys under which two entries of one batch count as the same item."""
    keys = set()
    if draft.guid:
        keys.add(f"guid:{draft.guid}")
    if draft.url:
        keys.add(f"url:{canonical_url(draft.url) or draft.url}")
    return keys


def _cap(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, an ellipsis showing where."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class _AlternateLinkFinder(HTMLParser):
    """Finds the first <link rel="alternate"> of a feed type in an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.href: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "link" or self.href is not None:
            return
        values = {name: (value or "") for name, value in attrs}
        rels = values.get("rel", "").lower().split()
        if "alternate" in rels and values.get("type", "").lower().strip() in _FEED_LINK_TYPES:
            self.href = values.get("href") or None
