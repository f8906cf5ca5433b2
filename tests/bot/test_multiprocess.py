"""Three bot processes on one SQLite store, one killed mid-round: each briefing is posted once and
each feed fetched once, except the fetches the killed process had in flight (issue 23)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import re
import signal
import sys
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from urllib.parse import urlsplit

from briefings.store import feeds
from tests.briefings.corpus_helpers import corpus_at, rss
from tests.fakes.feed_server import Feed, FeedServer
from tests.fakes.slack_api import TEAM, FakeSlack

ROOT = Path(__file__).resolve().parents[2]
SCHEDULES = 200
FEEDS = 500
PROCESSES = 3
LEASE_SECONDS = 4.0
# 07:00:30 in Belgrade: every schedule's 07:00 briefing is owed.
START = dt.datetime(2026, 11, 23, 6, 0, 30, tzinfo=dt.UTC)
DEADLINE_SECONDS = 45.0
MARKER = re.compile(r"briefing \d+")


def feed_document(n: int) -> bytes:
    return rss(
        f"Border desk {n}",
        [
            (
                f"Crossing {n} at Jarinje reopens for lorries",
                f"https://border.example/{n}",
                "Mon, 23 Nov 2026 05:00:00 GMT",
                f"Kosovo police said crossing {n} took freight again after a night closed.",
            )
        ],
    )


async def prepare(db: Path, server: FeedServer, slack: FakeSlack) -> None:
    """200 Slack channels with a 07:00 briefing each, and 500 feeds never polled yet."""
    async with corpus_at(db, clock=lambda: START) as corpus:
        for n in range(SCHEDULES):
            channel = slack.add_channel(f"C{n:04d}")
            await corpus.schedules.set_schedule(
                workspace=TEAM,
                platform="slack",
                channel=channel.id,
                local_time="07:00",
                timezone="Europe/Belgrade",
                topics=(),
                actor="u-mod",
                now="2026-11-20T00:00:00+00:00",
            )
        async with corpus.store.db.transaction() as conn:
            for n in range(FEEDS):
                server.add_feed(f"/f{n}.xml", Feed(feed_document(n)))
                url = server.url(f"/f{n}.xml")
                await feeds.upsert(conn, TEAM, url, None, "u-mod", "2026-11-20T00:00:00+00:00")


async def start_worker(
    db: Path, slack: FakeSlack, owner: str, log: Path
) -> asyncio.subprocess.Process:
    # A session of its own, so the kill takes the worker's forked parser process with it.
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.bot.multiproc_worker",
        str(db),
        slack.api_url,
        START.isoformat(),
        str(time.time()),
        str(LEASE_SECONDS),
        owner,
        cwd=ROOT,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=log.open("wb"),
        start_new_session=True,
    )


async def work_in_flight(db: Path, owner: str) -> tuple[int, int]:
    """Feeds `owner` leased and never finished polling, and its claimed deliveries not yet settled."""
    async with corpus_at(db, clock=lambda: START) as corpus:
        (polling,) = await corpus.store.db.fetchone(
            """SELECT COUNT(*) FROM feeds WHERE lease_owner = ?
                 AND last_success IS NULL AND last_error IS NULL""",
            (owner,),
        )
        (posting,) = await corpus.store.db.fetchone(
            "SELECT COUNT(*) FROM deliveries WHERE lease_owner = ? AND state = 'claimed'",
            (owner,),
        )
    return int(polling), int(posting)


async def finished(db: Path) -> bool:
    async with corpus_at(db, clock=lambda: START) as corpus:
        (sent,) = await corpus.store.db.fetchone(
            "SELECT COUNT(*) FROM deliveries WHERE state = 'sent'"
        )
        (polled,) = await corpus.store.db.fetchone(
            "SELECT COUNT(*) FROM feeds WHERE last_success IS NOT NULL"
        )
    return sent == SCHEDULES and polled == FEEDS


async def until(check: Callable[[], Awaitable[bool]], deadline: float) -> bool:
    """Whether `check` came true before `deadline` (a time.monotonic() value); asked every 50 ms."""
    while not await check():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


def markers(slack: FakeSlack) -> dict[str, Counter[str]]:
    """Per channel, how many times each briefing's footer marker was posted."""
    return {
        channel.id: Counter(MARKER.findall(json.dumps(channel.messages)))
        for channel in slack.channels.values()
    }


async def test_three_processes_one_killed_mid_round_post_each_briefing_once_and_fetch_each_feed_once(
    tmp_path: Path,
) -> None:
    db = tmp_path / "kfor.db"
    async with FeedServer() as server, FakeSlack() as slack:
        await prepare(db, server, slack)
        workers = [
            await start_worker(db, slack, f"worker-{n}", tmp_path / f"worker-{n}.log")
            for n in range(PROCESSES)
        ]
        victim = workers[0]
        try:
            deadline = time.monotonic() + DEADLINE_SECONDS

            async def mid_round() -> bool:
                polling, posting = await work_in_flight(db, "worker-0")
                return bool(polling and posting and len(slack.calls_to("chat.postMessage")) >= 5)

            await until(mid_round, deadline)
            os.killpg(victim.pid, signal.SIGKILL)
            await victim.wait()
            left_polling, left_posting = await work_in_flight(db, "worker-0")
            async with corpus_at(db, clock=lambda: START) as corpus:
                rows = await corpus.store.db.fetchall(
                    """SELECT url FROM feeds WHERE lease_owner = 'worker-0'
                         AND last_success IS NULL AND last_error IS NULL"""
                )
            in_flight = {urlsplit(row["url"]).path for row in rows}
            assert await until(lambda: finished(db), deadline), (
                "the two surviving processes did not finish the round"
            )
        finally:
            for worker in workers:
                if worker.returncode is None:
                    os.killpg(worker.pid, signal.SIGKILL)
                    await worker.wait()

    assert left_polling + left_posting > 0, "the kill should catch the process mid-round"
    posted = markers(slack)
    assert len(posted) == SCHEDULES
    assert all(list(count.values()) == [1] for count in posted.values()), {
        channel: count for channel, count in posted.items() if list(count.values()) != [1]
    }
    fetches = Counter(request.path for request in server.requests)
    assert set(fetches) == {f"/f{n}.xml" for n in range(FEEDS)}
    twice = {path for path, count in fetches.items() if count > 1}
    assert twice <= in_flight, "only a feed the killed process was fetching is fetched again"
    assert max(fetches.values()) <= 2
