"""Settings turned into the core's objects: the one path every entry point takes to a corpus.

The CLI's commands and `kfor-bot run` used to pass the settings on separately, and drifted apart
(`feeds add` from the shell scheduled the next poll at the default 15 minutes, whatever the
config said); both now open the corpus here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.config import Settings
from briefings.corpus import Clock, Corpus, open_corpus, utc_now
from briefings.ingest.fetch import FetchLimits


def fetch_limits(settings: Settings) -> FetchLimits:
    """The fetcher's caps as configured."""
    return FetchLimits(
        connect_timeout=settings.feeds.connect_timeout,
        total_timeout=settings.feeds.total_timeout,
        max_bytes=settings.feeds.max_bytes,
        max_redirects=settings.feeds.max_redirects,
        allow_private_networks=settings.feeds.allow_private_networks,
    )


@asynccontextmanager
async def configured_corpus(settings: Settings, *, clock: Clock = utc_now) -> AsyncIterator[Corpus]:
    """The corpus at the configured store (the PostgreSQL URL when one is set, else the SQLite
    file), with every setting the core takes applied."""
    async with open_corpus(
        settings.database_url or settings.db,
        limits=fetch_limits(settings),
        clock=clock,
        topic_files=settings.topic_files,
        poll_interval=settings.feeds.poll_interval,
        poll_concurrency=settings.feeds.poll_concurrency,
    ) as corpus:
        yield corpus
