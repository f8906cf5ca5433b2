"""The same data gives the same replies, byte for byte, on the SQLite and the PostgreSQL store: the
bundled seeds, a few imported articles and a subscribed feed, then status, briefs and timelines
as the command line, Discord and Slack show them (skipped where no PostgreSQL server runs)."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from bot.service import Caller, Invocation, Service
from briefings.corpus import Corpus
from briefings.models import ArticleDraft, Published
from briefings.render import FORMATS, render
from briefings.render.platforms import platforms
from tests.briefings.corpus_helpers import Clock, corpus_at, rss
from tests.fakes.feed_server import Feed, FeedServer

WORKSPACE = "guild-1"
# Written for this test: a troop rotation, a crossing closed and reopened, a plate deadline.
DRAFTS = [
    ArticleDraft(
        "KFOR rotates a battalion at the northern crossings",
        "KFOR said on Wednesday that a fresh battalion of 650 soldiers took over the watch at "
        "the Jarinje and Brnjak crossings. The mission, which now counts about 4,600 troops, "
        "said the rotation had been planned since the summer and changed nothing in its orders.",
        url="https://desk.example/kfor-rotation",
        publisher="Desk Example",
        published=Published.from_iso("2026-11-18"),
    ),
    ArticleDraft(
        "Brnjak crossing reopens after a two-day closure",
        "The Brnjak border crossing between Kosovo and Serbia reopened on Thursday after being "
        "closed for two days. Kosovo police said trucks were moving again by noon and that the "
        "barricades on the Serbian side had been taken down overnight.",
        url="https://desk.example/brnjak-reopens",
        publisher="Desk Example",
        published=Published.from_iso("2026-11-19"),
    ),
    ArticleDraft(
        "Drivers get until March to change their licence plates",
        "Kosovo gave drivers with Serbian-issued licence plates until 31 March 2027 to switch to "
        "Kosovo plates. The interior ministry said fines would start in April and that about "
        "6,000 cars in the north still carried the old plates.",
        url="https://desk.example/plates-march",
        publisher="Desk Example",
        published=Published.from_iso("2026-11-20"),
    ),
]
FEED_ITEMS = [
    (
        "Patrols stepped up near Zvecan",
        "https://feed.example/zvecan-patrols",
        "Fri, 20 Nov 2026 08:00:00 GMT",
        "KFOR stepped up foot patrols near Zvecan on Friday after a night of tension, with "
        "about 200 soldiers on the streets. The mission asked residents to stay calm.",
    ),
    (
        "Barricades cleared on the road to Jarinje",
        "https://feed.example/jarinje-cleared",
        "Sat, 21 Nov 2026 10:30:00 GMT",
        "Trucks that had blocked the road to the Jarinje crossing were moved away on Saturday. "
        "Police said traffic across the border was back to normal by the afternoon.",
    ),
]
COMMANDS: list[tuple[str, dict[str, str]]] = [
    ("status", {}),
    ("brief", {"since": "2000-01-01"}),
    ("brief", {"since": "2026-11-19", "topic": "border"}),
    ("brief", {}),
    ("timeline", {}),
    ("timeline", {"topic": "plates"}),
    ("sources", {}),
]


async def _load(corpus: Corpus, feed_url: str) -> None:
    report = await corpus.ingest_drafts(DRAFTS, workspace=WORKSPACE)
    assert report.added == len(DRAFTS)
    await corpus.add_feed(WORKSPACE, feed_url, "mod")


async def _shown(corpus: Corpus) -> list[str]:
    """Every command's reply in every rendering: the CLI's formats, then each chat platform's."""
    service = Service(corpus, cooldown_seconds=0)
    caller = Caller(WORKSPACE, "U1", channel="C1", moderator=True, platform="slack")
    shown = []
    for name, args in COMMANDS:
        data: Any = (await service.handle(Invocation(name, args), caller)).data
        assert data["kind"] != "error", data
        shown += [render(data, fmt) for fmt in FORMATS]
        shown += [json.dumps(chat.messages(data), ensure_ascii=False) for chat in platforms()]
    return shown


async def _replies_of(location: Path | str, feed_url: str) -> list[str]:
    # The feed's next poll is spread at random: the same draw on both stores.
    random.seed(23)
    async with corpus_at(location, clock=Clock()) as corpus:
        await _load(corpus, feed_url)
        return await _shown(corpus)


@pytest.fixture
async def feed_url():
    async with FeedServer() as server:
        server.add_feed("/desk.xml", Feed(rss("Desk feed", FEED_ITEMS)))
        yield server.url("/desk.xml")


async def test_status_briefs_and_timelines_read_the_same_on_both_stores(tmp_path, pg_url, feed_url):
    on_sqlite = await _replies_of(tmp_path / "kfor.sqlite3", feed_url)
    on_postgresql = await _replies_of(pg_url, feed_url)
    assert len(on_sqlite) == len(COMMANDS) * (len(FORMATS) + len(platforms()))
    # The data reached the replies: the figures and places of the articles written above.
    everything = "\n".join(on_sqlite)
    for written in ("650 soldiers", "Brnjak border crossing", "Zvecan"):
        assert written in everything
    for mine, theirs in zip(on_sqlite, on_postgresql, strict=True):
        assert theirs == mine
