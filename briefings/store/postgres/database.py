"""The PostgreSQL connection: the same surface as `briefings.store.sqlite.Database` over psycopg 3,
so the shared store modules run unchanged; no business logic here.

Writes are serialised like SQLite's BEGIN IMMEDIATE: every write transaction first takes one
transaction-level advisory lock, so the shared SQL (ids from `MAX(id) + 1`, story assignment,
claims) stays correct however many processes write. Reads run outside transactions on a second
connection (autocommit: each statement sees what was committed when it started). A connection the
server dropped (a restart, a failover) is replaced on next use: the statement that found it broken
fails with a StoreError, the ones after it work again.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from functools import lru_cache
from typing import Any, ClassVar

import psycopg
from psycopg import errors

from briefings.errors import DatabaseLocked, DatabaseReadOnly, StoreError
from briefings.store.connection import Params
from briefings.store.postgres.connect import connect, redacted
from briefings.store.postgres.dialect import translate
from briefings.store.postgres.migrate import apply_migrations, postgres_migrations

# The advisory lock every write transaction holds: any constant the processes agree on (the ASCII
# of "kfwr"; the migrations take another).
WRITE_LOCK = 0x6B667772


class Row(tuple[Any, ...]):
    """A result row as sqlite3.Row behaves: by index, by column name, unpacked, and `keys()`."""

    _index: ClassVar[dict[str, int]] = {}
    _names: ClassVar[tuple[str, ...]] = ()

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self._index[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self._names)


@lru_cache(maxsize=1024)
def _row_class(names: tuple[str, ...]) -> type[Row]:
    """The Row class of one set of columns (a column named twice answers with its first)."""
    index: dict[str, int] = {}
    for i, name in enumerate(names):
        index.setdefault(name, i)
    return type("Row", (Row,), {"_index": index, "_names": names})


def rows(cursor: psycopg.AsyncCursor[Any]) -> Any:
    """psycopg's row factory making `Row`s."""
    names = tuple(column.name for column in cursor.description or ())
    return _row_class(names)


def _with_rows(conn: psycopg.AsyncConnection[Any]) -> psycopg.AsyncConnection[Any]:
    conn.row_factory = rows
    return conn


def _bound(params: Params) -> Sequence[Any] | Mapping[str, Any]:
    return params if isinstance(params, Mapping) else tuple(params)


def translate_error(exc: psycopg.Error, url: str) -> StoreError:
    """The core's own exception for a psycopg error, with a message fit for a user and never the
    URL's password."""
    where = redacted(url)
    # The first line: the server's own pointer into the statement follows it.
    reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0].replace(url, where)
    if isinstance(exc, errors.LockNotAvailable | errors.DeadlockDetected | errors.QueryCanceled):
        return DatabaseLocked(f"the store at {where} is busy; try again in a moment ({reason})")
    if isinstance(exc, errors.ReadOnlySqlTransaction | errors.InsufficientPrivilege):
        return DatabaseReadOnly(f"the store at {where} cannot be written: {reason}")
    if isinstance(exc, psycopg.OperationalError | psycopg.InterfaceError):
        return StoreError(f"the store at {where} is unreachable or closed: {reason}")
    return StoreError(f"database error in the store at {where}: {reason}")


class PgConnection:
    """A write transaction's connection, with aiosqlite's methods (execute, executemany,
    execute_fetchall) over psycopg; statements are translated by `dialect.translate`."""

    def __init__(self, conn: psycopg.AsyncConnection[Any]) -> None:
        self._conn = conn

    async def execute(self, sql: str, parameters: Params = ()) -> psycopg.AsyncCursor[Any]:
        return await self._conn.execute(translate(sql), _bound(parameters))

    async def executemany(self, sql: str, parameters: Iterable[Iterable[Any]]) -> None:
        batch = [_bound(p) for p in parameters]
        if batch:
            async with self._conn.cursor() as cursor:
                await cursor.executemany(translate(sql), batch)

    async def execute_fetchall(self, sql: str, parameters: Params = ()) -> list[Any]:
        cursor = await self._conn.execute(translate(sql), _bound(parameters))
        return await cursor.fetchall()


# The tables a bulk import grows, whose statistics and search index `bulk_import` refreshes.
REFRESHED_TABLES = ("articles", "sentences", "facts", "signature_bands", "article_search")


class PgDatabase:
    """Two connections to one PostgreSQL database: writes through `transaction()` (advisory lock
    first), reads through the other. See the module's docstring for why."""

    def __init__(
        self, writer: psycopg.AsyncConnection[Any], reader: psycopg.AsyncConnection[Any], url: str
    ) -> None:
        self._writer = writer
        self._reader = reader
        self.url = url
        # One writing connection serves every task of this process; the advisory lock orders
        # this process's transactions with other processes'.
        self._write = asyncio.Lock()

    @classmethod
    async def open(cls, url: str) -> PgDatabase:
        """Connect to `url` and bring its schema up to date."""
        writer = await connect(url)
        try:
            await apply_migrations(writer, postgres_migrations())
            reader = await connect(url)
        except psycopg.Error as exc:
            await writer.close()
            raise translate_error(exc, url) from exc
        except BaseException:
            await writer.close()
            raise
        return cls(_with_rows(writer), _with_rows(reader), url)

    async def close(self) -> None:
        """Close both connections; safe to call twice."""
        await self._reader.close()
        await self._writer.close()

    async def fetchall(self, sql: str, params: Params = ()) -> list[Any]:
        """Run a read query (positional or named parameters) and return every row."""
        try:
            self._reader = await self._usable(self._reader)
            cursor = await self._reader.execute(translate(sql), _bound(params))
            return await cursor.fetchall()
        except psycopg.Error as exc:
            raise translate_error(exc, self.url) from exc

    async def fetchone(self, sql: str, params: Params = ()) -> Any:
        """Run a read query and return its first row, if any."""
        found = await self.fetchall(sql, params)
        return found[0] if found else None

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[PgConnection]:
        """A write transaction: committed when the block ends, rolled back on any exception;
        psycopg errors raised inside come out as StoreError, like every other."""
        async with self._writing() as writer, writer.transaction():
            await writer.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            yield PgConnection(writer)

    @asynccontextmanager
    async def _writing(self) -> AsyncIterator[psycopg.AsyncConnection[Any]]:
        """The writing connection, this process's tasks one at a time; psycopg errors raised
        inside come out as StoreError."""
        async with self._write:
            try:
                self._writer = await self._usable(self._writer)
                yield self._writer
            except psycopg.Error as exc:
                raise translate_error(exc, self.url) from exc

    async def _usable(self, conn: psycopg.AsyncConnection[Any]) -> psycopg.AsyncConnection[Any]:
        """`conn`, or a new connection in its place if the server dropped it (one closed by
        `close` stays closed)."""
        if not conn.broken:
            return conn
        return _with_rows(await connect(self.url))

    @asynccontextmanager
    async def bulk_import(self) -> AsyncIterator[None]:
        """Afterwards, bring the planner's statistics and the search index up to date at once.

        Until autovacuum comes round, a search index fed in bulk keeps its new entries in an
        unsorted pending list that every search scans (about 100 ms at 100,000 articles), and the
        planner plans for the tables' sizes before the import. After a failed import autovacuum
        does it, and the import's own error is what the caller sees.
        """
        yield
        async with self._writing() as writer:
            await writer.execute(f"VACUUM ANALYZE {', '.join(REFRESHED_TABLES)}")
