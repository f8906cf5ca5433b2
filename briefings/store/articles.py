"""Article rows: insert derived articles once, group republications into stories, read them back.

Writes come in batches (a feed's or a file's articles): a few statements per batch rather than
several per article, because each statement is a round trip to aiosqlite's thread.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from briefings.derive import RULES_VERSION, DerivedArticle
from briefings.models import Published
from briefings.store.connection import Connection, Row, TextIndex, chunks, marks
from briefings.store.interface import ArticleBatch, Stored
from briefings.stories import story_date

if TYPE_CHECKING:
    from briefings.store import stories


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


# The `meta` key of the rules version (`derive.RULES_VERSION`) stored articles were derived with.
RULES_VERSION_KEY = "rules_version"

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


Query = Callable[[str, Sequence[Any]], Awaitable[Iterable[Row]]]
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
    conn: Connection,
    batch: Sequence[DerivedArticle],
    *,
    is_seed: bool,
    now: str,
    index: TextIndex,
    live: bool = False,
) -> list[int]:
    """Store new articles (keys not stored yet) and everything derived from them; their ids, in order.

    `live`: they arrive in a feed poll after that feed's first read (see migration 0008); `index`
    keeps their texts and search entries as the backend does. Call
    inside a transaction: ids are given out from the largest stored one, which only the write
    lock keeps stable.
    """
    from briefings.store import stories  # numpy: loaded by what stores, not by what reads

    if not batch:
        return []
    (row,) = await conn.execute_fetchall("SELECT COALESCE(MAX(id), 0) FROM articles")
    first_id = int(row[0]) + 1
    ids = list(range(first_id, first_id + len(batch)))
    story_ids, grouping = await stories.assign(conn, ids, batch)
    dates, moved = await _story_dates(conn, story_ids, batch)
    await conn.executemany(
        """INSERT INTO articles (id, key, url, title, publisher, published, published_precision,
                                 text, content_hash, signature, story_id, is_seed, topics, added_at,
                                 story_published, live, dateline)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            (
                article_id,
                a.key,
                a.url,
                a.title,
                a.publisher,
                a.published.iso,
                a.published.precision.value,
                index.stored_text(a.text),
                a.content_hash,
                a.signature,
                story_id,
                int(is_seed),
                json.dumps(list(a.topics)),
                now,
                dates[story_id].iso,
                int(live),
                a.dateline,
            )
            for article_id, story_id, a in zip(ids, story_ids, batch, strict=True)
        ],
    )
    cut = [(article_id,) for article_id, a in zip(ids, batch, strict=True) if a.cut]
    if cut:  # rare: no round trip for the batches that have none
        await conn.executemany("INSERT INTO cut_texts (article_id) VALUES (?)", cut)
    await _redate_stories(conn, moved, first_id)
    # The first articles of a store set its rules version; migration 0008 set an older store's.
    await conn.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT DO NOTHING",
        (RULES_VERSION_KEY, str(RULES_VERSION)),
    )
    await insert_derived(
        conn, ids, [dates[story_id].iso for story_id in story_ids], batch, grouping
    )
    await index.add(
        conn,
        [
            (article_id, a.folded_title, a.folded_text)
            for article_id, a in zip(ids, batch, strict=True)
        ],
    )
    return ids


async def insert_derived(
    conn: Connection,
    ids: Sequence[int],
    fact_dates: Sequence[str | None],
    batch: Sequence[DerivedArticle],
    grouping: stories.Stories,
) -> None:
    """Store the sentences, facts (dated `fact_dates`, one per article) and story index entries
    (of `grouping`, which assigned their stories) of articles whose rows exist: the one writer of
    what `derive` computes beside the article row."""
    await conn.executemany(
        "INSERT INTO sentences (article_id, idx, text, topics) VALUES (?, ?, ?, ?)",
        _sentence_rows(ids, batch),
    )
    await insert_facts(conn, zip(ids, fact_dates, batch, strict=True))
    await grouping.record(conn, ids, batch)


async def _story_dates(
    conn: Connection, story_ids: Sequence[int], batch: Sequence[DerivedArticle]
) -> tuple[dict[int, Published], dict[int, Published]]:
    """The date of each story the batch adds to, from its stored date and its new members'; and
    the stored stories whose date the batch moves, with their new date."""
    members: dict[int, list[Published]] = {}
    for story_id, article in zip(story_ids, batch, strict=True):
        members.setdefault(story_id, []).append(article.published)
    stored: dict[int, str | None] = {}
    for chunk in chunks(sorted(members)):
        rows = await conn.execute_fetchall(
            f"""SELECT story_id, MIN(story_published) FROM articles INDEXED BY articles_by_story
                WHERE story_id IN ({marks(chunk)}) GROUP BY story_id""",  # noqa: S608
            chunk,
        )
        stored.update((story_id, iso) for story_id, iso in rows)
    dates = {
        story_id: story_date([*found, Published.from_iso(stored.get(story_id))])
        for story_id, found in members.items()
    }
    moved = {s: dates[s] for s, iso in stored.items() if dates[s].iso != iso}
    return dates, moved


async def _redate_stories(conn: Connection, moved: dict[int, Published], first_new_id: int) -> None:
    """Give the stored members of these stories, and their facts, the story's new date."""
    await conn.executemany(
        "UPDATE articles SET story_published = ? WHERE story_id = ? AND id < ?",
        [(date.iso, story_id, first_new_id) for story_id, date in moved.items()],
    )
    await conn.executemany(
        """UPDATE facts SET published = ? WHERE article_id IN (
               SELECT id FROM articles WHERE story_id = ? AND id < ?)""",
        [(date.iso, story_id, first_new_id) for story_id, date in moved.items()],
    )


async def insert_facts(
    conn: Connection, articles: Iterable[tuple[int, str | None, DerivedArticle]]
) -> None:
    """Store the facts of these (id, story date, article) triples, each dated by its story, with
    its owner, noun, own date, span start and whether its article carries a topic (the status
    card reads only those)."""
    await conn.executemany(
        """INSERT INTO facts (article_id, kind, value, qualifier, sentence_idx, span, resolved,
                              published, owner, noun, as_of, span_start, on_topic)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [
            (
                article_id,
                f.kind,
                str(f.value),
                f.qualifier,
                f.sentence_index,
                f.span,
                int(f.resolved),
                date,
                f.owner,
                f.noun,
                f.as_of,
                f.start,
                int(bool(a.topics)),
            )
            for article_id, date, a in articles
            for f in a.facts
        ],
    )


def _sentence_rows(
    ids: Sequence[int], batch: Sequence[DerivedArticle]
) -> Iterator[tuple[int, int, str, str]]:
    for article_id, article in zip(ids, batch, strict=True):
        for i, (text, scores) in enumerate(
            zip(article.sentences, article.sentence_topics, strict=True)
        ):
            yield article_id, i, text, json.dumps(scores, sort_keys=True) if scores else "{}"


async def link_to_feed(conn: Connection, feed_id: int, article_ids: Iterable[int]) -> None:
    """Record that a feed carried these articles (once each)."""
    await conn.executemany(
        """INSERT INTO feed_articles (feed_id, article_id) VALUES (?, ?)
           ON CONFLICT DO NOTHING""",
        [(feed_id, article_id) for article_id in article_ids],
    )


async def link_to_workspace(conn: Connection, workspace: str, article_ids: Iterable[int]) -> None:
    """Record that a workspace imported these articles from local files (once each)."""
    await conn.executemany(
        """INSERT INTO imported_articles (workspace, article_id) VALUES (?, ?)
           ON CONFLICT DO NOTHING""",
        [(workspace, article_id) for article_id in article_ids],
    )


def feed_urls_by_article(rows: Iterable[Row]) -> dict[int, list[str]]:
    """Group (article_id, url) rows into lists of feed URLs per article."""
    grouped: dict[int, list[str]] = {}
    for article_id, url in rows:
        grouped.setdefault(article_id, []).append(url)
    return grouped


async def store_batch(
    conn: Connection, batch: ArticleBatch, *, now: str, index: TextIndex
) -> Stored:
    """Insert what is new (the first of any repeated key), link everything to its feed or
    workspace, and count both (see `Store.store_articles`); `index` as for `insert_many`."""
    derived = batch.derived
    ids = await ids_by_key(conn.execute_fetchall, (a.key for a in derived))
    fresh: dict[str, DerivedArticle] = {}
    for article in derived:
        if article.key not in ids:
            fresh.setdefault(article.key, article)
    added = await insert_many(
        conn, list(fresh.values()), is_seed=batch.seed, now=now, index=index, live=batch.live
    )
    ids.update(zip(fresh, added, strict=True))
    linked = [*batch.known, *(ids[a.key] for a in derived)]
    if batch.feed_id is not None:
        await link_to_feed(conn, batch.feed_id, linked)
    if batch.workspace is not None:
        await link_to_workspace(conn, batch.workspace, linked)
    cut = tuple(a.title for a in fresh.values() if a.cut)
    return Stored(len(added), len(linked) - len(added), cut=cut)
