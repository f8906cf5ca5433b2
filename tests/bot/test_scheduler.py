"""Daily briefings once per local date at wall-clock time, across DST, crashes and downtime; polling beside commands."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import time
import zoneinfo
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import discord
import pytest
import time_machine
from aiohttp import web
from slack_sdk.web.async_client import AsyncWebClient

from bot.discord_app import DiscordPublisher
from bot.publish import PostFailed, Publisher
from bot.scheduler import Scheduler, briefing_trigger, schedules_reply
from bot.service import Caller, Invocation, Service, parse_text
from bot.slack_app import SlackPublisher
from briefings.render import render
from briefings.store.interface import DEFAULT_LEASE
from tests.bot.scheduler_helpers import (
    CHANNEL,
    WORKSPACE,
    Crash,
    RecordingPublisher,
    add_schedule,
    scheduler_for,
    utc,
)
from tests.briefings.corpus_helpers import Clock, corpus_at, rss
from tests.fakes.discord_server import BOT_TOKEN as DISCORD_BOT_TOKEN
from tests.fakes.discord_server import CHANNEL_ID, GUILD_ID, FakeDiscord
from tests.fakes.feed_server import Feed, FeedServer
from tests.fakes.slack_api import BOT_TOKEN as SLACK_BOT_TOKEN
from tests.fakes.slack_api import TEAM, FakeSlack

BELGRADE = zoneinfo.ZoneInfo("Europe/Belgrade")
MODERATOR = Caller(WORKSPACE, "u-mod", CHANNEL, moderator=True, platform="discord")


async def show(corpus) -> str:
    """`schedule show` as the moderator reads it."""
    return render(await schedules_reply(corpus, WORKSPACE), "text")


async def fire_through(scheduler: Scheduler, clock: Clock, schedule, start, end) -> None:
    """Run the due check at every time the schedule's APScheduler trigger fires between two moments."""
    trigger = briefing_trigger(schedule)
    fire = trigger.get_next_fire_time(None, start)
    while fire < end:
        clock.now = fire.astimezone(dt.UTC)
        await scheduler.run_due()
        fire = trigger.get_next_fire_time(fire, fire)


@pytest.mark.parametrize(
    ("zone", "at", "start", "expected"),
    [
        # Clocks go forward at 02:00 on 2026-03-29 and back at 03:00 on 2026-10-25.
        (
            "Europe/Belgrade",
            "07:00",
            dt.date(2026, 3, 28),
            ["2026-03-28 07:00 +0100", "2026-03-29 07:00 +0200", "2026-03-30 07:00 +0200"],
        ),
        (
            "Europe/Belgrade",
            "07:00",
            dt.date(2026, 10, 24),
            ["2026-10-24 07:00 +0200", "2026-10-25 07:00 +0100", "2026-10-26 07:00 +0100"],
        ),
        # 02:30 happens twice on 2026-10-25 (one post) and not at all on 2026-03-29 (posted after the gap).
        (
            "Europe/Belgrade",
            "02:30",
            dt.date(2026, 10, 24),
            ["2026-10-24 02:30 +0200", "2026-10-25 02:30 +0200", "2026-10-26 02:30 +0100"],
        ),
        (
            "Europe/Belgrade",
            "02:30",
            dt.date(2026, 3, 28),
            ["2026-03-28 02:30 +0100", "2026-03-29 03:30 +0200", "2026-03-30 02:30 +0200"],
        ),
        # New York: forward at 02:00 on 2026-03-08, back at 02:00 on 2026-11-01.
        (
            "America/New_York",
            "07:00",
            dt.date(2026, 3, 7),
            ["2026-03-07 07:00 -0500", "2026-03-08 07:00 -0400", "2026-03-09 07:00 -0400"],
        ),
        (
            "America/New_York",
            "01:30",
            dt.date(2026, 10, 31),
            ["2026-10-31 01:30 -0400", "2026-11-01 01:30 -0400", "2026-11-02 01:30 -0500"],
        ),
        (
            "America/New_York",
            "02:30",
            dt.date(2026, 3, 7),
            ["2026-03-07 02:30 -0500", "2026-03-08 03:30 -0400", "2026-03-09 02:30 -0400"],
        ),
    ],
)
async def test_posts_once_a_day_at_local_wall_clock_time_across_dst(
    tmp_path: Path, zone: str, at: str, start: dt.date, expected: list[str]
) -> None:
    tz = zoneinfo.ZoneInfo(zone)
    begin = dt.datetime.combine(start, dt.time(0), tzinfo=tz)
    clock = Clock(begin.astimezone(dt.UTC))
    async with corpus_at(tmp_path / "kfor.db", clock=clock) as corpus:
        schedule = await add_schedule(corpus, at, zone)
        publisher = RecordingPublisher(clock)
        scheduler = scheduler_for(corpus, publisher)
        await fire_through(scheduler, clock, schedule, begin, begin + dt.timedelta(days=3))

    posted = [m.at.astimezone(tz).strftime("%Y-%m-%d %H:%M %z") for m in publisher.messages]
    assert posted == expected
    assert [m.footer for m in publisher.messages] == [
        f"briefing {m.reply['briefing_id']}" for m in publisher.messages
    ]


async def test_nothing_before_the_time_and_nothing_twice_after_it(tmp_path: Path) -> None:
    clock = Clock(utc(2026, 11, 22, 12, 0))
    async with corpus_at(tmp_path / "kfor.db", clock=clock) as corpus:
        await add_schedule(corpus)
        publisher = RecordingPublisher(clock)
        scheduler = scheduler_for(corpus, publisher)
        for moment in (utc(2026, 11, 23, 5, 59), utc(2026, 11, 23, 6, 0), utc(2026, 11, 23, 6, 5)):
            clock.now = moment
            await scheduler.run_due()
        shown = await show(corpus)

    assert [m.at for m in publisher.messages] == [utc(2026, 11, 23, 6, 0)]
    assert "last result: 2026-11-23: sent at 07:00 Europe/Belgrade" in shown
    assert "next run: 2026-11-24T07:00+01:00" in shown


async def test_a_time_already_past_when_set_waits_for_the_next_day(tmp_path: Path) -> None:
    clock = Clock(utc(2026, 11, 23, 9, 0))
    async with corpus_at(tmp_path / "kfor.db", clock=clock) as corpus:
        await add_schedule(corpus)
        publisher = RecordingPublisher(clock)
        await scheduler_for(corpus, publisher).run_due()

    assert publisher.messages == []


async def crash_in_the_07_00_briefing(
    path: Path, **crash: bool
) -> tuple[Clock, RecordingPublisher]:
    """A Belgrade 07:00 schedule set days before, whose run at 07:00 dies where `crash` says; the
    clock, and the publisher as it works again after the restart."""
    clock = Clock(utc(2026, 11, 23, 6, 0))
    publisher = RecordingPublisher(clock, **crash)
    async with corpus_at(path, clock=clock) as corpus:
        await add_schedule(corpus, set_at=utc(2026, 11, 20))
        with pytest.raises(Crash):
            await scheduler_for(corpus, publisher).run_due()
    publisher.crash_before_post = publisher.crash_after_post = False
    return clock, publisher


async def test_restart_between_claim_and_post_sends_the_briefing_once(tmp_path: Path) -> None:
    clock, publisher = await crash_in_the_07_00_briefing(
        tmp_path / "kfor.db", crash_before_post=True
    )
    assert publisher.messages == []

    clock.now = utc(2026, 11, 23, 6, 20)
    async with corpus_at(tmp_path / "kfor.db", clock=clock) as corpus:
        scheduler = scheduler_for(corpus, publisher)
        await scheduler.recover()
        await scheduler.run_due()
        shown = await show(corpus)

    [message] = publisher.messages
    assert message.at == utc(2026, 11, 23, 6, 20)
    assert "2026-11-23: sent at 07:20" in shown


async def test_restart_after_post_before_recording_finds_the_post_and_sends_nothing(
    tmp_path: Path,
) -> None:
    clock, publisher = await crash_in_the_07_00_briefing(
        tmp_path / "kfor.db", crash_after_post=True
    )

    clock.now = utc(2026, 11, 23, 6, 30)
    async with corpus_at(tmp_path / "kfor.db", clock=clock) as corpus:
        scheduler = scheduler_for(corpus, publisher)
        await scheduler.recover()
        await scheduler.run_due()
        shown = await show(corpus)
        [delivery] = await corpus.store.db.fetchall("SELECT message_id, state FROM deliveries")

    assert len(publisher.messages) == 1
    assert tuple(delivery) == ("m1", "sent")
    assert "2026-11-23: sent" in shown


async def test_a_claim_another_process_holds_is_left_to_it_until_its_lease_runs_out(
    tmp_path: Path,
) -> None:
    clock, publisher = await crash_in_the_07_00_briefing(
        tmp_path / "kfor.db", crash_before_post=True
    )

    clock.now = utc(2026, 11, 23, 6, 0) + DEFAULT_LEASE - dt.timedelta(seconds=1)
    async with corpus_at(tmp_path / "kfor.db", clock=clock) as corpus:
        other = scheduler_for(corpus, publisher)
        await other.recover()
        await other.run_due()
        assert publisher.messages == [], "a live process may still be posting it"

        clock.now += dt.timedelta(seconds=1)
        await other.recover()
        await other.recover()

    assert len(publisher.messages) == 1


async def test_restart_after_post_and_record_sends_nothing(tmp_path: Path) -> None:
    clock = Clock(utc(2026, 11, 23, 6, 0))
    publisher = RecordingPublisher(clock)
    async with corpus_at(tmp_path / "kfor.db", clock=clock) as corpus:
        await add_schedule(corpus, set_at=utc(2026, 11, 20))
        await scheduler_for(corpus, publisher).run_due()

    clock.now = utc(2026, 11, 23, 6, 30)
    async with corpus_at(tmp_path / "kfor.db", clock=clock) as corpus:
        scheduler = scheduler_for(corpus, publisher)
        await scheduler.recover()
        await scheduler.run_due()

    assert len(publisher.messages) == 1
    assert publisher.attempts == 1


async def test_restart_before_the_briefing_was_stored_composes_and_sends_it(
    tmp_path: Path,
) -> None:
    clock = Clock(utc(2026, 11, 23, 6, 0))
    publisher = RecordingPublisher(clock)
    async with corpus_at(tmp_path / "kfor.db", clock=clock) as corpus:
        schedule = await add_schedule(corpus, set_at=utc(2026, 11, 20))
        await corpus.schedules.claim(
            schedule.id,
            "2026-11-23",
            "2026-11-23T06:00:00+00:00",
            owner="a process that died",
            until="2026-11-23T06:00:00+00:00",
        )
        unsent = await corpus.brief(WORKSPACE, since=None, channel=CHANNEL)
        await corpus.record_briefing(WORKSPACE, CHANNEL, unsent)
        scheduler = scheduler_for(corpus, publisher)
        await scheduler.recover()
        await scheduler.run_due()

    [message] = publisher.messages
    assert message.footer == f"briefing {message.reply['briefing_id']}"
    assert message.reply["sections"] == unsent["sections"], "the unposted briefing is not 'said'"


async def test_quiet_day_says_no_new_developments_since_the_last_briefing(tmp_path: Path) -> None:
    clock = Clock(utc(2026, 11, 23, 6, 0))
    publisher = RecordingPublisher(clock)
    async with corpus_at(tmp_path / "kfor.db", clock=clock) as corpus:
        await add_schedule(corpus, set_at=utc(2026, 11, 20))
        scheduler = scheduler_for(corpus, publisher)
        await scheduler.run_due()
        clock.now = utc(2026, 11, 24, 6, 0)
        await scheduler.run_due()

    first, quiet = (render(m.reply, "text") for m in publisher.messages)
    assert "KFOR has increased the number and time length of the routine patrolling" in first
    assert quiet.splitlines()[2] == "no new developments since 2026-11-23"
    assert "NATO" not in quiet


async def test_three_day_outage_sends_one_briefing_covering_the_whole_gap(tmp_path: Path) -> None:
    clock = Clock(utc(2026, 11, 20, 6, 0))
    publisher = RecordingPublisher(clock)
    async with corpus_at(tmp_path / "kfor.db", clock=clock) as corpus:
        await add_schedule(corpus, set_at=utc(2026, 11, 19))
        await scheduler_for(corpus, publisher).run_due()

    clock.now = utc(2026, 11, 23, 7, 30)
    async with corpus_at(tmp_path / "kfor.db", clock=clock) as corpus:
        scheduler = scheduler_for(corpus, publisher)
        await scheduler.recover()
        await scheduler.run_due()
        await scheduler.run_due()
        shown = await show(corpus)

    _, second = publisher.messages
    assert second.at == utc(2026, 11, 23, 7, 30)
    assert second.reply["window"]["since"].startswith("2026-11-20")
    assert "2026-11-23: sent at 08:30" in shown


async def test_a_week_down_gives_one_briefing_not_one_per_missed_day(tmp_path: Path) -> None:
    clock = Clock(utc(2026, 11, 16, 6, 0))
    publisher = RecordingPublisher(clock)
    async with corpus_at(tmp_path / "kfor.db", clock=clock) as corpus:
        await add_schedule(corpus, set_at=utc(2026, 11, 15))
        await scheduler_for(corpus, publisher).run_due()

    clock.now = utc(2026, 11, 23, 7, 0)  # seven daily briefings missed, the last one an hour ago
    async with corpus_at(tmp_path / "kfor.db", clock=clock) as corpus:
        scheduler = scheduler_for(corpus, publisher)
        await scheduler.start()
        try:
            await asyncio.wait_for(publisher.posted.wait(), timeout=5)
            for _ in range(3):
                await scheduler.run_due()
        finally:
            await scheduler.shutdown()
        shown = await show(corpus)

    first, second = publisher.messages
    assert first.at == utc(2026, 11, 16, 6, 0)
    assert second.at == utc(2026, 11, 23, 7, 0)
    assert second.reply["window"]["since"].startswith("2026-11-16")
    assert "2026-11-23: sent at 08:00 Europe/Belgrade" in shown


@pytest.mark.parametrize(
    ("grace", "late", "sent"),
    [
        (dt.timedelta(hours=6), dt.timedelta(hours=6), True),
        (dt.timedelta(hours=6), dt.timedelta(hours=6, seconds=1), False),
        (dt.timedelta(hours=2), dt.timedelta(hours=2), True),
        (dt.timedelta(hours=2), dt.timedelta(hours=2, seconds=1), False),
    ],
)
async def test_a_missed_briefing_is_sent_up_to_exactly_the_grace_and_skipped_after(
    tmp_path: Path, grace: dt.timedelta, late: dt.timedelta, sent: bool
) -> None:
    slot = utc(2026, 11, 23, 6, 0)  # 07:00 in Belgrade
    clock = Clock(slot + late)
    publisher = RecordingPublisher(clock)
    async with corpus_at(tmp_path / "kfor.db", clock=clock) as corpus:
        await add_schedule(corpus, set_at=utc(2026, 11, 19))
        scheduler = scheduler_for(corpus, publisher, grace=grace)
        await scheduler.recover()
        await scheduler.run_due()
        shown = await show(corpus)

    assert len(publisher.messages) == int(sent)
    if not sent:
        hours = late.total_seconds() / 3600
        assert f"came back {hours:.1f} h late (grace {grace.total_seconds() / 3600:g} h)" in shown


async def test_start_sends_the_briefing_missed_while_down_without_waiting_a_day(
    tmp_path: Path,
) -> None:
    clock = Clock(utc(2026, 11, 23, 9, 0))
    publisher = RecordingPublisher(clock)
    async with corpus_at(tmp_path / "kfor.db", clock=clock) as corpus:
        await add_schedule(corpus, set_at=utc(2026, 11, 19))
        scheduler = scheduler_for(corpus, publisher)
        await scheduler.start()
        try:
            await asyncio.wait_for(publisher.posted.wait(), timeout=5)
        finally:
            await scheduler.shutdown()
        shown = await show(corpus)

    assert len(publisher.messages) == 1
    assert "2026-11-23: sent at 10:00 Europe/Belgrade" in shown


async def test_briefing_later_than_grace_is_skipped_logged_and_shown(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock(utc(2026, 11, 23, 14, 0))
    publisher = RecordingPublisher(clock)
    async with corpus_at(tmp_path / "kfor.db", clock=clock) as corpus:
        await add_schedule(corpus, set_at=utc(2026, 11, 19))
        scheduler = scheduler_for(corpus, publisher)
        with caplog.at_level(logging.INFO, logger="bot.scheduler"):
            await scheduler.recover()
            await scheduler.run_due()
        shown = await show(corpus)
        clock.now = utc(2026, 11, 24, 6, 0)
        await scheduler.run_due()

    assert [m.at for m in publisher.messages] == [utc(2026, 11, 24, 6, 0)]
    assert (
        "2026-11-23: skipped, the bot was not running at 07:00 Europe/Belgrade and came back"
        " 8.0 h late (grace 6 h)" in shown
    )
    assert "next run: 2026-11-24T07:00+01:00" in shown
    assert [r.getMessage() for r in caplog.records if "skipped" in r.getMessage()]


async def test_deleted_channel_is_recorded_and_not_retried_that_day(tmp_path: Path) -> None:
    clock = Clock(utc(2026, 11, 22, 6, 0))
    publisher = RecordingPublisher(clock)
    async with corpus_at(tmp_path / "kfor.db", clock=clock) as corpus:
        await add_schedule(corpus, set_at=utc(2026, 11, 19))
        scheduler = scheduler_for(corpus, publisher)
        await scheduler.run_due()
        publisher.deleted.add(CHANNEL)
        for minute in range(3):
            clock.now = utc(2026, 11, 23, 6, minute)
            await scheduler.run_due()
        shown = await show(corpus)
        briefings = await corpus.store.db.fetchall("SELECT id FROM briefings")

    assert len(publisher.messages) == 1
    assert publisher.attempts == 2
    assert "active" in shown
    assert "last error: channel c-news was not found" in shown
    assert len(briefings) == 1, "the briefing nobody saw is forgotten, so the next one says it"


async def test_failed_posts_are_retried_a_bounded_number_of_times(tmp_path: Path) -> None:
    clock = Clock(utc(2026, 11, 22, 6, 0))
    publisher = RecordingPublisher(clock, failures=[PostFailed("rate limited")] * 2)
    async with corpus_at(tmp_path / "kfor.db", clock=clock) as corpus:
        await add_schedule(corpus, set_at=utc(2026, 11, 19))
        scheduler = scheduler_for(corpus, publisher, post_attempts=3)
        await scheduler.run_due()
        assert (len(publisher.messages), publisher.attempts) == (1, 3)

        publisher.failures = [PostFailed("service unavailable")] * 5
        clock.now = utc(2026, 11, 23, 6, 0)
        await scheduler.run_due()
        await scheduler.run_due()
        shown = await show(corpus)

    assert (len(publisher.messages), publisher.attempts) == (1, 6)
    assert "last error: gave up after 3 attempts: service unavailable" in shown


async def test_a_post_that_failed_but_arrived_is_not_sent_again(tmp_path: Path) -> None:
    clock = Clock(utc(2026, 11, 23, 6, 0))
    publisher = RecordingPublisher(clock, fail_after_post=True)
    async with corpus_at(tmp_path / "kfor.db", clock=clock) as corpus:
        await add_schedule(corpus, set_at=utc(2026, 11, 19))
        await scheduler_for(corpus, publisher).run_due()
        shown = await show(corpus)

    assert len(publisher.messages) == 1
    assert "2026-11-23: sent" in shown


async def test_briefing_fires_after_an_event_loop_stall_longer_than_a_second(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """APScheduler's default 1 s misfire grace would drop this run; ours keeps it."""
    ran_with_default_grace = []

    async def control() -> None:
        ran_with_default_grace.append(True)

    with time_machine.travel(utc(2026, 11, 23, 5, 59, 59, 500_000), tick=True):
        clock = Clock(utc(2026, 11, 23, 5, 59, 59))
        async with corpus_at(tmp_path / "kfor.db", clock=clock) as corpus:
            corpus.clock = lambda: dt.datetime.now(dt.UTC)
            schedule = await add_schedule(corpus, set_at=utc(2026, 11, 23, 5))
            publisher = RecordingPublisher(corpus.clock)
            scheduler = scheduler_for(corpus, publisher)
            await scheduler.start()
            scheduler.apscheduler.add_job(
                control, briefing_trigger(schedule), id="control", misfire_grace_time=1
            )
            time.sleep(2.2)  # noqa: ASYNC251 - the stall under test blocks the whole loop
            await asyncio.wait_for(publisher.posted.wait(), timeout=5)
            await scheduler.shutdown()

    [message] = publisher.messages
    assert message.at.astimezone(BELGRADE).strftime("%H:%M") == "07:00"
    assert message.at - utc(2026, 11, 23, 6, 0) > dt.timedelta(seconds=1)
    assert ran_with_default_grace == []


async def test_schedule_commands_set_show_and_off(tmp_path: Path) -> None:
    clock = Clock(utc(2026, 11, 23, 9, 0))
    async with corpus_at(tmp_path / "kfor.db", clock=clock) as corpus:
        publisher = RecordingPublisher(clock)
        scheduler = scheduler_for(corpus, publisher)
        service = Service(corpus, cooldown_seconds=0, on_schedules_changed=scheduler.reload)
        await scheduler.start()
        try:
            set_reply = await service.handle(
                parse_text("schedule set 7:30 Europe/Belgrade plates"), MODERATOR
            )
            jobs = [job.id for job in scheduler.apscheduler.get_jobs()]
            shown = await service.handle(parse_text("schedule show"), MODERATOR)
            off = await service.handle(parse_text("schedule off"), MODERATOR)
            jobs_after_off = [job.id for job in scheduler.apscheduler.get_jobs()]
            member = await service.handle(
                parse_text("schedule set 08:00"),
                Caller(WORKSPACE, "u-1", CHANNEL, platform="slack"),
            )
            bad_zone = await service.handle(
                Invocation("schedule set", {"time": "07:00", "timezone": "Mars/Olympus"}), MODERATOR
            )
            cli = await service.handle(
                Invocation("schedule set", {"time": "07:00"}),
                Caller("local", "cli", moderator=True),
            )
        finally:
            await scheduler.shutdown()

    assert set_reply.ephemeral
    assert render(set_reply.data, "text") == (
        "Daily briefing set for this channel: every day at 07:30 Europe/Belgrade, topic plates.\n"
        "Next: 2026-11-24T07:30+01:00.\n"
    )
    assert any(job.startswith("briefing:") for job in jobs)
    assert "discord channel c-news: 07:30 Europe/Belgrade, topic plates, active" in render(
        shown.data, "text"
    )
    assert "turned off" in render(off.data, "text")
    assert not any(job.startswith("briefing:") for job in jobs_after_off)
    assert "is for moderators" in member.data["message"]
    assert "'Mars/Olympus' is not a time zone" in bad_zone.data["message"]
    assert "from the chat channel" in cli.data["message"]


async def test_cli_schedule_list_shows_every_workspace(tmp_path: Path) -> None:
    clock = Clock(utc(2026, 11, 23, 9, 0))
    async with corpus_at(tmp_path / "kfor.db", clock=clock) as corpus:
        await add_schedule(corpus)
        await add_schedule(corpus, "18:00", "America/New_York", channel="C9", platform="slack")
        await corpus.schedules.turn_off(WORKSPACE, "slack", "C9")
        text = render(await schedules_reply(corpus), "text")
        markdown = render(await schedules_reply(corpus), "markdown")

    assert "discord channel c-news (workspace guild-1): 07:00 Europe/Belgrade" in text
    assert "next run: 2026-11-24T07:00+01:00" in text
    assert "slack channel C9 (workspace guild-1): 18:00 America/New_York, all topics, off" in text
    assert "next run: none (off)" in text
    assert "**off**" in markdown


class PollFeeds(FeedServer):
    """The feed server with slow and failing feeds, counting requests in flight."""

    def __init__(self) -> None:
        super().__init__()
        self.in_flight = 0
        self.most_in_flight = 0

    async def _feed(self, request: web.Request) -> web.StreamResponse:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            if request.path.startswith("/slow/"):
                await asyncio.sleep(0.4)
            if request.path.startswith("/fail/"):
                return web.Response(status=503, text="down")
            return await super()._feed(request)
        finally:
            self.in_flight -= 1


async def test_poll_round_of_200_feeds_keeps_commands_responsive(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    clock = Clock(utc(2026, 11, 23, 9, 0))
    async with (
        PollFeeds() as server,
        corpus_at(tmp_path / "kfor.db", clock=clock, poll_concurrency=8) as corpus,
    ):
        kinds = ["ok"] * 140 + ["slow"] * 20 + ["fail"] * 20 + ["same"] * 20
        for n, kind in enumerate(kinds):
            item = (
                f"KFOR patrol {n} near Jarinje",
                f"https://news.example/{n}",
                "Mon, 23 Nov 2026 08:00:00 GMT",
                f"KFOR troops patrolled crossing {n} on Monday.",
            )
            server.add_feed(f"/{kind}/{n}", Feed(rss(f"Feed {n}", [item]), etag=f'"{n}"'))
        async with corpus.store.db.transaction() as conn:
            await conn.executemany(
                "INSERT INTO feeds (workspace, url, added_by, added_at, etag) VALUES (?, ?, 'u', '2026-11-22', ?)",
                [
                    (WORKSPACE, server.url(f"/{kind}/{n}"), f'"{n}"' if kind == "same" else None)
                    for n, kind in enumerate(kinds)
                ],
            )
        scheduler = scheduler_for(corpus, RecordingPublisher(clock))
        service = Service(corpus, cooldown_seconds=0)
        with caplog.at_level(logging.INFO, logger="bot.scheduler"):
            started = time.monotonic()
            round_ = asyncio.create_task(scheduler.poll_round())
            latencies = []
            while not round_.done():
                before = time.monotonic()
                reply = await service.handle(Invocation("search", {"words": "KFOR"}), MODERATOR)
                latencies.append(time.monotonic() - before)
                assert reply.ok
                await asyncio.sleep(0.05)
            outcomes = await round_
            took = time.monotonic() - started

    assert len(outcomes) == 200
    assert sum(o.error is not None for o in outcomes) == 20
    assert sum(o.not_modified for o in outcomes) == 20
    assert sum(o.report.added for o in outcomes) == 160
    assert server.most_in_flight <= 8
    assert took < 30
    assert len(latencies) >= 3
    assert max(latencies) < 1.0
    [line] = [r.getMessage() for r in caplog.records if r.getMessage().startswith("poll round")]
    assert line.startswith("poll round: 200 feeds, 160 new articles, 20 unchanged, 20 failed")


class CrashAfterPost:
    """A platform's publisher in a process that dies right after the platform took the post."""

    def __init__(self, inner: Publisher) -> None:
        self.inner = inner
        self.platform = inner.platform

    async def post(self, workspace: str, channel: str, reply: dict[str, Any]) -> str:
        await self.inner.post(workspace, channel, reply)
        raise Crash

    async def find_marker(self, workspace: str, channel: str, marker: str) -> str | None:
        return await self.inner.find_marker(workspace, channel, marker)


@asynccontextmanager
async def discord_channel(
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[tuple[Publisher, str, str, Callable[[], list[dict[str, Any]]]]]:
    """The real DiscordPublisher on the loopback Discord: publisher, guild, channel, its messages."""
    async with FakeDiscord() as fake:
        monkeypatch.setattr(discord.http.Route, "BASE", fake.api_base)
        client = discord.Client(intents=discord.Intents.none())
        await client.login(DISCORD_BOT_TOKEN)
        try:
            yield DiscordPublisher(client), GUILD_ID, CHANNEL_ID, lambda: fake.channels[CHANNEL_ID]
        finally:
            await client.close()


@asynccontextmanager
async def slack_channel(
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[tuple[Publisher, str, str, Callable[[], list[dict[str, Any]]]]]:
    """The real SlackPublisher on the loopback Slack Web API: publisher, team, channel, its messages."""
    async with FakeSlack() as fake:
        channel = fake.add_channel("C0NEWS")
        client = AsyncWebClient(token=SLACK_BOT_TOKEN, base_url=fake.api_url)
        yield SlackPublisher(client), TEAM, channel.id, lambda: channel.messages


@pytest.mark.parametrize("platform_channel", [discord_channel, slack_channel])
async def test_scheduled_briefing_through_the_platform_survives_a_crash_after_posting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, platform_channel
) -> None:
    clock = Clock(utc(2026, 11, 23, 6, 0))
    async with platform_channel(monkeypatch) as (publisher, workspace, channel, messages):
        async with corpus_at(tmp_path / "kfor.db", clock=clock) as corpus:
            await corpus.schedules.set_schedule(
                workspace=workspace,
                platform=publisher.platform,
                channel=channel,
                local_time="07:00",
                timezone="Europe/Belgrade",
                topics=(),
                actor="u-mod",
                now="2026-11-20T00:00:00+00:00",
            )
            with pytest.raises(Crash):
                await Scheduler(corpus, [CrashAfterPost(publisher)]).run_due()
        clock.now = utc(2026, 11, 23, 6, 10)
        async with corpus_at(tmp_path / "kfor.db", clock=clock) as corpus:
            scheduler = Scheduler(corpus, [publisher])
            await scheduler.recover()
            await scheduler.run_due()
            [delivery] = await corpus.store.db.fetchall(
                "SELECT briefing_id, message_id FROM deliveries"
            )

    posted = messages()
    marker = f"briefing {delivery['briefing_id']}"
    assert [marker in json.dumps(m) for m in posted].count(True) == 1, "posted once, not twice"
    assert delivery["message_id"] == str(posted[0].get("id") or posted[0].get("ts"))
