"""Reads for the engine: visible on-topic sentences (by window, or the latest), their articles and facts."""

from __future__ import annotations

import datetime as dt
import functools
import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from briefings.engine.when import event_date, parse_moment, stamp
from briefings.models import Published
from briefings.store.articles import VISIBLE
from briefings.store.sqlite import Database

# The window query keeps the newest sentences of this many on when a window holds a flood of them:
# ranking more than a few thousand sentences would not change what fits in one reply.
MAX_WINDOW_SENTENCES = 1_500
# Enough recent articles that the duplicates of a story and a few stories' worth of points are in.
LATEST_ARTICLES = 12
STATUS_FACT_ROWS = 2_000

_ARTICLE_COLUMNS = """a.id AS article_id, a.story_id, a.title, a.publisher, a.url, a.published,
    a.added_at"""
_SENTENCE_COLUMNS = "s.idx, s.text, s.topics AS sentence_topics, a.topics AS article_topics"


@dataclass(frozen=True)
class ArticleInfo:
    """What a reply shows of a cited article, and what ordering needs: its date or, if none, when it came."""

    id: int
    story_id: int
    title: str
    publisher: str | None
    url: str | None
    published: Published
    added_at: dt.datetime


@dataclass(frozen=True)
class Candidate:
    """A stored sentence that could become a point: where it is, its topic scores and what it states."""

    article: ArticleInfo
    idx: int
    text: str
    topics: dict[str, float]
    fact_kinds: tuple[str, ...] = ()

    @functools.cached_property
    def date(self) -> Published:
        """The sentence's own event date when its article pins the year, else the article's date."""
        return event_date(self.text, self.article.published)


@dataclass(frozen=True)
class FactRow:
    """A stored fact with the sentence it was read from and that sentence's article."""

    article: ArticleInfo
    kind: str
    value: int | str
    qualifier: str
    sentence_idx: int
    sentence: str
    span: str
    resolved: bool


def article_of(row: sqlite3.Row) -> ArticleInfo:
    """The ArticleInfo of a row selected with _ARTICLE_COLUMNS."""
    return ArticleInfo(
        id=row["article_id"],
        story_id=row["story_id"],
        title=row["title"],
        publisher=row["publisher"],
        url=row["url"],
        published=Published.from_iso(row["published"]),
        added_at=parse_moment(row["added_at"]),
    )


def _topic_filter(topics: Sequence[str]) -> str:
    marks = ", ".join(f":topic{i}" for i in range(len(topics)))
    return f"EXISTS (SELECT 1 FROM json_each(a.topics) t WHERE t.value IN ({marks}))"  # noqa: S608


def _topic_params(topics: Sequence[str]) -> dict[str, str]:
    return {f"topic{i}": name for i, name in enumerate(topics)}


async def in_window(
    db: Database,
    workspace: str,
    topics: Sequence[str],
    since: dt.datetime | None,
    until: dt.datetime,
) -> list[Candidate]:
    """On-topic sentences of visible articles dated within [since, until] (an overlapping month or year counts).

    An undated article counts by when it was stored. Both halves of the union walk an index on the
    date, so a short window over a large store reads only its own rows.
    """
    since_day = since.astimezone(dt.UTC).date().isoformat() if since else "0001-01-01"
    until_day = until.astimezone(dt.UTC).date().isoformat()
    rows = await db.fetchall(
        f"""WITH win(id) AS (
                SELECT id FROM articles
                WHERE published >= :since_year AND published <= :until_day
                  AND published >= substr(:since_day, 1, length(published))
                UNION ALL
                SELECT id FROM articles INDEXED BY articles_undated_by_added
                WHERE published IS NULL AND added_at >= :since_at AND added_at <= :until_at
            )
            SELECT {_ARTICLE_COLUMNS}, {_SENTENCE_COLUMNS}
            FROM win JOIN articles a ON a.id = win.id
            JOIN sentences s ON s.article_id = a.id
            WHERE s.topics <> '{{}}' AND {_topic_filter(topics)} AND {VISIBLE}
            ORDER BY a.published DESC, a.id DESC, s.idx
            LIMIT :limit""",  # noqa: S608 - constant SQL; values are bound
        {
            "since_year": since_day[:4],
            "since_day": since_day,
            "until_day": until_day,
            "since_at": stamp(since) if since else "",
            "until_at": stamp(until),
            "workspace": workspace,
            "limit": MAX_WINDOW_SENTENCES,
            **_topic_params(topics),
        },
    )
    return await _with_facts(db, _candidates(rows, topics))


async def latest(
    db: Database, workspace: str, topics: Sequence[str], articles: int = LATEST_ARTICLES
) -> list[Candidate]:
    """On-topic sentences of the newest visible dated articles (the undated newest-stored if none is dated).

    The index gives the newest by ISO prefix; a year-only date sorts before its own months there,
    so a few more rows are read and the caller orders them by `when.order_key`.
    """
    params = {"workspace": workspace, "limit": articles * 2, **_topic_params(topics)}
    where = f"{_topic_filter(topics)} AND {VISIBLE}"
    ids = await db.fetchall(
        f"""SELECT a.id FROM articles a WHERE a.published IS NOT NULL AND {where}
            ORDER BY a.published DESC LIMIT :limit""",  # noqa: S608 - constant SQL
        params,
    )
    if not ids:
        ids = await db.fetchall(
            f"""SELECT a.id FROM articles a WHERE a.published IS NULL AND {where}
                ORDER BY a.added_at DESC LIMIT :limit""",  # noqa: S608 - constant SQL
            params,
        )
    rows = await _sentences_of(db, [row["id"] for row in ids])
    return await _with_facts(db, _candidates(rows, topics))


async def _sentences_of(db: Database, article_ids: Sequence[int]) -> list[sqlite3.Row]:
    if not article_ids:
        return []
    marks = ",".join("?" * len(article_ids))
    return await db.fetchall(
        f"""SELECT {_ARTICLE_COLUMNS}, {_SENTENCE_COLUMNS}
            FROM articles a JOIN sentences s ON s.article_id = a.id
            WHERE a.id IN ({marks}) AND s.topics <> '{{}}'
            ORDER BY a.id, s.idx""",  # noqa: S608 - only placeholders
        article_ids,
    )


def _candidates(rows: Iterable[sqlite3.Row], topics: Sequence[str]) -> list[Candidate]:
    """Sentences scored on a requested topic that their article as a whole is also about."""
    wanted = set(topics)
    articles: dict[int, tuple[ArticleInfo, set[str]]] = {}
    found = []
    for row in rows:
        article_id = row["article_id"]
        if article_id not in articles:
            on = wanted.intersection(json.loads(row["article_topics"]))
            articles[article_id] = (article_of(row), on)
        article, on = articles[article_id]
        scores = {
            name: score for name, score in json.loads(row["sentence_topics"]).items() if name in on
        }
        if scores:
            found.append(Candidate(article, row["idx"], row["text"], scores))
    return found


async def _with_facts(db: Database, candidates: list[Candidate]) -> list[Candidate]:
    """Attach to each candidate the kinds of fact read from it (informative sentences rank higher)."""
    article_ids = sorted({c.article.id for c in candidates})
    kinds: dict[tuple[int, int], list[str]] = {}
    for chunk in _chunks(article_ids, 500):
        marks = ",".join("?" * len(chunk))
        rows = await db.fetchall(
            f"SELECT article_id, sentence_idx, kind FROM facts WHERE article_id IN ({marks})",  # noqa: S608
            chunk,
        )
        for row in rows:
            kinds.setdefault((row["article_id"], row["sentence_idx"]), []).append(row["kind"])
    return [
        Candidate(c.article, c.idx, c.text, c.topics, tuple(kinds.get((c.article.id, c.idx), ())))
        for c in candidates
    ]


def _chunks(items: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


async def facts_of_articles(
    db: Database, article_ids: Sequence[int], kinds: Sequence[str]
) -> list[FactRow]:
    """Facts of these kinds read from these articles, each with its sentence."""
    found: list[FactRow] = []
    kind_marks = ",".join("?" * len(kinds))
    for chunk in _chunks(sorted(set(article_ids)), 500):
        marks = ",".join("?" * len(chunk))
        rows = await db.fetchall(
            f"""SELECT {_ARTICLE_COLUMNS}, f.kind, f.value, f.qualifier, f.sentence_idx, f.span,
                       f.resolved, s.text AS sentence
                FROM facts f JOIN articles a ON a.id = f.article_id
                JOIN sentences s ON s.article_id = f.article_id AND s.idx = f.sentence_idx
                WHERE f.article_id IN ({marks}) AND f.kind IN ({kind_marks})
                ORDER BY f.id""",  # noqa: S608 - only placeholders
            [*chunk, *kinds],
        )
        found.extend(_fact_rows(rows))
    return found


async def visible_facts(db: Database, workspace: str, kinds: Sequence[str]) -> list[FactRow]:
    """Facts of these kinds from every article the workspace sees, newest articles first (capped)."""
    marks = ", ".join(f":kind{i}" for i in range(len(kinds)))
    rows = await db.fetchall(
        f"""SELECT {_ARTICLE_COLUMNS}, f.kind, f.value, f.qualifier, f.sentence_idx, f.span,
                   f.resolved, s.text AS sentence
            FROM facts f JOIN articles a ON a.id = f.article_id
            JOIN sentences s ON s.article_id = f.article_id AND s.idx = f.sentence_idx
            WHERE f.kind IN ({marks}) AND {VISIBLE}
            ORDER BY a.published DESC, f.id LIMIT :limit""",  # noqa: S608 - constant SQL
        {
            "workspace": workspace,
            "limit": STATUS_FACT_ROWS,
            **{f"kind{i}": kind for i, kind in enumerate(kinds)},
        },
    )
    return _fact_rows(rows)


def _fact_rows(rows: Iterable[sqlite3.Row]) -> list[FactRow]:
    return [
        FactRow(
            article=article_of(row),
            kind=row["kind"],
            value=int(row["value"]) if row["value"].isdigit() else row["value"],
            qualifier=row["qualifier"],
            sentence_idx=row["sentence_idx"],
            sentence=row["sentence"],
            span=row["span"],
            resolved=bool(row["resolved"]),
        )
        for row in rows
    ]


async def newest_report(db: Database, workspace: str) -> list[ArticleInfo]:
    """The newest dated visible articles on any topic, for the status card's "latest report"."""
    rows = await db.fetchall(
        f"""SELECT {_ARTICLE_COLUMNS} FROM articles a
            WHERE a.published IS NOT NULL AND a.topics <> '[]' AND {VISIBLE}
            ORDER BY a.published DESC LIMIT 24""",  # noqa: S608 - constant SQL
        {"workspace": workspace},
    )
    return [article_of(row) for row in rows]
