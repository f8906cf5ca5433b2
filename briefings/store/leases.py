"""Leases on shared work, so that several processes on one store never do the same job at once.

A lease is an owner (one running process) and an expiry, taken in one write transaction: SQLite's
BEGIN IMMEDIATE lets one writer in at a time, so two processes can never both see a job free and
both take it. A process that dies keeps its leases until they expire; then any process takes them.
The PostgreSQL backend mirrors each function with `SELECT ... FOR UPDATE SKIP LOCKED`.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import socket

from briefings.models import Feed
from briefings.store.feeds import _COLUMNS as FEED_COLUMNS
from briefings.store.feeds import _feed
from briefings.store.sqlite import Database

# How long a lease lasts: longer than one feed's poll (fetch time cap plus storing) and than one
# briefing's post with every retry, so that only a dead process loses its work to another.
DEFAULT_LEASE = dt.timedelta(minutes=10)


def new_owner() -> str:
    """An id for this process that no other process, on this host or another, shares."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


async def claim_due_feed(
    db: Database,
    owner: str,
    *,
    due_by: dt.datetime,
    now: dt.datetime,
    lease: dt.timedelta,
    workspace: str | None = None,
) -> Feed | None:
    """Lease the feed due (by `due_by`) longest ago that nobody holds, or whose holder's lease ran
    out; None when none is left.

    Its poll moves `next_poll` past `due_by`, so a feed is taken once per round however many
    processes ask.
    """
    async with db.transaction() as conn:
        rows = await conn.execute_fetchall(
            f"""UPDATE feeds SET lease_owner = ?, lease_until = ?
                WHERE id = (SELECT id FROM feeds
                            WHERE paused = 0 AND (next_poll IS NULL OR next_poll <= ?)
                              AND (lease_until IS NULL OR lease_until <= ?)
                              AND (? IS NULL OR workspace = ?)
                            ORDER BY next_poll LIMIT 1)
                RETURNING {FEED_COLUMNS}""",  # noqa: S608 - constant columns
            (owner, _iso(now + lease), _iso(due_by), _iso(now), workspace, workspace),
        )
    return _feed(next(iter(rows))) if rows else None


async def claim_stale_deliveries(
    db: Database, owner: str, now: dt.datetime, lease: dt.timedelta
) -> set[int]:
    """Lease every unfinished delivery whose holder's lease ran out (a process died mid-post); their ids."""
    async with db.transaction() as conn:
        rows = await conn.execute_fetchall(
            """UPDATE deliveries SET lease_owner = ?, lease_until = ?
               WHERE state = 'claimed' AND (lease_until IS NULL OR lease_until <= ?)
               RETURNING id""",
            (owner, _iso(now + lease), _iso(now)),
        )
    return {int(row[0]) for row in rows}
