"""Daily briefings and feed polling on APScheduler jobs; the database decides what is owed and records each send.

APScheduler is only the alarm clock: its jobs are rebuilt from the `schedules` table and each one
asks the database what is owed. A briefing is claimed for (schedule, local date) before it is
posted and its message id recorded after, so no crash can make a second post for one day unless
the platform hides the first from `find_marker` (see the README's "Schedules").
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
import zoneinfo
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Any

from bot.publish import ChannelUnavailable, PostFailed, Publisher
from briefings import Schedule
from briefings.corpus import Corpus, PollOutcome
from briefings.derive import MAX_STORED_TEXT_CHARS
from briefings.errors import KforError
from briefings.reply_types import BriefReply, ScheduleRow, SchedulesReply

if TYPE_CHECKING:
    from apscheduler.triggers.cron import CronTrigger

log = logging.getLogger(__name__)
DEFAULT_GRACE = dt.timedelta(hours=6)
POLL_EVERY = dt.timedelta(minutes=1)
POST_ATTEMPTS = 3
RETRY_DELAY_SECONDS = 5.0
SHUTDOWN_WAIT_SECONDS = 30.0
_POLL_JOB = "poll"
_SWEEP_JOB = "sweep"
_BRIEFING_JOB = "briefing:"


def marker_of(briefing_id: int) -> str:
    """The footer text of a posted briefing, which `find_marker` looks for after a crash."""
    return f"briefing {briefing_id}"


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def _wall_clock(schedule: Schedule) -> tuple[dt.time, zoneinfo.ZoneInfo]:
    hour, minute = schedule.local_time.split(":")
    return dt.time(int(hour), int(minute)), zoneinfo.ZoneInfo(schedule.timezone)


def slot_at(schedule: Schedule, local_date: dt.date) -> dt.datetime:
    """The moment a date's briefing is due, in UTC.

    A time repeated when clocks go back means its first occurrence (fold=0); a time skipped when
    they go forward lands just after the gap (02:30 becomes 03:30), as CronTrigger fires it.
    """
    at, zone = _wall_clock(schedule)
    return dt.datetime.combine(local_date, at, tzinfo=zone).astimezone(dt.UTC)


def owed_slot(schedule: Schedule, now: dt.datetime) -> tuple[dt.date, dt.datetime] | None:
    """The latest local date whose briefing time has come by `now`, and that time.

    Only the latest counts, so a bot down for days owes one briefing, not one per day; a time of
    day that passed before the schedule was set is not owed.
    """
    _, zone = _wall_clock(schedule)
    today = now.astimezone(zone).date()
    since = dt.datetime.fromisoformat(schedule.active_since)
    for back in range(3):
        local_date = today - dt.timedelta(days=back)
        slot = slot_at(schedule, local_date)
        if slot <= now:
            return (local_date, slot) if slot >= since else None
    return None


def next_run(schedule: Schedule, now: dt.datetime) -> dt.datetime | None:
    """When the schedule will next post, in its own zone; None when it is off."""
    if schedule.state != "active":
        return None
    _, zone = _wall_clock(schedule)
    local_date = now.astimezone(zone).date()
    while True:
        slot = slot_at(schedule, local_date)
        if slot > now and local_date.isoformat() != schedule.last_sent_date:
            return slot.astimezone(zone)
        local_date += dt.timedelta(days=1)


def briefing_trigger(schedule: Schedule) -> CronTrigger:
    """A daily trigger at the schedule's wall-clock time in its zone (it follows DST changes)."""
    from apscheduler.triggers.cron import CronTrigger  # APScheduler: only the running bot needs it

    at, zone = _wall_clock(schedule)
    return CronTrigger(hour=at.hour, minute=at.minute, timezone=zone)


async def schedule_rows(
    corpus: Corpus, workspace: str | None = None, *, platform: str | None = None
) -> list[ScheduleRow]:
    """Every schedule (of one workspace, or all) as reply data, with its next run and last result."""
    now = corpus.clock()
    rows: list[ScheduleRow] = []
    for schedule in await corpus.schedules.list_schedules(workspace):
        if platform is not None and schedule.platform != platform:
            continue
        upcoming = next_run(schedule, now)
        rows.append(
            {
                "workspace": schedule.workspace,
                "platform": schedule.platform,
                "channel": schedule.channel,
                "time": schedule.local_time,
                "timezone": schedule.timezone,
                "topics": list(schedule.topics),
                "state": schedule.state,
                "created_by": schedule.created_by,
                "created_at": schedule.created_at,
                "next_run": upcoming.isoformat(timespec="minutes") if upcoming else None,
                "last_result": schedule.last_result,
                "last_error": schedule.last_error,
                "last_sent_date": schedule.last_sent_date,
            }
        )
    return rows


async def schedules_reply(corpus: Corpus, workspace: str | None = None) -> SchedulesReply:
    """The `schedules` reply (docs/replies.md): `schedule show` in a workspace, `schedule list` on the CLI."""
    return {
        "kind": "schedules",
        "generated_at": _iso(corpus.clock()),
        "workspace": workspace,
        "schedules": await schedule_rows(corpus, workspace),
    }


class Scheduler:
    """Posts each channel's daily briefing once per local date and polls due feeds every minute.

    Time comes from the corpus clock, so tests choose `now`; APScheduler only decides when to ask.
    """

    def __init__(
        self,
        corpus: Corpus,
        publishers: Iterable[Publisher],
        *,
        grace: dt.timedelta = DEFAULT_GRACE,
        post_attempts: int = POST_ATTEMPTS,
        retry_delay: float = RETRY_DELAY_SECONDS,
        poll_every: dt.timedelta = POLL_EVERY,
    ) -> None:
        self.corpus = corpus
        self.publishers = {publisher.platform: publisher for publisher in publishers}
        self.grace = grace
        self.post_attempts = post_attempts
        self.retry_delay = retry_delay
        self.poll_every = poll_every
        # Every job may be late by any amount: the database and `grace` decide what is still owed,
        # not APScheduler's default 1 s misfire window. Missed runs coalesce into one; a job never
        # overlaps itself, so a slow poll round skips the next tick instead of piling up.
        from apscheduler.schedulers.asyncio import AsyncIOScheduler  # see briefing_trigger

        self.apscheduler = AsyncIOScheduler(
            timezone=dt.UTC,
            job_defaults={"misfire_grace_time": None, "coalesce": True, "max_instances": 1},
        )
        self._running: set[asyncio.Task[Any]] = set()

    async def start(self) -> None:
        """Settle claims a crash left open, then start the jobs; missed briefings are caught up at once.

        Besides each schedule's own daily job, a sweep every `poll_every` settles claims whose
        process died and sends anything still owed (within grace): the catch-up after downtime,
        and a second chance when a daily job failed.
        """
        from apscheduler.triggers.interval import IntervalTrigger  # see briefing_trigger

        await self.recover()
        self.apscheduler.start()
        every = IntervalTrigger(seconds=self.poll_every.total_seconds())
        for job in (_SWEEP_JOB, _POLL_JOB):
            self.apscheduler.add_job(
                self._job, every, args=[job], id=job, next_run_time=dt.datetime.now(dt.UTC)
            )
        await self.reload()

    async def reload(self) -> None:
        """Rebuild the briefing jobs from the database (after `schedule set` or `off`)."""
        if not self.apscheduler.running:
            return
        for job in self.apscheduler.get_jobs():
            if job.id.startswith(_BRIEFING_JOB):
                job.remove()
        for schedule in await self.corpus.schedules.list_schedules(active_only=True):
            if schedule.platform not in self.publishers:
                log.warning(
                    "schedule for %s channel %s is not run: the %s adapter is not running",
                    schedule.platform,
                    schedule.channel,
                    schedule.platform,
                )
                continue
            self.apscheduler.add_job(
                self._job,
                briefing_trigger(schedule),
                args=[f"{_BRIEFING_JOB}{schedule.id}"],
                id=f"{_BRIEFING_JOB}{schedule.id}",
            )

    async def shutdown(self) -> None:
        """Stop starting jobs, let running sends finish (an unfinished one is recovered on start)."""
        if not self.apscheduler.running:
            return
        self.apscheduler.pause()
        if self._running:
            await asyncio.wait(set(self._running), timeout=SHUTDOWN_WAIT_SECONDS)
        self.apscheduler.shutdown(wait=False)
        await asyncio.sleep(0)

    async def _job(self, name: str) -> None:
        """Every job's body: a failure is logged and the job stays scheduled."""
        task = asyncio.current_task()
        assert task is not None  # noqa: S101 - APScheduler runs coroutine jobs as tasks
        self._running.add(task)
        try:
            if name == _POLL_JOB:
                await self.poll_round()
            elif name == _SWEEP_JOB:
                await self.recover()
                await self.run_due()
            else:
                await self.run_due(schedule_ids={int(name.removeprefix(_BRIEFING_JOB))})
        except Exception:
            log.exception("scheduled job %s failed", name)
        finally:
            self._running.discard(task)

    async def poll_round(self) -> list[PollOutcome]:
        """Refresh the feeds that are due, within the corpus's concurrency cap; one log line."""
        started = time.monotonic()
        outcomes = await self.corpus.poll(due_only=True)
        if outcomes:
            log.info(
                "poll round: %d feeds, %d new articles, %d unchanged, %d failed, %.1f s",
                len(outcomes),
                sum(o.report.added for o in outcomes),
                sum(o.not_modified for o in outcomes),
                sum(o.error is not None for o in outcomes),
                time.monotonic() - started,
            )
        for outcome in outcomes:
            if outcome.report.cut:
                log.info(
                    "%s: %d new article(s) longer than %d characters, cut there: %s",
                    outcome.feed.url,
                    len(outcome.report.cut),
                    MAX_STORED_TEXT_CHARS,
                    "; ".join(outcome.report.cut),
                )
        return outcomes

    async def run_due(
        self, now: dt.datetime | None = None, *, schedule_ids: Collection[int] | None = None
    ) -> None:
        """Post every briefing whose time has come and that no delivery row covers yet."""
        now = now or self.corpus.clock()
        for schedule in await self.corpus.schedules.list_schedules(active_only=True):
            if schedule_ids is not None and schedule.id not in schedule_ids:
                continue
            publisher = self.publishers.get(schedule.platform)
            owed = owed_slot(schedule, now)
            if publisher is None or owed is None:
                continue
            local_date, slot = owed
            if await self.corpus.schedules.delivery(schedule.id, local_date.isoformat()):
                continue
            if now - slot > self.grace:
                await self._skip(schedule, local_date, slot, now)
                continue
            delivery_id = await self.corpus.schedules.claim(
                schedule.id,
                local_date.isoformat(),
                _iso(now),
                owner=self.corpus.owner,
                until=_iso(now + self.corpus.lease),
            )
            if delivery_id is not None:
                await self._compose_and_post(schedule, publisher, delivery_id, local_date)

    async def recover(self, now: dt.datetime | None = None) -> None:
        """Settle claims a dead process left without a message id: found in the channel, resent,
        or skipped if too late.

        A claim is another process's (or this one's) work in progress until its lease runs out;
        only then is it taken here, so no two processes settle one claim.
        """
        now = now or self.corpus.clock()
        stale = await self.corpus.schedules.take_stale(
            self.corpus.owner, _iso(now), _iso(now + self.corpus.lease)
        )
        for claim in await self.corpus.schedules.unfinished():
            if claim.id not in stale:
                continue
            schedule = await self.corpus.schedules.get(claim.schedule_id)
            publisher = self.publishers.get(schedule.platform) if schedule else None
            if schedule is None or publisher is None:
                continue
            local_date = dt.date.fromisoformat(claim.local_date)
            if claim.reply is None or claim.briefing_id is None:
                # Nothing was posted: the reply is stored before any post is attempted.
                await self.corpus.schedules.forget_unposted_briefings(
                    schedule.workspace, schedule.channel, claim.claimed_at
                )
                if now - slot_at(schedule, local_date) > self.grace:
                    await self._skip(schedule, local_date, slot_at(schedule, local_date), now)
                else:
                    await self._compose_and_post(schedule, publisher, claim.id, local_date)
                continue
            try:
                found = await publisher.find_marker(
                    schedule.workspace, schedule.channel, marker_of(claim.briefing_id)
                )
            except ChannelUnavailable as exc:
                await self._fail(schedule, claim.id, claim.briefing_id, local_date, now, str(exc))
                continue
            except PostFailed as exc:
                log.warning(
                    "cannot tell whether briefing %s reached %s channel %s (%s); left for the next start",
                    claim.briefing_id,
                    schedule.platform,
                    schedule.channel,
                    exc,
                )
                continue
            if found is not None:
                await self._sent(schedule, claim.id, claim.briefing_id, local_date, found, now)
            elif now - slot_at(schedule, local_date) > self.grace:
                await self.corpus.schedules.forget_briefing(claim.briefing_id)
                await self._skip(schedule, local_date, slot_at(schedule, local_date), now)
            else:
                await self._post(
                    schedule, publisher, claim.id, claim.briefing_id, claim.reply, local_date
                )

    async def _compose_and_post(
        self, schedule: Schedule, publisher: Publisher, delivery_id: int, local_date: dt.date
    ) -> None:
        """Build the channel's briefing (what is new since its last one), store it, then post it."""
        try:
            reply = await self.corpus.brief(
                schedule.workspace,
                since=None,
                channel=schedule.channel,
                topics=list(schedule.topics) or None,
            )
            briefing_id = await self.corpus.record_briefing(
                schedule.workspace, schedule.channel, reply
            )
            reply = reply | {"briefing_id": briefing_id}
            await self.corpus.schedules.attach_reply(delivery_id, briefing_id, reply)
        except KforError as exc:
            note = f"{local_date}: not sent, the briefing could not be built: {exc}"
            await self.corpus.schedules.record_failed(
                delivery_id, _iso(self.corpus.clock()), note, str(exc)
            )
            log.error(
                "scheduled briefing for %s channel %s failed: %s",
                schedule.platform,
                schedule.channel,
                exc,
            )
            return
        await self._post(schedule, publisher, delivery_id, briefing_id, reply, local_date)

    async def _post(
        self,
        schedule: Schedule,
        publisher: Publisher,
        delivery_id: int,
        briefing_id: int,
        reply: BriefReply,
        local_date: dt.date,
    ) -> None:
        """Post with a bounded number of retries; before each retry, look for the post in the channel."""
        marker = marker_of(briefing_id)
        message_id: str | None = None
        error = ""
        for attempt in range(1, self.post_attempts + 1):
            if attempt > 1:
                await asyncio.sleep(self.retry_delay * 2 ** (attempt - 2))
                message_id = await self._look(publisher, schedule, marker)
                if message_id is not None:
                    break
            try:
                message_id = await publisher.post(schedule.workspace, schedule.channel, reply)
                break
            except ChannelUnavailable as exc:
                now = self.corpus.clock()
                await self._fail(schedule, delivery_id, briefing_id, local_date, now, str(exc))
                return
            except PostFailed as exc:
                error = str(exc)
                log.warning(
                    "post of briefing %s to %s channel %s failed (attempt %d of %d): %s",
                    briefing_id,
                    schedule.platform,
                    schedule.channel,
                    attempt,
                    self.post_attempts,
                    exc,
                )
        if message_id is None:
            message_id = await self._look(publisher, schedule, marker)
        now = self.corpus.clock()
        if message_id is None:
            reason = f"gave up after {self.post_attempts} attempts: {error}"
            await self._fail(schedule, delivery_id, briefing_id, local_date, now, reason)
            return
        await self._sent(schedule, delivery_id, briefing_id, local_date, message_id, now)

    async def _look(self, publisher: Publisher, schedule: Schedule, marker: str) -> str | None:
        """The id of the post carrying `marker`, if the channel shows one; a failed look finds nothing."""
        try:
            return await publisher.find_marker(schedule.workspace, schedule.channel, marker)
        except KforError:
            return None

    async def _sent(
        self,
        schedule: Schedule,
        delivery_id: int,
        briefing_id: int,
        local_date: dt.date,
        message_id: str,
        now: dt.datetime,
    ) -> None:
        local = now.astimezone(zoneinfo.ZoneInfo(schedule.timezone))
        note = f"{local_date}: sent at {local:%H:%M} {schedule.timezone} (briefing {briefing_id})"
        await self.corpus.schedules.record_sent(delivery_id, message_id, _iso(now), note)
        log.info(
            "scheduled briefing %s sent to %s channel %s in %s for %s (message %s)",
            briefing_id,
            schedule.platform,
            schedule.channel,
            schedule.workspace,
            local_date,
            message_id,
        )

    async def _fail(
        self,
        schedule: Schedule,
        delivery_id: int,
        briefing_id: int | None,
        local_date: dt.date,
        now: dt.datetime,
        error: str,
    ) -> None:
        """Record a post that will not be retried for this date; the channel never saw the briefing."""
        if briefing_id is not None:
            await self.corpus.schedules.forget_briefing(briefing_id)
        note = f"{local_date}: not sent: {error}"
        await self.corpus.schedules.record_failed(delivery_id, _iso(now), note, error)
        log.warning(
            "scheduled briefing for %s channel %s in %s not sent for %s: %s",
            schedule.platform,
            schedule.channel,
            schedule.workspace,
            local_date,
            error,
        )

    async def _skip(
        self, schedule: Schedule, local_date: dt.date, slot: dt.datetime, now: dt.datetime
    ) -> None:
        late = now - slot
        hours = late.total_seconds() / 3600
        grace_hours = self.grace.total_seconds() / 3600
        note = (
            f"{local_date}: skipped, the bot was not running at {schedule.local_time} "
            f"{schedule.timezone} and came back {hours:.1f} h late (grace {grace_hours:g} h)"
        )
        if not await self.corpus.schedules.record_skipped(
            schedule.id, local_date.isoformat(), _iso(now), note, owner=self.corpus.owner
        ):
            return  # another process claimed the date meanwhile: its outcome stands
        log.info(
            "scheduled briefing for %s channel %s in %s skipped: %s",
            schedule.platform,
            schedule.channel,
            schedule.workspace,
            note,
        )
