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
    """Groups of different values of one figure reported at most CONFLICT_DAYS apart, each value cited."""
    dated = [f for f in found if f.kind == kind and f.as_of.value is not None]
    parent = list(range(len(dated)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, a in enumerate(dated):
        for j in range(i + 1, len(dated)):
            b = dated[j]
            if a.value != b.value and certainly_within(a.as_of, b.as_of, CONFLICT_DAYS):
                parent[root(j)] = root(i)
    groups: dict[int, list[Figure]] = {}
    for i, figure in enumerate(dated):
        groups.setdefault(root(i), []).append(figure)
    found_conflicts = []
    for group in groups.values():
        if len({f.value for f in group}) < 2:
            continue
        found_conflicts.append({"kind": kind, "values": [f.as_dict(sources) for f in group]})
    return found_conflicts
