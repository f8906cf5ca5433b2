"""Chat requests already acted on, shared by every process on the store: a platform's retry of a
request another process handled is then recognised too."""

from __future__ import annotations

import datetime as dt

from briefings.store.sqlite import Database


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


class HandledRequests:
    """Keys of handled requests, each kept until its expiry and then forgotten."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def first_time(self, key: str, now: dt.datetime, keep: dt.timedelta) -> bool:
        """Record `key` as handled; False when a live record of it exists (a retry or a replay).

        The insert-or-ignore decides in one write transaction, so of two processes given the same
        request at once exactly one is told it is the first.
        """
        async with self.db.transaction() as conn:
            await conn.execute("DELETE FROM handled_requests WHERE expires_at <= ?", (_iso(now),))
            cursor = await conn.execute(
                """INSERT INTO handled_requests (key, expires_at) VALUES (?, ?)
                   ON CONFLICT (key) DO NOTHING""",
                (key, _iso(now + keep)),
            )
            return cursor.rowcount == 1
