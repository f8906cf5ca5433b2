"""The PostgreSQL backend of the storage interface: the shared SQL over `PgDatabase`, texts and
search documents kept by `TsvectorIndex`, searches answered by `briefings.store.postgres.search`."""

from __future__ import annotations

from briefings.models import SearchHit
from briefings.store.postgres import search
from briefings.store.postgres.database import PgDatabase
from briefings.store.postgres.text_index import TSVECTOR
from briefings.store.sql_store import SqlStore


class PostgresStore(SqlStore):
    """`briefings.store.interface.Store` over one PostgreSQL database, which several bot
    processes may share (their writes take turns, see `PgDatabase`)."""

    db: PgDatabase

    def __init__(self, db: PgDatabase) -> None:
        super().__init__(db, TSVECTOR)

    @classmethod
    async def open(cls, url: str) -> PostgresStore:
        """Connect to the database at `url` (postgresql://…) and migrate it."""
        return cls(await PgDatabase.open(url))

    async def search(self, workspace: str, query: str, limit: int = 10) -> list[SearchHit]:
        return await search.search(self.db, workspace, query, limit)
