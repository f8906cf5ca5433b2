"""Feed subscriptions per workspace, their health after each poll, and the audit trail of changes."""

from __future__ import annotations

from briefings.models import Feed, FeedEvent
from briefings.store.connection import Connection, Database, Row

_COLUMNS = """id, workspace, url, title, added_by, added_at, last_success, last_error, last_error_at,
              failing_since, consecutive_failures, next_poll, items_seen, paused, etag, last_modified"""


def _feed(row: Row) -> Feed:
    return Feed(**{key: row[key] for key in row.keys()} | {"paused": bool(row["paused"])})  # noqa: SIM118 - Row has no __iter__ over keys


async def claim_due(
    db: Database, owner: str, *, due_by: str, now: str, until: str, workspace: str | None
) -> Feed | None:
    """Lease the feed due (by `due_by`) longest ago that no live lease holds (see
    `interface.Store.claim_due_feed`). One write transaction: only one writer gets in at a time,
    so two processes never both see a feed free and both take it."""
    async with db.transaction() as conn:
        rows = await conn.execute_fetchall(
            f"""UPDATE feeds SET lease_owner = ?, lease_until = ?
                WHERE id = (SELECT id FROM feeds
                            WHERE paused = 0 AND (next_poll IS NULL OR next_poll <= ?)
                              AND (lease_until IS NULL OR lease_until <= ?)
                              AND (CAST(? AS TEXT) IS NULL OR workspace = ?)
                            ORDER BY next_poll NULLS FIRST, id LIMIT 1)
                RETURNING {_COLUMNS}""",  # noqa: S608 - constant columns
            (owner, until, due_by, now, workspace, workspace),
        )
    return _feed(next(iter(rows))) if rows else None


async def get(db: Database, workspace: str, url: str) -> Feed | None:
    """The workspace's subscription to `url`, if any."""
    row = await db.fetchone(
        f"SELECT {_COLUMNS} FROM feeds WHERE workspace = ? AND url = ?",  # noqa: S608 - constant columns
        (workspace, url),
    )
    return _feed(row) if row else None


async def list_for(db: Database, workspace: str) -> list[Feed]:
    """Every feed of a workspace, oldest subscription first."""
    rows = await db.fetchall(
        f"SELECT {_COLUMNS} FROM feeds WHERE workspace = ? ORDER BY id",  # noqa: S608 - constant columns
        (workspace,),
    )
    return [_feed(r) for r in rows]


async def due(db: Database, now: str, workspace: str | None = None) -> list[Feed]:
    """Feeds whose next poll time has come and that are not paused."""
    rows = await db.fetchall(
        f"""SELECT {_COLUMNS} FROM feeds
            WHERE paused = 0 AND (next_poll IS NULL OR next_poll <= ?)
              AND (CAST(? AS TEXT) IS NULL OR workspace = ?)
            ORDER BY next_poll NULLS FIRST, id""",  # noqa: S608 - constant columns
        (now, workspace, workspace),
    )
    return [_feed(r) for r in rows]


async def upsert(
    conn: Connection, workspace: str, url: str, title: str | None, actor: str, now: str
) -> int:
    """Subscribe (or resume a paused subscription); returns the feed id. Call inside a transaction."""
    await conn.execute(
        """INSERT INTO feeds (workspace, url, title, added_by, added_at)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (workspace, url) DO UPDATE SET
               title = excluded.title, paused = 0, consecutive_failures = 0, failing_since = NULL""",
        (workspace, url, title, actor, now),
    )
    (row,) = await conn.execute_fetchall(
        "SELECT id FROM feeds WHERE workspace = ? AND url = ?", (workspace, url)
    )
    return int(row[0])


async def delete(conn: Connection, feed_id: int) -> None:
    """Unsubscribe; the articles stay stored, but the workspace no longer sees them through this feed."""
    await conn.execute("DELETE FROM feeds WHERE id = ?", (feed_id,))


async def record_event(
    conn: Connection, workspace: str, url: str, action: str, actor: str, now: str
) -> None:
    """Append to the audit trail."""
    await conn.execute(
        "INSERT INTO feed_events (workspace, url, action, actor, at) VALUES (?, ?, ?, ?, ?)",
        (workspace, url, action, actor, now),
    )


async def history(db: Database, workspace: str, limit: int = 50) -> list[FeedEvent]:
    """The newest changes to a workspace's feeds, newest first."""
    rows = await db.fetchall(
        """SELECT workspace, url, action, actor, at FROM feed_events
           WHERE workspace = ? ORDER BY at DESC, id DESC LIMIT ?""",
        (workspace, limit),
    )
    return [FeedEvent(*row) for row in rows]


async def record_success(
    conn: Connection,
    feed_id: int,
    *,
    now: str,
    next_poll: str,
    etag: str | None,
    last_modified: str | None,
) -> None:
    """A poll that worked: clear the failure streak, keep the validators for the next conditional GET."""
    await conn.execute(
        """UPDATE feeds SET last_success = ?, consecutive_failures = 0, failing_since = NULL,
               next_poll = ?, etag = COALESCE(?, etag), last_modified = COALESCE(?, last_modified),
               items_seen = (SELECT COUNT(*) FROM feed_articles WHERE feed_id = feeds.id)
           WHERE id = ?""",
        (now, next_poll, etag, last_modified, feed_id),
    )


async def record_failure(
    conn: Connection, feed_id: int, *, now: str, next_poll: str, error: str, pause: bool
) -> None:
    """A poll that failed: remember why, extend the streak, and back off."""
    await conn.execute(
        """UPDATE feeds SET last_error = ?, last_error_at = ?,
               consecutive_failures = consecutive_failures + 1,
               failing_since = COALESCE(failing_since, ?), next_poll = ?, paused = ?
           WHERE id = ?""",
        (error, now, now, next_poll, int(pause), feed_id),
    )
