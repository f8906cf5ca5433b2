import asyncio
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import textwrap
from contextlib import contextmanager

import pytest

from briefings.errors import DatabaseLocked, DatabaseReadOnly, StoreError
from briefings.store import migrate
from briefings.store.migrate import Migration, apply_migrations, bundled_migrations
from briefings.store.sqlite import Database
from tests.briefings.corpus_helpers import corpus_at


async def test_new_database_gets_wal_foreign_keys_and_every_migration(tmp_path):
    db = await Database.open(tmp_path / "sub" / "kfor.sqlite3")
    try:
        assert (await db.fetchone("PRAGMA journal_mode"))[0] == "wal"
        assert (await db.fetchone("PRAGMA foreign_keys"))[0] == 1
        assert (await db.fetchone("PRAGMA busy_timeout"))[0] >= 1000
        version = (await db.fetchone("PRAGMA user_version"))[0]
        assert version == bundled_migrations()[-1].version
        tables = {r[0] for r in await db.fetchall("SELECT name FROM sqlite_master")}
        assert {
            "articles",
            "sentences",
            "facts",
            "feeds",
            "feed_articles",
            "article_search",
        } <= tables
    finally:
        await db.close()


async def test_a_read_sees_only_committed_writes(tmp_path):
    """A command answered while a poll stores its batch must not cite a half-stored article."""
    db = await Database.open(tmp_path / "kfor.sqlite3")
    query = "SELECT value FROM meta WHERE key = 'probe'"
    try:
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO meta (key, value) VALUES ('probe', 'written')")
            assert await db.fetchone(query) is None
        assert tuple(await db.fetchone(query)) == ("written",)
        with pytest.raises(StoreError, match="read-only"):
            await db.fetchall("DELETE FROM meta")
    finally:
        await db.close()


async def test_database_from_an_older_version_upgrades_in_place(tmp_path, monkeypatch):
    path = tmp_path / "old.sqlite3"
    first = Migration(
        1, "0001_start.sql", "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT);"
    )
    second = Migration(2, "0002_add_author.sql", "ALTER TABLE notes ADD COLUMN author TEXT;")
    monkeypatch.setattr("briefings.store.sqlite.bundled_migrations", lambda: [first])
    db = await Database.open(path)
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO notes (body) VALUES ('kept across the upgrade')")
    await db.close()

    monkeypatch.setattr("briefings.store.sqlite.bundled_migrations", lambda: [first, second])
    db = await Database.open(path)
    try:
        assert (await db.fetchone("PRAGMA user_version"))[0] == 2
        row = await db.fetchone("SELECT body, author FROM notes")
        assert tuple(row) == ("kept across the upgrade", None)
    finally:
        await db.close()


async def test_a_failing_migration_leaves_the_old_version_and_data(tmp_path, monkeypatch):
    path = tmp_path / "old.sqlite3"
    first = Migration(1, "0001_start.sql", "CREATE TABLE notes (id INTEGER PRIMARY KEY);")
    broken = Migration(
        2, "0002_broken.sql", "CREATE TABLE extra (id INTEGER);\nINSERT INTO missing VALUES (1);"
    )
    monkeypatch.setattr("briefings.store.sqlite.bundled_migrations", lambda: [first])
    await (await Database.open(path)).close()
    monkeypatch.setattr("briefings.store.sqlite.bundled_migrations", lambda: [first, broken])
    with pytest.raises(StoreError, match=r"0002_broken\.sql"):
        await Database.open(path)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert "extra" not in names
    finally:
        conn.close()


async def test_a_database_newer_than_the_code_is_refused(tmp_path):
    path = tmp_path / "future.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    with pytest.raises(StoreError, match="newer than this kfor-bot"):
        await Database.open(path)


def test_bundled_migrations_are_numbered_without_gaps():
    versions = [m.version for m in bundled_migrations()]
    assert versions == list(range(1, len(versions) + 1))


async def test_apply_migrations_is_a_no_op_when_current(tmp_path):
    db = await Database.open(tmp_path / "kfor.sqlite3")
    try:
        newest = bundled_migrations()[-1].version
        assert await apply_migrations(db._conn, bundled_migrations()) == newest
    finally:
        await db.close()


async def test_writes_roll_back_when_the_block_fails(tmp_path):
    db = await Database.open(tmp_path / "kfor.sqlite3")
    try:
        with pytest.raises(RuntimeError):
            async with db.transaction() as conn:
                await conn.execute("INSERT INTO meta (key, value) VALUES ('a', 'b')")
                raise RuntimeError("boom")
        assert await db.fetchone("SELECT * FROM meta") is None
    finally:
        await db.close()


LOCK_HOLDER = textwrap.dedent(
    """
    import sqlite3, sys, time
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    conn.execute("BEGIN EXCLUSIVE")
    print("locked", flush=True)
    time.sleep(30)
    """
)


async def test_a_database_locked_by_another_process_gives_a_clear_error(tmp_path, monkeypatch):
    path = tmp_path / "kfor.sqlite3"
    await (await Database.open(path)).close()
    monkeypatch.setattr("briefings.store.sqlite.BUSY_TIMEOUT_MS", 200)
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        db = await Database.open(path)
        try:
            with pytest.raises(DatabaseLocked, match="locked by another process"):
                async with db.transaction() as conn:
                    await conn.execute("INSERT INTO meta (key, value) VALUES ('a', 'b')")
        finally:
            await db.close()
    finally:
        holder.kill()
        holder.wait()
    db = await Database.open(path)
    try:
        assert await db.fetchone("SELECT * FROM meta") is None
    finally:
        await db.close()


@contextmanager
def read_only(path):
    """Make `path` unwritable even for root (immutable attribute), else by permissions."""
    if os.geteuid() != 0:
        path.chmod(stat.S_IRUSR)
        yield
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)
        return
    if shutil.which("chattr") is None:
        pytest.skip("running as root without chattr: cannot make a file read-only")
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("this filesystem does not support the immutable attribute")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


async def test_a_read_only_database_gives_a_clear_error_and_stays_as_it_was(tmp_path):
    path = tmp_path / "kfor.sqlite3"
    db = await Database.open(path)
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO meta (key, value) VALUES ('before', 'kept')")
    await db.close()
    with read_only(path), pytest.raises(DatabaseReadOnly, match=r"read-only|cannot open"):
        db = await Database.open(path)
        try:
            async with db.transaction() as conn:
                await conn.execute("INSERT INTO meta (key, value) VALUES ('a', 'b')")
        finally:
            await db.close()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT key, value FROM meta").fetchall() == [("before", "kept")]
    finally:
        conn.close()


async def test_a_closed_database_raises_store_error_not_a_raw_exception(tmp_path):
    db = await Database.open(tmp_path / "kfor.sqlite3")
    await db.close()
    with pytest.raises(StoreError, match="closed"):
        await db.fetchall("SELECT 1")
    with pytest.raises(StoreError, match="closed"):
        async with db.transaction():
            pass


async def test_an_unwritable_location_gives_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(DatabaseReadOnly):
        await Database.open(blocker / "kfor.sqlite3")


def test_migration_statements_split_on_sqlite_boundaries():
    script = "-- a comment\nCREATE TABLE a (x TEXT DEFAULT ';');\nCREATE TABLE b (y);\n"
    assert migrate._statements(script) == [
        "-- a comment\nCREATE TABLE a (x TEXT DEFAULT ';');",
        "CREATE TABLE b (y);",
    ]


def test_concurrent_writers_wait_instead_of_failing(tmp_path):
    async def scenario():
        path = tmp_path / "kfor.sqlite3"
        first, second = await Database.open(path), await Database.open(path)

        async def write(db, n):
            for i in range(20):
                async with db.transaction() as conn:
                    await conn.execute(
                        "INSERT INTO meta (key, value) VALUES (?, ?)", (f"{n}-{i}", "v")
                    )

        try:
            await asyncio.gather(write(first, 1), write(second, 2))
            return (await first.fetchone("SELECT COUNT(*) FROM meta"))[0]
        finally:
            await first.close()
            await second.close()

    assert asyncio.run(scenario()) == 40


async def test_concurrent_tasks_on_one_connection_take_turns(tmp_path):
    db = await Database.open(tmp_path / "kfor.sqlite3")

    async def write(n):
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO meta (key, value) VALUES (?, 'v')", (f"k{n}",))
            await asyncio.sleep(0.01)

    try:
        await asyncio.gather(*(write(n) for n in range(5)))
        assert (await db.fetchone("SELECT COUNT(*) FROM meta"))[0] == 5
    finally:
        await db.close()


async def test_articles_stored_before_the_smaller_store_stay_readable_and_searchable(
    tmp_path, monkeypatch
):
    path = tmp_path / "old.sqlite3"
    before = [m for m in bundled_migrations() if m.version < 4]
    monkeypatch.setattr("briefings.store.sqlite.bundled_migrations", lambda: before)
    db = await Database.open(path)
    text = "Dutch engineers rebuilt the footbridge at Gazivode lake in nine days."
    async with db.transaction() as conn:
        await conn.execute(
            """INSERT INTO articles (id, key, title, published_precision, text, content_hash,
                                     signature, story_id, is_seed, added_at)
               VALUES (1, 'sha256:x', 'Footbridge rebuilt', 'unknown', ?, 'x', x'00', 1, 1,
                       '2026-01-01T00:00:00+00:00')""",
            (text,),
        )
        await conn.execute(
            "INSERT INTO sentences (article_id, idx, text) VALUES (1, 0, ?)", (text,)
        )
        await conn.execute(
            "INSERT INTO article_search (rowid, title, text) VALUES (1, 'footbridge rebuilt', ?)",
            (text.lower(),),
        )
        await conn.execute("INSERT INTO meta (key, value) VALUES ('seeds_loaded', 'yes')")
    await db.close()
    monkeypatch.undo()

    async with corpus_at(path) as corpus:
        [record] = [r async for r in corpus.export("local")]
        hits = await corpus.search("local", "gazivode")
    assert record["text"] == text
    assert [hit.title for hit in hits] == ["Footbridge rebuilt"]
