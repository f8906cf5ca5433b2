"""The status card: KFOR's latest strength and its history, each topic's latest news, deadlines, disagreements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from briefings.engine import candidates, figures
from briefings.engine.candidates import FactRow
from briefings.engine.reply import point_dict, sentence_point
from briefings.engine.select import REDUNDANT, build_points
from briefings.engine.sentences import jaccard, tokens, trimmed
from briefings.engine.sources import Sources
from briefings.engine.when import event_date, order_key, span, stamp
from briefings.models import Published
from briefings.store.sqlite import Database
from briefings.topics import TopicProfile

DEADLINE = "deadline"
STALE_AFTER_DAYS = 30
PASSED_SHOWN = 3
# A deadline written without its year falls within this long after the report that gives it.
UNDATED_DEADLINE_HORIZON = dt.timedelta(days=365)
# Articles read per topic for its latest development: the newest and its republications.
DEVELOPMENT_ARTICLES = 6


async def status(
    db: Database, workspace: str, *, profiles: Sequence[TopicProfile], now: dt.datetime
) -> dict[str, Any]:
    """Everything the card shows, with citations numbered in the order the card shows them."""
    sources = Sources()
    rows = await candidates.visible_facts(
        db, workspace, (figures.TROOPS, figures.INCREASE, figures.COUNTRIES, DEADLINE)
    )
    found = figures.figures(rows, (figures.TROOPS, figures.INCREASE))
    strongest = figures.latest(found)
    strength = None
    if strongest is not None:
        strength = {
            "value": strongest.value,
            "qualifier": strongest.qualifier,
            "as_of": strongest.as_of.iso,
            "countries": strongest.countries,
            "citations": sources.cite(strongest.articles),
        }
    upcoming, passed = _deadline_rows([r for r in rows if r.kind == DEADLINE], now)
    said_elsewhere = [trimmed(row.sentence) for row in (*upcoming, *passed)]
    reports = await candidates.newest_report(db, workspace)
    newest = max((a.published for a in reports), key=order_key, default=None)
    today = now.astimezone(dt.UTC).date()
    return {
        "kind": "status",
        "generated_at": stamp(now),
        "workspace": workspace,
        "strength": strength,
        "latest_report": newest.iso if newest else None,
        "stale": newest is None or (today - order_key(newest)[0]).days > STALE_AFTER_DAYS,
        "history": [f.as_dict(sources, with_countries=True) for f in found],
        "developments": await _developments(db, workspace, profiles, sources, said_elsewhere),
        "deadlines": {
            "upcoming": [_deadline(row, sources) for row in upcoming],
            "passed": [_deadline(row, sources) for row in passed],
        },
        "conflicts": figures.conflicts(found, sources),
        "sources": sources.entries(),
    }


async def _developments(
    db: Database,
    workspace: str,
    profiles: Sequence[TopicProfile],
    sources: Sources,
    said_elsewhere: Sequence[str],
) -> list[dict[str, Any]]:
    """Per topic, the best point of its newest report that the card does not already say elsewhere."""
    shown = [tokens(text) for text in said_elsewhere]
    developments = []
    for profile in profiles:
        pool = await candidates.latest(db, workspace, [profile.name], DEVELOPMENT_ARTICLES)
        points = [
            p
            for p in build_points(pool, [profile.name], None)
            if all(jaccard(p.tokens, said) < REDUNDANT for said in shown)
        ]
        if not points:
            continue
        best = max(points, key=lambda p: (max(order_key(a.published) for a in p.articles), p.score))
        shown.append(best.tokens)
        developments.append(
            {"topic": profile.name, "title": profile.title, "point": point_dict(best, sources)}
        )
    return developments


def _deadline_rows(
    rows: Sequence[FactRow], now: dt.datetime
) -> tuple[list[FactRow], list[FactRow]]:
    """Deadlines still ahead, soonest first, and the PASSED_SHOWN most recent passed ones, newest first.

    One entry per deadline and story: a report that names the same date twice is one deadline.
    A deadline whose year the sources do not give counts as ahead while it may still be.
    """
    today = now.astimezone(dt.UTC).date()
    unique: dict[tuple[int, str], FactRow] = {}
    for row in sorted(rows, key=lambda r: (r.article.id, r.sentence_idx)):
        unique.setdefault((row.article.story_id, str(row.value)), row)
    upcoming: list[tuple[dt.date, FactRow]] = []
    passed: list[tuple[dt.date, FactRow]] = []
    for row in unique.values():
        when = _deadline_day(row)
        last_day = when if row.resolved else when + UNDATED_DEADLINE_HORIZON
        (upcoming if last_day >= today else passed).append((when, row))
    upcoming.sort(key=lambda item: item[0])
    passed.sort(key=lambda item: item[0], reverse=True)
    return [row for _, row in upcoming], [row for _, row in passed[:PASSED_SHOWN]]


def _deadline_day(row: FactRow) -> dt.date:
    """The deadline's own date, else the last day its report may be from."""
    if row.resolved:
        return dt.date.fromisoformat(str(row.value))
    bounds = span(row.article.published)
    return bounds[1] if bounds else row.article.added_at.date()


def _deadline(row: FactRow, sources: Sources) -> dict[str, Any]:
    text = trimmed(row.sentence)
    date: Published = event_date(text, row.article.published)
    return {
        "date": str(row.value) if row.resolved else None,
        "text": row.span,
        "resolved": row.resolved,
        "point": sentence_point(text, [row.article], date, sources),
    }
