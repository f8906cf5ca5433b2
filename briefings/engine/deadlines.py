"""The status card's deadlines: one line per deadline per story, ahead, passed, or of unknown date.

A deadline written without its year ("by Dec. 20") is placed by its report's date, which is its
story's once the copies of a story share one: so an undated copy of a dated report gives the same
deadline as the report, and the two are one line with both cited. A deadline its sources cannot
place is never "ahead": it is passed when even the latest year its report allows is behind us,
else its date is unknown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from briefings.engine.candidates import ArticleInfo
from briefings.engine.figures import StoredFact
from briefings.engine.recent import FactLine, published
from briefings.engine.reply import sentence_point
from briefings.engine.sentences import trimmed
from briefings.engine.sources import Sources
from briefings.engine.when import event_date, order_key, span
from briefings.facts.deadlines import resolve, written_day_month
from briefings.models import Precision, Published
from briefings.reply_types import Deadline as DeadlineData

UPCOMING_SHOWN = 5
PASSED_SHOWN = 3
UNKNOWN_SHOWN = 3
AHEAD = "upcoming"
PASSED = "passed"
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Deadline:
    """One deadline of one story: its date when known, whether it is ahead, passed or of unknown
    date, and every stored fact (one per article that states it) that gives it."""

    date: dt.date | None
    state: str
    lines: tuple[FactLine, ...]

    @property
    def first(self) -> FactLine:
        """The fact quoted for it: the first stored."""
        return self.lines[0]


def choose(lines: Iterable[FactLine], today: dt.date) -> dict[str, list[Deadline]]:
    """The UPCOMING_SHOWN soonest deadlines ahead, the PASSED_SHOWN latest passed ones (newest
    first) and the UNKNOWN_SHOWN newest-reported ones of unknown date, each once per story."""
    grouped: dict[tuple[int | None, object], list[FactLine]] = {}
    placed: dict[tuple[int | None, object], tuple[dt.date | None, str]] = {}
    for line in sorted(lines, key=lambda x: x.fact_id):
        date, state, key = _place(line, today)
        story = line.story_id if line.story_id is not None else -line.article_id
        grouped.setdefault((story, key), []).append(line)
        placed.setdefault((story, key), (date, state))
    found: dict[str, list[Deadline]] = {AHEAD: [], PASSED: [], UNKNOWN: []}
    for group_key, group in grouped.items():
        date, state = placed[group_key]
        unique = tuple({line.article_id: line for line in group}.values())
        found[state].append(Deadline(date, state, unique))
    found[AHEAD].sort(key=lambda d: (d.date, d.first.fact_id))
    found[PASSED].sort(
        key=lambda d: (d.date or _latest_day(d.first), d.first.fact_id), reverse=True
    )
    found[UNKNOWN].sort(key=lambda d: (order_key(published(d.first.published)), d.first.fact_id))
    found[UNKNOWN].reverse()
    return {
        AHEAD: found[AHEAD][:UPCOMING_SHOWN],
        PASSED: found[PASSED][:PASSED_SHOWN],
        UNKNOWN: found[UNKNOWN][:UNKNOWN_SHOWN],
    }


def _place(line: FactLine, today: dt.date) -> tuple[dt.date | None, str, object]:
    """The deadline's date if its sources give it, its state, and the key that makes it one
    deadline within its story."""
    if line.resolved:
        date = dt.date.fromisoformat(line.value)
        return date, AHEAD if date >= today else PASSED, date
    parts = written_day_month(line.value)
    if parts is None:
        return None, UNKNOWN, line.value
    day, month = parts
    report = published(line.published)
    resolved = resolve(day, month, report)
    if resolved is not None:
        return resolved, AHEAD if resolved >= today else PASSED, resolved
    latest = _latest_possible(day, month, report)
    state = PASSED if latest is not None and latest < today else UNKNOWN
    return None, state, (day, month)


def _latest_possible(day: int, month: int, report: Published) -> dt.date | None:
    """The latest day a deadline written without its year can be, from a report known only to
    its year: that day in the year after it (a deadline falls within a year of its report)."""
    if report.precision is not Precision.YEAR or report.value is None:
        return None
    for year in (report.value.year + 1, report.value.year):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    return None


def _latest_day(line: FactLine) -> dt.date:
    bounds = span(published(line.published))
    return bounds[1] if bounds else dt.date.min


def as_dict(
    deadline: Deadline,
    rows: Mapping[int, StoredFact],
    infos: Mapping[int, ArticleInfo],
    sources: Sources,
) -> DeadlineData | None:
    """The reply shape of a deadline: its date (None when unknown), state, the words it was read
    from, and its sentence cited to every article of its story that states it."""
    row = rows.get(deadline.first.fact_id)
    if row is None:
        return None
    articles = [infos[line.article_id] for line in deadline.lines if line.article_id in infos]
    text = trimmed(row.sentence)
    return {
        "date": deadline.date.isoformat() if deadline.date else None,
        "state": deadline.state,
        "text": row.span,
        "resolved": deadline.date is not None,
        "point": sentence_point(text, articles, event_date(text, row.date), sources),
        "evidence": row.evidence(sources),
    }


def quoted(chosen: Mapping[str, Sequence[Deadline]]) -> list[FactLine]:
    """Every stored fact the chosen deadlines cite."""
    return [line for group in chosen.values() for d in group for line in d.lines]
