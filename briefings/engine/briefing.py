"""The brief: what happened in a window, by topic, each point cited; never blank, never a repeat."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from briefings.engine import figures, novelty
from briefings.engine.candidates import LATEST_ARTICLES, Candidate
from briefings.engine.reply import point_dict, titles, topic_names
from briefings.engine.select import Selection, select_points
from briefings.engine.sources import Sources
from briefings.engine.when import describe, order_key, stamp
from briefings.fact_kinds import CASUALTIES, MISSION_FIGURES
from briefings.reply_types import BriefReply, Section
from briefings.topics import TopicProfile

if TYPE_CHECKING:
    from briefings.store.interface import Store

BRIEF_FACT_KINDS = (*MISSION_FIGURES, *CASUALTIES)
# A window ending this close to now is "the last N days"; otherwise it is named by its dates.
NOW_SLACK = dt.timedelta(hours=1)
FALLBACK_STORIES = 3


async def brief(
    store: Store,
    workspace: str,
    *,
    since: dt.datetime | None,
    until: dt.datetime,
    topics: Sequence[str] | None,
    profiles: Sequence[TopicProfile],
    now: dt.datetime,
    channel: str | None = None,
    budget_chars: int = 3500,
) -> BriefReply:
    """Points from the window [since, until], best first under `budget_chars`, arranged by topic and date.

    For a channel, `since=None` means since its previous briefing, and anything that briefing
    already said is left out. An empty window says so and gives the latest developments instead,
    unless the channel has been briefed before: then it says there is nothing new since then.
    A window whose only points are undated says there are no new developments, and lists them
    as received, each marked "date unknown".
    """
    names = topic_names(profiles, topics)
    last = await novelty.previous(store, workspace, channel) if channel else None
    if since is None and last is not None:
        since = last.created_at
    memory = await novelty.said(store, workspace, channel) if channel else novelty.Said()
    pool = [
        c for c in await store.in_window(workspace, names, since, until) if not memory.covers(c)
    ]
    selection = select_points(
        pool, names, reference=until.astimezone(dt.UTC).date(), budget_chars=budget_chars
    )
    note = None
    if selection.points and all(p.date.value is None for p in selection.points):
        note = f"{_no_dated(since, until)}; received in this window, of unknown date:"
    if not selection.points:
        if last is not None:
            note = (
                f"no new developments since {last.created_at.astimezone(dt.UTC).date().isoformat()}"
            )
        else:
            selection, note = await _latest_instead(
                store, workspace, names, memory, budget_chars, _nothing_in(since, until, now)
            )
    return await _reply(
        store, workspace, since, until, now, note, selection, names, titles(profiles)
    )


async def _latest_instead(
    store: Store,
    workspace: str,
    names: Sequence[str],
    memory: novelty.Said,
    budget_chars: int,
    nothing: str,
) -> tuple[Selection, str]:
    """The latest developments, with their dates, for a window that holds none."""
    pool = _newest_stories(
        [c for c in await store.latest(workspace, names, LATEST_ARTICLES) if not memory.covers(c)]
    )
    dated = [c.article.date for c in pool if c.article.date.value is not None]
    if not pool:
        return Selection((), 0), f"{nothing}, and nothing is stored on these topics yet"
    newest = max(dated, key=order_key) if dated else None
    reference = order_key(newest)[0] if newest else max(c.article.added_at for c in pool).date()
    selection = select_points(pool, names, reference=reference, budget_chars=budget_chars)
    when = (
        f" stories, the newest from {describe(newest)}" if newest else " received, of unknown date"
    )
    return selection, f"{nothing}; the latest{when}:"


def _newest_stories(pool: Sequence[Candidate]) -> list[Candidate]:
    """Sentences of the FALLBACK_STORIES newest stories: "the latest" is a few reports, not an archive."""
    newest_first = sorted(
        {c.article.id: c.article for c in pool}.values(),
        key=lambda a: (a.date.value is not None, order_key(a.date), a.added_at),
        reverse=True,
    )
    stories = list(dict.fromkeys(a.story_id for a in newest_first))[:FALLBACK_STORIES]
    return [c for c in pool if c.article.story_id in stories]


def _no_dated(since: dt.datetime | None, until: dt.datetime) -> str:
    """How a window with nothing dated in it is named: "no new developments since 2026-11-28"."""
    if since is None:
        return f"no dated developments up to {until.astimezone(dt.UTC).date().isoformat()}"
    return f"no new developments since {since.astimezone(dt.UTC).date().isoformat()}"


def _nothing_in(since: dt.datetime | None, until: dt.datetime, now: dt.datetime) -> str:
    """How an empty window is named: "nothing new in the last 7 days", or by its dates."""
    if since is None:
        return "nothing stored yet"
    length = until - since
    if abs(now - until) <= NOW_SLACK:
        if length >= dt.timedelta(days=1):
            days = round(length / dt.timedelta(days=1))
            return (
                "nothing new in the last day"
                if days == 1
                else f"nothing new in the last {days} days"
            )
        hours = max(1, round(length / dt.timedelta(hours=1)))
        return (
            "nothing new in the last hour"
            if hours == 1
            else f"nothing new in the last {hours} hours"
        )
    return (
        f"nothing new between {since.astimezone(dt.UTC).date().isoformat()}"
        f" and {until.astimezone(dt.UTC).date().isoformat()}"
    )


async def _reply(
    store: Store,
    workspace: str,
    since: dt.datetime | None,
    until: dt.datetime,
    now: dt.datetime,
    note: str | None,
    selection: Selection,
    names: Sequence[str],
    headings: dict[str, str],
) -> BriefReply:
    sources = Sources()
    sections: list[Section] = []
    for name in names:
        points = [point_dict(p, sources) for p in selection.points if p.topic == name]
        if points:
            sections.append({"topic": name, "title": headings[name], "points": points})
    cited = {a.id for p in selection.points for a in p.articles}
    rows = await store.cited_facts(sorted(cited), BRIEF_FACT_KINDS)
    found = figures.figures(rows, BRIEF_FACT_KINDS)
    return {
        "kind": "brief",
        "generated_at": stamp(now),
        "workspace": workspace,
        "window": {"since": stamp(since) if since else None, "until": stamp(until)},
        "note": note,
        "sections": sections,
        "omitted": selection.omitted,
        "facts": [f.as_dict(sources) for f in found],
        "conflicts": figures.conflicts(found, sources),
        "sources": sources.entries(),
    }
