"""The test helpers every test shares: one clock, one way to open a corpus on a temp SQLite file,
and one builder of feed documents."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from briefings.corpus import Corpus, open_corpus
from briefings.ingest.fetch import FetchLimits

FIXED_NOW = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)


@dataclass
class Clock:
    """The corpus clock: fixed at `now` until the test moves it."""

    now: dt.datetime = FIXED_NOW

    def __call__(self) -> dt.datetime:
        return self.now


def fixed_clock() -> dt.datetime:
    return FIXED_NOW


@asynccontextmanager
async def corpus_at(
    path: Path | str, *, clock: Callable[[], dt.datetime] = fixed_clock, **kwargs: Any
) -> AsyncIterator[Corpus]:
    """A corpus on `path` (a SQLite file, or a postgresql:// URL; seeds loaded unless `load_seeds=False`) reading time from `clock`,
    whose fetcher may reach the 127.0.0.1 test servers. Reopen it to model a restart."""
    limits = FetchLimits(allow_private_networks=True, connect_timeout=2, total_timeout=5)
    async with open_corpus(path, limits=limits, clock=clock, **kwargs) as corpus:
        yield corpus


def rss_document(items: str, *, title: str = "Balkan desk", extra: str = "") -> bytes:
    """An RSS 2.0 document around raw `<item>` XML, for tests of odd or hostile markup; `extra`
    goes in the channel before the items."""
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(title)}</title>{extra}{items}</channel></rss>"
    ).encode()


def rss(title: str, items: list[tuple[str, str, str, str]]) -> bytes:
    """An RSS 2.0 document; items are (title, link, RFC 822 date, description)."""
    body = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(link)}</link>"
        f"<pubDate>{date}</pubDate><description>{escape(d)}</description></item>"
        for t, link, date, d in items
    )
    return rss_document(body, title=title, extra="<link>https://news.example/</link>")


def atom_document(entries: str, *, title: str = "Balkan desk") -> bytes:
    """An Atom document around raw `<entry>` XML."""
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(title)}</title><id>urn:x</id><updated>2023-01-02T10:00:00Z</updated>"
        f"{entries}</feed>"
    ).encode()
