"""`migrate-store`'s copy of a SQLite store into PostgreSQL: every row, resumable, checked."""

import os
import sqlite3
import subprocess
import sys

import psycopg
import pytest

from briefings.errors import StoreError
from briefings.store.postgres.connect import connect
from briefings.store.postgres.copy import TABLES, copy_store
from tests.briefings.corpus_helpers import corpus_at
from tests.conftest import REPO_ROOT

# Rows of the tables the seeds leave empty, each with text a careless copy would mangle.
OPERATIONS = """
INSERT INTO feeds (id, workspace, url, title, added_by, added_at, consecutive_failures)
    VALUES (7, 'guild-1', 'https://example.org/rss', 'Vijesti — Zvečan', 'mod', '2026-11-01', 2);
INSERT INTO feed_events (workspace, url, action, actor, at)
    VALUES ('guild-1', 'https://example.org/rss', 'added', 'mod', '2026-11-01');
INSERT INTO schedules (id, workspace, platform, channel, local_time, timezone, created_by,
                       created_at, active_since)
    VALUES (3, 'guild-1', 'discord', 'c-1', '08:30', 'Europe/Belgrade', 'mod', '2026-11-01',
            '2026-11-01');
INSERT INTO deliveries (schedule_id, local_date, claimed_at, reply, state)
    VALUES (3, '2026-11-02', '2026-11-02T07:30:00+00:00', 'Brief: Mitrovicë «quoted»', 'sent');
INSERT INTO feed_articles (feed_id, article_id) SELECT 7, id FROM articles;
INSERT INTO imported_articles (workspace, article_id) SELECT 'local', max(id) FROM articles;
INSERT INTO cut_texts (article_id) SELECT min(id) FROM articles;
INSERT INTO briefings (id, workspace, channel, created_at, window_until)
    VALUES (4, 'guild-1', 'c-1', '2026-11-02T07:30:00+00:00', '2026-11-02T07:30:00+00:00');
INSERT INTO briefing_points (briefing_id, point_key, story_id, article_id, sentence_idx)
    SELECT 4, 'k' || id, story_id, id, 0 FROM articles;
UPDATE feeds SET lease_owner = 'host-a:41:9f3c', lease_until = '2026-11-02T07:40:00+00:00';
INSERT INTO handled_requests (key, expires_at)
    VALUES ('slack:5be1c0ffee', '2026-11-02T07:40:00+00:00');
"""


@pytest.fixture
async def source(tmp_path):
    path = tmp_path / "store.sqlite3"
    async with corpus_at(path):
        pass
    with sqlite3.connect(path) as conn:
        conn.executescript(OPERATIONS)
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}  # noqa: S608
    conn.close()
    return path, counts


async def test_every_row_is_copied_searchable_and_new_ids_follow_the_copied_ones(source, pg_url):
    path, counts = source
    copied = await copy_store(path, pg_url)
    assert copied.rows == counts
    assert min(counts.values()) > 0, counts
    async with await connect(pg_url) as pg:
        reply = await (await pg.execute("SELECT reply FROM deliveries")).fetchone()
        hits = await (
            await pg.execute(
                "SELECT count(*) FROM article_search"
                " WHERE document @@ to_tsquery('kfor_search', 'kfor')"
            )
        ).fetchone()
        new_feed = await (
            await pg.execute(
                "INSERT INTO feeds (workspace, url, added_by, added_at)"
                " VALUES ('guild-1', 'https://example.org/2', 'mod', 'now') RETURNING id"
            )
        ).fetchone()
    assert reply == ("Brief: Mitrovicë «quoted»",)
    assert hits is not None
    assert hits[0] > 0
    assert new_feed == (8,)


async def test_a_copy_stopped_part_way_resumes_and_ends_equal(source, pg_url):
    path, counts = source
    async with await connect(pg_url) as pg:
        await copy_store_until_facts_fail(path, pg_url, pg)
        partial = await (await pg.execute("SELECT count(*) FROM facts")).fetchone()
        await pg.execute("DROP TRIGGER refuse_facts ON facts")
    assert partial is not None
    assert 0 < partial[0] < counts["facts"]
    copied = await copy_store(path, pg_url, chunk_rows=5)
    assert copied.rows == counts
    assert copied == await copy_checksum_of_a_fresh_copy(path, pg_url)


async def copy_store_until_facts_fail(path, url, pg):
    """Copy until the facts table, stopped there by the server refusing its later rows."""
    from briefings.store.postgres.migrate import apply_migrations, postgres_migrations

    await apply_migrations(pg, postgres_migrations())
    await pg.execute(
        """CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
           BEGIN IF NEW.id > 8 THEN RAISE EXCEPTION 'connection lost'; END IF;
           RETURN NEW; END $$;
           CREATE TRIGGER refuse_facts BEFORE INSERT ON facts FOR EACH ROW EXECUTE FUNCTION refuse();"""
    )
    with pytest.raises(psycopg.Error, match="connection lost"):
        await copy_store(path, url, chunk_rows=5)


async def copy_checksum_of_a_fresh_copy(path, url):
    """The same source copied in one go into another new database of the same server."""
    fresh = url.rsplit("/", 1)[0] + "/fresh_" + url.rsplit("/", 1)[1]
    async with await connect(url) as pg:
        await pg.execute(f"CREATE DATABASE {fresh.rsplit('/', 1)[1]}".encode())
    return await copy_store(path, fresh)


async def test_a_store_holding_other_data_is_refused(source, pg_url):
    path, _counts = source
    await copy_store(path, pg_url)
    with pytest.raises(StoreError, match="not empty"):
        await copy_store(path, pg_url)


def _migrate_store(db, url):
    return subprocess.run(
        [sys.executable, "-m", "bot", "--db", str(db), "migrate-store", "--to", url],
        capture_output=True, text=True, cwd=REPO_ROOT, timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )  # fmt: skip


def test_the_command_copies_the_store_and_shows_the_url_without_its_password(source, pg_url):
    path, counts = source
    url = pg_url.replace("kfor@", "kfor:hunter2@")
    result = _migrate_store(path, url)
    assert result.returncode == 0, result.stderr
    assert f"  articles {counts['articles']:>19}\n" in result.stdout
    assert "kfor:***@127.0.0.1" in result.stdout
    again = _migrate_store(path, url)
    assert again.returncode == 1
    assert "not empty (articles has rows)" in again.stderr
    assert "hunter2" not in result.stdout + again.stderr


def test_the_command_copies_the_sqlite_file_when_the_environment_names_the_target_as_the_store(
    source, pg_url
):
    """A user who has set $KFOR_BOT_DATABASE_URL to the new server still copies the SQLite file
    ($KFOR_BOT_DB); the upgrade before the copy must not open (and fill) the target instead."""
    path, counts = source
    result = subprocess.run(
        [sys.executable, "-m", "bot", "migrate-store", "--to", pg_url],
        capture_output=True, text=True, cwd=REPO_ROOT, timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT), "KFOR_BOT_DB": str(path),
             "KFOR_BOT_DATABASE_URL": pg_url},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"  articles {counts['articles']:>19}\n" in result.stdout


def test_the_command_refuses_a_missing_store_and_a_url_that_is_not_postgresql(tmp_path, source):
    missing = _migrate_store(tmp_path / "none.sqlite3", "postgresql://kfor@127.0.0.1/x")
    assert "no SQLite store at" in missing.stderr
    assert not (tmp_path / "none.sqlite3").exists()
    path, _counts = source
    wrong = _migrate_store(path, "mysql://kfor:hunter2@db/x")
    assert wrong.returncode == 1
    assert "--to must be a postgresql:// URL, not mysql://kfor:***@db/x" in wrong.stderr


async def test_a_copy_part_way_through_is_resumed_only_from_the_same_file(source, pg_url, tmp_path):
    path, _counts = source
    async with await connect(pg_url) as pg:
        await copy_store_until_facts_fail(path, pg_url, pg)
    other = tmp_path / "other.sqlite3"
    other.write_bytes(path.read_bytes())
    with pytest.raises(StoreError, match=f"part way through a copy of {path}"):
        await copy_store(other, pg_url)


async def test_a_sqlite_store_of_an_older_version_is_refused_until_upgraded(source, pg_url):
    path, _counts = source
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 11")
    conn.close()
    with pytest.raises(StoreError, match=r"schema version 11, not \d+: open it once"):
        await copy_store(path, pg_url)
