"""`PgDatabase`: the shared store SQL's connection on a real PostgreSQL server (skipped where none
runs)."""

import asyncio
import sqlite3

import pytest

from briefings.errors import StoreError
from briefings.store.postgres.connect import connect
from briefings.store.postgres.database import PgDatabase


@pytest.fixture
async def db(pg_url):
    opened = await PgDatabase.open(pg_url)
    try:
        yield opened
    finally:
        await opened.close()


async def test_rows_answer_like_sqlite_rows(db):
    query = "SELECT 7 AS id, 'KFOR' AS title, NULL AS url"
    mine = await db.fetchone(query)
    theirs = sqlite3.connect(":memory:")
    theirs.row_factory = sqlite3.Row
    expected = theirs.execute(query).fetchone()
    assert (mine[0], mine["title"], mine["url"]) == (expected[0], expected["title"], None)
    assert mine.keys() == expected.keys()
    assert dict(mine) == dict(expected)
    identifier, title, url = mine
    assert (identifier, title, url) == tuple(expected)


async def test_named_and_positional_parameters_and_no_row(db):
    assert await db.fetchone("SELECT value FROM meta WHERE key = ?", ("absent",)) is None
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO meta (key, value) VALUES (:key, :value)", {"key": "k", "value": "50%"}
        )
    row = await db.fetchone("SELECT value FROM meta WHERE key = ? AND value LIKE '50%'", ("k",))
    assert row["value"] == "50%"


async def test_a_failed_transaction_leaves_nothing_and_says_why(db):
    with pytest.raises(StoreError, match="duplicate key"):
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO meta (key, value) VALUES ('a', '1')")
            await conn.execute("INSERT INTO meta (key, value) VALUES ('a', '2')")
    assert await db.fetchall("SELECT * FROM meta") == []


async def test_writers_of_two_processes_take_turns(pg_url):
    # Two databases stand for two processes: each transaction reads the largest id and writes
    # the next one, as storing articles does; without the shared lock two would take one id.
    first, second = await PgDatabase.open(pg_url), await PgDatabase.open(pg_url)

    async def add(db, worker):
        for n in range(10):
            async with db.transaction() as conn:
                (row,) = await conn.execute_fetchall("SELECT COALESCE(MAX(id), 0) FROM feed_events")
                await asyncio.sleep(0)
                await conn.execute(
                    "INSERT INTO feed_events (id, workspace, url, action, actor, at)"
                    " VALUES (?, 'w', 'u', 'add', ?, ?)",
                    (row[0] + 1, worker, str(n)),
                )

    try:
        await asyncio.gather(add(first, "one"), add(second, "two"))
        rows = await first.fetchall("SELECT id FROM feed_events ORDER BY id")
    finally:
        await first.close()
        await second.close()
    assert [row["id"] for row in rows] == list(range(1, 21))


async def test_errors_never_show_the_password(pg_url):
    with_password = pg_url.replace("kfor@", "kfor:hunter2@")
    db = await PgDatabase.open(with_password)
    try:
        with pytest.raises(StoreError) as raised:
            await db.fetchall("SELECT * FROM no_such_table")
    finally:
        await db.close()
    assert "hunter2" not in str(raised.value)
    assert "no_such_table" in str(raised.value)


async def test_a_connection_the_server_dropped_is_replaced_after_one_failed_statement(db, pg_url):
    async with await connect(pg_url) as admin:
        await admin.execute(
            "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    with pytest.raises(StoreError, match="unreachable"):
        await db.fetchall("SELECT 1")
    assert await db.fetchall("SELECT 1 AS one") == [(1,)]
    with pytest.raises(StoreError, match="unreachable"):
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO meta (key, value) VALUES ('lost', '1')")
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO meta (key, value) VALUES ('kept', '1')")
    assert await db.fetchall("SELECT key FROM meta") == [("kept",)]
