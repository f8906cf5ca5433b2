"""The briefings sent to each channel and the points they made, which the next briefing leaves out
(briefings.engine.novelty decides what counts as said; this module only reads and writes it)."""

from __future__ import annotations

from collections.abc import Sequence

from briefings.store.connection import Database
from briefings.store.interface import CitedPoint, Locate, SaidPoint


async def last_sent(db: Database, workspace: str, channel: str) -> tuple[int, str] | None:
    """The id and creation time (ISO) of the channel's most recent briefing, if any."""
    row = await db.fetchone(
        """SELECT id, created_at FROM briefings WHERE workspace = ? AND channel = ?
           ORDER BY created_at DESC, id DESC LIMIT 1""",
        (workspace, channel),
    )
    return (int(row["id"]), str(row["created_at"])) if row else None


async def recent_points(db: Database, workspace: str, channel: str, count: int) -> list[SaidPoint]:
    """The points of the channel's `count` most recent briefings."""
    rows = await db.fetchall(
        """SELECT p.point_key, p.story_id, p.article_id, p.sentence_idx, s.text
           FROM briefing_points p
           LEFT JOIN sentences s ON s.article_id = p.article_id AND s.idx = p.sentence_idx
           WHERE p.briefing_id IN (SELECT id FROM briefings WHERE workspace = ? AND channel = ?
                                   ORDER BY created_at DESC, id DESC LIMIT ?)""",
        (workspace, channel, count),
    )
    return [SaidPoint(*row) for row in rows]


async def record(
    db: Database,
    workspace: str,
    channel: str,
    *,
    created_at: str,
    window: tuple[str | None, str],
    points: Sequence[CitedPoint],
    locate: Locate,
) -> int:
    """Store a sent briefing and each point once per cited article, with the sentence `locate`
    finds for it among the article's stored sentences; returns the briefing's id. A cited article
    no longer stored is passed over. One transaction: a briefing is recorded whole or not at all."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            """INSERT INTO briefings (workspace, channel, created_at, window_since, window_until)
               VALUES (?, ?, ?, ?, ?) RETURNING id""",
            (workspace, channel, created_at, *window),
        )
        (returned,) = await cursor.fetchone()
        briefing_id = int(returned)
        for point in points:
            for article_id in point.article_ids:
                rows = list(
                    await conn.execute_fetchall(
                        """SELECT a.story_id, s.idx, s.text FROM articles a
                           LEFT JOIN sentences s ON s.article_id = a.id WHERE a.id = ?
                           ORDER BY s.idx""",
                        (article_id,),
                    )
                )
                if not rows:
                    continue
                sentence_idx = locate(point.text, [(idx, text) for _, idx, text in rows])
                await conn.execute(
                    """INSERT INTO briefing_points
                       (briefing_id, point_key, story_id, article_id, sentence_idx)
                       VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""",
                    (briefing_id, point.key, rows[0][0], article_id, sentence_idx),
                )
    return briefing_id
