"""The PostgreSQL backend of the storage interface: the shared SQL over `PgDatabase`, texts and
search documents kept by `TsvectorIndex`, searched through `text_search.POSTGRES_SEARCH`."""

from __future__ import annotations

from briefings.store.postgres.database import PgDatabase
from briefings.store.postgres.text_index import TSVECTOR
from briefings.store.postgres.text_search import POSTGRES_SEARCH
from briefings.store.sql_store import SqlStore


class PostgresStore(SqlStore):
    """`briefings.store.interface.Store` over one PostgreSQL database, which several bot
    processes may share (their writes take turns, see `PgDatabase`)."""

    db: PgDatabase

    def __init__(self, db: PgDatabase) -> None:
        super().__init__(db, TSVECTOR, POSTGRES_SEARCH)

    @classmethod
    async def open(cls, url: str) -> PostgresStore:
        """Connect to the database at `url` (postgresql://…) and migrate it."""
        return cls(await PgDatabase.open(url))
