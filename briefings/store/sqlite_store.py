"""The SQLite backend of the storage interface: one file (see `Database` for its connections),
FTS5 search."""

from __future__ import annotations

from pathlib import Path

from briefings.models import SearchHit
from briefings.store import search
from briefings.store.fts import FTS5
from briefings.store.sql_store import SqlStore
from briefings.store.sqlite import Database


class SqliteStore(SqlStore):
    """`briefings.store.interface.Store` over one SQLite file."""

    db: Database

    def __init__(self, db: Database) -> None:
        super().__init__(db, FTS5)

    @classmethod
    async def open(cls, path: Path) -> SqliteStore:
        """Open (creating if needed) and migrate the database at `path`."""
        return cls(await Database.open(path))

    async def search(self, workspace: str, query: str, limit: int = 10) -> list[SearchHit]:
        return await search.search(self.db, workspace, query, limit)
