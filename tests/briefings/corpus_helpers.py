"""Shared builders for corpus tests: a corpus on a temp SQLite file, and small articles and feeds."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from xml.sax.saxutils import escape

from briefings.corpus import Corpus, open_corpus
from briefings.ingest.fetch import FetchLimits

FIXED_NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


def fixed_clock() -> dt.datetime:
    return FIXED_NOW


@asynccontextmanager
async def corpus_at(path: Path, **kwargs) -> AsyncIterator[Corpus]:
    """A corpus whose fetcher may reach the 127.0.0.1 test servers."""
    limits = FetchLimits(allow_private_networks=True, connect_timeout=2, total_timeout=5)
    async with open_corpus(path, limits=limits, clock=fixed_clock, **kwargs) as corpus:
        yield corpus


def rss(title: str, items: list[tuple[str, str, str, str]]) -> bytes:
    """An RSS 2.0 document; items are (title, link, RFC 822 date, description)."""
    body = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(link)}</link>"
        f"<pubDate>{date}</pubDate><description>{escape(d)}</description></item>"
        for t, link, date, d in items
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title><link>https://news.example/</link>{body}</channel></rss>"
    ).encode()
