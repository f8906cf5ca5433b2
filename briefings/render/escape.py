"""Outside text on one line and clipped, and links kept only when they are plain web links.

Each chat platform's own escaping is in its module in briefings/render/platforms/.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote, urlsplit, urlunsplit

from briefings.text import strip_controls

ELLIPSIS = "…"
_WHITESPACE = re.compile(r"\s+")
# Characters left as they are in a link's path and query: RFC 3986 unreserved and the delimiters
# that carry meaning there. Brackets, quotes, "*", "|", "<", ">" and spaces are percent-encoded so
# a link can close neither a Markdown link nor a Slack "<url|text>".
_URL_SAFE = "/:@%-._~!$&+,;="


def one_line(text: str) -> str:
    """Hidden characters removed and every run of whitespace (line breaks too) made one space.

    Feed text on one line cannot start a heading, quote or list of its own in a chat message.
    """
    return _WHITESPACE.sub(" ", strip_controls(text)).strip()


def clip(pieces: Iterable[str], limit: int | None) -> str:
    """Join escaped pieces; past `limit` characters, stop at a piece boundary and add "…".

    Cutting between pieces never leaves half an escape ("\\" alone, "&am") at the end.
    """
    pieces = list(pieces)
    if limit is None or sum(len(p) for p in pieces) <= limit:
        return "".join(pieces)
    kept: list[str] = []
    room = limit - len(ELLIPSIS)
    for piece in pieces:
        room -= len(piece)
        if room < 0:
            break
        kept.append(piece)
    return "".join(kept).rstrip() + ELLIPSIS


def plain_text(text: str | None, limit: int | None = None) -> str:
    """Outside text for a plain-text field, which shows markup as typed: on one line, no hidden characters."""
    return clip(one_line(text or ""), limit)


def web_url(url: str | None, max_length: int | None = None) -> str | None:
    """The link as a plain http(s) URL safe to put in markup, or None.

    None for any other scheme (javascript:, data:, file:), a relative link, credentials in the
    host part (a classic disguise), whitespace inside, or a result longer than `max_length`.
    International host names become their ASCII (IDNA) form.
    """
    if not url:
        return None
    url = strip_controls(url).strip()
    if not url or any(c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
        host = (parts.hostname or "").encode("idna").decode("ascii")
    except (ValueError, UnicodeError):
        return None
    if parts.scheme.lower() not in ("http", "https") or not host or "@" in parts.netloc:
        return None
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port is None else f"{host}:{port}"
    safe = urlunsplit(
        (
            parts.scheme.lower(),
            netloc,
            quote(parts.path, safe=_URL_SAFE),
            quote(parts.query, safe=_URL_SAFE + "?"),
            quote(parts.fragment, safe=_URL_SAFE + "?"),
        )
    )
    if max_length is not None and len(safe) > max_length:
        return None
    return safe
