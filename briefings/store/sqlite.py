"""The SQLite connection: pragmas, write transactions and error translation; no business logic here."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Iterable, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from briefings.errors import DatabaseLocked, DatabaseReadOnly, StoreError
from briefings.store.migrate import apply_migrations, bundled_migrations

BUSY_TIMEOUT_MS = 5_000
# Page cache of the writing connection, in KiB (SQLite's default is 2 MiB). A batch of new
# articles touches pages all over the signature-band index, which outgrows the default at tens of
# thousands of articles: the cache then spilled mid-transaction and read pages back, and the
# kernel time of those reads and writes was a third of storing.
WRITER_CACHE_KIB = 64 * 1024
# Pages the WAL may hold before SQLite copies them into the database: its default, and the limit
# while a bulk import runs. An import commit writes tens of MB of index pages, mostly the pages
# the commit before wrote too; checkpointing after every commit copied each of them again, and
# that kernel time was a twentieth of an import's CPU.
CHECKPOINT_PAGES = 1_000
BULK_CHECKPOINT_PAGES = 16_384


def translate(exc: sqlite3.Error, path: Path | str) -> StoreError:
    """Turn a raw sqlite3 error into the core's own exception with a message fit for a user."""
    message = str(exc).lower()
    if "locked" in message or "busy" in message:
        return DatabaseLocked(
            f"the database {path} is locked by another process; try again in a moment"
        )
    if "readonly" in message or "read-only" in message:
        return DatabaseReadOnly(f"the database {path} is read-only: check the file's permissions")
    if "unable to open" in message:
        return DatabaseReadOnly(f"cannot open the database {path}: check the path and permissions")
    if "no query solution" in message:
        # A query names an index (INDEXED BY) whose schema does not cover it: a fact kind or
        # condition was added to the code without the migration that rebuilds the index.
        return StoreError(
            f"the database {path} lacks an index this kfor-bot needs: a schema migration is "
            "missing for a change to the queries (see CONTRIBUTING.md, 'Add a fact kind')"
        )
    if "closed" in message or isinstance(exc, sqlite3.ProgrammingError):
        return StoreError(f"the database {path} is closed")
    return StoreError(f"database error in {path}: {exc}")


class Database:
    """Two aiosqlite connections to one file in WAL mode: writes go through `transaction()`
    (BEGIN IMMEDIATE), reads through a read-only second connection.

    A deferred transaction that reads and then writes fails at once with "database is locked" when
    another writer got in between, whatever the busy timeout; taking the write lock up front avoids
    it. Reads have their own connection (and thread) so that a command sees only committed data,
    never the half-written batch of a poll in progress, and does not queue behind the poll's
    writes and checkpoints.
    """

    def __init__(
        self, conn: aiosqlite.Connection, reader: aiosqlite.Connection, path: Path
    ) -> None:
        self._conn = conn
        self._reader = reader
        self.path = path
        # One writing connection serves every task: without this, a second task's BEGIN would fail inside
        # the first one's transaction and its ROLLBACK would discard the first task's writes.
        self._write = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path) -> Database:
        """Open (creating if needed) and migrate the database at `path`."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseReadOnly(f"cannot create the folder for {path}: {exc.strerror}") from exc
        conn = await _connect(path)
        try:
            mode = list(await conn.execute_fetchall("PRAGMA journal_mode = WAL"))
            if mode and mode[0][0] != "wal" and not _is_read_only(path):
                raise StoreError(f"the database {path} could not switch to WAL mode")
            await conn.execute("PRAGMA synchronous = NORMAL")
            await conn.execute(f"PRAGMA cache_size = -{WRITER_CACHE_KIB:d}")
            # Migration 0007 rewrites stored band keys with it.
            await conn.create_function("band_key_of_text", 1, _band_key_of_text, deterministic=True)
            migrations = bundled_migrations()
            await apply_migrations(conn, migrations)
            reader = await _connect(path, read_only=True)
        except sqlite3.Error as exc:
            await conn.close()
            raise translate(exc, path) from exc
        except StoreError:
            await conn.close()
            raise
        return cls(conn, reader, path)

    async def close(self) -> None:
        """Close both connections; safe to call twice."""
        await self._reader.close()
        await self._conn.close()

    async def fetchall(
        self, sql: str, params: Iterable[Any] | Mapping[str, Any] = ()
    ) -> list[sqlite3.Row]:
        """Run a read query (positional or named parameters) and return every row."""
        bound = params if isinstance(params, Mapping) else tuple(params)
        try:
            return list(await self._reader.execute_fetchall(sql, bound))
        except (sqlite3.Error, ValueError) as exc:
            raise translate(_as_sqlite_error(exc), self.path) from exc

    async def fetchone(
        self, sql: str, params: Iterable[Any] | Mapping[str, Any] = ()
    ) -> sqlite3.Row | None:
        """Run a read query and return its first row, if any."""
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction: committed when the block ends, rolled back on any exception.

        Transactions of concurrent tasks take turns; sqlite errors raised inside the block come
        out as StoreError, like every other.
        """
        async with self._write, self._exclusive() as conn:
            yield conn

    @asynccontextmanager
    async def bulk_import(self) -> AsyncIterator[None]:
        """Checkpoint less often while the block imports in large transactions; afterwards,
        checkpoint what the WAL holds (without waiting for readers) and go back to the default."""
        await self._conn.execute(f"PRAGMA wal_autocheckpoint = {BULK_CHECKPOINT_PAGES:d}")
        try:
            yield
        finally:
            # A connection closed meanwhile has nothing left to restore.
            with contextlib.suppress(sqlite3.Error, ValueError):
                await self._conn.execute(f"PRAGMA wal_autocheckpoint = {CHECKPOINT_PAGES:d}")
                await self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)")

    @asynccontextmanager
    async def _exclusive(self) -> AsyncIterator[aiosqlite.Connection]:
        try:
            await self._conn.execute("BEGIN IMMEDIATE")
        except (sqlite3.Error, ValueError) as exc:
            raise translate(_as_sqlite_error(exc), self.path) from exc
        try:
            yield self._conn
        except sqlite3.Error as exc:
            await self._rollback()
            raise translate(exc, self.path) from exc
        except BaseException:
            await self._rollback()
            raise
        try:
            await self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            await self._rollback()
            raise translate(exc, self.path) from exc

    async def _rollback(self) -> None:
        try:
            await self._conn.execute("ROLLBACK")
        except (sqlite3.Error, ValueError):
            return


async def _connect(path: Path, *, read_only: bool = False) -> aiosqlite.Connection:
    """A connection with rows by name, the busy timeout and foreign keys on; a read-only one
    refuses any write (`query_only`)."""
    try:
        conn = await aiosqlite.connect(path, isolation_level=None)
    except sqlite3.Error as exc:
        raise translate(exc, path) from exc
    conn.row_factory = sqlite3.Row
    try:
        await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
        await conn.execute("PRAGMA foreign_keys = ON")
        if read_only:
            await conn.execute("PRAGMA query_only = 1")
    except sqlite3.Error as exc:
        await conn.close()
        raise translate(exc, path) from exc
    return conn


def _as_sqlite_error(exc: Exception) -> sqlite3.Error:
    """aiosqlite raises ValueError on a closed connection; present it as sqlite's own error."""
    if isinstance(exc, sqlite3.Error):
        return exc
    return sqlite3.ProgrammingError(f"closed: {exc}")


def _is_read_only(path: Path) -> bool:
    try:
        with path.open("ab"):
            return False
    except OSError:
        return True


def _band_key_of_text(stored: str) -> int:
    """Migration 0007's key conversion; `briefings.signature` (numpy) loads only if it runs."""
    from briefings.signature import band_key_of_text

    return band_key_of_text(stored)
