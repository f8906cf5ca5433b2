"""Article rows: insert derived articles once, group republications into stories, read them back."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

import aiosqlite

from briefings.derive import DerivedArticle
from briefings.signature import SAME_STORY, similarity

VISIBLE = """(
    a.is_seed = 1
    OR EXISTS (SELECT 1 FROM feed_articles fa JOIN feeds f ON f.id = fa.feed_id
               WHERE fa.article_id = a.id AND f.workspace = :workspace)
    OR EXISTS (SELECT 1 FROM imported_articles ia
               WHERE ia.article_id = a.id AND ia.workspace = :workspace)
)"""
"""SQL condition: article `a` is visible to `:workspace` (its feeds, its imports, or a seed)."""


async def find_by_key(conn: aiosqlite.Connection, key: str) -> int | None:
    """The id of the article stored under this identity key, if any."""
    rows = await conn.execute_fetchall("SELECT id FROM articles WHERE key = ?", (key,))
    return rows[0][0] if rows else None


async def insert(
    conn: aiosqlite.Connection, article: DerivedArticle, *, is_seed: bool, now: str
) -> int:
    """Store a new article and everything derived from it; returns its id. Call inside a transaction."""
    story_id = await _story_of(conn, article)
    cursor = await conn.execute(
        """INSERT INTO articles (key, url, title, publisher, published, published_precision, text,
                                 content_hash, signature, story_id, is_seed, topics, added_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, COALESCE(?, 0), ?, ?, ?)""",
        (
            article.key,
            article.url,
            article.title,
            article.publisher,
            article.published.iso,
            article.published.precision.value,
            article.text,
            article.content_hash,
            article.signature,
            story_id,
            int(is_seed),
            json.dumps(list(article.topics)),
            now,
        ),
    )
    article_id = cursor.lastrowid
    assert article_id is not None  # noqa: S101 - sqlite always gives a rowid for an INSERT
    if story_id is None:
        await conn.execute("UPDATE articles SET story_id = id WHERE id = ?", (article_id,))
    await conn.executemany(
        "INSERT INTO sentences (article_id, idx, text, topics) VALUES (?, ?, ?, ?)",
        [
            (article_id, i, text, json.dumps(scores, sort_keys=True))
            for i, (text, scores) in enumerate(
                zip(article.sentences, article.sentence_topics, strict=True)
            )
        ],
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
            for f in article.facts
        ],
    )
    await conn.executemany(
        "INSERT OR IGNORE INTO signature_bands (band, article_id) VALUES (?, ?)",
        [(band, article_id) for band in article.bands],
    )
    await conn.execute(
        "INSERT INTO article_search (rowid, title, text) VALUES (?, ?, ?)",
        (article_id, article.folded_title, article.folded_text),
    )
    return article_id


async def _story_of(conn: aiosqlite.Connection, article: DerivedArticle) -> int | None:
    """The story an already stored article shares with this one: same clean text, or a close signature."""
    rows = await conn.execute_fetchall(
        "SELECT story_id FROM articles WHERE content_hash = ? LIMIT 1", (article.content_hash,)
    )
    if rows:
        return rows[0][0]
    marks = ",".join("?" * len(article.bands))
    candidates = await conn.execute_fetchall(
        f"""SELECT a.story_id, a.signature FROM articles a
            WHERE a.id IN (SELECT article_id FROM signature_bands WHERE band IN ({marks}))""",  # noqa: S608 - only placeholders
        article.bands,
    )
    best: tuple[float, int] | None = None
    for story_id, other in candidates:
        score = similarity(article.signature, other)
        if score >= SAME_STORY and (best is None or score > best[0]):
            best = (score, story_id)
    return best[1] if best else None


async def link_to_feed(conn: aiosqlite.Connection, feed_id: int, article_id: int) -> None:
    """Record that a feed carried this article (once)."""
    await conn.execute(
        "INSERT OR IGNORE INTO feed_articles (feed_id, article_id) VALUES (?, ?)",
        (feed_id, article_id),
    )


async def link_to_workspace(conn: aiosqlite.Connection, workspace: str, article_id: int) -> None:
    """Record that a workspace imported this article from a local file (once)."""
    await conn.execute(
        "INSERT OR IGNORE INTO imported_articles (workspace, article_id) VALUES (?, ?)",
        (workspace, article_id),
    )


def feed_urls_by_article(rows: Iterable[sqlite3.Row]) -> dict[int, list[str]]:
    """Group (article_id, url) rows into lists of feed URLs per article."""
    grouped: dict[int, list[str]] = {}
    for article_id, url in rows:
        grouped.setdefault(article_id, []).append(url)
    return grouped
