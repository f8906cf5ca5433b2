"""One of several bot processes sharing a store, for tests/bot/test_multiprocess.py.

It runs what `kfor-bot run`'s scheduler jobs run (settle dead processes' claims, post what is
owed, poll due feeds) round after round, posting to the loopback Slack, until it is killed. Its
clock starts at the test's chosen moment and moves with real time, so leases expire.

python -m tests.bot.multiproc_worker DB SLACK_API_URL START_ISO STARTED_EPOCH LEASE_SECONDS OWNER
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
import time
from pathlib import Path

from slack_sdk.web.async_client import AsyncWebClient

from bot.scheduler import Scheduler
from bot.slack_app import SlackPublisher
from tests.briefings.corpus_helpers import corpus_at
from tests.fakes.slack_api import BOT_TOKEN

ROUND_PAUSE_SECONDS = 0.2


async def serve(
    db: Path, api_url: str, start: dt.datetime, started: float, lease: float, owner: str
) -> None:
    def clock() -> dt.datetime:
        return start + dt.timedelta(seconds=time.time() - started)

    async with corpus_at(db, clock=clock, workers=1) as corpus:
        corpus.owner = owner
        corpus.lease = dt.timedelta(seconds=lease)
        publisher = SlackPublisher(AsyncWebClient(token=BOT_TOKEN, base_url=api_url))
        scheduler = Scheduler(corpus, [publisher], retry_delay=0.1)

        async def briefings() -> None:
            await scheduler.recover()
            await scheduler.run_due()

        while True:
            await asyncio.gather(briefings(), scheduler.poll_round())
            await asyncio.sleep(ROUND_PAUSE_SECONDS)


if __name__ == "__main__":
    db, api_url, start, started, lease, owner = sys.argv[1:]
    asyncio.run(
        serve(
            Path(db), api_url, dt.datetime.fromisoformat(start), float(started), float(lease), owner
        )
    )
