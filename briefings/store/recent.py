"""The status card's reads: the newest reported facts, bounded, and only the cited articles in full.

Reading every fact of the store costs time in proportion to it, and building an ArticleInfo per
fact row costs more again. Instead the newest facts of the card's kinds are walked down their own
date index until FACT_ROWS are found, taking only small columns, and titles, links and sentences
are read afterwards for the few facts the card shows.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from briefings.engine.candidates import ArticleInfo
from briefings.engine.figures import StoredFact, country_places
from briefings.engine.recent import NEWEST_KINDS, FactLine, Reported
from briefings.fact_kinds import FactKind
from briefings.store.articles import VISIBLE, visible
from briefings.store.candidates import ARTICLE_COLUMNS, article_of
from briefings.store.connection import Database, Row, chunks

# Migration 0006 indexes just the facts of NEWEST_KINDS by date (facts_newest_for_status);
# SQLite uses a partial index only for a query that repeats its condition, so the walk names them
# as literals, in the same order.
_NEWEST_KINDS_SQL = "f.kind IN (" + ", ".join(f"'{kind}'" for kind in NEWEST_KINDS) + ")"
# Fact rows read, newest first: 1,000 reach back almost four months in the benchmark's corpus of
# 10,000 articles, whose every fifth article is about KFOR, and years in real news.
FACT_ROWS = 1_000
# Visibility is tested on the fact's article id, so that the undated walk checks it only for
# articles with a fact of the kinds, not for every article it passes.
_FACT_VISIBLE = visible("f.article_id")
# Dated facts still ahead read by `dated_ahead`: enough for a few soonest once repeats go.
AHEAD_ROWS = 200


_LINE_COLUMNS = """f.kind, f.value, f.qualifier, f.resolved, f.published, f.article_id,
    CASE WHEN f.kind = :story_kind THEN a.story_id END, f.sentence_idx, f.id, f.as_of"""
# Only facts of articles that carry a topic reach a reply; migration 0008 indexes just those.
_ON_TOPIC_SQL = "f.on_topic = 1"


async def recent_facts(db: Database, workspace: str, *, limit: int | None = None) -> list[FactLine]:
    """Facts of NEWEST_KINDS from the newest visible articles (by ISO date, then fact id), at most
    `limit` (FACT_ROWS); undated articles' facts follow, by fact id, when the dated ones are fewer.
    """
    limit = FACT_ROWS if limit is None else limit
    params = {"workspace": workspace, "limit": limit, "story_kind": FactKind.DEADLINE}
    # CROSS JOIN keeps SQLite walking the facts' date index (and stopping at the limit) rather
    # than collecting every fact of the kinds and sorting them.
    rows = [
        *await db.fetchall(
            f"""SELECT {_LINE_COLUMNS}, NULL
            FROM facts f INDEXED BY facts_newest_for_status
            CROSS JOIN articles a ON a.id = f.article_id
            WHERE f.published IS NOT NULL AND {_NEWEST_KINDS_SQL} AND {_ON_TOPIC_SQL}
              AND {VISIBLE}
            ORDER BY f.published DESC, f.id LIMIT :limit""",  # noqa: S608 - constant SQL
            params,
        )
    ]
    if len(rows) < limit:
        rows += await db.fetchall(
            f"""SELECT {_LINE_COLUMNS}, a.added_at
                FROM articles a INDEXED BY articles_undated_by_added
                CROSS JOIN facts f ON f.article_id = a.id
                WHERE a.published IS NULL AND f.published IS NULL AND {_NEWEST_KINDS_SQL}
                  AND {_ON_TOPIC_SQL} AND {_FACT_VISIBLE}
                ORDER BY f.id LIMIT :limit""",  # noqa: S608 - constant SQL
            {**params, "limit": limit - len(rows)},
        )
    return [FactLine._make(row) for row in rows]


async def dated_ahead(
    db: Database, workspace: str, kind: str, today: dt.date, *, limit: int = AHEAD_ROWS
) -> list[FactLine]:
    """Facts of this kind whose value is a date from today on, soonest first: deadlines still
    ahead, found however old their report is (the newest facts alone may miss them)."""
    rows = await db.fetchall(
        f"""SELECT {_LINE_COLUMNS}, a.added_at
            FROM facts f INDEXED BY facts_by_kind_value
            JOIN articles a ON a.id = f.article_id
            WHERE f.kind = :story_kind AND f.resolved = 1 AND f.value >= :today
              AND {_ON_TOPIC_SQL} AND {VISIBLE}
            ORDER BY f.value, f.id LIMIT :limit""",  # noqa: S608 - constant SQL
        {"workspace": workspace, "story_kind": kind, "today": today.isoformat(), "limit": limit},
    )
    return [FactLine._make(row) for row in rows]


async def with_stories(db: Database, found: Sequence[Reported]) -> list[Reported]:
    """The figures with `stories` counted: a story's copies count once. Only figures reported by
    more than one article need their articles' stories read."""
    shared = sorted({i for f in found if f.reports > 1 for i in f.article_ids})
    story_of: dict[int, int] = {}
    for chunk in chunks(shared):
        rows = await db.fetchall(
            f"SELECT id, story_id FROM articles WHERE id IN ({','.join('?' * len(chunk))})",  # noqa: S608
            chunk,
        )
        story_of.update((article_id, story_id) for article_id, story_id in rows)
    return [
        dataclasses.replace(f, stories=len({story_of.get(i, -i) for i in f.article_ids}))
        if f.reports > 1
        else f
        for f in found
    ]


async def articles(db: Database, ids: Iterable[int]) -> dict[int, ArticleInfo]:
    """The cited articles, by id."""
    found: dict[int, ArticleInfo] = {}
    for chunk in chunks(sorted(set(ids))):
        rows = await db.fetchall(
            f"SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.id IN ({','.join('?' * len(chunk))})",  # noqa: S608
            chunk,
        )
        found.update((row["article_id"], article_of(row)) for row in rows)
    return found


async def countries(
    db: Database, figures: Iterable[Reported], kind: str
) -> dict[tuple[int, int | None], int]:
    """Country counts of these figures' articles, keyed as `figures.country_places` keys them."""
    ids = sorted({f.first.article_id for f in figures})
    if not ids:
        return {}
    rows = await db.fetchall(
        f"""SELECT article_id, sentence_idx, value FROM facts INDEXED BY facts_by_article
            WHERE kind = ? AND article_id IN ({",".join("?" * len(ids))})
            ORDER BY id""",  # noqa: S608 - only placeholders
        [kind, *ids],
    )
    return country_places(
        (article_id, sentence_idx, int(value))
        for article_id, sentence_idx, value in rows
        if value.isdigit()
    )


# What a StoredFact is built from (`_stored`), for facts `f` joined to their sentences `s`.
_FACT_COLUMNS = """f.kind, f.value, f.qualifier, f.sentence_idx, f.span, f.resolved, f.owner, f.noun,
    f.as_of, f.span_start, f.published AS reported, s.text AS sentence"""
_FACT_SENTENCE = "JOIN sentences s ON s.article_id = f.article_id AND s.idx = f.sentence_idx"


async def fact_rows(
    db: Database, lines: Sequence[FactLine], infos: Mapping[int, ArticleInfo]
) -> dict[int, StoredFact]:
    """The chosen facts in full (sentence, span, owner, noun, and their article from `infos`), by
    fact id; a line whose sentence or article is gone is left out."""
    if not lines:
        return {}
    ids = sorted({line.fact_id for line in lines})
    rows = await db.fetchall(
        f"""SELECT f.id, f.article_id, {_FACT_COLUMNS} FROM facts f {_FACT_SENTENCE}
            WHERE f.id IN ({",".join("?" * len(ids))})""",  # noqa: S608 - only placeholders
        ids,
    )
    return {
        row["id"]: _stored(row, infos[row["article_id"]])
        for row in rows
        if row["article_id"] in infos
    }


async def cited_facts(
    db: Database, article_ids: Sequence[int], kinds: Sequence[str]
) -> list[StoredFact]:
    """The on-topic facts of these kinds read from these articles (a brief's cited ones), each
    with its sentence, owner and noun, in the order they were stored."""
    found: list[StoredFact] = []
    kind_marks = ",".join("?" * len(kinds))
    for chunk in chunks(sorted(set(article_ids))):
        marks = ",".join("?" * len(chunk))
        rows = await db.fetchall(
            f"""SELECT {ARTICLE_COLUMNS}, {_FACT_COLUMNS}
                FROM facts f JOIN articles a ON a.id = f.article_id {_FACT_SENTENCE}
                WHERE f.article_id IN ({marks}) AND f.kind IN ({kind_marks}) AND {_ON_TOPIC_SQL}
                ORDER BY f.id""",  # noqa: S608 - only placeholders
            [*chunk, *kinds],
        )
        found.extend(_stored(row, article_of(row)) for row in rows)
    return found


def _stored(row: Row, article: ArticleInfo) -> StoredFact:
    """A StoredFact from a row selected with _FACT_COLUMNS."""
    value = row["value"]
    return StoredFact(
        article=article,
        kind=row["kind"],
        value=int(value) if value.isdigit() else value,
        qualifier=row["qualifier"],
        sentence_idx=row["sentence_idx"],
        sentence=row["sentence"],
        span=row["span"],
        resolved=bool(row["resolved"]),
        owner=row["owner"],
        noun=row["noun"],
        as_of=row["as_of"],
        start=row["span_start"],
        published=row["reported"],
    )
