"""What a channel was already told: record each briefing's points, and recognise them in the next window."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from briefings.engine.candidates import Candidate
from briefings.engine.select import MERGE_SAME_STORY
from briefings.engine.sentences import jaccard, tokens, trimmed
from briefings.engine.when import parse_moment, stamp
from briefings.fold import fold
from briefings.store.sqlite import Database

# How far back a channel's briefings are remembered: older points may be said again.
REMEMBERED_BRIEFINGS = 60


@dataclass(frozen=True)
class Previous:
    """The last briefing sent to a channel."""

    id: int
    created_at: dt.datetime


@dataclass
class Said:
    """Everything recently said in a channel, indexed for checking candidate sentences against it."""

    sentences: set[tuple[int, int]] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)
    by_story: dict[int, list[frozenset[str]]] = field(default_factory=lambda: defaultdict(list))

    def covers(self, candidate: Candidate) -> bool:
        """Whether this sentence, a republication of it, or a close rewording in its story was said."""
        if not self.keys:
            return False
        if (candidate.article.id, candidate.idx) in self.sentences:
            return True
        if point_key(trimmed(candidate.text)) in self.keys:
            return True
        in_story = self.by_story.get(candidate.article.story_id, ())
        words = tokens(candidate.text) if in_story else frozenset()
        return any(jaccard(words, said) >= MERGE_SAME_STORY for said in in_story)


def point_key(text: str) -> str:
    """A point's identity across articles: a hash of its folded text."""
    return hashlib.sha256(" ".join(fold(text).split()).encode("utf-8")).hexdigest()[:32]


async def previous(db: Database, workspace: str, channel: str) -> Previous | None:
    """The channel's most recent briefing, if any."""
    row = await db.fetchone(
        """SELECT id, created_at FROM briefings WHERE workspace = ? AND channel = ?
           ORDER BY created_at DESC, id DESC LIMIT 1""",
        (workspace, channel),
    )
    return Previous(row["id"], parse_moment(row["created_at"])) if row else None


async def said(db: Database, workspace: str, channel: str) -> Said:
    """The points of the channel's recent briefings."""
    rows = await db.fetchall(
        """SELECT p.point_key, p.story_id, p.article_id, p.sentence_idx, s.text
           FROM briefing_points p
           LEFT JOIN sentences s ON s.article_id = p.article_id AND s.idx = p.sentence_idx
           WHERE p.briefing_id IN (SELECT id FROM briefings WHERE workspace = ? AND channel = ?
                                   ORDER BY created_at DESC LIMIT ?)""",
        (workspace, channel, REMEMBERED_BRIEFINGS),
    )
    memory = Said()
    for row in rows:
        memory.keys.add(row["point_key"])
        if row["sentence_idx"] is not None:
            memory.sentences.add((row["article_id"], row["sentence_idx"]))
        if row["text"] is not None:
            memory.by_story[row["story_id"]].append(tokens(row["text"]))
    return memory


async def record_briefing(
    db: Database, workspace: str, channel: str, reply: Mapping[str, Any], now: dt.datetime
) -> int:
    """Remember that `reply` (a brief) was sent to the channel; returns the briefing's id.

    Each point is stored once per cited article with the sentence it was taken from, found by its
    text, so a later window can leave out the sentence, its republications and close rewordings.
    """
    article_of_ref = {source["ref"]: source["article_id"] for source in reply["sources"]}
    points = [point for section in reply["sections"] for point in section["points"]]
    async with db.transaction() as conn:
        cursor = await conn.execute(
            """INSERT INTO briefings (workspace, channel, created_at, window_since, window_until)
               VALUES (?, ?, ?, ?, ?)""",
            (workspace, channel, stamp(now), reply["window"]["since"], reply["window"]["until"]),
        )
        briefing_id = cursor.lastrowid
        assert briefing_id is not None  # noqa: S101 - sqlite always gives a rowid for an INSERT
        for point in points:
            key = point_key(point["text"])
            for ref in point["citations"]:
                article_id = article_of_ref[ref]
                located = await _locate(conn, article_id, point["text"])
                if located is None:
                    continue
                story_id, sentence_idx = located
                await conn.execute(
                    """INSERT OR IGNORE INTO briefing_points
                       (briefing_id, point_key, story_id, article_id, sentence_idx)
                       VALUES (?, ?, ?, ?, ?)""",
                    (briefing_id, key, story_id, article_id, sentence_idx),
                )
    return briefing_id


async def _locate(conn: Any, article_id: int, text: str) -> tuple[int, int | None] | None:
    """The article's story and the index of the sentence holding `text` (else the closest sentence)."""
    rows = list(
        await conn.execute_fetchall(
            """SELECT a.story_id, s.idx, s.text FROM articles a
               LEFT JOIN sentences s ON s.article_id = a.id WHERE a.id = ?""",
            (article_id,),
        )
    )
    if not rows:
        return None
    story_id = rows[0][0]
    for _, idx, sentence in rows:
        if sentence is not None and text in sentence:
            return story_id, idx
    words = tokens(text)
    best = max(
        (row for row in rows if row[2] is not None),
        key=lambda row: jaccard(words, tokens(row[2])),
        default=None,
    )
    return story_id, best[1] if best else None
