"""Search on PostgreSQL: the shared search (`briefings.store.search`) over PostgreSQL's text search.

Replies are built as on SQLite from the same queries; only the index's matching and ranking are
PostgreSQL's (`text_search.TSVECTOR`), so the order of matches may differ where bm25 and
ts_rank_cd weigh a text differently (see docs).
"""

from __future__ import annotations

from briefings.models import SearchHit
from briefings.store import search as shared
from briefings.store.postgres.text_search import TSVECTOR


async def search(db: shared.Rows, workspace: str, query: str, limit: int = 10) -> list[SearchHit]:
    """The best `limit` stories for the query, each hit citing every visible copy of its story."""
    return await shared.search(db, workspace, query, limit, TSVECTOR)
