"""Reported figures over time: the same figure from several sources merged, the latest strength, disagreements."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from briefings.engine.candidates import ArticleInfo, FactRow
from briefings.engine.sources import Sources
from briefings.engine.when import certainly_within, order_key
from briefings.models import Published

TROOPS = "kfor_troops"
INCREASE = "troop_increase"
COUNTRIES = "countries"
# Sources disagree when they give different values of one figure at most this many days apart.
# The status card shows this many of the newest disagreements.
MAX_CONFLICTS = 3
CONFLICT_DAYS = 30


@dataclass(frozen=True)
class Figure:
    """One value of one figure as of one date, with every article that reports it."""

    kind: str
    value: int
    qualifier: str
    as_of: Published
    articles: tuple[ArticleInfo, ...]
    countries: int | None = None

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
                countries=_countries_for(first, countries) if kind == TROOPS else None,
            )
        )
    found.sort(key=lambda f: (f.as_of.value is None, order_key(f.as_of), f.articles[0].id))
    return found


def _countries_by_place(rows: Sequence[FactRow]) -> dict[tuple[int, int | None], int]:
    """Country counts keyed by (article, sentence) and by (article, None) for the article's first."""
    places: dict[tuple[int, int | None], int] = {}
    for row in rows:
        if row.kind == COUNTRIES and isinstance(row.value, int):
            places.setdefault((row.article.id, row.sentence_idx), row.value)
            places.setdefault((row.article.id, None), row.value)
    return places


def _countries_for(row: FactRow, places: dict[tuple[int, int | None], int]) -> int | None:
    return places.get((row.article.id, row.sentence_idx), places.get((row.article.id, None)))


def latest(found: Iterable[Figure], kind: str = TROOPS) -> Figure | None:
    """The figure from the newest-dated report; between equally late dates, the more precise one."""
    dated = [f for f in found if f.kind == kind and f.as_of.value is not None]
    return max(dated, key=lambda f: order_key(f.as_of), default=None)


def conflicts(
    found: Sequence[Figure], sources: Sources, kind: str = TROOPS
) -> list[dict[str, Any]]:
    """The newest groups of reports dated at most CONFLICT_DAYS from the group's first that give
    different values of one figure; each value listed once, by its newest report in the group.

    Groups are windows, not chains: with a report every fortnight, each differing slightly, a
    chain would join years of reports into one "disagreement" of hundreds of values.
    """
    dated = sorted(
        (f for f in found if f.kind == kind and f.as_of.value is not None),
        key=lambda f: order_key(f.as_of),
    )
    groups: list[list[Figure]] = []
    for figure in dated:
        if groups and certainly_within(groups[-1][0].as_of, figure.as_of, CONFLICT_DAYS):
            groups[-1].append(figure)
        else:
            groups.append([figure])
    disagreeing = [g for g in groups if len({f.value for f in g}) > 1][-MAX_CONFLICTS:]
    return [
        {"kind": kind, "values": [f.as_dict(sources) for f in _one_per_value(group)]}
        for group in disagreeing
    ]


def _one_per_value(group: Sequence[Figure]) -> list[Figure]:
    """Each value's newest report in the group (the group is in date order), oldest first."""
    newest = {figure.value: figure for figure in group}
    return sorted(newest.values(), key=lambda f: order_key(f.as_of))
