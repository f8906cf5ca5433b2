"""Stored articles under new rules: their derived rows replaced a batch at a time, stories regrouped
in id order, then story dates and the search index rebuilt in one step.

Progress is kept in `meta` with each batch, so an interrupted run resumes where it stopped; until
the last step, replies read the old story dates and search index, never half of a new one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from briefings.derive import DerivedArticle, copy_keys, stored_draft
from briefings.fold import fold
from briefings.models import ArticleDraft, Published
from briefings.store.articles import RULES_VERSION_KEY, decompress_text, insert_derived
from briefings.store.connection import Connection, Database, TextIndex, chunks, marks

NEXT_ID = "rederive_next_id"
# Folded titles and texts of re-derived articles, kept until the search index is rebuilt from
# them: FTS5 cannot delete one row of a contentless index without its old indexed text, and
# replies read the old index until the run ends.
STAGED = "rederive_search"
_STAGE = """CREATE TABLE IF NOT EXISTS rederive_search (
    id INTEGER PRIMARY KEY, title TEXT NOT NULL, text TEXT NOT NULL)"""
# The story date of every article (see briefings.stories.story_date, and migration 0008).
_STORY_DATES = """UPDATE articles SET story_published = (
    SELECT m.published FROM articles m
    WHERE m.story_id = articles.story_id AND m.published IS NOT NULL
    ORDER BY CASE length(m.published) WHEN 4 THEN m.published || '-12-31'
                                      WHEN 7 THEN m.published || '-31'
                                      ELSE m.published END,
             length(m.published) DESC
    LIMIT 1)"""


async def rules_version(db: Database) -> int | None:
    """The rules version the stored articles were derived with (0: a version that kept none),
    or None while no article is stored."""
    row = await db.fetchone("SELECT value FROM meta WHERE key = ?", (RULES_VERSION_KEY,))
    return int(row[0]) if row else None


async def start(conn: Connection) -> int:
    """The first article id still to re-derive: where an interrupted run stopped, else 0.

    A new run drops every signature band, lead key and lead: the rules that made them may
    differ from today's, and each batch finds its stories among those of the articles
    re-derived before it.
    """
    await conn.execute(_STAGE)
    rows = list(await conn.execute_fetchall("SELECT value FROM meta WHERE key = ?", (NEXT_ID,)))
    if rows:
        return int(rows[0][0])
    await conn.execute("DELETE FROM signature_bands")
    await conn.execute("DELETE FROM story_leads")
    await conn.execute("DELETE FROM rederive_search")
    await conn.execute("INSERT INTO meta (key, value) VALUES (?, '0')", (NEXT_ID,))
    return 0


async def remaining(db: Database, next_id: int) -> int:
    """How many stored articles are still to re-derive."""
    row = await db.fetchone("SELECT COUNT(*) FROM articles WHERE id >= ?", (next_id,))
    return int(row[0]) if row else 0


async def stored_drafts(db: Database, next_id: int, limit: int) -> list[tuple[int, ArticleDraft]]:
    """The next stored articles, from `next_id` on, as drafts (see `derive.stored_draft`): clean
    text with its dateline, title, link, publisher and own publication date."""
    rows = await db.fetchall(
        """SELECT id, title, text, dateline, url, publisher, published FROM articles
           WHERE id >= ? ORDER BY id LIMIT ?""",
        (next_id, limit),
    )
    return [
        (
            row["id"],
            stored_draft(
                row["title"],
                decompress_text(row["text"]),
                row["dateline"],
                url=row["url"],
                publisher=row["publisher"],
                published=Published.from_iso(row["published"]),
            ),
        )
        for row in rows
    ]


async def replace_derived(
    conn: Connection, items: Sequence[tuple[int, DerivedArticle]], next_id: int, index: TextIndex
) -> None:
    """Replace what was derived from these articles (in id order) and record `next_id` as done;
    their texts are stored as `index` keeps them.

    Each article joins a story of lower ids, as if the articles arrived again in order. Facts
    keep their article's stored story date until `finish` dates every story anew.
    """
    from briefings.store import stories  # numpy: only a rederive needs it, not the version check

    if items:
        ids = [article_id for article_id, _ in items]
        batch = [article for _, article in items]
        story_dates = await _delete_derived(conn, ids)
        story_ids, grouping = await stories.assign(conn, ids, batch, below=ids[0])
        await conn.executemany(
            """UPDATE articles SET title = ?, text = ?, dateline = ?, content_hash = ?,
                   signature = ?, story_id = ?, topics = ?, published = ?, published_precision = ?
               WHERE id = ?""",
            [
                (
                    a.title,
                    index.stored_text(a.text),
                    a.dateline,
                    a.content_hash,
                    a.signature,
                    story_id,
                    json.dumps(list(a.topics)),
                    a.published.iso,
                    a.published.precision.value,
                    article_id,
                )
                for article_id, story_id, a in zip(ids, story_ids, batch, strict=True)
            ],
        )
        await insert_derived(conn, ids, [story_dates[i] for i in ids], batch, grouping)
        await conn.executemany(
            """INSERT INTO rederive_search (id, title, text) VALUES (?, ?, ?)
               ON CONFLICT (id) DO UPDATE SET title = excluded.title, text = excluded.text""",
            [(i, a.folded_title, a.folded_text) for i, a in items],
        )
    await conn.execute("UPDATE meta SET value = ? WHERE key = ?", (str(next_id), NEXT_ID))


async def _delete_derived(conn: Connection, ids: Sequence[int]) -> dict[int, str | None]:
    """Remove the sentences, facts, signature bands, lead keys and leads of these articles;
    their story dates."""
    from briefings.signature import bands  # see store_batch

    story_dates: dict[int, str | None] = {}
    for chunk in chunks(ids):
        await conn.execute(
            f"DELETE FROM sentences WHERE article_id IN ({marks(chunk)})",  # noqa: S608
            chunk,
        )
        await conn.execute(
            f"DELETE FROM facts WHERE article_id IN ({marks(chunk)})",  # noqa: S608
            chunk,
        )
        rows = await conn.execute_fetchall(
            f"SELECT id, signature, story_published FROM articles WHERE id IN ({marks(chunk)})",  # noqa: S608
            chunk,
        )
        # Only articles stored since the run began still have bands, made by today's rules:
        # delete them by their whole key (the band index has no index on the article alone).
        await conn.executemany(
            "DELETE FROM signature_bands WHERE band = ? AND article_id = ?",
            [(band, article_id) for article_id, signature, _ in rows for band in bands(signature)],
        )
        story_dates.update((article_id, story) for article_id, _, story in rows)
        # Their leads and copy keys likewise: the keys from the stored text, of the articles
        # that have a lead (those stored since the run began).
        leads = await conn.execute_fetchall(
            f"""SELECT a.id, a.text FROM articles a JOIN story_leads l ON l.article_id = a.id
                WHERE a.id IN ({marks(chunk)})""",  # noqa: S608
            chunk,
        )
        await conn.executemany(
            "DELETE FROM signature_bands WHERE band = ? AND article_id = ?",
            [
                (key, article_id)
                for article_id, text in leads
                for key in copy_keys(decompress_text(text))
            ],
        )
        await conn.execute(
            f"DELETE FROM story_leads WHERE article_id IN ({marks(chunk)})",  # noqa: S608
            chunk,
        )
    return story_dates


async def finish(conn: Connection, version: int, index: TextIndex) -> None:
    """Date every story, give facts their story's date, rebuild the search `index`, and record
    the rules version: one transaction, so replies switch to the new data at once."""
    await conn.execute(_STAGE)
    # Articles the run kept as they were (nothing readable under the new rules) or that arrived
    # after its last batch are indexed from their stored text.
    rows = await conn.execute_fetchall(
        "SELECT id, title, text FROM articles WHERE id NOT IN (SELECT id FROM rederive_search)"
    )
    await conn.executemany(
        "INSERT INTO rederive_search (id, title, text) VALUES (?, ?, ?)",
        [(i, fold(title), fold(decompress_text(text))) for i, title, text in rows],
    )
    await conn.execute(_STORY_DATES)
    await conn.execute(
        """UPDATE facts SET published = (
               SELECT a.story_published FROM articles a WHERE a.id = facts.article_id)"""
    )
    await index.rebuild(conn, STAGED)
    await conn.execute("DROP TABLE rederive_search")
    await conn.execute("DELETE FROM meta WHERE key = ?", (NEXT_ID,))
    await conn.execute(
        """INSERT INTO meta (key, value) VALUES (?, ?)
           ON CONFLICT (key) DO UPDATE SET value = excluded.value""",
        (RULES_VERSION_KEY, str(version)),
    )
