"""Full-text search over folded titles and texts: any user input is a valid query.

Relevance first (bm25, title above text), the newer report first among equally relevant ones.
Each query word also finds its other forms and synonyms (see `briefings.query`); when all the
words find fewer stories than the reply has room for, stories matching most of them follow,
saying which words they lack.
Copies of one story are one hit that cites every copy, and so are reports the store keeps apart
that carry the same headline on the same day (a wire story rewritten by each site that runs it).

Only the full-text index's matching and ranking differ between backends (a `SearchIndex`:
SQLite's FTS5, `SQLITE_SEARCH`; PostgreSQL's text search, `postgres.text_search.POSTGRES_SEARCH`);
the queries around them, the order and the grouping are this module's, so both reply alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from briefings import query as words
from briefings.fold import fold
from briefings.models import Published, SearchHit
from briefings.store.articles import VISIBLE
from briefings.store.connection import Database
from briefings.text import shorten

TITLE_WEIGHT = 5.0
TEXT_WEIGHT = 1.0
SNIPPET_CHARS = 240
# A query matching more stored articles than this ranks only the most recently stored of them:
# ranking all of 25,000 matches took longer than a chat command may.
MAX_RANKED = 3_000
# Matches ranked inside the index for each wanted hit before visibility is checked.
RANK_POOL_FACTOR = 5
# Matches read for each place in the reply: the copies of one story share a place.
MATCHES_PER_PLACE = 2
# A match this close to a more relevant one (a share of its score) is as relevant: the newer
# report goes first.
TIE_SHARE = 0.05
# Characters of a long sentence shown before its first query word.
SNIPPET_LEAD = 60
# Two reports of one day whose headlines share this much of their words (Jaccard) are one story
# told twice: "Barricades at border dismantled" and "Border barricades have been dismantled".
SAME_HEADLINE = 0.6
# Headline words shorter than this ("at", "the", "has") say nothing about which story it is.
HEADLINE_WORD = 4
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class SearchIndex:
    """A backend's full-text index of titles and texts, table `article_search`, as SQL pieces.

    `match` is the condition that a row matches the bound `:expression`, which `expression`
    writes from the query's word groups (every group, or any); `rank` is a match's relevance,
    smaller is better, title above text, from `:expression` or from `:any_word` (the groups
    joined as any may match: each word found adds to it, as bm25 adds up its words);
    `article_id` is the indexed article's id.
    """

    article_id: str
    match: str
    rank: str
    expression: Callable[[list[words.WordGroup], bool], str]
    # Whether to break ties of rank by article id, oldest first: for an index whose sort leaves
    # them in no fixed order. SQLite's keeps its index's order, which is that one.
    ties_by_id: bool = False
    # Whether the ranking queries list every match first, through the index, keeping the newest
    # MAX_RANKED (see `matches`).
    fenced: bool = False

    def matches(self) -> tuple[str, str]:
        """FROM item and condition of the queries that rank the matches of `:expression`.

        A fenced index lists every match through the index first and keeps the MAX_RANKED newest
        itself (the subquery's LIMIT keeps the condition inside it): for a common word
        PostgreSQL's planner would otherwise walk the id index newest first and test each
        article's document in turn (20,000 of them at 100,000 articles, 60 ms), where its GIN
        index lists the matches at once. Listing them visits each matching row (15 ms for 15,000
        matches), so it is done once, here, rather than again for a floor query.
        """
        if not self.fenced:
            return "article_search", self.match
        fenced = (
            f"(SELECT * FROM article_search WHERE {self.match}"  # noqa: S608 - the index's constants
            f" ORDER BY {self.article_id} DESC LIMIT {MAX_RANKED}) AS article_search"
        )
        return fenced, "TRUE"

    def order(self, rank: str, article_id: str) -> str:
        """ORDER BY terms: by the `rank` column, ties by the `article_id` column if asked."""
        return f"{rank}, {article_id}" if self.ties_by_id else rank


SQLITE_SEARCH = SearchIndex(
    article_id="article_search.rowid",
    match="article_search MATCH :expression",
    rank=f"bm25(article_search, {TITLE_WEIGHT}, {TEXT_WEIGHT})",
    expression=lambda groups, every: (words.all_of if every else words.any_of)(groups),
)
"""SQLite's FTS5 index (migration 0004): English stems, no diacritics, bm25 ranking."""


@dataclass(frozen=True)
class _Match:
    """A matching article as ranked, with the query words it lacks."""

    row: Any
    missing: tuple[str, ...] = ()

    @property
    def score(self) -> float:
        return -float(self.row["rank"])

    @property
    def story(self) -> int:
        return int(self.row["story_id"])

    def same_story(self, other: _Match) -> bool:
        """Whether the two are one story: stored as one, or the same headline on the same day."""
        if self.story == other.story:
            return True
        day = self.row["story_published"]
        if day is None or len(day) < len("2026-01-01") or day != other.row["story_published"]:
            return False
        mine, theirs = _headline_words(self.row["title"]), _headline_words(other.row["title"])
        return bool(mine and theirs) and len(mine & theirs) / len(mine | theirs) >= SAME_HEADLINE


def _headline_words(title: str) -> frozenset[str]:
    """A headline's telling words, folded, each cut to a crude stem ("barricades" -> "barricade")."""
    return frozenset(
        w.removesuffix("s") for w in _WORD.findall(fold(title)) if len(w) >= HEADLINE_WORD
    )


async def search(
    db: Database, workspace: str, query: str, limit: int, index: SearchIndex
) -> list[SearchHit]:
    """The best `limit` stories for the query, each hit citing every visible copy of its story."""
    groups = words.parse(query)
    if not groups:
        return []
    wanted = limit * MATCHES_PER_PLACE
    ranked = await _ranked(db, index, workspace, groups, True, wanted)
    found = [_Match(row) for row in ranked]
    stories = _one_per_story(_ordered(found))
    if len(groups) > 1 and len(stories) < limit:
        known = {m.row["id"] for m in found}
        found += await _most_words(db, index, workspace, groups, wanted, known)
        stories = _one_per_story(_ordered(found))
    stories = stories[:limit]
    copies = await _copies(db, workspace, [m for story in stories for m in story])
    snippets = await _snippets(db, [story[0].row["id"] for story in stories], groups)
    hits = []
    for lead, *retold in stories:
        cited = [*copies.get(lead.story, ())]
        for other in retold:
            cited += [row for row in copies.get(other.story, ()) if row not in cited]
        hits.append(
            SearchHit(
                **_article(lead.row),
                snippet=snippets.get(lead.row["id"], ""),
                score=lead.score,
                copies=tuple(
                    SearchHit(**_article(copy), snippet="", score=lead.score)
                    for copy in cited
                    if copy["id"] != lead.row["id"]
                ),
                missing=lead.missing,
            )
        )
    return hits


def _article(row: Any) -> dict[str, Any]:
    return {
        "article_id": row["id"],
        "title": row["title"],
        "publisher": row["publisher"],
        "published": Published.from_iso(row["published"]),
        "url": row["url"],
    }


async def _most_words(
    db: Database,
    index: SearchIndex,
    workspace: str,
    groups: list[words.WordGroup],
    limit: int,
    known: set[int],
) -> list[_Match]:
    """Matches of most of the query's words (at least half of them), most words first."""
    rows = [
        row
        for row in await _ranked(db, index, workspace, groups, False, limit)
        if row["id"] not in known
    ]
    ids, listed = _listed("id", [row["id"] for row in rows])
    found: dict[int, set[int]] = {row["id"]: set() for row in rows}
    for g, group in enumerate(groups):
        for (article_id,) in await db.fetchall(
            f"""SELECT {index.article_id} FROM article_search WHERE {index.match}
                AND {index.article_id} IN ({ids})""",  # noqa: S608 - constants and placeholders
            {"expression": index.expression([group], True), **listed},
        ):
            found[article_id].add(g)
    enough = (len(groups) + 1) // 2
    matches = [
        _Match(row, tuple(gr.word for g, gr in enumerate(groups) if g not in found[row["id"]]))
        for row in rows
        if len(found[row["id"]]) >= enough
    ]
    return sorted(matches, key=lambda m: len(m.missing))


def _ordered(matches: list[_Match]) -> list[_Match]:
    """Fewest missing words first; then by relevance, where a near tie goes to the newer story
    (by its story's date: a reprint is as old as what it copies)."""
    ordered: list[_Match] = []
    for lacking in sorted({len(m.missing) for m in matches}):
        tier = sorted((m for m in matches if len(m.missing) == lacking), key=lambda m: -m.score)
        while tier:
            best = tier[0].score
            tied = [m for m in tier if m.score >= best - abs(best) * TIE_SHARE]
            ordered += sorted(
                tied, key=lambda m: _date_order(m.row["story_published"]), reverse=True
            )
            tier = tier[len(tied) :]
    return ordered


def _date_order(published: str | None) -> tuple[bool, str]:
    """Sort key, oldest first: undated, then by date (a year-only date after that year's months)."""
    return published is not None, (published or "") + "~"


def _one_per_story(matches: list[_Match]) -> list[list[_Match]]:
    """The matches grouped by story (see `_Match.same_story`), in the order of each story's first;
    the first of each group leads its hit."""
    stories: list[list[_Match]] = []
    for match in matches:
        story = next((s for s in stories if s[0].same_story(match)), None)
        if story is None:
            stories.append([match])
        elif all(m.story != match.story for m in story):
            story.append(match)
    return stories


async def _copies(db: Database, workspace: str, matches: Sequence[_Match]) -> dict[int, list[Any]]:
    """Every visible article of each match's stored story, oldest id first."""
    stories, listed = _listed("story", sorted({m.story for m in matches}))
    rows = await db.fetchall(
        f"""SELECT a.id, a.title, a.publisher, a.published, a.url, a.story_id FROM articles a
            WHERE a.story_id IN ({stories}) AND {VISIBLE}
            ORDER BY a.id""",  # noqa: S608 - constant condition and placeholders
        {**listed, "workspace": workspace},
    )
    found: dict[int, list[Any]] = {}
    for row in rows:
        found.setdefault(row["story_id"], []).append(row)
    return found


async def _ranked(
    db: Database,
    index: SearchIndex,
    workspace: str,
    groups: list[words.WordGroup],
    every: bool,
    limit: int,
) -> Sequence[Any]:
    """The best visible matches: ranked inside the index first, visibility checked on the few best.

    Joining every match to its article before ranking cost most of a search at 100,000 articles.
    When the workspace cannot see enough of the best `limit * RANK_POOL_FACTOR`, the full query
    runs instead, so a workspace that sees little of the corpus still gets its matches.
    """
    found = index.article_id
    source, match = index.matches()
    expression = index.expression(groups, every)
    floor = None
    if not index.fenced:  # a fenced index keeps the newest matches itself (see `matches`)
        floor = await db.fetchone(
            f"""SELECT {found} FROM {source} WHERE {match}
                ORDER BY {found} DESC LIMIT 1 OFFSET :skip""",  # noqa: S608 - the index's constants
            {"expression": expression, "skip": MAX_RANKED - 1},
        )
    params = {
        "expression": expression,
        "any_word": index.expression(groups, False),
        "workspace": workspace,
        "limit": limit,
        "floor": floor[0] if floor else 0,
        "pool": limit * RANK_POOL_FACTOR,
    }
    rows = await db.fetchall(
        f"""WITH best AS (
                SELECT {found} AS id, {index.rank} AS rank
                FROM {source}
                WHERE {match} AND {found} >= :floor
                ORDER BY {index.order("rank", "id")} LIMIT :pool
            )
            SELECT a.id, a.title, a.publisher, a.published, a.url, a.story_id, a.story_published,
                   best.rank
            FROM best JOIN articles a ON a.id = best.id
            WHERE {VISIBLE} ORDER BY {index.order("best.rank", "best.id")}
            LIMIT :limit""",  # noqa: S608 - constants only
        params,
    )
    if len(rows) == limit:
        return rows
    return await db.fetchall(
        f"""SELECT a.id, a.title, a.publisher, a.published, a.url, a.story_id, a.story_published,
                   {index.rank} AS rank
            FROM {source} JOIN articles a ON a.id = {found}
            WHERE {match} AND {found} >= :floor AND {VISIBLE}
            ORDER BY {index.order("rank", "a.id")} LIMIT :limit""",  # noqa: S608 - constants only; user text is bound
        params,
    )


async def _snippets(
    db: Database, article_ids: list[int], groups: list[words.WordGroup]
) -> dict[int, str]:
    """Per article, its sentence holding the most query words, cut so that they show.

    One query for all hits rather than one per hit.
    """
    ids, listed = _listed("id", article_ids)
    rows = await db.fetchall(
        f"""SELECT article_id, text FROM sentences
            WHERE article_id IN ({ids}) ORDER BY article_id, idx""",  # noqa: S608 - placeholders
        listed,
    )
    best: dict[int, tuple[int, str]] = {}
    for article_id, text in rows:
        folded = fold(text)
        count = sum(1 for group in groups if group.found_in(folded))
        if article_id not in best or count > best[article_id][0]:
            best[article_id] = (count, text)
    return {article_id: _cut(text, groups) for article_id, (_, text) in best.items()}


def _listed(name: str, values: Sequence[int]) -> tuple[str, dict[str, int]]:
    """The placeholders of an `IN (...)` list binding `values` as named parameters, and those.

    Both backends read such a list alike (a JSON array would need each engine's own functions);
    search binds a few dozen values at most. An empty list matches nothing.
    """
    params = {f"{name}{i}": value for i, value in enumerate(values)}
    return ", ".join(f":{key}" for key in params) or "NULL", params


def _first_place(sentence: str, groups: list[words.WordGroup]) -> int:
    """Where the sentence's first word that any group matches starts (0 when none does)."""
    for found in _WORD.finditer(sentence):
        folded = _WORD.findall(fold(found.group()))
        if any(group.matches(part) for part in folded for group in groups):
            return found.start()
    return 0


def _cut(sentence: str, groups: list[words.WordGroup]) -> str:
    """The sentence within SNIPPET_CHARS, starting shortly before its first query word when the
    start would not show it."""
    if len(sentence) <= SNIPPET_CHARS:
        return sentence
    first = _first_place(sentence, groups)
    if first < SNIPPET_CHARS - SNIPPET_LEAD:
        return shorten(sentence, SNIPPET_CHARS)
    start = sentence.find(" ", first - SNIPPET_LEAD) + 1
    return "…" + shorten(sentence[start:], SNIPPET_CHARS - 1)
