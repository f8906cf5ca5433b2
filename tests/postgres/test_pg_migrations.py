"""The PostgreSQL store's numbered migrations, run against a real server (skipped where none runs)."""

import asyncio

import psycopg
import pytest

from briefings.errors import StoreError
from briefings.store.migrate import Migration
from briefings.store.postgres.connect import connect
from briefings.store.postgres.migrate import apply_migrations, postgres_migrations, schema_version
from briefings.store.sqlite import Database

# Tables one backend has for its own machinery: SQLite's FTS5 index and its shadow tables, the
# PostgreSQL store's record of applied steps and its tsvector table (compared by search tests).
SQLITE_ONLY = "article_search"
POSTGRES_ONLY = frozenset({"schema_migrations", "article_search"})


async def _sqlite_schema(tmp_path):
    db = await Database.open(tmp_path / "store.sqlite3")
    try:
        tables = await db.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
        columns = {}
        for (table,) in tables:
            if not table.startswith(SQLITE_ONLY):
                info = await db.fetchall(f"PRAGMA table_info({table})")
                columns[table] = {row[1] for row in info}
        indexes = await db.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        )
    finally:
        await db.close()
    return columns, {name for (name,) in indexes}


async def _migrated(url):
    conn = await connect(url)
    await apply_migrations(conn, postgres_migrations())
    return conn


async def test_the_schema_has_every_table_column_and_index_of_the_sqlite_store(pg_url, tmp_path):
    sqlite_columns, sqlite_indexes = await _sqlite_schema(tmp_path)
    async with await _migrated(pg_url) as conn:
        rows = await (
            await conn.execute(
                "SELECT table_name, column_name FROM information_schema.columns"
                " WHERE table_schema = 'public'"
            )
        ).fetchall()
        indexes = await (
            await conn.execute("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")
        ).fetchall()
    pg_columns: dict[str, set[str]] = {}
    for table, column in rows:
        if table not in POSTGRES_ONLY:
            pg_columns.setdefault(table, set()).add(column)
    assert pg_columns == sqlite_columns
    assert sqlite_indexes <= {name for (name,) in indexes}


async def test_opening_again_applies_nothing_and_keeps_the_data(pg_url):
    async with await _migrated(pg_url) as conn:
        await conn.execute("INSERT INTO meta (key, value) VALUES ('rules_version', '7')")
    async with await _migrated(pg_url) as conn:
        assert await schema_version(conn) == postgres_migrations()[-1].version
        row = await (await conn.execute("SELECT value FROM meta")).fetchone()
        steps = await (await conn.execute("SELECT count(*) FROM schema_migrations")).fetchone()
    assert row == ("7",)
    assert steps == (len(postgres_migrations()),)


async def test_a_store_indexed_with_porter2_stems_is_told_to_rederive(pg_url):
    # Step 4 changes the stems; documents stored before it are written again by rederive.
    before_stems = [m for m in postgres_migrations() if m.version < 4]
    async with await connect(pg_url) as conn:
        await apply_migrations(conn, before_stems)
        await conn.execute("INSERT INTO meta (key, value) VALUES ('rules_version', '3')")
        await apply_migrations(conn, postgres_migrations())
        row = await (await conn.execute("SELECT value FROM meta")).fetchone()
        stems = await (await conn.execute("SELECT ts_lexize('kfor_stem', 'news')")).fetchone()
    assert row == ("0",)
    assert stems == (["new"],)


async def test_processes_opening_a_new_store_at_once_apply_each_step_once(pg_url):
    conns = [await connect(pg_url) for _ in range(3)]
    try:
        versions = await asyncio.gather(
            *(apply_migrations(conn, postgres_migrations()) for conn in conns)
        )
        steps = await (
            await conns[0].execute("SELECT version FROM schema_migrations ORDER BY version")
        ).fetchall()
    finally:
        for conn in conns:
            await conn.close()
    newest = postgres_migrations()[-1].version
    assert versions == [newest] * 3
    assert [v for (v,) in steps] == list(range(1, newest + 1))


async def test_a_failing_step_leaves_the_database_as_it_was(pg_url):
    broken = Migration(99, "0099_broken.sql", "CREATE TABLE half_done (x INTEGER); SELECT 1/0;")
    async with await connect(pg_url) as conn:
        with pytest.raises(StoreError, match=r"0099_broken\.sql failed: division by zero"):
            await apply_migrations(conn, [*postgres_migrations(), broken])
        assert await schema_version(conn) == 0
        left = await (await conn.execute("SELECT to_regclass('articles')")).fetchone()
    assert left == (None,)


async def test_a_database_newer_than_the_code_is_refused(pg_url):
    async with await _migrated(pg_url) as conn:
        await conn.execute("INSERT INTO schema_migrations (version, name) VALUES (50, 'later')")
        with pytest.raises(StoreError, match="schema version 50, newer than this kfor-bot"):
            await apply_migrations(conn, postgres_migrations())


async def test_an_unreachable_store_is_named_without_its_password(pg_server):
    url = pg_server.url("no_such_database").replace("kfor@", "kfor:hunter2@")
    with pytest.raises(StoreError) as caught:
        await connect(url)
    message = str(caught.value)
    assert "no_such_database" in message
    assert "hunter2" not in message
    assert "kfor:***@127.0.0.1" in message
    assert isinstance(caught.value.__cause__, psycopg.Error)
