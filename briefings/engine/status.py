"""The status card: KFOR's latest strength and its history, each topic's latest news, deadlines, disagreements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from briefings.engine import candidates, figures, recent
from briefings.engine.candidates import ArticleInfo, FactRow
from briefings.engine.figures import Figure
from briefings.engine.recent import DEADLINE, FactLine, Reported
from briefings.engine.reply import point_dict, sentence_point
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
from briefings.engine.when import event_date, order_key, parse_moment, span, stamp
from briefings.models import Published
from briefings.store.sqlite import Database
from briefings.topics import TopicProfile

STALE_AFTER_DAYS = 30
PASSED_SHOWN = 3
UPCOMING_SHOWN = 5
# The history shows how the strength changed, not every report of it: this many of the newest
# changes, and of the newest reinforcements.
HISTORY_CHANGES = 10
HISTORY_REINFORCEMENTS = 5
# A deadline written without its year falls within this long after the report that gives it.
UNDATED_DEADLINE_HORIZON = dt.timedelta(days=365)
# Articles read per topic for its latest development: the newest and its republications.
DEVELOPMENT_ARTICLES = 6


async def status(
    db: Database, workspace: str, *, profiles: Sequence[TopicProfile], now: dt.datetime
) -> dict[str, Any]:
    """Everything the card shows, with citations numbered in the order the card shows them.

    It reads the newest facts only (see `recent`), and the articles of just the lines it shows.
    """
    sources = Sources()
    lines = await recent.recent_facts(db, workspace)
    found = recent.reported(lines, (figures.TROOPS, figures.INCREASE))
    strongest = figures.latest(found)
    history = sorted(
        [
            *figures.changes(found)[-HISTORY_CHANGES:],
            *[f for f in found if f.kind == figures.INCREASE][-HISTORY_REINFORCEMENTS:],
        ],
        key=recent.figure_order,
    )
    disagreeing = figures.conflict_groups(found)
    shown = [*([strongest] if strongest else []), *history, *(f for g in disagreeing for f in g)]
    today = now.astimezone(dt.UTC).date()
    deadlines = {x.fact_id: x for x in lines if x.kind == DEADLINE}
    for line in await recent.dated_ahead(db, workspace, DEADLINE, today):
        deadlines.setdefault(line.fact_id, line)
    upcoming_lines, passed_lines = _deadline_lines(list(deadlines.values()), now)
    said = [*upcoming_lines, *passed_lines]
    # One read for every cited article and one for the deadlines' sentences: each read waits its
    # turn on the database thread, so fewer of them answer sooner while a poll is storing.
    infos = await recent.articles(
        db, [*(i for f in shown for i in f.article_ids), *(x.article_id for x in said)]
    )
    full = await _figures(db, shown, infos)
    rows = await recent.fact_rows(db, said, infos)
    upcoming = [rows[x.fact_id] for x in upcoming_lines if x.fact_id in rows]
    passed = [rows[x.fact_id] for x in passed_lines if x.fact_id in rows]
    strength = None
    if strongest is not None:
        figure = full[strongest]
        strength = {
            "value": figure.value,
            "qualifier": figure.qualifier,
            "as_of": figure.as_of.iso,
            "countries": figure.countries,
            "citations": sources.cite(figure.articles),
        }
    said_elsewhere = [trimmed(row.sentence) for row in (*upcoming, *passed)]
    reports = await candidates.newest_report(db, workspace)
    newest = max((a.date for a in reports), key=order_key, default=None)
    return {
        "kind": "status",
        "generated_at": stamp(now),
        "workspace": workspace,
        "strength": strength,
        "latest_report": newest.iso if newest else None,
        "stale": newest is None or (today - order_key(newest)[0]).days > STALE_AFTER_DAYS,
        "history": [full[f].as_dict(sources, with_countries=True) for f in history],
        "developments": await _developments(db, workspace, profiles, sources, said_elsewhere),
        "deadlines": {
            "upcoming": [_deadline(row, sources) for row in upcoming],
            "passed": [_deadline(row, sources) for row in passed],
        },
        "conflicts": figures.conflict_dicts(
            ([full[f] for f in group] for group in disagreeing), sources
        ),
        "sources": sources.entries(),
    }


async def _figures(
    db: Database, shown: Sequence[Reported], infos: Mapping[int, ArticleInfo]
) -> dict[Reported, Figure]:
    """The figures the card shows, with their articles (from `infos`) and countries read."""
    troops = [f for f in shown if f.kind == figures.TROOPS]
    places = await recent.countries(db, troops, figures.COUNTRIES)
    full = {}
    for f in shown:
        full[f] = Figure(
            kind=f.kind,
            value=f.value,
            qualifier=f.qualifier,
            as_of=f.as_of,
            articles=tuple(infos[i] for i in f.article_ids if i in infos),
            countries=figures.countries_at(places, f.first.article_id, f.first.sentence_idx)
            if f.kind == figures.TROOPS
            else None,
        )
    return full


async def _developments(
    db: Database,
    workspace: str,
    profiles: Sequence[TopicProfile],
    sources: Sources,
    said_elsewhere: Sequence[str],
) -> list[dict[str, Any]]:
    """Per topic, the best point of its newest report that the card does not already say elsewhere."""
    shown = [tokens(text) for text in said_elsewhere]
    pools = await candidates.newest_per_topic(
        db, workspace, [p.name for p in profiles], DEVELOPMENT_ARTICLES
    )
    developments = []
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


def _deadline_lines(
    lines: Sequence[FactLine], now: dt.datetime
) -> tuple[list[FactLine], list[FactLine]]:
    """The UPCOMING_SHOWN soonest deadlines still ahead, and the PASSED_SHOWN most recent passed
    ones, newest first.

    One entry per deadline and story: a report that names the same date twice is one deadline.
    A deadline whose year the sources do not give counts as ahead while it may still be.
    """
    today = now.astimezone(dt.UTC).date()
    unique: dict[tuple[int | None, str], FactLine] = {}
    for line in sorted(lines, key=lambda x: (x.article_id, x.sentence_idx)):
        unique.setdefault((line.story_id, line.value), line)
    upcoming: list[tuple[dt.date, FactLine]] = []
    passed: list[tuple[dt.date, FactLine]] = []
    for line in unique.values():
        when = _deadline_day(line)
        last_day = when if line.resolved else when + UNDATED_DEADLINE_HORIZON
        (upcoming if last_day >= today else passed).append((when, line))
    upcoming.sort(key=lambda item: item[0])
    passed.sort(key=lambda item: item[0], reverse=True)
    return (
        [line for _, line in upcoming[:UPCOMING_SHOWN]],
        [line for _, line in passed[:PASSED_SHOWN]],
    )


def _deadline_day(line: FactLine) -> dt.date:
    """The deadline's own date, else the last day its report may be from."""
    if line.resolved:
        return dt.date.fromisoformat(line.value)
    bounds = span(recent.published(line.published))
    if bounds is None and line.added_at is not None:
        return parse_moment(line.added_at).date()
    return bounds[1] if bounds else dt.date.min


def _deadline(row: FactRow, sources: Sources) -> dict[str, Any]:
    text = trimmed(row.sentence)
    date: Published = event_date(text, row.article.published)
    return {
        "date": str(row.value) if row.resolved else None,
        "text": row.span,
        "resolved": row.resolved,
        "point": sentence_point(text, [row.article], date, sources),
    }
