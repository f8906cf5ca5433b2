"""Daily briefing schedules per chat channel and their deliveries: one claimed row per schedule and local date."""

from __future__ import annotations

import json
from dataclasses import dataclass

from briefings.reply_types import BriefReply
from briefings.store.connection import Database, Row

_SCHEDULE_COLUMNS = """id, workspace, platform, channel, local_time, timezone, topics, created_by,
                       created_at, active_since, state, last_result, last_error, last_sent_date"""
_DELIVERY_COLUMNS = "id, schedule_id, local_date, claimed_at, briefing_id, reply, message_id, state"


@dataclass(frozen=True)
class Schedule:
    """A channel's daily briefing: a wall-clock time in an IANA zone, and how the last one went."""

    id: int
    workspace: str
    platform: str
    channel: str
    local_time: str
    timezone: str
    topics: tuple[str, ...]
    created_by: str
    created_at: str
    active_since: str
    state: str
    last_result: str | None
    last_error: str | None
    last_sent_date: str | None


@dataclass(frozen=True)
class Delivery:
    """One schedule's briefing for one local date; `reply` is stored before posting so a retry sends the same."""

    id: int
    schedule_id: int
    local_date: str
    claimed_at: str
    briefing_id: int | None
    reply: BriefReply | None
    message_id: str | None
    state: str


def _schedule(row: Row) -> Schedule:
    values = {key: row[key] for key in row.keys()}  # noqa: SIM118 - Row has no __iter__ over keys
    return Schedule(**values | {"topics": tuple(json.loads(row["topics"]))})


def _delivery(row: Row) -> Delivery:
    values = {key: row[key] for key in row.keys()}  # noqa: SIM118 - Row has no __iter__ over keys
    return Delivery(**values | {"reply": json.loads(row["reply"]) if row["reply"] else None})


class ScheduleStore:
    """Daily briefing schedules and their deliveries over one database: the core's schedules domain,
    reached through `Corpus.schedules`, so that nothing outside the core touches their tables."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def set_schedule(
        self,
        *,
        workspace: str,
        platform: str,
        channel: str,
        local_time: str,
        timezone: str,
        topics: tuple[str, ...],
        actor: str,
        now: str,
    ) -> Schedule:
        """Create or replace the channel's schedule, keeping its id so deliveries already made still count."""
        async with self.db.transaction() as conn:
            await conn.execute(
                """INSERT INTO schedules (workspace, platform, channel, local_time, timezone, topics,
                                          created_by, created_at, active_since)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (workspace, platform, channel) DO UPDATE SET
                       local_time = excluded.local_time, timezone = excluded.timezone,
                       topics = excluded.topics, created_by = excluded.created_by,
                       created_at = excluded.created_at, active_since = excluded.active_since,
                       state = 'active', last_error = NULL""",
                (
                    workspace,
                    platform,
                    channel,
                    local_time,
                    timezone,
                    json.dumps(topics),
                    actor,
                    now,
                    now,
                ),
            )
        found = await self.find(workspace, platform, channel)
        assert found is not None  # noqa: S101 - written just above
        return found

    async def turn_off(self, workspace: str, platform: str, channel: str) -> Schedule | None:
        """Stop the channel's daily briefing; its history stays for `schedule show`."""
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                "UPDATE schedules SET state = 'off' WHERE workspace = ? AND platform = ? AND channel = ?",
                (workspace, platform, channel),
            )
            changed = cursor.rowcount
        return await self.find(workspace, platform, channel) if changed else None

    async def find(self, workspace: str, platform: str, channel: str) -> Schedule | None:
        """The channel's schedule, active or off."""
        row = await self.db.fetchone(
            f"""SELECT {_SCHEDULE_COLUMNS} FROM schedules
                WHERE workspace = ? AND platform = ? AND channel = ?""",  # noqa: S608 - constant columns
            (workspace, platform, channel),
        )
        return _schedule(row) if row else None

    async def get(self, schedule_id: int) -> Schedule | None:
        """A schedule by id."""
        row = await self.db.fetchone(
            f"SELECT {_SCHEDULE_COLUMNS} FROM schedules WHERE id = ?",  # noqa: S608 - constant columns
            (schedule_id,),
        )
        return _schedule(row) if row else None

    async def list_schedules(
        self, workspace: str | None = None, *, active_only: bool = False
    ) -> list[Schedule]:
        """Schedules of one workspace (or all), in the order they were first set."""
        rows = await self.db.fetchall(
            f"""SELECT {_SCHEDULE_COLUMNS} FROM schedules
                WHERE (CAST(? AS TEXT) IS NULL OR workspace = ?) AND (? = 0 OR state = 'active')
                ORDER BY workspace, id""",  # noqa: S608 - constant columns
            (workspace, workspace, int(active_only)),
        )
        return [_schedule(r) for r in rows]

    async def claim(
        self, schedule_id: int, local_date: str, now: str, *, owner: str, until: str
    ) -> int | None:
        """Take the (schedule, date) slot before posting, leased to `owner` until `until`; None
        when a delivery for that date exists already.

        BEGIN IMMEDIATE plus the unique key make this safe against a second task or process.
        """
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                """INSERT INTO deliveries (schedule_id, local_date, claimed_at, lease_owner, lease_until)
                   VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT (schedule_id, local_date) DO NOTHING RETURNING id""",
                (schedule_id, local_date, now, owner, until),
            )
            row = await cursor.fetchone()
            return int(row[0]) if row else None

    async def delivery(self, schedule_id: int, local_date: str) -> Delivery | None:
        """The delivery for a schedule and local date, if claimed."""
        row = await self.db.fetchone(
            f"SELECT {_DELIVERY_COLUMNS} FROM deliveries WHERE schedule_id = ? AND local_date = ?",  # noqa: S608 - constant columns
            (schedule_id, local_date),
        )
        return _delivery(row) if row else None

    async def take_stale(self, owner: str, now: str, until: str) -> set[int]:
        """Lease to `owner`, until `until`, the unfinished deliveries of processes that died (their
        leases ran out); one write transaction, so two takers never share one."""
        async with self.db.transaction() as conn:
            rows = await conn.execute_fetchall(
                """UPDATE deliveries SET lease_owner = ?, lease_until = ?
                   WHERE state = 'claimed' AND (lease_until IS NULL OR lease_until <= ?)
                   RETURNING id""",
                (owner, until, now),
            )
        return {int(row[0]) for row in rows}

    async def unfinished(self) -> list[Delivery]:
        """Claims with no recorded outcome: a crash came between claiming and recording the message id."""
        rows = await self.db.fetchall(
            f"SELECT {_DELIVERY_COLUMNS} FROM deliveries WHERE state = 'claimed' ORDER BY id"  # noqa: S608 - constant columns
        )
        return [_delivery(r) for r in rows]

    async def attach_reply(self, delivery_id: int, briefing_id: int, reply: BriefReply) -> None:
        """Keep the briefing about to be posted, so recovery can look for it and resend the same one."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE deliveries SET briefing_id = ?, reply = ? WHERE id = ?",
                (briefing_id, json.dumps(reply, ensure_ascii=False), delivery_id),
            )

    async def record_sent(self, delivery_id: int, message_id: str, now: str, note: str) -> None:
        """The platform took the post: remember its id and clear the schedule's error."""
        async with self.db.transaction() as conn:
            await conn.execute(
                """UPDATE deliveries SET message_id = ?, state = 'sent', finished_at = ? WHERE id = ?""",
                (message_id, now, delivery_id),
            )
            await conn.execute(
                """UPDATE schedules SET last_result = ?, last_error = NULL,
                       last_sent_date = (SELECT local_date FROM deliveries WHERE id = ?)
                   WHERE id = (SELECT schedule_id FROM deliveries WHERE id = ?)""",
                (note, delivery_id, delivery_id),
            )

    async def record_skipped(
        self, schedule_id: int, local_date: str, now: str, note: str, *, owner: str
    ) -> bool:
        """A date that will get no briefing (too late to send): shown in `schedule show`, never
        retried. Whether it was recorded: not when the date has a delivery other than an
        unfinished claim leased to `owner` (another process claimed it meanwhile, or finished it).
        """
        async with self.db.transaction() as conn:
            cursor = await conn.execute(
                """INSERT INTO deliveries (schedule_id, local_date, claimed_at, state, finished_at)
                   VALUES (?, ?, ?, 'skipped', ?)
                   ON CONFLICT (schedule_id, local_date) DO UPDATE SET
                       state = 'skipped', finished_at = excluded.finished_at
                   WHERE deliveries.state = 'claimed' AND deliveries.lease_owner = ?
                   RETURNING id""",
                (schedule_id, local_date, now, now, owner),
            )
            if await cursor.fetchone() is None:
                return False
            await conn.execute(
                "UPDATE schedules SET last_result = ? WHERE id = ?", (note, schedule_id)
            )
        return True

    async def record_failed(self, delivery_id: int, now: str, note: str, error: str) -> None:
        """The post could not be made; the date is not retried, and the schedule shows why."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE deliveries SET state = 'failed', finished_at = ? WHERE id = ?",
                (now, delivery_id),
            )
            await conn.execute(
                """UPDATE schedules SET last_result = ?, last_error = ?
                   WHERE id = (SELECT schedule_id FROM deliveries WHERE id = ?)""",
                (note, error, delivery_id),
            )

    async def forget_briefing(self, briefing_id: int) -> None:
        """Drop a briefing nobody saw, so the channel's next one still covers what it held."""
        async with self.db.transaction() as conn:
            await conn.execute("DELETE FROM briefings WHERE id = ?", (briefing_id,))

    async def forget_unposted_briefings(self, workspace: str, channel: str, since: str) -> None:
        """Drop a channel's briefings recorded since a claim but never attached to a delivery.

        A crash between recording a briefing and attaching it to its claim leaves such a row; left
        in place, the next briefing would leave out points the channel never saw.
        """
        async with self.db.transaction() as conn:
            await conn.execute(
                """DELETE FROM briefings WHERE workspace = ? AND channel = ? AND created_at >= ?
                     AND id NOT IN (SELECT briefing_id FROM deliveries WHERE briefing_id IS NOT NULL)""",
                (workspace, channel, since),
            )
