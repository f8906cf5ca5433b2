"""Chat commands before background work: a poll steps aside while a command is being answered.

A poll round shares the event loop, the database thread and both cores with the commands
answered meanwhile; on two cores a status card took twice as long during a round of 1,000 feeds
as without one. Each feed's poll waits at its steps while a command runs, at most
MAX_WAIT_SECONDS each time, so a stream of commands slows polling but cannot stop it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

MAX_WAIT_SECONDS = 1.0


class Priority:
    """Counts the commands in progress; background work waits for none to be left."""

    def __init__(self, max_wait: float = MAX_WAIT_SECONDS) -> None:
        self.max_wait = max_wait
        self._commands = 0
        self._quiet = asyncio.Event()
        self._quiet.set()

    @contextlib.asynccontextmanager
    async def command(self) -> AsyncIterator[None]:
        """Mark a command in progress for as long as the block runs."""
        self._commands += 1
        self._quiet.clear()
        try:
            yield
        finally:
            self._commands -= 1
            if not self._commands:
                self._quiet.set()

    async def background_turn(self) -> None:
        """Return once no command is in progress, or after `max_wait` seconds regardless."""
        if self._quiet.is_set():
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._quiet.wait(), self.max_wait)
