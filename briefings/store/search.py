"""Full-text search over folded titles and texts: any user input is a valid query."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from briefings.fold import fold, fold_query_terms
from briefings.models import Published, SearchHit
from briefings.store.articles import VISIBLE
from briefings.store.sqlite import Database
from briefings.text import shorten

TITLE_WEIGHT = 5.0
TEXT_WEIGHT = 1.0
SNIPPET_CHARS = 240
# A query matching more stored articles than this ranks only the most recently stored of them:
# ranking all of 25,000 matches took longer than a chat command may.
MAX_RANKED = 3_000
# Matches ranked inside the index for each wanted hit before visibility is checked.
RANK_POOL_FACTOR = 5
# Matches read for each wanted hit, so that hits left after copies of one story are merged
# still fill the page.
COPIES_FACTOR = 3


def match_expression(terms: list[str], *, any_term: bool) -> str:
    """An FTS5 MATCH string in which every term is a quoted string, so no input is FTS syntax."""
    quoted = ['"' + term.replace('"', '""') + '"' for term in terms]
    return (" OR " if any_term else " ").join(quoted)


async def search(db: Database, workspace: str, query: str, limit: int = 10) -> list[SearchHit]:
    """Best matches first (bm25, title above text); all words must match, else any word may.

    Copies of one story make one hit: its best-matching article, with the others as its copies.
    """
    terms = fold_query_terms(query)
    if not terms:
        return []
    wanted = limit * COPIES_FACTOR
    rows = await _ranked(db, workspace, match_expression(terms, any_term=False), wanted)
    if not rows and len(terms) > 1:
        rows = await _ranked(db, workspace, match_expression(terms, any_term=True), wanted)
    stories: dict[int, list[Any]] = {}
    for row in rows:
        if row["story_id"] in stories or len(stories) < limit:
            stories.setdefault(row["story_id"], []).append(row)
    kept = [row for members in stories.values() for row in members]
    snippets = await _snippets(db, [row["id"] for row in kept], terms)
    hits = [[_hit(row, snippets) for row in members] for members in stories.values()]
    return [dataclasses.replace(best, copies=tuple(copies)) for best, *copies in hits]


def _hit(row: Any, snippets: dict[int, str]) -> SearchHit:
    return SearchHit(
        article_id=row["id"],
        title=row["title"],
        publisher=row["publisher"],
        published=Published.from_iso(row["published"]),
        url=row["url"],
        snippet=snippets.get(row["id"], ""),
        score=-row["rank"],
    )


async def _ranked(db: Database, workspace: str, expression: str, limit: int) -> list:
    """The best visible matches: ranked inside the index first, visibility checked on the few best.

    Joining every match to its article before ranking cost most of a search at 100,000 articles.
    When the workspace cannot see enough of the best `limit * RANK_POOL_FACTOR`, the full query
    runs instead, so a workspace that sees little of the corpus still gets its matches.
    """
    floor = await db.fetchone(
        """SELECT rowid FROM article_search WHERE article_search MATCH :expression
           ORDER BY rowid DESC LIMIT 1 OFFSET :skip""",
        {"expression": expression, "skip": MAX_RANKED - 1},
    )
    params = {
        "expression": expression,
        "workspace": workspace,
        "limit": limit,
        "floor": floor[0] if floor else 0,
        "pool": limit * RANK_POOL_FACTOR,
    }
    rows = await db.fetchall(
        f"""WITH best AS (
                SELECT rowid AS id, bm25(article_search, {TITLE_WEIGHT}, {TEXT_WEIGHT}) AS rank
                FROM article_search
                WHERE article_search MATCH :expression AND rowid >= :floor
                ORDER BY rank LIMIT :pool
            )
            SELECT a.id, a.story_id, a.title, a.publisher, a.published, a.url, best.rank
            FROM best JOIN articles a ON a.id = best.id
            WHERE {VISIBLE} ORDER BY best.rank LIMIT :limit""",  # noqa: S608 - constants only
        params,
    )
    if len(rows) == limit:
        return rows
    return await db.fetchall(
        f"""SELECT a.id, a.story_id, a.title, a.publisher, a.published, a.url,
                   bm25(article_search, {TITLE_WEIGHT}, {TEXT_WEIGHT}) AS rank
            FROM article_search JOIN articles a ON a.id = article_search.rowid
            WHERE article_search MATCH :expression AND article_search.rowid >= :floor
              AND {VISIBLE}
            ORDER BY rank LIMIT :limit""",  # noqa: S608 - constants only; user text is bound
        params,
    )


async def _snippets(db: Database, article_ids: list[int], terms: list[str]) -> dict[int, str]:
    """Per article, its sentence that contains the most query words, cut to a readable length.

    One query for all hits rather than one per hit.
    """
    rows = await db.fetchall(
        """SELECT article_id, text FROM sentences
           WHERE article_id IN (SELECT value FROM json_each(?)) ORDER BY article_id, idx""",
        (json.dumps(article_ids),),
    )
    stems = [_stem(term) for term in terms]
    best: dict[int, tuple[int, str]] = {}
    for article_id, text in rows:
        count = _stems_found(text, stems)
        if article_id not in best or count > best[article_id][0]:
            best[article_id] = (count, text)
    return {article_id: shorten(text, SNIPPET_CHARS) for article_id, (_, text) in best.items()}


def _stems_found(sentence: str, stems: list[str]) -> int:
    words = set(fold_query_terms(fold(sentence)))
    return sum(1 for stem in stems if any(w.startswith(stem) for w in words))


def _stem(term: str) -> str:
    """A crude stem so that the snippet for "plates" can pick a sentence about one "plate"."""
    return term[: max(4, len(term) - 2)]
