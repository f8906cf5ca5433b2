"""What only the PostgreSQL store does its own way: texts kept plain, search documents written with
each article and rebuilt by a rederive, and `kfor-bot` run on a postgresql:// URL (skipped where
no server runs)."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

from briefings.derive import RULES_VERSION, derive
from briefings.models import ArticleDraft, Published
from briefings.store import open_store
from briefings.store.interface import ArticleBatch, Subscription
from briefings.store.postgres.database import PgDatabase
from briefings.topics import load_profiles
from tests.conftest import REPO_ROOT

NOW = "2026-11-23T09:00:00+00:00"
LATER = "2026-11-23T09:10:00+00:00"
ZVECAN = derive(
    ArticleDraft(
        "Patrols return to Zvečan",
        "KFOR soldiers patrolled the centre of Zvečan on Sunday, a week after the municipal "
        "building was blocked by protesters. The mission said 120 troops took part.",
        url="https://desk.example/zvecan",
        publisher="Desk Example",
        published=Published.from_iso("2026-11-22"),
    ),
    load_profiles(()),
)


async def _matches(db: PgDatabase, words: str) -> list[int]:
    rows = await db.fetchall(
        "SELECT article_id FROM article_search"
        " WHERE document @@ to_tsquery('kfor_search', ?) ORDER BY article_id",
        (words,),
    )
    return [row[0] for row in rows]


async def test_a_stored_article_is_searchable_by_its_stems_with_or_without_diacritics(pg_url):
    store = await open_store(pg_url)
    try:
        await store.store_articles([ArticleBatch([ZVECAN], workspace="w")], now=NOW)
        (article_id,) = (await store.stored_ids([ZVECAN.key])).values()
        db = store.db
        assert await _matches(db, "zvecan & patrols") == [article_id]
        assert await _matches(db, "protesters & blocked") == [article_id]
        assert await _matches(db, "barricade") == []
        stored = await db.fetchone("SELECT text FROM articles WHERE id = ?", (article_id,))
    finally:
        await store.close()
    assert stored["text"] == ZVECAN.text


def _kfor(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO_ROOT),
        "KFOR_BOT_CONFIG": "/absent/config.toml",
        "KFOR_BOT_DATABASE_URL": url,
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True, text=True, cwd=REPO_ROOT, env=env, timeout=300,
    )  # fmt: skip


async def test_kfor_bot_rederives_a_postgresql_store_and_every_article_stays_searchable(pg_url):
    first = _kfor(pg_url, "status")
    assert first.returncode == 0, first.stderr
    rederived = _kfor(pg_url, "rederive")
    assert rederived.returncode == 0, rederived.stderr
    db = await PgDatabase.open(pg_url)
    try:
        (articles,) = await db.fetchone("SELECT count(*) FROM articles")
        (indexed,) = await db.fetchone("SELECT count(*) FROM article_search")
        (version,) = await db.fetchone("SELECT value FROM meta WHERE key = 'rules_version'")
        left = await db.fetchone("SELECT to_regclass('rederive_search')")
        plates = await _matches(db, "license & plates")
    finally:
        await db.close()
    assert articles > 0
    assert indexed == articles
    assert version == str(RULES_VERSION)
    assert left == (None,)
    assert plates
    again = _kfor(pg_url, "status")
    assert again.returncode == 0, again.stderr
    assert again.stdout == first.stdout


async def test_processes_sharing_the_store_take_each_due_feed_and_each_request_once(pg_url):
    # Three stores stand for three processes polling one round at once.
    stores = [await open_store(pg_url) for _ in range(3)]
    try:
        for n in range(12):
            await stores[0].subscribe(
                Subscription("w", f"https://desk{n}.example/rss", None, "mod"),
                ArticleBatch([]),
                now=NOW,
            )

        async def take_all(store, owner):
            taken = []
            while feed := await store.claim_due_feed(owner, due_by=NOW, now=NOW, until=LATER):
                taken.append(feed.id)
            return taken

        rounds = await asyncio.gather(*(take_all(s, f"p{i}") for i, s in enumerate(stores)))
        firsts = await asyncio.gather(
            *(s.first_time_handled("slack:retried", NOW, LATER) for s in stores for _ in range(2))
        )
    finally:
        for store in stores:
            await store.close()
    taken = [feed_id for one in rounds for feed_id in one]
    assert len(taken) == 12
    assert len(set(taken)) == 12
    assert sorted(firsts) == [False] * 5 + [True]


async def test_a_bulk_import_leaves_statistics_and_the_search_index_refreshed(pg_url):
    """Searches straight after an import must not scan the index's pending entries one by one."""
    store = await open_store(pg_url)
    try:
        async with store.bulk_import():
            await store.store_articles([ArticleBatch([ZVECAN], workspace="w")], now=NOW)
        rows = await store.db.fetchall(
            "SELECT relname FROM pg_stat_user_tables"
            " WHERE last_vacuum IS NOT NULL AND last_analyze IS NOT NULL ORDER BY relname"
        )
    finally:
        await store.close()
    assert {"article_search", "articles", "facts"} <= {row[0] for row in rows}
