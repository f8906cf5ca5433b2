"""Chat requests already acted on, shared by every process on the store: a platform's retry of a
request another process handled is then recognised too."""

from __future__ import annotations

from briefings.store.connection import Database


async def first_time(db: Database, key: str, now: str, until: str) -> bool:
    """Record `key` as handled until `until`; False when a live record of it exists (a retry or a
    replay).

    The insert-or-ignore decides in one write transaction, so of two processes given the same
    request at once exactly one is told it is the first.
    """
    async with db.transaction() as conn:
        await conn.execute("DELETE FROM handled_requests WHERE expires_at <= ?", (now,))
        cursor = await conn.execute(
            """INSERT INTO handled_requests (key, expires_at) VALUES (?, ?)
               ON CONFLICT (key) DO NOTHING""",
            (key, until),
        )
        return cursor.rowcount == 1
