"""Feed fetching over HTTP within limits: size, time, redirects and the private-network guard."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import ipaddress
import math
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from http import HTTPStatus
from types import TracebackType
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from briefings.errors import (
    FeedError,
    FeedHTTPError,
    FeedTimeout,
    FeedTooLarge,
    InvalidFeedURL,
    TooManyRedirects,
)
from briefings.ingest.netguard import AddressPolicy, host_address
from briefings.ingest.urls import validate_feed_url
from briefings.models import FetchResult

if TYPE_CHECKING:
    import aiohttp
    from aiohttp.abc import AbstractResolver

    from briefings.ingest.resolver import GuardedResolver


def default_user_agent() -> str:
    """kfor-bot's User-Agent, naming the installed version; looked up when a session starts."""
    # importlib.metadata and the lookup took 6 ms of every command's start-up, fetching or not.
    from importlib import metadata

    try:
        version = metadata.version("kfor-bot")
    except metadata.PackageNotFoundError:  # a source checkout that was never installed
        version = "0+unknown"
    return f"kfor-bot/{version} (+https://github.com/kfor-bot/kfor-bot; news briefings)"


ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5"
)
# Only the codings aiohttp decodes itself, so the size cap always counts decoded bytes.
ACCEPT_ENCODING = "gzip, deflate"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
READ_CHUNK = 64 * 1024

_HINTS = {
    401: "the feed needs a login",
    403: "the server refuses the bot",
    410: "the feed was removed",
    429: "the server asks the bot to slow down",
}
_MAX_AGE = re.compile(r"(?:^|,)\s*max-age\s*=\s*\"?([0-9]+)", re.IGNORECASE)
# Retry-After and max-age are clamped to a week when read: a server's "99999999999999999999"
# is "a long time", and the poll backoff waits a day at most anyway.
MAX_WAIT_SECONDS = 7 * 24 * 3600


@dataclass(frozen=True)
class FetchLimits:
    """What one fetch may cost; the defaults suit a public bot polling news feeds.

    `total_timeout` covers the whole fetch: waiting for a free connection, every redirect hop
    and the body. `max_bytes` counts the body after decompression. `allow_private_networks`
    opens loopback and private ranges, never link-local/metadata or multicast; `allowed_networks`
    (CIDR strings) opens exactly the networks listed, for an operator's own feed server.
    """

    connect_timeout: float = 10.0
    total_timeout: float = 30.0
    max_bytes: int = 10 * 1024 * 1024
    max_redirects: int = 5
    max_connections: int = 10
    allow_private_networks: bool = False
    allowed_networks: tuple[str, ...] = ()
    user_agent: str = ""  # empty: `default_user_agent()`

    def __post_init__(self) -> None:
        """Reject a malformed network when the settings are read, not at the first fetch."""
        self.policy()

    def policy(self) -> AddressPolicy:
        """The address policy these limits describe; raises ValueError for a malformed network."""
        networks = tuple(ipaddress.ip_network(net) for net in self.allowed_networks)
        return AddressPolicy(self.allow_private_networks, networks)


class Fetcher:
    """Fetches feed documents over one shared session: `async with Fetcher(limits) as fetcher`.

    `resolver` replaces the DNS lookup underneath the guard (tests map names to addresses with
    it); whatever it returns is still checked before any connection is made.
    """

    def __init__(
        self, limits: FetchLimits | None = None, *, resolver: AbstractResolver | None = None
    ) -> None:
        self.limits = limits or FetchLimits()
        self._policy = self.limits.policy()
        self._inner_resolver = resolver
        self._resolver: GuardedResolver | None = None
        self._session: aiohttp.ClientSession | None = None
        self._entered = False

    async def __aenter__(self) -> Fetcher:
        self._entered = True
        return self

    def _started(self) -> aiohttp.ClientSession:
        """The session, made on the first fetch: aiohttp takes a quarter of a second to load, and
        a command that never fetches (status, search, ...) should not wait for it."""
        if self._session is None:
            import aiohttp

            from briefings.ingest.resolver import GuardedResolver

            self._resolver = GuardedResolver(self._policy, self._inner_resolver)
            connector = aiohttp.TCPConnector(
                resolver=self._resolver, limit=self.limits.max_connections
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                cookie_jar=aiohttp.DummyCookieJar(),
                trust_env=False,  # an environment proxy would connect where the guard cannot look
                timeout=aiohttp.ClientTimeout(total=None, sock_connect=self.limits.connect_timeout),
                headers={
                    "User-Agent": self.limits.user_agent or default_user_agent(),
                    "Accept": ACCEPT,
                    "Accept-Encoding": ACCEPT_ENCODING,
                },
            )
        return self._session

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._session is not None:
            await self._session.close()
        if self._resolver is not None:
            await self._resolver.close()
        self._session = self._resolver = None
        self._entered = False

    async def fetch(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult:
        """Fetch `url`, following up to `max_redirects` redirects; a 304 gives no body.

        Raises InvalidFeedURL, BlockedAddress, TooManyRedirects, FeedHTTPError, FeedTooLarge,
        FeedTimeout, or FeedError for anything else that stops the fetch.
        """
        if not self._entered:
            raise RuntimeError("use the Fetcher inside `async with`")
        hops = [validate_feed_url(url)]
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            async with asyncio.timeout(self.limits.total_timeout):
                return await self._follow(self._started(), hops, headers)
        except TimeoutError:
            raise FeedTimeout(
                f"{_host(hops[-1])} did not finish answering within {self.limits.total_timeout:g} s"
            ) from None

    async def _follow(
        self, session: aiohttp.ClientSession, hops: list[str], headers: dict[str, str]
    ) -> FetchResult:
        """Request each hop in turn, judging every redirect target before it is requested."""
        while True:
            url = hops[-1]
            hostname = urlsplit(url).hostname or ""
            fixed = host_address(hostname)
            if fixed is not None:  # aiohttp connects to IP literals without asking the resolver
                self._policy.check(hostname, fixed)
            with _client_errors(_host(url), self.limits.connect_timeout):
                async with session.get(url, headers=headers, allow_redirects=False) as resp:
                    location = resp.headers.get("Location")
                    if resp.status in REDIRECT_STATUSES and location:
                        hops.append(self._redirect_target(hops, location))
                        continue
                    return await self._result(url, resp, headers)

    def _redirect_target(self, hops: list[str], location: str) -> str:
        host = _host(hops[-1])
        try:
            target = validate_feed_url(urljoin(hops[-1], location))
        except InvalidFeedURL as exc:
            raise InvalidFeedURL(
                f"{host} redirected to a URL the bot will not fetch: {exc}"
            ) from exc
        if target in hops:
            raise TooManyRedirects(f"{host} redirects in a loop")
        if len(hops) > self.limits.max_redirects:
            raise TooManyRedirects(
                f"{_host(hops[0])} redirected more than {self.limits.max_redirects} times"
            )
        return target

    async def _result(
        self, url: str, resp: aiohttp.ClientResponse, sent: dict[str, str]
    ) -> FetchResult:
        headers = _lowercase_headers(resp)
        if resp.status == HTTPStatus.NOT_MODIFIED:
            return FetchResult(
                url=url,
                status=resp.status,
                body=None,
                headers=headers,
                etag=headers.get("etag", sent.get("If-None-Match")),
                last_modified=headers.get("last-modified", sent.get("If-Modified-Since")),
                max_age=_max_age(headers),
            )
        if resp.status >= HTTPStatus.MULTIPLE_CHOICES:
            raise _http_error(_host(url), resp.status, headers)
        return FetchResult(
            url=url,
            status=resp.status,
            body=await self._read_capped(_host(url), resp),
            headers=headers,
            etag=headers.get("etag"),
            last_modified=headers.get("last-modified"),
            max_age=_max_age(headers),
        )

    async def _read_capped(self, host: str, resp: aiohttp.ClientResponse) -> bytes:
        """Read the decoded body chunk by chunk, stopping as soon as it passes the cap.

        A gzip bomb or an endless chunked response therefore costs at most the cap plus a chunk.
        """
        cap = self.limits.max_bytes
        too_large = f"the feed from {host} is larger than {_size(cap)}, the most the bot reads"
        if resp.content_length is not None and resp.content_length > cap:
            raise FeedTooLarge(too_large)
        body = bytearray()
        async for chunk in resp.content.iter_chunked(READ_CHUNK):
            body += chunk
            if len(body) > cap:
                resp.close()
                raise FeedTooLarge(too_large)
        return bytes(body)


@contextlib.contextmanager
def _client_errors(host: str, connect_timeout: float) -> Iterator[None]:
    """Turn aiohttp's errors into one-line FeedErrors naming the host, never the full URL."""
    import aiohttp  # loaded already: only a fetch gets here

    try:
        yield
    except aiohttp.ClientConnectorDNSError as exc:
        raise FeedError(f"{host} could not be found (DNS lookup failed)") from exc
    except aiohttp.ClientSSLError as exc:
        raise FeedError(
            f"the secure connection to {host} failed (TLS certificate or handshake)"
        ) from exc
    except aiohttp.ClientConnectorError as exc:
        reason = os.strerror(exc.errno) if exc.errno else "connection failed"
        raise FeedError(f"could not connect to {host}: {reason}") from exc
    except aiohttp.ConnectionTimeoutError as exc:
        raise FeedTimeout(f"could not connect to {host} within {connect_timeout:g} s") from exc
    except aiohttp.ServerDisconnectedError as exc:
        raise FeedError(f"{host} closed the connection before answering in full") from exc
    except aiohttp.ClientPayloadError as exc:
        raise FeedError(f"{host} sent a truncated or corrupt response") from exc
    except (aiohttp.InvalidURL, ValueError) as exc:  # UnicodeError: a host IDNA cannot encode
        raise InvalidFeedURL(f"the URL for {host} cannot be requested") from exc
    except aiohttp.ClientError as exc:
        raise FeedError(f"fetching from {host} failed ({type(exc).__name__})") from exc


def _http_error(host: str, status: int, headers: dict[str, str]) -> FeedHTTPError:
    """A FeedHTTPError whose message uses the standard reason phrase, not the server's own text."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "HTTP error"
    hint = _HINTS.get(status) or ("the server failed; it may recover" if status >= 500 else "")
    retry_after = None
    if status in (HTTPStatus.TOO_MANY_REQUESTS, HTTPStatus.SERVICE_UNAVAILABLE):
        retry_after = parse_retry_after(headers.get("retry-after"), dt.datetime.now(dt.UTC))
    message = f"{host} answered {status} {phrase}" + (f": {hint}" if hint else "")
    if retry_after is not None:
        message += f"; retry after {retry_after:g} s"
    return FeedHTTPError(message, status, retry_after)


def parse_retry_after(value: str | None, now: dt.datetime) -> float | None:
    """Seconds to wait from a Retry-After header, given as seconds or as an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(_seconds(value))
    from email.utils import parsedate_to_datetime  # see briefings.dates.date_from_html_meta

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return float(min(max(0, math.ceil((when - now).total_seconds())), MAX_WAIT_SECONDS))


def _max_age(headers: dict[str, str]) -> int | None:
    """Cache-Control's max-age in seconds, at most MAX_WAIT_SECONDS."""
    match = _MAX_AGE.search(headers.get("cache-control", ""))
    return _seconds(match.group(1)) if match else None


def _seconds(digits: str) -> int:
    """A header's whole seconds, clamped; never int() of a string longer than int() allows."""
    return (
        MAX_WAIT_SECONDS
        if len(digits) > len(str(MAX_WAIT_SECONDS))
        else min(int(digits), MAX_WAIT_SECONDS)
    )


def _lowercase_headers(resp: aiohttp.ClientResponse) -> dict[str, str]:
    """Header names lowercased, repeated headers joined with commas as HTTP allows."""
    headers: dict[str, str] = {}
    for name, value in resp.headers.items():
        key = name.lower()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return headers


def _host(url: str) -> str:
    return urlsplit(url).netloc


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:g} MiB" if n >= 1024 * 1024 else f"{n} bytes"
