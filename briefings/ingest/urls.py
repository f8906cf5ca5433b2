"""Feed and article URLs: which ones the bot will fetch, and one canonical spelling for dedup."""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import SplitResult, unquote, urlsplit, urlunsplit

from briefings.errors import InvalidFeedURL

MAX_URL_LENGTH = 2048
# DNS limits (RFC 1035): a longer name cannot be looked up, and the HTTP client refuses it.
MAX_LABEL_LENGTH = 63
MAX_HOST_LENGTH = 253
HTTP_SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}
TRACKING_PARAMS = frozenset({"fbclid", "gclid", "mc_cid", "mc_eid", "feature", "ref_src", "igshid"})

# C0 controls, DEL, C1 controls and every Unicode space: none belongs in a URL a user pasted.
_UNSAFE_CHARS = re.compile(r"[\x00-\x20\x7f-\x9f\s]")
_HOST_NAME = re.compile(r"[a-z0-9_.-]+")


def is_http_url(url: str) -> bool:
    """True for an absolute http(s) URL with a host; says nothing of whether it is safe to fetch."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in HTTP_SCHEMES and bool(parts.hostname)


def validate_feed_url(url: str) -> str:
    """The URL normalised (scheme and host lowercased, default port and fragment dropped).

    Only the syntax is judged here, and InvalidFeedURL says what is wrong; whether the host leads
    to an internal address is decided at connect time by `netguard`, as only the resolved address
    tells.
    """
    if not url:
        raise InvalidFeedURL("the feed URL is empty")
    if len(url) > MAX_URL_LENGTH:
        raise InvalidFeedURL(
            f"the feed URL is {len(url)} characters; the limit is {MAX_URL_LENGTH}"
        )
    if _UNSAFE_CHARS.search(url):
        raise InvalidFeedURL("the feed URL contains spaces or control characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise InvalidFeedURL(f"the feed URL cannot be read: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in HTTP_SCHEMES:
        shown = f"{scheme}:" if scheme else "a URL without a scheme"
        raise InvalidFeedURL(f"only http:// and https:// feeds can be fetched, not {shown}")
    if "@" in parts.netloc:
        raise InvalidFeedURL("the feed URL must not carry a user name or password")
    if not parts.hostname:
        raise InvalidFeedURL("the feed URL has no host")
    try:
        host = _ascii_host(parts.hostname)
    except ValueError as exc:
        raise InvalidFeedURL(f"the feed URL's host is not valid: {exc}") from None
    return urlunsplit(_normalised(scheme, host, port, parts.path, parts.query))


def canonical_url(url: str) -> str | None:
    """One spelling per article URL, so the same story linked two ways is stored once.

    Tracking parameters go; the others keep their order and their exact encoding, since some
    sites route on them. None for anything that is not an http(s) URL with a host.
    """
    if not is_http_url(url):
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
        host = _ascii_host(parts.hostname or "")
    except ValueError:
        return None
    kept = [pair for pair in parts.query.split("&") if pair and not _is_tracking(pair)]
    return urlunsplit(_normalised(parts.scheme.lower(), host, port, parts.path, "&".join(kept)))


def _is_tracking(pair: str) -> bool:
    name = unquote(pair.split("=", 1)[0]).lower()
    return name.startswith("utm_") or name in TRACKING_PARAMS


def _ascii_host(host: str) -> str:
    """The host as it goes on the wire: IDNA for names, compressed form for IPv6 literals.

    Refusing odd characters here (backslashes, percent signs, zone ids) keeps parsers that
    disagree about them from reading a different host than the one validated.
    """
    if ":" in host:
        if "%" in host:
            raise ValueError("IPv6 zone ids are not accepted")
        return f"[{ipaddress.IPv6Address(host).compressed}]"
    if not host.isascii():
        host = host.encode("idna").decode("ascii")
    host = host.lower()
    if not _HOST_NAME.fullmatch(host):
        raise ValueError(f"{host!r} is not a host name or IP address")
    labels = host.removesuffix(".").split(".")
    if len(host) > MAX_HOST_LENGTH or not all(
        0 < len(label) <= MAX_LABEL_LENGTH for label in labels
    ):
        raise ValueError(
            f"a host name has labels of 1 to {MAX_LABEL_LENGTH} characters and at most "
            f"{MAX_HOST_LENGTH} in all"
        )
    return host


def _normalised(scheme: str, host: str, port: int | None, path: str, query: str) -> SplitResult:
    """Drop the default port and the fragment; credentials are never carried over."""
    netloc = host if port is None or port == DEFAULT_PORTS[scheme] else f"{host}:{port}"
    return SplitResult(scheme, netloc, path or "/", query, "")
