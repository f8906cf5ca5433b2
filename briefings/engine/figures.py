"""Reported figures over time: the same figure from several sources merged, the latest strength,
how it changed, and where sources disagree."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any, Protocol, TypeVar

from briefings.engine.candidates import ArticleInfo, FactRow
from briefings.engine.sources import Sources
from briefings.engine.when import certainly_within, order_key
from briefings.models import Precision, Published

TROOPS = "kfor_troops"
INCREASE = "troop_increase"
COUNTRIES = "countries"
# Sources disagree when they give different values of one figure at most this many days apart.
# The status card shows this many of the newest disagreements.
MAX_CONFLICTS = 3
CONFLICT_DAYS = 30


class Dated(Protocol):
    """A value of a figure as of a date, reported by `reports` articles."""

    @property
    def kind(self) -> str: ...

    @property
    def value(self) -> int: ...

    @property
    def as_of(self) -> Published: ...

    @property
    def reports(self) -> int: ...


D = TypeVar("D", bound=Dated)


@dataclass(frozen=True)
class Figure:
    """One value of one figure as of one date, with every article that reports it."""

    kind: str
    value: int
    qualifier: str
    as_of: Published
    articles: tuple[ArticleInfo, ...]
    countries: int | None = None

    @property
    def reports(self) -> int:
        """How many articles report it."""
        return len(self.articles)

    def as_dict(self, sources: Sources, *, with_countries: bool = False) -> dict[str, Any]:
        """The reply shape of a fact: kind, value, qualifier, as_of and citations."""
        entry: dict[str, Any] = {
            "kind": self.kind,
            "value": self.value,
            "qualifier": self.qualifier,
            "as_of": self.as_of.iso,
        }
        if with_countries:
            entry["countries"] = self.countries
        entry["citations"] = sources.cite(self.articles)
        return entry


def figures(rows: Iterable[FactRow], kinds: Sequence[str]) -> list[Figure]:
    """Numeric facts of these kinds, one Figure per (kind, value, date), oldest first, undated last.

    A troop total takes the number of countries given in its own sentence, else in its article.
    """
    rows = list(rows)
    countries = _countries_by_place(rows)
    merged: dict[tuple[str, int, str | None], list[FactRow]] = {}
    for row in rows:
        if row.kind in kinds and isinstance(row.value, int):
            merged.setdefault((row.kind, row.value, row.article.published.iso), []).append(row)
    found = []
    for (kind, value, _), group in merged.items():
        first = group[0]
        articles = tuple({r.article.id: r.article for r in group}.values())
        found.append(
            Figure(
                kind=kind,
                value=value,
                qualifier=first.qualifier,
                as_of=first.article.published,
                articles=tuple(sorted(articles, key=lambda a: a.id)),
                countries=countries_at(countries, first.article.id, first.sentence_idx)
                if kind == TROOPS
                else None,
            )
        )
    found.sort(key=lambda f: (f.as_of.value is None, order_key(f.as_of), f.articles[0].id))
    return found


def _countries_by_place(rows: Sequence[FactRow]) -> dict[tuple[int, int | None], int]:
    return country_places(
        (row.article.id, row.sentence_idx, row.value)
        for row in rows
        if row.kind == COUNTRIES and isinstance(row.value, int)
    )


def country_places(counts: Iterable[tuple[int, int, int]]) -> dict[tuple[int, int | None], int]:
    """Country counts, given as (article, sentence, count) in reading order, keyed by (article,
    sentence) and by (article, None) for the article's first; read with `countries_at`."""
    places: dict[tuple[int, int | None], int] = {}
    for article_id, sentence_idx, count in counts:
        places.setdefault((article_id, sentence_idx), count)
        places.setdefault((article_id, None), count)
    return places


def countries_at(
    places: dict[tuple[int, int | None], int], article_id: int, sentence_idx: int
) -> int | None:
    """The country count a troop total's own sentence states, else its article's first."""
    return places.get((article_id, sentence_idx), places.get((article_id, None)))


def latest(found: Iterable[D], kind: str = TROOPS) -> D | None:
    """The figure from the newest-dated report; between equally late dates, the more precise one."""
    dated = [f for f in found if f.kind == kind and f.as_of.value is not None]
    return max(dated, key=lambda f: order_key(f.as_of), default=None)


def conflict_groups(found: Sequence[D], kind: str = TROOPS) -> list[list[D]]:
    """The MAX_CONFLICTS newest groups of reports that give different values of one figure, oldest
    group first; each value once, by its newest report in the group, oldest first.

    A group is a window of CONFLICT_DAYS ending at its newest report: the sweep starts from the
    newest report, so the windows (and the answer) do not depend on how old the history is, and
    it stops once enough disagreements are found. Windows, not chains: with a report every
    fortnight, each differing slightly, a chain would join years of reports into one
    "disagreement" of hundreds of values.
    """
    dated = sorted(
        (f for f in found if f.kind == kind and f.as_of.value is not None),
        key=lambda f: order_key(f.as_of),
    )
    groups: list[list[D]] = []
    group: list[D] = []
    for figure in [*reversed(dated), None]:
        if (
            figure is not None
            and group
            and certainly_within(group[0].as_of, figure.as_of, CONFLICT_DAYS)
        ):
            group.append(figure)
            continue
        if len({f.value for f in group}) > 1:
            groups.append(group[::-1])
            if len(groups) == MAX_CONFLICTS:
                break
        group = [figure] if figure is not None else []
    return [_one_per_value(g) for g in reversed(groups)]


def _one_per_value(group: Sequence[D]) -> list[D]:
    """Each value's newest report in the group (the group is in date order), oldest first."""
    newest = {figure.value: figure for figure in group}
    return sorted(newest.values(), key=lambda f: order_key(f.as_of))


def conflicts(
    found: Sequence[Figure], sources: Sources, kind: str = TROOPS
) -> list[dict[str, Any]]:
    """The reply shape of `conflict_groups`: each value with its date and citations."""
    return conflict_dicts(conflict_groups(found, kind), sources, kind)


def conflict_dicts(
    groups: Iterable[Sequence[Figure]], sources: Sources, kind: str = TROOPS
) -> list[dict[str, Any]]:
    """Disagreeing groups as the reply shows them: each value with its date and citations."""
    return [{"kind": kind, "values": [f.as_dict(sources) for f in group]} for group in groups]


def changes(found: Sequence[D], kind: str = TROOPS) -> list[D]:
    """When the reported value changed, oldest first: one figure per change, undated reports last.

    Reports are taken a month at a time (a year-only or month-only date is its own period), and a
    month's value is the one most of its reports give (on a tie, the newest report's). Each time
    that value differs from the previous period's, its first report of the month marks the change.
    So a lone report that disagrees with the others of its month is no change: the card shows it
    under the disagreements instead.
    """
    ordered = sorted(
        (f for f in found if f.kind == kind),
        key=lambda f: (f.as_of.value is None, order_key(f.as_of)),
    )
    found_changes: list[D] = []
    previous: int | None = None
    for _, period in groupby(ordered, key=lambda f: _period(f.as_of)):
        reports = list(period)
        counts: dict[int, int] = {}
        for figure in reports:
            counts[figure.value] = counts.get(figure.value, 0) + figure.reports
        most = max(counts.values())
        value = next(f.value for f in reversed(reports) if counts[f.value] == most)
        if value != previous:
            found_changes.append(next(f for f in reports if f.value == value))
            previous = value
    return found_changes


def _period(date: Published) -> str | None:
    """The month a date falls in ("2023-05"), or the date itself when it names only a year."""
    if date.iso is None or date.precision is Precision.YEAR:
        return date.iso
    return date.iso[:7]
