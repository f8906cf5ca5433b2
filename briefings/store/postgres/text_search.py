"""Full-text search in PostgreSQL's own text search: the documents, the queries and their ranking.

The configuration `kfor_search` (migration 0002) stems English words and drops diacritics, as
SQLite's FTS5 index does. Documents hold the folded title above the folded text (weights A and
D); the ranking weighs them as `briefings.store.search` does with bm25 and, like it, ranks only
the most recently stored matches when a query matches more than the cap.
"""

from __future__ import annotations

from briefings.query import WordGroup
from briefings.store.search import MAX_RANKED, TEXT_WEIGHT, TITLE_WEIGHT

CONFIG = "kfor_search"
# ts_rank_cd's weights in the order {D, C, B, A}: text, unused, unused, title; at most 1 each,
# so the title's weight is 1 and the text's keeps its share of it.
WEIGHTS = f"{{{TEXT_WEIGHT / TITLE_WEIGHT}, 0, 0, 1}}"
# Divide a document's rank by 1 + the log of its length, as bm25 favours the shorter document.
LENGTH_NORMALISATION = 1


def document(title: str, text: str) -> str:
    """SQL: the search document of a folded title and text (two SQL expressions)."""
    return (
        f"setweight(to_tsvector('{CONFIG}', {title}), 'A')"
        f" || setweight(to_tsvector('{CONFIG}', {text}), 'D')"
    )


# Parameters: folded title, folded text.
DOCUMENT = document("%s", "%s")

# Parameters: `query` (text for to_tsquery, see `tsquery`) and `limit`. Best first; on an equal
# rank the newer article first. A larger score is better (SQLite's bm25 ranks the other way).
RANKED = f"""
    WITH query AS (SELECT to_tsquery('{CONFIG}', %(query)s) AS q),
    recent AS (
        SELECT s.article_id, s.document FROM article_search s, query
        WHERE s.document @@ query.q ORDER BY s.article_id DESC LIMIT {MAX_RANKED}
    )
    SELECT recent.article_id,
           ts_rank_cd('{WEIGHTS}', recent.document, query.q, {LENGTH_NORMALISATION}) AS score
    FROM recent, query
    ORDER BY score DESC, recent.article_id DESC
    LIMIT %(limit)s
"""  # noqa: S608 - constants of this module; the query text is a parameter


def tsquery(groups: list[WordGroup], *, every: bool) -> str:
    """Query text for `to_tsquery`: every group (or any group) must match, a group by any form.

    Each form is quoted, so nothing the user typed is read as query syntax; a prefix matches
    the words it starts ("injur" finds "injured" and "injuries").
    """
    parts = []
    for group in groups:
        terms = [_quoted(form) for form in group.forms]
        terms += [f"{_quoted(prefix)}:*" for prefix in group.prefixes]
        parts.append("(" + " | ".join(terms) + ")")
    return (" & " if every else " | ").join(parts)


def _quoted(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"
