"""The SQLite backend of the storage interface: one file (see `Database` for its connections),
FTS5 search."""

from __future__ import annotations

from pathlib import Path

from briefings.store.fts import FTS5
from briefings.store.search import SQLITE_SEARCH
from briefings.store.sql_store import SqlStore
from briefings.store.sqlite import Database


class SqliteStore(SqlStore):
    """`briefings.store.interface.Store` over one SQLite file."""

    db: Database

    def __init__(self, db: Database) -> None:
        super().__init__(db, FTS5, SQLITE_SEARCH)

    @classmethod
    async def open(cls, path: Path) -> SqliteStore:
        """Open (creating if needed) and migrate the database at `path`."""
        return cls(await Database.open(path))
