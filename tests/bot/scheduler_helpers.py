"""Builders for scheduler tests: a recording Publisher and schedules as `schedule set` stores them
(the clock and the corpus come from tests/briefings/corpus_helpers.py)."""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from bot.publish import ChannelUnavailable, PostFailed
from bot.scheduler import Scheduler
from briefings import Schedule
from briefings.corpus import Corpus
from briefings.render.platforms import platform
from tests.briefings.corpus_helpers import Clock

WORKSPACE = "guild-1"
CHANNEL = "c-news"


class Crash(BaseException):
    """The process dies here: nothing after it runs, no handler catches it."""


@dataclass
class Posted:
    """A message as the channel shows it: rendered Discord embeds, and when it arrived."""

    id: str
    workspace: str
    channel: str
    at: dt.datetime
    reply: dict[str, Any]
    embeds: list[dict[str, Any]]

    @property
    def footer(self) -> str:
        return self.embeds[-1].get("footer", {}).get("text", "")


@dataclass
class RecordingPublisher:
    """A Publisher that keeps every post as rendered, and can lose channels, fail or crash on cue."""

    clock: Clock
    platform: str = "discord"
    messages: list[Posted] = field(default_factory=list)
    attempts: int = 0
    deleted: set[str] = field(default_factory=set)
    failures: list[PostFailed] = field(default_factory=list)
    crash_before_post: bool = False
    crash_after_post: bool = False
    fail_after_post: bool = False
    posted: asyncio.Event = field(default_factory=asyncio.Event)

    async def post(self, workspace: str, channel: str, reply: dict[str, Any]) -> str:
        self.attempts += 1
        if channel in self.deleted:
            raise ChannelUnavailable(f"channel {channel} was not found")
        if self.failures:
            raise self.failures.pop(0)
        if self.crash_before_post:
            raise Crash
        embeds = [embed for message in platform("discord").messages(reply) for embed in message]
        posted = Posted(
            f"m{len(self.messages) + 1}", workspace, channel, self.clock(), reply, embeds
        )
        self.messages.append(posted)
        self.posted.set()
        if self.crash_after_post:
            raise Crash
        if self.fail_after_post:
            raise PostFailed("timed out waiting for the platform's answer")
        return posted.id

    async def find_marker(self, workspace: str, channel: str, marker: str) -> str | None:
        if channel in self.deleted:
            raise ChannelUnavailable(f"channel {channel} was not found")
        for message in reversed(self.messages):
            if (message.workspace, message.channel, message.footer) == (workspace, channel, marker):
                return message.id
        return None

    def in_channel(self, channel: str = CHANNEL) -> list[Posted]:
        return [m for m in self.messages if m.channel == channel]


async def add_schedule(
    corpus: Corpus,
    local_time: str = "07:00",
    timezone: str = "Europe/Belgrade",
    *,
    channel: str = CHANNEL,
    platform: str = "discord",
    set_at: dt.datetime | None = None,
) -> Schedule:
    """A schedule as `schedule set` stores it, set at `set_at` (default: the corpus clock)."""
    moment = set_at or corpus.clock()
    return await corpus.schedules.set_schedule(
        workspace=WORKSPACE,
        platform=platform,
        channel=channel,
        local_time=local_time,
        timezone=timezone,
        topics=(),
        actor="u-mod",
        now=moment.astimezone(dt.UTC).isoformat(timespec="seconds"),
    )


def scheduler_for(corpus: Corpus, publisher: RecordingPublisher, **kwargs: Any) -> Scheduler:
    """A scheduler that retries at once, so tests never wait."""
    return Scheduler(corpus, [publisher], retry_delay=0, **kwargs)


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)
