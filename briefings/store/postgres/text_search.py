"""Full-text search in PostgreSQL's own text search: the documents, the queries and their ranking.

The configuration `kfor_search` (migrations 0002 and 0004) stems English words with Porter's
algorithm and drops diacritics, as SQLite's FTS5 index does. Documents hold the folded title
above the folded text (weights A and D); the ranking weighs them as `briefings.store.search`
does with bm25. The search itself (which matches it ranks, visibility, fallbacks, grouping) is
the shared one, given `POSTGRES_SEARCH`.
"""

from __future__ import annotations

from briefings.query import WordGroup
from briefings.store.search import TEXT_WEIGHT, TITLE_WEIGHT, SearchIndex

CONFIG = "kfor_search"
# ts_rank's weights in the order {D, C, B, A}: text, unused, unused, title; at most 1 each,
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


def bound_query(parameter: str) -> str:
    """SQL: the query text the search binds as `:parameter` (written by `tsquery`) as a tsquery."""
    return f"to_tsquery('{CONFIG}', :{parameter})"


# Relevance, negated (the search ranks smaller first, as SQLite's bm25 does): ts_rank of the
# query's words joined as any may match, so each word adds its own share, more occurrences adding
# less and less, as in bm25; rather than ts_rank_cd or an all-words ts_rank, which rank words near
# each other first and cost many times more on long texts.
RANK = (
    f"-ts_rank('{WEIGHTS}', article_search.document, {bound_query('any_word')},"
    f" {LENGTH_NORMALISATION})"
)

POSTGRES_SEARCH = SearchIndex(
    article_id="article_search.article_id",
    match=f"article_search.document @@ {bound_query('expression')}",
    rank=RANK,
    expression=lambda groups, every: tsquery(groups, every=every),
    ties_by_id=True,
    fenced=True,
)
"""PostgreSQL's index for `briefings.store.search`: the same queries around it as on SQLite."""


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
