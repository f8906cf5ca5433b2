"""Search on PostgreSQL: the shared search (`briefings.store.search`) over PostgreSQL's text search.

Replies are built as on SQLite from the same queries; only the index's matching and ranking are
PostgreSQL's (`text_search.POSTGRES_SEARCH`), so matches may come in another order where bm25
and ts_rank weigh them differently (see docs/search.md).
"""

from __future__ import annotations

from briefings.models import SearchHit
from briefings.store import search as shared
from briefings.store.connection import Database
from briefings.store.postgres.text_search import POSTGRES_SEARCH


async def search(db: Database, workspace: str, query: str, limit: int = 10) -> list[SearchHit]:
    """The best `limit` stories for the query, each hit citing every visible copy of its story."""
    return await shared.search(db, workspace, query, limit, POSTGRES_SEARCH)
