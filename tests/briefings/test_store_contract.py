"""The storage interface's promises, checked through `Store` alone against every backend.

A backend joins by adding an opener to STORE_BACKENDS (a name and an async function that opens an
empty store, given the test's request and a temporary folder); every test here then runs against
it too. The PostgreSQL store runs on the test server (`pg_url`), and is skipped where none runs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from briefings.derive import RULES_VERSION, DerivedArticle, derive
from briefings.engine.novelty import sentence_holding
from briefings.models import ArticleDraft, Published
from briefings.store import open_store
from briefings.store.interface import ArticleBatch, CitedPoint, Store, Subscription
from briefings.store.schedules import Schedule
from briefings.topics import load_profiles

NOW = "2026-11-23T09:00:00+00:00"
PROFILES = load_profiles(())


async def _sqlite(request: pytest.FixtureRequest, folder: Path) -> Store:
    return await open_store(folder / "contract.sqlite3")


async def _postgresql(request: pytest.FixtureRequest, folder: Path) -> Store:
    return await open_store(request.getfixturevalue("pg_url"))


STORE_BACKENDS: dict[str, Callable[[pytest.FixtureRequest, Path], Awaitable[Store]]] = {
    "sqlite": _sqlite,
    "postgresql": _postgresql,
}


@pytest.fixture(params=sorted(STORE_BACKENDS))
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    opened = await STORE_BACKENDS[request.param](request, tmp_path)
    try:
        yield opened
    finally:
        await opened.close()


def article(
    slug: str, title: str, text: str, published: str | None = "2026-11-20"
) -> DerivedArticle:
    draft = ArticleDraft(
        title,
        text,
        url=f"https://wire.example/{slug}",
        publisher="Example Wire",
        published=Published.from_iso(published),
    )
    return derive(draft, PROFILES)


TROOPS = article(
    "troops",
    "KFOR sends more troops to the north",
    "KFOR said on Friday that it will send 500 more troops to the northern crossings at Jarinje "
    "and Brnjak. The NATO-led mission in Kosovo now has about 4,500 soldiers, its commander "
    "told reporters in Pristina.",
)
PLATES = article(
    "plates",
    "Plate deadline extended again",
    "Kosovo extended the deadline for drivers to swap Serbian-issued licence plates until "
    "31 December 2026. Officials in Pristina said checks at the border would resume in January.",
    published="2026-11-18",
)


async def test_storing_adds_each_key_once_and_links_repeats(store: Store) -> None:
    first, again = await store.store_articles(
        [ArticleBatch([TROOPS], workspace="w"), ArticleBatch([TROOPS, PLATES], workspace="w")],
        now=NOW,
    )
    assert (first.added, first.known) == (1, 0)
    assert (again.added, again.known) == (1, 1)
    ids = await store.stored_ids([TROOPS.key, PLATES.key, "https://wire.example/absent"])
    assert sorted(ids) == sorted([TROOPS.key, PLATES.key])
    assert await store.imported_count("w") == 2
    assert await store.imported_count("elsewhere") == 0


async def test_a_workspace_sees_only_what_it_imported(store: Store) -> None:
    await store.store_articles([ArticleBatch([TROOPS], workspace="w")], now=NOW)
    mine = [row async for row in store.export("w")]
    assert [row["title"] for row in mine] == [TROOPS.title]
    assert "500 more troops" in mine[0]["text"]
    assert {fact["value"] for fact in mine[0]["facts"]} >= {500, 4500}
    assert [row async for row in store.export("elsewhere")] == []


async def test_seeds_are_remembered_once_stored(store: Store) -> None:
    assert not await store.seeds_loaded()
    stored = await store.store_seeds(ArticleBatch([PLATES], seed=True), now=NOW)
    assert stored.added == 1
    assert await store.seeds_loaded()
    assert [seed["title"] for seed in await store.seed_articles()] == [PLATES.title]
    # A seed is visible to every workspace.
    assert [row["title"] async for row in store.export("any")] == [PLATES.title]


async def test_subscribing_links_the_first_entries_and_is_recorded(store: Store) -> None:
    url = "https://wire.example/feed.xml"
    feed_id, stored = await store.subscribe(
        Subscription("w", url, "Wire", "mod"), ArticleBatch([TROOPS], live=False), now=NOW
    )
    assert stored.added == 1
    feed = await store.feed("w", url)
    assert feed is not None
    assert (feed.id, feed.title) == (feed_id, "Wire")
    assert [f.url for f in await store.feeds("w")] == [url]
    assert [row["feeds"] async for row in store.export("w")] == [[url]]
    await store.unsubscribe(feed, "mod", now="2026-11-23T10:00:00+00:00")
    assert await store.feed("w", url) is None
    assert [e.action for e in await store.feed_history("w")] == ["remove", "add"]


async def test_poll_results_set_health_and_the_next_poll(store: Store) -> None:
    url = "https://wire.example/feed.xml"
    feed_id, _ = await store.subscribe(
        Subscription("w", url, None, "mod"), ArticleBatch([]), now=NOW
    )
    later = "2026-11-23T09:15:00+00:00"
    await store.record_poll_failure(
        feed_id, now=NOW, next_poll=later, error="timed out", pause=False
    )
    failing = await store.feed("w", url)
    assert failing is not None
    assert (failing.last_error, failing.consecutive_failures) == ("timed out", 1)
    assert await store.due_feeds(NOW, "w") == []
    assert [f.id for f in await store.due_feeds(later, "w")] == [feed_id]
    await store.record_poll_success(
        feed_id, now=later, next_poll="2026-11-23T09:30:00+00:00", etag='"v2"', last_modified=None
    )
    healthy = await store.feed("w", url)
    assert healthy is not None
    assert (healthy.consecutive_failures, healthy.failing_since, healthy.etag) == (0, None, '"v2"')


async def test_search_finds_a_visible_article(store: Store) -> None:
    await store.store_articles([ArticleBatch([TROOPS, PLATES], workspace="w")], now=NOW)
    hits = await store.search("w", "licence plates")
    assert [hit.title for hit in hits][:1] == [PLATES.title]
    assert await store.search("elsewhere", "licence plates") == []


async def test_the_engine_reads_find_on_topic_sentences_in_a_window(store: Store) -> None:
    await store.store_articles([ArticleBatch([TROOPS, PLATES], workspace="w")], now=NOW)
    since = dt.datetime(2026, 11, 19, tzinfo=dt.UTC)
    until = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)
    found = await store.in_window("w", ["kfor"], since, until)
    assert {c.article.title for c in found} == {TROOPS.title}
    assert any("500 more troops" in c.text for c in found)
    assert await store.in_window("w", ["kfor"], None, dt.datetime(2026, 11, 1, tzinfo=dt.UTC)) == []
    newest = await store.newest_report("w")
    assert [a.title for a in newest] == [TROOPS.title, PLATES.title]
    infos = await store.articles([a.id for a in newest])
    assert {info.title for info in infos.values()} == {TROOPS.title, PLATES.title}


async def test_the_status_reads_find_the_newest_figures(store: Store) -> None:
    await store.store_articles([ArticleBatch([TROOPS], workspace="w")], now=NOW)
    lines = await store.recent_facts("w")
    assert {(line.kind, line.value) for line in lines} >= {("kfor_troops", "4500")}
    facts = await store.fact_rows(lines, await store.articles(line.article_id for line in lines))
    assert {fact.span for fact in facts.values()} >= {"about 4,500 soldiers"}


async def test_a_recorded_briefing_is_read_back_with_its_sentences(store: Store) -> None:
    await store.store_articles([ArticleBatch([TROOPS], workspace="w")], now=NOW)
    (article_id,) = (await store.stored_ids([TROOPS.key])).values()
    point = CitedPoint("k1", "it will send 500 more troops", [article_id])
    briefing_id = await store.record_briefing(
        "w", "C", created_at=NOW, window=(None, NOW), points=[point], locate=sentence_holding
    )
    assert await store.last_briefing("w", "C") == (briefing_id, NOW)
    assert await store.last_briefing("w", "other") is None
    (said,) = await store.recent_points("w", "C", 5)
    assert (said.point_key, said.article_id, said.sentence_idx) == ("k1", article_id, 0)
    cited = await store.cited_articles([article_id])
    assert "500 more troops" in cited[article_id]["text"]


async def test_rederiving_replaces_derived_data_and_records_the_rules(store: Store) -> None:
    assert await store.rules_version() is None
    await store.store_articles([ArticleBatch([TROOPS, PLATES], workspace="w")], now=NOW)
    next_id = await store.start_rederive()
    assert await store.rederive_remaining(next_id) == 2
    drafts = await store.stored_drafts(next_id, 10)
    assert [draft.title for _, draft in drafts] == [TROOPS.title, PLATES.title]
    redone = [(article_id, derive(draft, PROFILES)) for article_id, draft in drafts]
    await store.replace_derived(redone, drafts[-1][0] + 1)
    await store.finish_rederive(RULES_VERSION)
    assert await store.rules_version() == RULES_VERSION
    assert [hit.title for hit in await store.search("w", "Jarinje")] == [TROOPS.title]


async def schedule(
    store: Store, platform: str, local_time: str, timezone: str, topics: tuple[str, ...]
) -> Schedule:
    """Channel C's schedule in workspace w, set by a moderator at NOW."""
    return await store.schedules.set_schedule(
        workspace="w",
        platform=platform,
        channel="C",
        local_time=local_time,
        timezone=timezone,
        topics=topics,
        actor="mod",
        now=NOW,
    )


async def test_a_channel_schedule_is_kept_and_turned_off(store: Store) -> None:
    made = await schedule(store, "slack", "08:00", "Europe/Belgrade", ("kfor",))
    assert await store.schedules.find("w", "slack", "C") == made
    stopped = await store.schedules.turn_off("w", "slack", "C")
    assert stopped is not None
    assert stopped.id == made.id
    assert stopped.state != "active"


async def test_a_due_feed_is_leased_to_one_owner_until_its_lease_runs_out(store: Store) -> None:
    url = "https://wire.example/feed.xml"
    feed_id, _ = await store.subscribe(
        Subscription("w", url, None, "mod"), ArticleBatch([]), now=NOW
    )
    until = "2026-11-23T09:10:00+00:00"
    first = await store.claim_due_feed("a", due_by=NOW, now=NOW, until=until)
    assert first is not None
    assert first.id == feed_id
    during = "2026-11-23T09:05:00+00:00"
    assert await store.claim_due_feed("b", due_by=NOW, now=during, until=until) is None
    # The holder died without polling it: once the lease has run out, another owner takes it.
    taken = await store.claim_due_feed(
        "b", due_by=NOW, now=until, until="2026-11-23T09:20:00+00:00"
    )
    assert taken is not None
    assert taken.id == feed_id
    assert (
        await store.claim_due_feed("a", due_by=NOW, now=until, until=until, workspace="x") is None
    )


async def test_a_delivery_is_claimed_once_and_taken_over_only_when_its_lease_ran_out(
    store: Store,
) -> None:
    made = await schedule(store, "slack", "08:00", "UTC", ())
    until = "2026-11-23T09:10:00+00:00"
    claimed = await store.schedules.claim(made.id, "2026-11-23", NOW, owner="a", until=until)
    assert claimed is not None
    assert await store.schedules.claim(made.id, "2026-11-23", NOW, owner="b", until=until) is None
    assert await store.schedules.take_stale("b", "2026-11-23T09:05:00+00:00", until) == set()
    later = "2026-11-23T09:20:00+00:00"
    assert await store.schedules.take_stale("b", until, later) == {claimed}
    assert await store.schedules.take_stale("c", until, later) == set()


async def test_a_date_is_skipped_only_where_no_other_process_holds_it(store: Store) -> None:
    made = await schedule(store, "slack", "08:00", "UTC", ())
    until = "2026-11-23T09:10:00+00:00"
    held = await store.schedules.claim(made.id, "2026-11-23", NOW, owner="a", until=until)
    # "b" found no delivery a moment ago and judged the date too late; "a" claimed it since.
    assert not await store.schedules.record_skipped(made.id, "2026-11-23", NOW, "late", owner="b")
    claimed = await store.schedules.delivery(made.id, "2026-11-23")
    assert claimed is not None
    assert claimed.state == "claimed"
    shown = await store.schedules.get(made.id)
    assert shown is not None
    assert shown.last_result != "late"
    # "a" died; "b" took over its claim and may now record the date skipped.
    assert await store.schedules.take_stale("b", until, "2026-11-23T09:20:00+00:00") == {held}
    assert await store.schedules.record_skipped(made.id, "2026-11-23", until, "late", owner="b")
    skipped = await store.schedules.delivery(made.id, "2026-11-23")
    assert skipped is not None
    assert skipped.state == "skipped"


async def test_a_handled_request_is_recognised_until_it_expires(store: Store) -> None:
    until = "2026-11-23T09:10:00+00:00"
    assert await store.first_time_handled("slack:1", NOW, until)
    assert not await store.first_time_handled("slack:1", "2026-11-23T09:09:59+00:00", until)
    assert await store.first_time_handled("slack:1", until, "2026-11-23T09:20:00+00:00")


async def test_a_delivery_keeps_its_reply_and_outcome_and_the_schedule_shows_it(
    store: Store,
) -> None:
    schedules = store.schedules
    made = await schedule(store, "discord", "07:30", "Europe/Pristina", ("kfor", "plates"))
    until = "2026-11-23T09:10:00+00:00"
    first = await schedules.claim(made.id, "2026-11-23", NOW, owner="a", until=until)
    second = await schedules.claim(made.id, "2026-11-24", NOW, owner="a", until=until)
    assert first is not None
    assert second is not None
    assert [d.id for d in await schedules.unfinished()] == [first, second]
    briefing = await store.record_briefing(
        "w", "C", created_at=NOW, window=(None, NOW), points=[], locate=sentence_holding
    )
    reply: Any = {"kind": "brief", "note": "Zvečan «quoted»", "sections": []}
    await schedules.attach_reply(first, briefing, reply)
    await schedules.record_sent(first, "m-1", NOW, "posted")
    await schedules.record_failed(second, NOW, "not posted", "missing access")
    assert await schedules.record_skipped(made.id, "2026-11-25", NOW, "too late", owner="a")
    sent = await schedules.delivery(made.id, "2026-11-23")
    assert sent is not None
    assert (sent.state, sent.message_id, sent.briefing_id, sent.reply) == (
        "sent",
        "m-1",
        briefing,
        reply,
    )
    failed, skipped = (
        await schedules.delivery(made.id, "2026-11-24"),
        await schedules.delivery(made.id, "2026-11-25"),
    )
    assert (failed and failed.state, skipped and skipped.state) == ("failed", "skipped")
    assert await schedules.unfinished() == []
    shown = await schedules.get(made.id)
    assert shown is not None
    assert (shown.topics, shown.last_sent_date, shown.last_result, shown.last_error) == (
        ("kfor", "plates"),
        "2026-11-23",
        "too late",
        "missing access",
    )
    assert [s.id for s in await schedules.list_schedules("w", active_only=True)] == [made.id]
    assert await schedules.list_schedules("elsewhere") == []
    # A briefing recorded after a claim but never attached to a delivery is forgotten.
    stray = await store.record_briefing(
        "w", "C", created_at=until, window=(NOW, until), points=[], locate=sentence_holding
    )
    await schedules.forget_unposted_briefings("w", "C", NOW)
    assert await store.last_briefing("w", "C") == (briefing, NOW)
    assert stray != briefing
