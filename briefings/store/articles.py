"""Article rows: insert derived articles once, group republications into stories, read them back.

Writes come in batches (a feed's or a file's articles): a few statements per batch rather than
several per article, because each statement is a round trip to aiosqlite's thread.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from typing import Any

import aiosqlite

from briefings.derive import DerivedArticle
from briefings.store.sqlite import chunks, marks
from briefings.store.stories import stored_stories


def visible(article_id: str) -> str:
    """SQL condition: the article `a`, whose id the query also has as `article_id`, is visible to
    `:workspace` (its imports, its feeds, or a seed).

    The article's own column is tested last: SQLite stops at the first true term, the links answer
    from small indexes, and reading `is_seed` loads the whole article row, which made walks of the
    date index three times slower. A query that joins another table on the article's id passes
    that table's column, so SQLite tests visibility only for rows the join keeps.
    """
    return f"""(
    EXISTS (SELECT 1 FROM imported_articles ia
            WHERE ia.article_id = {article_id} AND ia.workspace = :workspace)
    OR EXISTS (SELECT 1 FROM feed_articles fa JOIN feeds fd ON fd.id = fa.feed_id
               WHERE fa.article_id = {article_id} AND fd.workspace = :workspace)
    OR a.is_seed = 1
)"""  # noqa: S608 - the caller's column name; values are bound


VISIBLE = visible("a.id")
"""SQL condition: article `a` is visible to `:workspace` (see `visible`)."""


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
            f"SELECT key, id FROM articles WHERE key IN ({marks(chunk)})",  # noqa: S608
            chunk,
        )
        found.update((key, article_id) for key, article_id in rows)
    return found


async def insert_many(
    conn: aiosqlite.Connection, batch: Sequence[DerivedArticle], *, is_seed: bool, now: str
) -> list[int]:
    """Store new articles (keys not stored yet) and everything derived from them; their ids, in order.

    Call inside a transaction: ids are given out from the largest stored one, which only the
    write lock keeps stable.
    """
    if not batch:
        return []
    stories = await stored_stories(conn, batch)
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
    cut = [(article_id,) for article_id, a in zip(ids, batch, strict=True) if a.cut]
    if cut:  # rare: no round trip for the batches that have none
        await conn.executemany("INSERT INTO cut_texts (article_id) VALUES (?)", cut)
    await conn.executemany(
        "INSERT INTO sentences (article_id, idx, text, topics) VALUES (?, ?, ?, ?)",
        _sentence_rows(ids, batch),
    )
    await conn.executemany(
        """INSERT INTO facts (article_id, kind, value, qualifier, sentence_idx, span, resolved,
                              published)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            (
                article_id,
                f.kind,
                str(f.value),
                f.qualifier,
                f.sentence_index,
                f.span,
                int(f.resolved),
                a.published.iso,
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
