"""Whole-article reads: export, the seed list and import count for `sources`, cited articles for
verification, and whether the seeds were loaded."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterable
from typing import Any

from briefings.store.articles import VISIBLE, decompress_text, feed_urls_by_article
from briefings.store.connection import Connection, Database, chunks, marks

SEEDS_LOADED = "seeds_loaded"


async def seeds_loaded(db: Database) -> bool:
    """Whether the bundled seed articles were stored."""
    return await db.fetchone("SELECT 1 FROM meta WHERE key = ?", (SEEDS_LOADED,)) is not None


async def mark_seeds_loaded(conn: Connection, now: str) -> None:
    """Remember, in the seeds' own transaction, that they were stored."""
    await conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (SEEDS_LOADED, now))


async def seed_articles(db: Database) -> list[dict[str, Any]]:
    """The seed articles (id, title, publisher, published, url), by id."""
    rows = await db.fetchall(
        "SELECT id, title, publisher, published, url FROM articles WHERE is_seed = 1 ORDER BY id"
    )
    return [dict(row) for row in rows]


async def imported_count(db: Database, workspace: str) -> int:
    """How many articles the workspace imported outside any feed."""
    (imported,) = await db.fetchall(
        "SELECT COUNT(*) FROM imported_articles WHERE workspace = ?", (workspace,)
    )
    return int(imported[0])


async def cited_articles(db: Database, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """These articles by id, their text decompressed, for checking a reply against them."""
    found: dict[int, dict[str, Any]] = {}
    for chunk in chunks(sorted(set(ids))):
        rows = await db.fetchall(
            f"""SELECT id, title, publisher, published, published_precision, story_published,
                       url, text FROM articles WHERE id IN ({marks(chunk)})""",  # noqa: S608 - only placeholders
            chunk,
        )
        found.update((row["id"], {**row, "text": decompress_text(row["text"])}) for row in rows)
    return found


async def export(db: Database, workspace: str) -> AsyncIterator[dict[str, Any]]:
    """Every article the workspace can see, as plain data, oldest first."""
    rows = await db.fetchall(
        f"""SELECT a.id, a.url, a.title, a.publisher, a.published, a.published_precision,
                   a.story_id, a.text, a.topics,
                   EXISTS (SELECT 1 FROM cut_texts c WHERE c.article_id = a.id) AS text_cut
            FROM articles a
            WHERE {VISIBLE} ORDER BY a.id""",  # noqa: S608 - constant condition
        {"workspace": workspace},
    )
    feed_rows = await db.fetchall(
        """SELECT fa.article_id, f.url FROM feed_articles fa JOIN feeds f ON f.id = fa.feed_id
           WHERE f.workspace = ? ORDER BY f.id""",
        (workspace,),
    )
    fact_rows = await db.fetchall(
        """SELECT f.article_id, f.kind, f.value, f.qualifier, f.span, f.resolved, f.owner,
                  f.noun, f.as_of, f.published, f.sentence_idx, f.span_start, f.on_topic,
                  s.text AS sentence_text
           FROM facts f LEFT JOIN sentences s
             ON s.article_id = f.article_id AND s.idx = f.sentence_idx
           ORDER BY f.id"""
    )
    feed_urls = feed_urls_by_article(feed_rows)
    facts_by_article: dict[int, list[dict[str, Any]]] = {}
    for row in fact_rows:
        value = row["value"]
        facts_by_article.setdefault(row["article_id"], []).append(
            {
                "kind": row["kind"],
                "value": int(value) if value.isdigit() else value,
                "qualifier": row["qualifier"],
                "owner": row["owner"],
                "noun": row["noun"],
                # The date the figure holds for: its sentence's own, else its report's.
                "date": row["as_of"] or row["published"],
                "as_of": row["as_of"],
                "sentence": row["sentence_idx"],
                "sentence_text": row["sentence_text"],
                "span": row["span"],
                "start": row["span_start"],
                "end": row["span_start"] + len(row["span"]),
                "resolved": bool(row["resolved"]),
                "on_topic": bool(row["on_topic"]),
            }
        )
    for row in rows:
        yield {
            "id": row["id"],
            "url": row["url"],
            "title": row["title"],
            "publisher": row["publisher"],
            "published": row["published"],
            "published_precision": row["published_precision"],
            "story_id": row["story_id"],
            "text": decompress_text(row["text"]),
            "text_cut": bool(row["text_cut"]),
            "feeds": feed_urls.get(row["id"], []),
            "topics": json.loads(row["topics"]),
            "facts": facts_by_article.get(row["id"], []),
        }
