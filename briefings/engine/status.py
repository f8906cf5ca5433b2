"""The status card: KFOR's latest strength and its history, each topic's latest news, deadlines, disagreements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from briefings.engine import deadlines, figures, recent
from briefings.engine.candidates import ArticleInfo
from briefings.engine.figures import Figure, StoredFact
from briefings.engine.recent import Reported
from briefings.engine.reply import point_dict
from briefings.engine.select import (
    REDUNDANT,
    Group,
    Point,
    first_said,
    merged,
    point_of,
    score_ceiling,
)
from briefings.engine.sentences import jaccard, tokens, trimmed
from briefings.engine.sources import Sources
from briefings.engine.when import order_key, stamp
from briefings.fact_kinds import MISSION_FIGURES, FactKind
from briefings.reply_types import Deadline as DeadlineData
from briefings.reply_types import Deadlines, Development, StatusReply, Strength
from briefings.topics import TopicProfile

if TYPE_CHECKING:
    from briefings.store.interface import Store

STALE_AFTER_DAYS = 30
# The history shows how the strength changed, not every report of it: this many of the newest
# changes, and of the newest reinforcements.
HISTORY_CHANGES = 10
HISTORY_REINFORCEMENTS = 5
# Articles read per topic for its latest development: the newest and its republications.
DEVELOPMENT_ARTICLES = 6


async def status(
    store: Store, workspace: str, *, profiles: Sequence[TopicProfile], now: dt.datetime
) -> StatusReply:
    """Everything the card shows, with citations numbered in the order the card shows them.

    It reads the newest on-topic facts only (see `recent`), and the articles of just the lines it
    shows.
    """
    sources = Sources()
    lines = await store.recent_facts(workspace)
    found = await store.with_stories(recent.reported(lines, MISSION_FIGURES))
    lead = figures.headline(found)
    history = sorted(
        [
            *figures.changes(found)[-HISTORY_CHANGES:],
            *[f for f in found if f.kind == FactKind.INCREASE][-HISTORY_REINFORCEMENTS:],
        ],
        key=recent.figure_order,
    )
    disagreeing = figures.conflict_groups(found)
    outliers = [list(pair) for pair in lead.outliers[-figures.MAX_CONFLICTS :]]
    shown = [
        *([lead.figure] if lead.figure else []),
        *history,
        *(f for g in [*disagreeing, *outliers] for f in g),
    ]
    today = now.astimezone(dt.UTC).date()
    candidates_ahead = {x.fact_id: x for x in lines if x.kind == FactKind.DEADLINE}
    for line in await store.dated_ahead(workspace, FactKind.DEADLINE, today):
        candidates_ahead.setdefault(line.fact_id, line)
    chosen = deadlines.choose(candidates_ahead.values(), today)
    said = deadlines.quoted(chosen)
    # One read for every cited article and one for the quoted facts' sentences: each read waits
    # its turn on the database thread, so fewer of them answer sooner while a poll is storing.
    infos = await store.articles(
        [*(i for f in shown for i in f.article_ids), *(x.article_id for x in said)]
    )
    rows = await store.fact_rows([*said, *(f.first for f in shown)], infos)
    full = await _figures(store, shown, infos, rows)
    strength = _strength(full[lead.figure], lead.agreeing, sources) if lead.figure else None

    def shown_of(state: str) -> list[DeadlineData]:
        group = (deadlines.as_dict(d, rows, infos, sources) for d in chosen[state])
        return [entry for entry in group if entry is not None]

    # In the order `choose` gives them, which numbers their citations.
    reply_deadlines: Deadlines = {
        "upcoming": shown_of(deadlines.AHEAD),
        "passed": shown_of(deadlines.PASSED),
        "unknown": shown_of(deadlines.UNKNOWN),
    }
    said_elsewhere = [
        trimmed(rows[d.first.fact_id].sentence)
        for group in chosen.values()
        for d in group
        if d.first.fact_id in rows
    ]
    reports = await store.newest_report(workspace)
    newest = max((a.date for a in reports), key=order_key, default=None)
    return {
        "kind": "status",
        "generated_at": stamp(now),
        "workspace": workspace,
        "strength": strength,
        "latest_report": newest.iso if newest else None,
        "stale": newest is None or (today - order_key(newest)[0]).days > STALE_AFTER_DAYS,
        "history": [full[f].as_dict(sources, with_countries=True) for f in history],
        "developments": await _developments(store, workspace, profiles, sources, said_elsewhere),
        "deadlines": reply_deadlines,
        "conflicts": [
            *figures.conflict_dicts(([full[f] for f in group] for group in disagreeing), sources),
            *figures.conflict_dicts(
                ([full[f] for f in pair] for pair in outliers), sources, reason="outlier"
            ),
        ],
        "sources": sources.entries(),
    }


def _strength(figure: Figure, agreeing: int, sources: Sources) -> Strength:
    """The headline strength: the figure, how many independent stories agree on it, and where it
    was read."""
    entry: Strength = {
        "value": figure.value,
        "qualifier": figure.qualifier,
        "as_of": figure.as_of.iso,
        "countries": figure.countries,
        "citations": sources.cite(figure.articles),
        "kind": figure.kind,
        "owner": figure.owner,
        "noun": figure.noun,
        "sources": agreeing,
        "one_source": agreeing < 2,
    }
    if figure.evidence is not None:
        entry["evidence"] = figure.evidence.evidence(sources)
    return entry


async def _figures(
    store: Store,
    shown: Sequence[Reported],
    infos: Mapping[int, ArticleInfo],
    rows: Mapping[int, StoredFact],
) -> dict[Reported, Figure]:
    """The figures the card shows, with their articles (from `infos`), countries and the fact
    each was first read from (from `rows`)."""
    troops = [f for f in shown if f.kind == FactKind.TROOPS]
    places = await store.countries(troops, FactKind.COUNTRIES)
    full = {}
    for f in shown:
        evidence = rows.get(f.first.fact_id)
        full[f] = Figure(
            kind=f.kind,
            value=f.value,
            qualifier=f.qualifier,
            as_of=f.as_of,
            articles=tuple(infos[i] for i in f.article_ids if i in infos),
            countries=figures.countries_at(places, f.first.article_id, f.first.sentence_idx)
            if f.kind == FactKind.TROOPS
            else None,
            owner=evidence.owner if evidence else "",
            noun=evidence.noun if evidence else "",
            past=f.past,
            evidence=evidence,
        )
    return full


async def _developments(
    store: Store,
    workspace: str,
    profiles: Sequence[TopicProfile],
    sources: Sources,
    said_elsewhere: Sequence[str],
) -> list[Development]:
    """Per topic, the best point of its newest report that the card does not already say elsewhere."""
    shown = [tokens(text) for text in said_elsewhere]
    pools = await store.newest_per_topic(
        workspace, [p.name for p in profiles], DEVELOPMENT_ARTICLES
    )
    developments: list[Development] = []
    for profile in profiles:
        pool = pools[profile.name]
        best = _newest_best(merged(pool, [profile.name], None), [profile.name], shown)
        if best is None:
            continue
        shown.append(best.tokens)
        developments.append(
            {"topic": profile.name, "title": profile.title, "point": point_dict(best, sources)}
        )
    return developments


def _newest_best(
    groups: Sequence[Group], topics: Sequence[str], shown: Sequence[frozenset[str]]
) -> Point | None:
    """The best-scored point from the newest report, among those unlike anything `shown`.

    Only the groups first reported on the newest date are candidates (then the next date's, if
    all of those repeat the card): a reprint of an older report is dated by the original (see
    `first_said`). Among them the first of the best-scored fresh points wins. Groups are made
    points best ceiling first, and only while their ceiling can still match the best found.
    """
    newest = [first_said(group) for group in groups]
    for date in sorted(set(newest), reverse=True):
        dated = [
            (score_ceiling(g, topics), i, g)
            for i, (g, when) in enumerate(zip(groups, newest, strict=True))
            if when == date
        ]
        best: tuple[int, Point] | None = None
        for ceiling, i, group in sorted(dated, key=lambda item: -item[0]):
            if best is not None and ceiling < best[1].score:
                break
            point = point_of(group, topics, None)
            if any(jaccard(point.tokens, said) >= REDUNDANT for said in shown):
                continue
            if best is None or (point.score, -i) > (best[1].score, -best[0]):
                best = (i, point)
        if best is not None:
            return best[1]
    return None
