"""Reads for the engine: visible on-topic sentences (by window, or the latest), their articles and facts."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence

from briefings.engine.candidates import LATEST_ARTICLES, ArticleInfo, Candidate
from briefings.engine.when import order_key, parse_moment, stamp
from briefings.models import Published
from briefings.store.articles import VISIBLE
from briefings.store.connection import Database, Row, chunks

# The window query keeps the newest sentences of this many on when a window holds a flood of them:
# ranking more than a few thousand sentences would not change what fits in one reply.
MAX_WINDOW_SENTENCES = 1_500

ARTICLE_COLUMNS = """a.id AS article_id, a.story_id, a.title, a.publisher, a.url, a.published,
    a.added_at, a.story_published, a.live"""
"""The columns `article_of` reads, from articles aliased `a`."""


def article_of(row: Row) -> ArticleInfo:
    """The ArticleInfo of a row selected with ARTICLE_COLUMNS."""
    return ArticleInfo(
        id=row["article_id"],
        story_id=row["story_id"],
        title=row["title"],
        publisher=row["publisher"],
        url=row["url"],
        published=Published.from_iso(row["published"]),
        added_at=parse_moment(row["added_at"]),
        story_published=Published.from_iso(row["story_published"]),
        live=bool(row["live"]),
    )


def _topic_filter(topics: Sequence[str]) -> str:
    return _about(", ".join(f":topic{i}" for i in range(len(topics))))


def _about(marks: str) -> str:
    """SQL condition: article `a` is about one of the topics these parameters name."""
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
    """On-topic sentences of visible articles whose story is dated within [since, until] (an
    overlapping month or year counts).

    A reprint or an undated copy counts by its story's date, not its own or its arrival: old
    news does not become this window's by being read again. An article that nothing dates
    counts by when it was stored only if it arrived live (a feed poll after that feed's first
    read); a feed's first read and a file import are backfill. Both halves of the union walk an
    index, so a short window over a large store reads only its own rows.
    """
    since_day = since.astimezone(dt.UTC).date().isoformat() if since else "0001-01-01"
    until_day = until.astimezone(dt.UTC).date().isoformat()
    params = {
        "since_year": since_day[:4],
        "since_day": since_day,
        "until_day": until_day,
        "since_at": stamp(since) if since else "",
        "until_at": stamp(until),
        "workspace": workspace,
        "limit": MAX_WINDOW_SENTENCES,
        **_topic_params(topics),
    }
    # Dated stories first, newest first (an undated story's NULL date sorts last), then the
    # undated live arrivals, newest first. Each query walks its index in the order it returns
    # rows and stops at the limit, so a window of thousands of articles costs no more than the
    # newest ones that fill it.
    rows = [
        *await db.fetchall(_window_walk(_DATED_WINDOW, "a.story_published DESC,", topics), params)
    ]
    if len(rows) < MAX_WINDOW_SENTENCES:
        params["limit"] = MAX_WINDOW_SENTENCES - len(rows)
        rows += await db.fetchall(_window_walk(_UNDATED_WINDOW, "", topics), params)
    kinds = await _fact_kinds(db, sorted({row["article_id"] for row in rows}))
    return _candidates(rows, topics, _on_topic(rows, topics), kinds)


# (index, condition) of each half of a window: stories dated in it, and undated live arrivals.
_DATED_WINDOW = (
    "articles_by_story_published",
    """a.story_published >= :since_year AND a.story_published <= :until_day
       AND a.story_published >= substr(:since_day, 1, length(a.story_published))""",
)
_UNDATED_WINDOW = (
    "articles_undated_by_added",
    """a.published IS NULL AND a.added_at >= :since_at AND a.added_at <= :until_at
       AND a.story_published IS NULL AND a.live = 1""",
)


def _window_walk(window: tuple[str, str], story_order: str, topics: Sequence[str]) -> str:
    """SQL: the on-topic sentences of the window's visible articles, by article (newest story
    first, then highest id) and sentence, at most `:limit`. CROSS JOIN keeps the articles'
    index walk outside, so rows come in the order asked and no sort of the whole window is made.
    """
    index, condition = window
    return f"""SELECT s.article_id, s.idx, s.text, {_score_columns(topics)}, {ARTICLE_COLUMNS},
                      a.topics AS article_topics
               FROM articles a INDEXED BY {index} CROSS JOIN sentences s ON s.article_id = a.id
               WHERE {condition} AND s.topics <> '{{}}' AND {_topic_filter(topics)} AND {VISIBLE}
               ORDER BY {story_order} a.id DESC, s.idx
               LIMIT :limit"""  # noqa: S608 - constant SQL; values are bound


async def latest(
    db: Database, workspace: str, topics: Sequence[str], articles: int = LATEST_ARTICLES
) -> list[Candidate]:
    """On-topic sentences of the visible articles of the newest stories (by story date; the
    undated newest-stored if none is dated).

    The index gives the newest by ISO prefix; a year-only date sorts before its own months there,
    so a few more rows are read and the caller orders them by `when.order_key`.
    """
    rows = await _newest_articles(db, workspace, topics, articles * 2)
    return await _candidates_of(db, rows, topics)


async def newest(
    db: Database, workspace: str, topics: Sequence[str], articles: int, *, dated_only: bool = True
) -> list[Candidate]:
    """On-topic sentences of exactly the `articles` visible dated articles of the newest stories
    (by story date and `when.order_key`)
    (unless `dated_only` is false, the newest stored undated ones when none is dated).

    Twice as many are read by ISO prefix (see `latest`) and only the newest kept, so a caller
    that ranks every sentence it gets pays for the articles it asked for, not twice as many.
    """
    rows = await _newest_articles(db, workspace, topics, articles * 2, dated_only=dated_only)
    return await _candidates_of(db, _newest_first(rows, articles), topics)


async def newest_per_topic(
    db: Database, workspace: str, topics: Sequence[str], articles: int
) -> dict[str, list[Candidate]]:
    """For each topic on its own, what `newest(db, workspace, [topic], articles, dated_only=False)`
    gives, in two reads however many topics there are (and one more per topic with no dated
    article): the status card asks this for every topic, and each read waits its turn on the
    database thread.
    """
    if not topics:
        return {}
    found = await _newest_dated_per_topic(db, workspace, topics, articles * 2)
    kept: dict[str, list[Row]] = {}
    for topic, rows in found.items():
        rows = rows or await _newest_undated(db, workspace, [topic], articles * 2)
        kept[topic] = _newest_first(rows, articles)
    unique = {row["article_id"]: row for rows in kept.values() for row in rows}
    pool = await _candidates_of(db, list(unique.values()), topics)
    by_topic: dict[str, list[Candidate]] = {}
    for topic, rows in kept.items():
        ids = {row["article_id"] for row in rows}
        by_topic[topic] = [
            Candidate(c.article, c.idx, c.text, {topic: c.topics[topic]}, c.fact_kinds)
            for c in pool
            if c.article.id in ids and topic in c.topics
        ]
    return by_topic


def _newest_first(rows: list[Row], articles: int) -> list[Row]:
    """The `articles` newest of these rows by `when.order_key` (the index orders by ISO prefix)."""
    rows.sort(key=lambda row: order_key(Published.from_iso(row["story_published"])), reverse=True)
    return rows[:articles]


async def _newest_dated_per_topic(
    db: Database, workspace: str, topics: Sequence[str], limit: int
) -> dict[str, list[Row]]:
    """Each topic's newest on-topic visible dated articles (as `_newest_articles` reads them), in
    one query: one date-ordered walk per topic, joined by UNION ALL."""
    walks = " UNION ALL ".join(
        f"SELECT {i} AS wanted, * FROM ({_newest_dated_walk(_about(f':topic{i}'))}) AS walk{i}"  # noqa: S608 - constant SQL
        for i in range(len(topics))
    )
    rows = await db.fetchall(
        walks, {"workspace": workspace, "limit": limit, **_topic_params(topics)}
    )
    found: dict[str, list[Row]] = {topic: [] for topic in topics}
    for row in rows:
        found[topics[row["wanted"]]].append(row)
    return found


_NEWEST_COLUMNS = f"{ARTICLE_COLUMNS}, a.topics AS article_topics"


def _newest_dated_walk(about: str) -> str:
    """SQL: the `:limit` visible articles of the newest dated stories that `about` accepts.

    By the story's date, so that a reprint of an old story is not among the newest."""
    return f"""SELECT {_NEWEST_COLUMNS} FROM articles a
               WHERE a.story_published IS NOT NULL AND {about} AND {VISIBLE}
               ORDER BY a.story_published DESC, a.id DESC LIMIT :limit"""  # noqa: S608 - constant SQL


async def _newest_articles(
    db: Database, workspace: str, topics: Sequence[str], limit: int, *, dated_only: bool = False
) -> list[Row]:
    """The newest on-topic visible articles (ARTICLE_COLUMNS and topics), newest ISO prefix first."""
    rows = await db.fetchall(
        _newest_dated_walk(_topic_filter(topics)),
        {"workspace": workspace, "limit": limit, **_topic_params(topics)},
    )
    if not rows and not dated_only:
        return await _newest_undated(db, workspace, topics, limit)
    return list(rows)


async def _newest_undated(
    db: Database, workspace: str, topics: Sequence[str], limit: int
) -> list[Row]:
    """The newest stored on-topic visible undated articles, as `_newest_articles` reads them."""
    return [
        *await db.fetchall(
            f"""SELECT {_NEWEST_COLUMNS} FROM articles a
            WHERE a.published IS NULL AND a.story_published IS NULL
              AND {_topic_filter(topics)} AND {VISIBLE}
            ORDER BY a.added_at DESC, a.id DESC LIMIT :limit""",  # noqa: S608 - constant SQL
            {"workspace": workspace, "limit": limit, **_topic_params(topics)},
        )
    ]


async def _candidates_of(
    db: Database, articles: Sequence[Row], topics: Sequence[str]
) -> list[Candidate]:
    """The candidates of these articles (rows of `_newest_articles`), in article id then sentence
    order. Sentences are read apart from their articles, so each row carries only its own columns.
    """
    if not articles:
        return []
    ids = {f"id{i}": row["article_id"] for i, row in enumerate(articles)}
    marks = ", ".join(f":{name}" for name in ids)
    rows = await db.fetchall(
        f"""SELECT s.article_id, s.idx, s.text, {_score_columns(topics)} FROM sentences s
            WHERE s.article_id IN ({marks}) AND s.topics <> '{{}}' AND {_scored(topics)}
            ORDER BY s.article_id, s.idx""",  # noqa: S608 - only placeholders
        {**ids, **_topic_params(topics)},
    )
    kinds = await _fact_kinds(db, sorted({row["article_id"] for row in rows}))
    return _candidates(rows, topics, _on_topic(articles, topics), kinds)


def _score_columns(topics: Sequence[str]) -> str:
    """Each requested topic's score of the sentence as a column (NULL when not scored on it).

    SQLite reads them out of the stored JSON faster than Python decodes every sentence's scores,
    and leaves out the topics nobody asked for.
    """
    return ", ".join(
        f"json_extract(s.topics, '$.' || json_quote(:topic{i})) AS score{i}"
        for i in range(len(topics))
    )


def _scored(topics: Sequence[str]) -> str:
    """SQL condition: the sentence is scored on at least one requested topic."""
    tests = " OR ".join(
        f"json_type(s.topics, '$.' || json_quote(:topic{i})) IS NOT NULL"
        for i in range(len(topics))
    )
    return f"({tests})"


# An article, and the requested topics it is about as (name, score column) pairs.
_OnTopic = dict[int, tuple[ArticleInfo, list[tuple[str, int]]]]


def _on_topic(rows: Iterable[Row], topics: Sequence[str]) -> _OnTopic:
    """Each row's article with the requested topics it is about, from ARTICLE_COLUMNS and its topics."""
    found: _OnTopic = {}
    for row in rows:
        if row["article_id"] not in found:
            stated = set(json.loads(row["article_topics"]))
            on = [(name, i) for i, name in enumerate(topics) if name in stated]
            found[row["article_id"]] = (article_of(row), on)
    return found


def _candidates(
    rows: Sequence[Row],
    topics: Sequence[str],
    articles: _OnTopic,
    kinds: dict[tuple[int, int], tuple[str, ...]],
) -> list[Candidate]:
    """Sentences scored on a requested topic that their article as a whole is also about, each
    with the kinds of fact read from it (informative sentences rank higher).

    `rows` hold article_id, idx, text and then one score column per topic, in that order.
    """
    first_score = 3
    found = []
    for row in rows:
        article_id, idx, text = row[0], row[1], row[2]
        article, on = articles[article_id]
        scores = {name: row[first_score + i] for name, i in on if row[first_score + i] is not None}
        if scores:
            found.append(Candidate(article, idx, text, scores, kinds.get((article_id, idx), ())))
    return found


async def _fact_kinds(
    db: Database, article_ids: Sequence[int]
) -> dict[tuple[int, int], tuple[str, ...]]:
    """The kinds of fact read from each (article, sentence) of these articles."""
    kinds: dict[tuple[int, int], tuple[str, ...]] = {}
    for chunk in chunks(article_ids):
        marks = ",".join("?" * len(chunk))
        rows = await db.fetchall(
            f"SELECT article_id, sentence_idx, kind FROM facts WHERE article_id IN ({marks})",  # noqa: S608
            chunk,
        )
        for article_id, idx, kind in rows:
            kinds[article_id, idx] = (*kinds.get((article_id, idx), ()), kind)
    return kinds


async def newest_report(db: Database, workspace: str) -> list[ArticleInfo]:
    """The visible articles of the newest dated stories on any topic, for the status card's
    "latest report" (a reprint does not make an old story the latest report)."""
    rows = await db.fetchall(
        f"""SELECT {ARTICLE_COLUMNS} FROM articles a
            WHERE a.story_published IS NOT NULL AND a.topics <> '[]' AND {VISIBLE}
            ORDER BY a.story_published DESC, a.id DESC LIMIT 24""",  # noqa: S608 - constant SQL
        {"workspace": workspace},
    )
    return [article_of(row) for row in rows]
