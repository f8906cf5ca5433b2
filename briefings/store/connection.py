"""What the shared store modules need of a backend's database, whatever the engine: one copy of
the SQL runs on SQLite (`briefings.store.sqlite.Database`) and PostgreSQL
(`briefings.store.postgres.database.PgDatabase`).

Rows behave like `sqlite3.Row` (by index, by name, unpacked, `keys()`); queries take `?` or
`:name` parameters, and a backend translates them if its driver wants others.
"""

from __future__ import annotations

from collections.abc import Awaitable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any, Protocol, TypeVar

# Values bound in one `IN (...)` list: well under SQLite's limit on a statement's parameters.
PARAMS_PER_QUERY = 500

Params = Iterable[Any] | Mapping[str, Any]
"""A query's parameters: positional (`?`) or named (`:name`)."""

T = TypeVar("T")


class Row(Protocol):
    """A result row: `row[0]`, `row["name"]`, unpacking and `keys()`, as sqlite3.Row gives."""

    def __getitem__(self, key: int | str, /) -> Any: ...

    def __iter__(self) -> Iterator[Any]: ...

    def __len__(self) -> int: ...

    def keys(self) -> list[str]: ...


class Cursor(Protocol):
    """What a statement run in a transaction answers: its rows and how many it changed."""

    @property
    def rowcount(self) -> int: ...

    async def fetchone(self) -> Any: ...


class Connection(Protocol):
    """A database inside a write transaction (see `Database.transaction`)."""

    def execute(self, sql: str, parameters: Params = ..., /) -> Awaitable[Cursor]: ...

    def executemany(self, sql: str, parameters: Iterable[Iterable[Any]], /) -> Awaitable[Any]: ...

    def execute_fetchall(
        self, sql: str, parameters: Params = ..., /
    ) -> Awaitable[Iterable[Any]]: ...


class Database(Protocol):
    """A store's database: reads see committed data only; writes run in `transaction()`, one at a
    time across every task and process sharing it."""

    async def fetchall(self, sql: str, params: Params = ()) -> Sequence[Row]: ...

    async def fetchone(self, sql: str, params: Params = ()) -> Row | None: ...

    def transaction(self) -> AbstractAsyncContextManager[Connection]: ...

    def bulk_import(self) -> AbstractAsyncContextManager[None]: ...

    async def close(self) -> None: ...


class TextIndex(Protocol):
    """How a backend keeps what it alone keeps its own way: article texts and the full-text
    index of folded titles and texts."""

    def stored_text(self, text: str) -> str | bytes:
        """An article's full text as its `text` column holds it."""
        ...

    async def add(self, conn: Connection, rows: Sequence[tuple[int, str, str]]) -> None:
        """Index new articles: (id, folded title, folded text) each."""
        ...

    async def rebuild(self, conn: Connection, staged: str) -> None:
        """Replace the whole index by the rows of the table `staged` (id, title, text)."""
        ...


def chunks(values: Sequence[T], size: int = PARAMS_PER_QUERY) -> Iterator[Sequence[T]]:
    """`values` in slices of at most `size`, for queries that bind each value."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def marks(values: Sequence[object]) -> str:
    """The `?, ?, ...` placeholders of an `IN (...)` list binding `values`."""
    return ",".join("?" * len(values))
