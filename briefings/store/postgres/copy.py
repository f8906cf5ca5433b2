"""Copying a SQLite store into a PostgreSQL one, losslessly and resumably (`kfor-bot migrate-store`).

Each table is read in primary-key order in chunks; a chunk and the key it ended at are committed
together, so a copy stopped at any point resumes after its last committed chunk. At the end the
row counts and a checksum of every table's rows (article texts compared as text: SQLite keeps
them compressed) must be equal on both sides, or the copy says where they differ.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from briefings.errors import StoreError
from briefings.fold import fold
from briefings.store.articles import decompress_text
from briefings.store.migrate import bundled_migrations
from briefings.store.postgres.connect import connect
from briefings.store.postgres.migrate import apply_migrations, postgres_migrations
from briefings.store.postgres.text_search import DOCUMENT

# Every table of the store and its primary key, parents before the tables that refer to them.
TABLES: dict[str, tuple[str, ...]] = {
    "articles": ("id",),
    "sentences": ("article_id", "idx"),
    "facts": ("id",),
    "signature_bands": ("band", "article_id"),
    "story_leads": ("article_id",),
    "cut_texts": ("article_id",),
    "feeds": ("id",),
    "feed_articles": ("feed_id", "article_id"),
    "imported_articles": ("workspace", "article_id"),
    "feed_events": ("id",),
    "meta": ("key",),
    "briefings": ("id",),
    "briefing_points": ("briefing_id", "point_key", "article_id"),
    "schedules": ("id",),
    "deliveries": ("id",),
    "handled_requests": ("key",),
}
# SQLite's full-text index: rebuilt on the PostgreSQL side from the copied titles and texts.
SEARCH_INDEX = "article_search"
CHUNK_ROWS = 2_000
PROGRESS = "store_copy_progress"


@dataclass(frozen=True)
class Copied:
    """What a finished copy holds: rows per table and one checksum over them all."""

    rows: dict[str, int]
    checksum: str


async def copy_store(source: Path, url: str, *, chunk_rows: int = CHUNK_ROWS) -> Copied:
    """Copy the SQLite store at `source` into the (empty, or partly copied) store at `url`."""
    name = str(source.resolve())  # noqa: ASYNC240 - one stat call, before any waiting
    with _open_source(source) as sqlite:
        async with await connect(url) as pg:
            await apply_migrations(pg, postgres_migrations())
            await _start(pg, name)
            for table, key in TABLES.items():
                await _copy_table(sqlite, pg, table, key, chunk_rows)
            await _reset_identities(pg)
            copied = await _compare(sqlite, pg)
            await pg.execute(f"DROP TABLE {PROGRESS}")
            # Statistics for the planner, and the search index's pending entries sorted in.
            await pg.execute("VACUUM ANALYZE")
    return copied


class _open_source:  # noqa: N801 - used as a context manager, like open()
    """The SQLite file, read-only, at the schema version this code writes."""

    def __init__(self, path: Path) -> None:
        if not path.is_file():
            raise StoreError(f"no SQLite store at {path}")
        self.conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        (version,) = self.conn.execute("PRAGMA user_version").fetchone()
        newest = bundled_migrations()[-1].version
        if version != newest:
            self.conn.close()
            raise StoreError(
                f"the SQLite store {path} is at schema version {version}, not {newest}: open it "
                "once with this kfor-bot (e.g. `kfor-bot status --db …`) to upgrade it first"
            )
        names = {
            n for (n,) in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        unknown = {n for n in names if not n.startswith((SEARCH_INDEX, "sqlite_"))} - set(TABLES)
        if unknown:
            self.conn.close()
            raise StoreError(
                f"the SQLite store has tables this copy does not know: {sorted(unknown)}"
            )

    def __enter__(self) -> sqlite3.Connection:
        return self.conn

    def __exit__(self, *exc: object) -> None:
        self.conn.close()


async def _start(pg: psycopg.AsyncConnection[Any], source: str) -> None:
    """Record which file is being copied; refuse a store that holds other data."""
    resumed = await _one(pg, "SELECT to_regclass(%s) IS NOT NULL", (PROGRESS,))
    if resumed:
        copying = await _one(pg, f"SELECT last_key FROM {PROGRESS} WHERE name = ''")  # noqa: S608
        if copying != source:
            raise StoreError(f"the target store is part way through a copy of {copying}")
        return
    for table in TABLES:
        if await _one(pg, f"SELECT EXISTS (SELECT 1 FROM {table})"):  # noqa: S608
            raise StoreError(
                f"the target store is not empty ({table} has rows): copy into a new one"
            )
    async with pg.transaction():
        await pg.execute(f"CREATE TABLE {PROGRESS} (name TEXT PRIMARY KEY, last_key TEXT NOT NULL)")
        await pg.execute(
            f"INSERT INTO {PROGRESS} (name, last_key) VALUES ('', %s)",  # noqa: S608
            (source,),
        )


async def _copy_table(
    sqlite: sqlite3.Connection,
    pg: psycopg.AsyncConnection[Any],
    table: str,
    key: tuple[str, ...],
    chunk_rows: int,
) -> None:
    columns = [row[1] for row in sqlite.execute(f"PRAGMA table_info({table})")]
    target = await _columns(pg, table)
    if set(columns) != target:
        raise StoreError(f"{table} has columns {sorted(columns)} in SQLite, {sorted(target)} here")
    last = await _one(pg, f"SELECT last_key FROM {PROGRESS} WHERE name = %s", (table,))  # noqa: S608
    after: list[Any] | None = json.loads(last) if last else None
    names, keys = ", ".join(columns), ", ".join(key)
    marks = ", ".join(["%s"] * len(columns))
    while True:
        where = f"WHERE ({keys}) > ({', '.join('?' * len(key))})" if after else ""
        rows = sqlite.execute(
            f"SELECT {names} FROM {table} {where} ORDER BY {keys} LIMIT ?",  # noqa: S608
            (*(after or ()), chunk_rows),
        ).fetchall()
        if not rows:
            return
        rows = [_portable(table, columns, row) for row in rows]
        after = [rows[-1][columns.index(k)] for k in key]
        async with pg.transaction():
            async with pg.cursor() as cursor:
                await cursor.executemany(
                    f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608
                    rows,
                )
                if table == "articles":
                    await cursor.executemany(
                        f"INSERT INTO article_search (article_id, document) VALUES (%s, {DOCUMENT})",  # noqa: S608
                        [_searchable(columns, row) for row in rows],
                    )
            await pg.execute(
                f"""INSERT INTO {PROGRESS} (name, last_key) VALUES (%s, %s)
                    ON CONFLICT (name) DO UPDATE SET last_key = excluded.last_key""",  # noqa: S608
                (table, json.dumps(after)),
            )


def _portable(table: str, columns: list[str], row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A row as the PostgreSQL store keeps it: article texts as plain text."""
    if table != "articles":
        return row
    at = columns.index("text")
    return (*row[:at], decompress_text(row[at]), *row[at + 1 :])


def _searchable(columns: list[str], row: tuple[Any, ...]) -> tuple[Any, str, str]:
    """An article's search document parameters: its id, folded title and folded text."""

    def value(name: str) -> Any:
        return row[columns.index(name)]

    return value("id"), fold(value("title")), fold(value("text"))


async def _reset_identities(pg: psycopg.AsyncConnection[Any]) -> None:
    """New rows after the copy take ids past the copied ones."""
    for table, key in TABLES.items():
        if key == ("id",):
            await pg.execute(
                f"""SELECT setval(pg_get_serial_sequence('{table}', 'id'),
                                  coalesce(max(id), 0) + 1, false) FROM {table}"""  # noqa: S608
            )


async def _compare(sqlite: sqlite3.Connection, pg: psycopg.AsyncConnection[Any]) -> Copied:
    """Counts and checksums of both sides, which must be equal."""
    rows: dict[str, int] = {}
    whole = hashlib.sha256()
    for table in TABLES:
        columns = [row[1] for row in sqlite.execute(f"PRAGMA table_info({table})")]
        names = ", ".join(columns)
        select = f"SELECT {names} FROM {table}"  # noqa: S608
        mine = _digest(_portable(table, columns, r) for r in sqlite.execute(select))
        async with pg.cursor() as cursor:
            await cursor.execute(select.encode())
            theirs = _digest([tuple(r) async for r in cursor])
        if mine != theirs:
            raise StoreError(
                f"{table} differs after the copy: {mine[0]} rows in SQLite, {theirs[0]} here"
                + (" (same count, different values)" if mine[0] == theirs[0] else "")
            )
        rows[table] = mine[0]
        whole.update(f"{table}:{mine[1]}".encode())
    indexed = await _one(pg, "SELECT count(*) FROM article_search")
    if indexed != rows["articles"]:
        raise StoreError(f"{indexed} articles are searchable of {rows['articles']} copied")
    return Copied(rows, whole.hexdigest())


def _digest(rows: Any) -> tuple[int, str]:
    """How many rows and a checksum of them in any order (the two sides sort text differently)."""
    digests = sorted(hashlib.sha256(repr(tuple(row)).encode()).digest() for row in rows)
    return len(digests), hashlib.sha256(b"".join(digests)).hexdigest()


async def _columns(pg: psycopg.AsyncConnection[Any], table: str) -> set[str]:
    cursor = await pg.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND table_name = %s",
        (table,),
    )
    return {name for (name,) in await cursor.fetchall()}


async def _one(pg: psycopg.AsyncConnection[Any], query: str, params: tuple[Any, ...] = ()) -> Any:
    cursor = await pg.execute(query.encode(), params)
    row = await cursor.fetchone()
    return row[0] if row else None
