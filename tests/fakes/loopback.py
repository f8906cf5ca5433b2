"""The lifecycle every loopback fake shares: an aiohttp app served on 127.0.0.1 for an `async with`."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from aiohttp import web
from aiohttp.test_utils import TestServer


class LoopbackApp:
    """Serves `app` on a free port of `host` while the `async with` block runs."""

    def __init__(self, app: web.Application, host: str = "127.0.0.1") -> None:
        self.host = host
        self._server = TestServer(app, host=host)

    async def __aenter__(self) -> Self:
        await self._server.start_server()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self._before_close()
        await self._server.close()

    async def _before_close(self) -> None:
        """Close what the fake opened besides the server (websockets, say)."""

    @property
    def port(self) -> int:
        """The port the server listens on."""
        assert self._server.port is not None
        return self._server.port
