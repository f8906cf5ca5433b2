"""Article rows: insert derived articles once, group republications into stories, read them back.

Writes come in batches (a feed's or a file's articles): a few statements per batch rather than
several per article, because each statement is a round trip to aiosqlite's thread.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import aiosqlite

from briefings.derive import DerivedArticle
from briefings.signature import SAME_STORY, similarity
from briefings.store.sqlite import chunks

VISIBLE = """(
    EXISTS (SELECT 1 FROM imported_articles ia
            WHERE ia.article_id = a.id AND ia.workspace = :workspace)
    OR EXISTS (SELECT 1 FROM feed_articles fa JOIN feeds f ON f.id = fa.feed_id
               WHERE fa.article_id = a.id AND f.workspace = :workspace)
    OR a.is_seed = 1
)"""
"""SQL condition: article `a` is visible to `:workspace` (its imports, its feeds, or a seed).

The article's own column is tested last: SQLite stops at the first true term, the links answer
from small indexes, and reading `is_seed` loads the whole article row, which made walks of the
date index three times slower.
"""


def compress_text(text: str) -> bytes:
    """The stored form of an article's full text: only export reads it, and zlib keeps a third."""
    return zlib.compress(text.encode("utf-8"))


def decompress_text(stored: bytes | str) -> str:
    """The article's full text back from `compress_text`; rows stored before it hold plain text."""
    if isinstance(stored, str):
        return stored
    return zlib.decompress(stored).decode("utf-8")


Query = Callable[[str, Sequence[Any]], Awaitable[Iterable[sqlite3.Row]]]
"""A read: `Database.fetchall` outside a transaction, or a connection's `execute_fetchall` in one."""


async def ids_by_key(query: Query, keys: Iterable[str]) -> dict[str, int]:
    """The ids of the articles stored under these identity keys (absent keys are left out)."""
    found: dict[str, int] = {}
    for chunk in chunks(sorted(set(keys))):
        rows = await query(
            f"SELECT key, id FROM articles WHERE key IN ({_marks(chunk)})",  # noqa: S608
            chunk,
        )
        found.update((key, article_id) for key, article_id in rows)
    return found


@dataclass
class _Stories:
    """Story ids known for this batch: by clean-text hash, and by signature band."""

    by_hash: dict[str, int] = field(default_factory=dict)
    by_band: dict[str, list[tuple[int, bytes]]] = field(default_factory=dict)

    def story_of(self, article: DerivedArticle) -> int | None:
        """Same clean text, else the most similar signature above SAME_STORY."""
        if article.content_hash in self.by_hash:
            return self.by_hash[article.content_hash]
        best: tuple[float, int] | None = None
        for band in article.bands:
            for story_id, other in self.by_band.get(band, ()):
                score = similarity(article.signature, other)
                if score >= SAME_STORY and (best is None or score > best[0]):
                    best = (score, story_id)
        return best[1] if best else None

    def add(self, article: DerivedArticle, story_id: int) -> None:
        self.by_hash.setdefault(article.content_hash, story_id)
        for band in article.bands:
            self.by_band.setdefault(band, []).append((story_id, article.signature))


async def insert_many(
    conn: aiosqlite.Connection, batch: Sequence[DerivedArticle], *, is_seed: bool, now: str
) -> list[int]:
    """Store new articles (keys not stored yet) and everything derived from them; their ids, in order.

    Call inside a transaction: ids are given out from the largest stored one, which only the
    write lock keeps stable.
    """
    if not batch:
        return []
    stories = await _stored_stories(conn, batch)
    rows = await conn.execute_fetchall("SELECT COALESCE(MAX(id), 0) FROM articles")
    first_id = rows[0][0] + 1
    ids = list(range(first_id, first_id + len(batch)))
    story_ids = []
    for article_id, article in zip(ids, batch, strict=True):
        story_id = stories.story_of(article) or article_id
        stories.add(article, story_id)
        story_ids.append(story_id)
    await conn.executemany(
        """INSERT INTO articles (id, key, url, title, publisher, published, published_precision,
                                 text, content_hash, signature, story_id, is_seed, topics, added_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            (
                article_id,
                a.key,
                a.url,
                a.title,
                a.publisher,
                a.published.iso,
                a.published.precision.value,
                compress_text(a.text),
                a.content_hash,
                a.signature,
                story_id,
                int(is_seed),
                json.dumps(list(a.topics)),
                now,
            )
            for article_id, story_id, a in zip(ids, story_ids, batch, strict=True)
        ],
    )
    await conn.executemany(
        "INSERT INTO sentences (article_id, idx, text, topics) VALUES (?, ?, ?, ?)",
        _sentence_rows(ids, batch),
    )
    await conn.executemany(
        """INSERT INTO facts (article_id, kind, value, qualifier, sentence_idx, span, resolved)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        [
            (
                article_id,
                f.kind,
                str(f.value),
                f.qualifier,
                f.sentence_index,
                f.span,
                int(f.resolved),
            )
            for article_id, a in zip(ids, batch, strict=True)
            for f in a.facts
        ],
    )
    await conn.executemany(
        "INSERT OR IGNORE INTO signature_bands (band, article_id) VALUES (?, ?)",
        [(band, article_id) for article_id, a in zip(ids, batch, strict=True) for band in a.bands],
    )
    await conn.executemany(
        "INSERT INTO article_search (rowid, title, text) VALUES (?, ?, ?)",
        [
            (article_id, a.folded_title, a.folded_text)
            for article_id, a in zip(ids, batch, strict=True)
        ],
    )
    return ids


def _sentence_rows(
    ids: Sequence[int], batch: Sequence[DerivedArticle]
) -> Iterator[tuple[int, int, str, str]]:
    for article_id, article in zip(ids, batch, strict=True):
        for i, (text, scores) in enumerate(
            zip(article.sentences, article.sentence_topics, strict=True)
        ):
            yield article_id, i, text, json.dumps(scores, sort_keys=True) if scores else "{}"


async def _stored_stories(conn: aiosqlite.Connection, batch: Sequence[DerivedArticle]) -> _Stories:
    """The stories of stored articles that share a clean-text hash or a signature band with the batch."""
    stories = _Stories()
    for chunk in chunks(sorted({a.content_hash for a in batch})):
        rows = await conn.execute_fetchall(
            f"""SELECT content_hash, MIN(story_id) FROM articles
                WHERE content_hash IN ({_marks(chunk)}) GROUP BY content_hash""",  # noqa: S608
            chunk,
        )
        stories.by_hash.update((content_hash, story_id) for content_hash, story_id in rows)
    for chunk in chunks(sorted({band for a in batch for band in a.bands})):
        rows = await conn.execute_fetchall(
            f"""SELECT sb.band, a.story_id, a.signature FROM signature_bands sb
                JOIN articles a ON a.id = sb.article_id
                WHERE sb.band IN ({_marks(chunk)})""",  # noqa: S608
            chunk,
        )
        for band, story_id, signature in rows:
            stories.by_band.setdefault(band, []).append((story_id, signature))
    return stories


async def link_to_feed(
    conn: aiosqlite.Connection, feed_id: int, article_ids: Iterable[int]
) -> None:
    """Record that a feed carried these articles (once each)."""
    await conn.executemany(
        "INSERT OR IGNORE INTO feed_articles (feed_id, article_id) VALUES (?, ?)",
        [(feed_id, article_id) for article_id in article_ids],
    )


async def link_to_workspace(
    conn: aiosqlite.Connection, workspace: str, article_ids: Iterable[int]
) -> None:
    """Record that a workspace imported these articles from local files (once each)."""
    await conn.executemany(
        "INSERT OR IGNORE INTO imported_articles (workspace, article_id) VALUES (?, ?)",
        [(workspace, article_id) for article_id in article_ids],
    )


def feed_urls_by_article(rows: Iterable[sqlite3.Row]) -> dict[int, list[str]]:
    """Group (article_id, url) rows into lists of feed URLs per article."""
    grouped: dict[int, list[str]] = {}
    for article_id, url in rows:
        grouped.setdefault(article_id, []).append(url)
    return grouped


def _marks(values: Sequence[str]) -> str:
    return ",".join("?" * len(values))
