"""Loopback stand-ins for the feed web: a real HTTP feed server, a raw TCP listener and a fake DNS."""

from __future__ import annotations

import asyncio
import socket
import zlib
from dataclasses import dataclass, field
from types import TracebackType

from aiohttp import web
from aiohttp.abc import AbstractResolver, ResolveResult

from tests.fakes.loopback import LoopbackApp

MIB = 1024 * 1024
SAMPLE_RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>KFOR news</title><link>https://example.org/</link>
<item><title>KFOR patrols the north</title><link>https://example.org/1</link></item>
</channel></rss>
"""


@dataclass
class Recorded:
    """One request as the server saw it."""

    path: str
    headers: dict[str, str]


@dataclass
class Feed:
    """A document served at a path, with the validators the server compares conditional requests to."""

    body: bytes
    content_type: str = "application/rss+xml"
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


class FeedServer(LoopbackApp):
    """A real aiohttp server on 127.0.0.1 serving feeds and the ways servers misbehave.

    Routes beyond the feeds added with `add_feed`:
    `/redirect/{n}` redirects n times (relative Locations) and ends at `/feed.xml`;
    `/loop/a` and `/loop/b` redirect to each other; `/redirect-to?url=U` redirects to U;
    `/status/{code}` answers that status, with `?retry_after=V` sent as Retry-After;
    `/stream?mib=N` streams N MiB of chunked data; `/endless` never ends its chunked body;
    `/announce-large` declares a 50 MiB Content-Length; `/gzip-bomb?mib=N` is a small gzip body
    that decompresses to N MiB. `bytes_sent` counts what the streaming routes managed to write.
    """

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.requests: list[Recorded] = []
        self.bytes_sent = 0
        self.feeds: dict[str, Feed] = {"/feed.xml": Feed(SAMPLE_RSS)}
        app = web.Application(middlewares=[self._record])
        app.router.add_get("/redirect/{n}", self._redirect_chain)
        app.router.add_get("/loop/{side}", self._loop)
        app.router.add_get("/redirect-to", self._redirect_to)
        app.router.add_get("/status/{code}", self._status)
        app.router.add_get("/stream", self._stream)
        app.router.add_get("/endless", self._endless)
        app.router.add_get("/announce-large", self._announce_large)
        app.router.add_get("/gzip-bomb", self._gzip_bomb)
        app.router.add_get("/{path:.*}", self._feed)
        super().__init__(app, host=host)

    def url(self, path: str = "/feed.xml") -> str:
        """An absolute URL on this server."""
        return f"http://{self.host}:{self.port}{path}"

    def add_feed(self, path: str, feed: Feed) -> None:
        """Serve `feed` at `path`."""
        self.feeds[path] = feed

    @web.middleware
    async def _record(self, request: web.Request, handler: web.Handler) -> web.StreamResponse:
        self.requests.append(Recorded(request.path_qs, dict(request.headers)))
        return await handler(request)

    async def _feed(self, request: web.Request) -> web.StreamResponse:
        feed = self.feeds.get(request.path)
        if feed is None:
            raise web.HTTPNotFound()
        headers = dict(feed.headers)
        if feed.etag:
            headers["ETag"] = feed.etag
        if feed.last_modified:
            headers["Last-Modified"] = feed.last_modified
        if feed.etag and request.headers.get("If-None-Match") == feed.etag:
            return web.Response(status=304, headers=headers)
        return web.Response(
            status=feed.status, body=feed.body, content_type=feed.content_type, headers=headers
        )

    async def _redirect_chain(self, request: web.Request) -> web.StreamResponse:
        left = int(request.match_info["n"])
        target = f"/redirect/{left - 1}" if left > 1 else "/feed.xml"
        raise web.HTTPFound(target)

    async def _loop(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound("/loop/b" if request.match_info["side"] == "a" else "/loop/a")

    async def _redirect_to(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound(request.query["url"])

    async def _status(self, request: web.Request) -> web.StreamResponse:
        headers = {}
        if "retry_after" in request.query:
            headers["Retry-After"] = request.query["retry_after"]
        return web.Response(status=int(request.match_info["code"]), headers=headers, text="error")

    async def _stream(self, request: web.Request) -> web.StreamResponse:
        return await self._write_chunks(request, int(request.query["mib"]) * MIB)

    async def _endless(self, request: web.Request) -> web.StreamResponse:
        return await self._write_chunks(request, None)

    async def _write_chunks(self, request: web.Request, total: int | None) -> web.StreamResponse:
        """Write zeros 64 KiB at a time until `total` (or forever), stopping when the client leaves."""
        response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        chunk = b"\0" * (64 * 1024)
        try:
            while total is None or self.bytes_sent < total:
                await response.write(chunk)
                self.bytes_sent += len(chunk)
        except ConnectionError:
            return response
        await response.write_eof()
        return response

    async def _announce_large(self, request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
        response.content_length = 50 * MIB
        await response.prepare(request)
        try:
            await response.write(b"<rss>")
        except ConnectionError:
            return response
        return response

    async def _gzip_bomb(self, request: web.Request) -> web.StreamResponse:
        body = gzip_of_zeros(int(request.query["mib"]))
        self.bytes_sent += len(body)
        return web.Response(
            body=body,
            headers={"Content-Type": "application/rss+xml", "Content-Encoding": "gzip"},
        )


def gzip_of_zeros(mib: int) -> bytes:
    """A gzip stream of `mib` MiB of zeros, built a MiB at a time so the server never holds them all."""
    compressor = zlib.compressobj(9, wbits=31)
    zeros = b"\0" * MIB
    parts = [compressor.compress(zeros) for _ in range(mib)]
    return b"".join([*parts, compressor.flush()])


class Listener:
    """A raw TCP listener that counts accepted connections and sends `greeting`, then stays silent.

    With no greeting it is a server that never answers; with only a status line and headers it
    is one that stalls mid-response; its `accepted` count proves whether a client connected at all.
    """

    def __init__(self, host: str = "127.0.0.1", greeting: bytes = b"") -> None:
        self.host = host
        self.greeting = greeting
        self.accepted = 0
        self._server: asyncio.Server | None = None
        self._writers: list[asyncio.StreamWriter] = []

    async def __aenter__(self) -> Listener:
        self._server = await asyncio.start_server(self._on_connect, self.host, 0)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._server is not None
        for writer in self._writers:
            writer.close()
        self._server.close()
        await self._server.wait_closed()

    @property
    def port(self) -> int:
        """The port the listener accepts on."""
        assert self._server is not None
        return int(self._server.sockets[0].getsockname()[1])

    async def _on_connect(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        self._writers.append(writer)
        if self.greeting:
            writer.write(self.greeting)
            await writer.drain()


class FakeDNS(AbstractResolver):
    """A resolver with a fixed table: name -> addresses; unknown names fail as a real lookup would."""

    def __init__(self, table: dict[str, list[str]]) -> None:
        self.table = table
        self.lookups: list[str] = []

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        """The table's addresses for `host`, or socket.gaierror."""
        self.lookups.append(host)
        if host not in self.table:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            ResolveResult(
                hostname=host,
                host=address,
                port=port,
                family=socket.AF_INET6 if ":" in address else socket.AF_INET,
                proto=0,
                flags=socket.AI_NUMERICHOST,
            )
            for address in self.table[host]
        ]

    async def close(self) -> None:
        """Nothing to release."""
