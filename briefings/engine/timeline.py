"""The timeline: dated developments, oldest first, each cited, dated as precisely as its sources allow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from briefings.engine.reply import point_dict, topic_names
from briefings.engine.select import build_points, choose
from briefings.engine.sources import Sources
from briefings.engine.when import order_key, stamp
from briefings.reply_types import Event, TimelineReply
from briefings.topics import TopicProfile

if TYPE_CHECKING:
    from briefings.store.interface import Store

# The newest this many dated articles on the topic are read; a timeline longer than that would not
# fit a chat message anyway.
TIMELINE_ARTICLES = 200
# No character budget binds a timeline; its length is `limit` events.
UNBOUNDED = 1 << 30
# A timeline spreads over many reports rather than retelling one.
PER_ARTICLE = 3


async def timeline(
    store: Store,
    workspace: str,
    *,
    topic: str | None,
    profiles: Sequence[TopicProfile],
    now: dt.datetime,
    limit: int = 30,
) -> TimelineReply:
    """Up to `limit` distinct developments from dated reports, spread over many articles, oldest first."""
    names = topic_names(profiles, [topic] if topic else None)
    pool = await store.newest(workspace, names, TIMELINE_ARTICLES)
    chosen, omitted = choose(build_points(pool, names, None), UNBOUNDED, limit, PER_ARTICLE)
    chosen.sort(key=lambda p: (order_key(p.date), p.members[0].article.id, p.members[0].idx))
    sources = Sources()
    events: list[Event] = [
        {"date": p.date.iso, "precision": p.date.precision.value, "point": point_dict(p, sources)}
        for p in chosen
    ]
    return {
        "kind": "timeline",
        "generated_at": stamp(now),
        "workspace": workspace,
        "topic": topic,
        "events": events,
        "omitted": omitted,
        "sources": sources.entries(),
    }
