"""Full-text search over folded titles and texts: any user input is a valid query."""

from __future__ import annotations

from briefings.fold import fold, fold_query_terms
from briefings.models import Published, SearchHit
from briefings.store.articles import VISIBLE
from briefings.store.sqlite import Database

TITLE_WEIGHT = 5.0
TEXT_WEIGHT = 1.0
SNIPPET_CHARS = 240


def match_expression(terms: list[str], *, any_term: bool) -> str:
    """An FTS5 MATCH string in which every term is a quoted string, so no input is FTS syntax."""
    quoted = ['"' + term.replace('"', '""') + '"' for term in terms]
    return (" OR " if any_term else " ").join(quoted)


async def search(db: Database, workspace: str, query: str, limit: int = 10) -> list[SearchHit]:
    """Best matches first (bm25, title above text); all words must match, else any word may."""
    terms = fold_query_terms(query)
    if not terms:
        return []
    hits = await _ranked(db, workspace, match_expression(terms, any_term=False), limit)
    if not hits and len(terms) > 1:
        hits = await _ranked(db, workspace, match_expression(terms, any_term=True), limit)
    return [
        SearchHit(
            article_id=row["id"],
            title=row["title"],
            publisher=row["publisher"],
            published=Published.from_iso(row["published"]),
            url=row["url"],
            snippet=await _snippet(db, row["id"], terms),
            score=-row["rank"],
        )
        for row in hits
    ]


async def _ranked(db: Database, workspace: str, expression: str, limit: int) -> list:
    return await db.fetchall(
        f"""SELECT a.id, a.title, a.publisher, a.published, a.url,
                   bm25(article_search, {TITLE_WEIGHT}, {TEXT_WEIGHT}) AS rank
            FROM article_search JOIN articles a ON a.id = article_search.rowid
            WHERE article_search MATCH :expression AND {VISIBLE}
            ORDER BY rank LIMIT :limit""",  # noqa: S608 - constants only; user text is bound
        {"expression": expression, "workspace": workspace, "limit": limit},
    )


async def _snippet(db: Database, article_id: int, terms: list[str]) -> str:
    """The article's sentence that contains the most query words, cut to a readable length."""
    rows = await db.fetchall(
        "SELECT text FROM sentences WHERE article_id = ? ORDER BY idx", (article_id,)
    )
    best, best_count = "", -1
    for (text,) in rows:
        words = set(fold_query_terms(fold(text)))
        count = sum(1 for term in terms if any(w.startswith(_stem(term)) for w in words))
        if count > best_count:
            best, best_count = text, count
    if len(best) <= SNIPPET_CHARS:
        return best
    return best[:SNIPPET_CHARS].rsplit(" ", 1)[0] + "…"


def _stem(term: str) -> str:
    """A crude stem so that the snippet for "plates" can pick a sentence about one "plate"."""
    return term[: max(4, len(term) - 2)]
