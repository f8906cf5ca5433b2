"""What a channel was already told: record each briefing's points, and recognise them in the next window."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from briefings.engine.candidates import Candidate
from briefings.engine.select import MERGE_SAME_STORY
from briefings.engine.sentences import jaccard, tokens, trimmed
from briefings.engine.when import parse_moment, stamp
from briefings.fold import fold
from briefings.store.interface import CitedPoint

if TYPE_CHECKING:
    from briefings.store.interface import Store

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


async def previous(store: Store, workspace: str, channel: str) -> Previous | None:
    """The channel's most recent briefing, if any."""
    last = await store.last_briefing(workspace, channel)
    return Previous(last[0], parse_moment(last[1])) if last else None


async def said(store: Store, workspace: str, channel: str) -> Said:
    """The points of the channel's recent briefings."""
    memory = Said()
    for point in await store.recent_points(workspace, channel, REMEMBERED_BRIEFINGS):
        memory.keys.add(point.point_key)
        if point.sentence_idx is not None:
            memory.sentences.add((point.article_id, point.sentence_idx))
        if point.text is not None:
            memory.by_story[point.story_id].append(tokens(point.text))
    return memory


async def record_briefing(
    store: Store, workspace: str, channel: str, reply: Mapping[str, Any], now: dt.datetime
) -> int:
    """Remember that `reply` (a brief) was sent to the channel; returns the briefing's id.

    Each point is stored once per cited article with the sentence it was taken from, found by its
    text, so a later window can leave out the sentence, its republications and close rewordings.
    """
    article_of_ref = {source["ref"]: source["article_id"] for source in reply["sources"]}
    points = [
        CitedPoint(
            point_key(point["text"]),
            point["text"],
            [article_of_ref[ref] for ref in point["citations"]],
        )
        for section in reply["sections"]
        for point in section["points"]
    ]
    window = (reply["window"]["since"], reply["window"]["until"])
    return await store.record_briefing(
        workspace,
        channel,
        created_at=stamp(now),
        window=window,
        points=points,
        locate=sentence_holding,
    )


def sentence_holding(text: str, sentences: Sequence[tuple[int | None, str | None]]) -> int | None:
    """The index of the sentence holding `text`, else of the closest one; None when there is none."""
    for idx, sentence in sentences:
        if sentence is not None and text in sentence:
            return idx
    words = tokens(text)
    best = max(
        ((idx, sentence) for idx, sentence in sentences if sentence is not None),
        key=lambda pair: jaccard(words, tokens(pair[1])),
        default=None,
    )
    return best[0] if best else None
