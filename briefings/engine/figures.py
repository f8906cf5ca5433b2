"""Reported figures over time: the same figure from several sources merged, the latest strength,
how it changed, and where sources disagree."""

from __future__ import annotations

import bisect
import datetime as dt
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import Any, Generic, Protocol, TypeVar, cast

from briefings.engine.candidates import ArticleInfo
from briefings.engine.sources import Sources
from briefings.engine.when import certainly_within, order_key, span
from briefings.fact_kinds import FactKind
from briefings.models import Precision, Published
from briefings.reply_types import Conflict, Evidence
from briefings.reply_types import Figure as FigureData

# Sources disagree when they give different values of one figure at most this many days apart.
# The status card shows this many of the newest disagreements.
MAX_CONFLICTS = 3
CONFLICT_DAYS = 30
# The headline strength (see `headline`): reports agree when they give the same value at most
# AGREE_DAYS apart; a lone report is an outlier when it is more than OUTLIER_RATIO times above or
# below the median of the OUTLIER_HISTORY_DAYS of reports before it.
AGREE_DAYS = 60
OUTLIER_RATIO = 2.0
OUTLIER_HISTORY_DAYS = 365


class Dated(Protocol):
    """A value of a figure as of a date, reported by `reports` articles of `stories` stories."""

    @property
    def kind(self) -> str: ...

    @property
    def value(self) -> int: ...

    @property
    def as_of(self) -> Published: ...

    @property
    def reports(self) -> int: ...

    @property
    def stories(self) -> int: ...

    @property
    def past(self) -> bool: ...


D = TypeVar("D", bound=Dated)


@dataclass(frozen=True)
class StoredFact:
    """A stored fact with the sentence it was read from and that sentence's article.

    `published` is its report's date as stored with the fact (its story's, once the copies of a
    story share one); `as_of` the date its own sentence gives it.
    """

    article: ArticleInfo
    kind: str
    value: int | str
    qualifier: str
    sentence_idx: int
    sentence: str
    span: str
    resolved: bool
    owner: str = ""
    noun: str = ""
    as_of: str | None = None
    start: int = 0
    published: str | None = None

    @property
    def date(self) -> Published:
        """The date the figure holds for: its own, else its report's (else its article's)."""
        if self.as_of or self.published:
            return Published.from_iso(self.as_of or self.published)
        return self.article.published

    @property
    def past(self) -> bool:
        """Whether its sentence dates it to a year before its report (a past strength)."""
        report = self.published or self.article.published.iso
        return bool(self.as_of and report and self.as_of[:4] < report[:4])

    def evidence(self, sources: Sources) -> Evidence:
        """Where the figure was read: the cited article, the sentence and the span in it."""
        return {
            "citation": sources.cite([self.article])[0],
            "sentence": self.sentence_idx,
            "span": self.span,
            "start": self.start,
            "end": self.start + len(self.span),
        }


@dataclass(frozen=True)
class Figure:
    """One value of one figure as of one date, with every article that reports it.

    `owner` is whose it is ("KFOR", or the group a casualty count belongs to) and `noun` what it
    counts as written; `evidence` is the fact it was first read from.
    """

    kind: str
    value: int
    qualifier: str
    as_of: Published
    articles: tuple[ArticleInfo, ...]
    countries: int | None = None
    owner: str = ""
    noun: str = ""
    past: bool = False
    evidence: StoredFact | None = None

    @property
    def reports(self) -> int:
        """How many articles report it."""
        return len(self.articles)

    @property
    def stories(self) -> int:
        """How many stories report it: a story's copies count once."""
        return len({article.story_id for article in self.articles})

    def as_dict(self, sources: Sources, *, with_countries: bool = False) -> FigureData:
        """The reply shape of a figure: kind, value, qualifier, as_of, owner, noun, citations,
        how many independent stories give it, and where it was read."""
        entry: dict[str, Any] = {
            "kind": self.kind,
            "value": self.value,
            "qualifier": self.qualifier,
            "as_of": self.as_of.iso,
            "owner": self.owner,
            "noun": self.noun,
        }
        if with_countries:
            entry["countries"] = self.countries
        entry["citations"] = sources.cite(self.articles)
        entry["stories"] = self.stories
        if self.evidence is not None:
            entry["evidence"] = self.evidence.evidence(sources)
        # Built key by key, so that `countries` keeps its place before `citations` in the JSON.
        return cast("FigureData", entry)


def figures(rows: Iterable[StoredFact], kinds: Sequence[str]) -> list[Figure]:
    """Numeric facts of these kinds, one Figure per (kind, value, owner, date), oldest first,
    undated last. The copies of a story share their date, so a story gives each figure once.

    A troop total takes the number of countries given in its own sentence, else in its article.
    """
    rows = list(rows)
    countries = _countries_by_place(rows)
    merged: dict[tuple[str, int, str, str | None], list[StoredFact]] = {}
    for row in rows:
        if row.kind in kinds and isinstance(row.value, int):
            key = (row.kind, row.value, row.owner, row.date.iso)
            merged.setdefault(key, []).append(row)
    found = []
    for (kind, value, owner, _), group in merged.items():
        first = group[0]
        articles = tuple({r.article.id: r.article for r in group}.values())
        found.append(
            Figure(
                kind=kind,
                value=value,
                qualifier=first.qualifier,
                as_of=first.date,
                articles=tuple(sorted(articles, key=lambda a: a.id)),
                countries=countries_at(countries, first.article.id, first.sentence_idx)
                if kind == FactKind.TROOPS
                else None,
                owner=owner,
                noun=first.noun,
                past=first.past,
                evidence=first,
            )
        )
    found.sort(key=lambda f: (f.as_of.value is None, order_key(f.as_of), f.articles[0].id))
    return found


def _countries_by_place(rows: Sequence[StoredFact]) -> dict[tuple[int, int | None], int]:
    return country_places(
        (row.article.id, row.sentence_idx, row.value)
        for row in rows
        if row.kind == FactKind.COUNTRIES and isinstance(row.value, int)
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


@dataclass(frozen=True)
class Headline(Generic[D]):
    """The strength the card leads with, how many independent stories agree on it, and the lone
    reports too far from the recent history to stand for it (each with the report it is set
    against)."""

    figure: D | None
    agreeing: int
    outliers: tuple[tuple[D, D], ...]


def headline(found: Sequence[D], kind: str = FactKind.TROOPS) -> Headline[D]:
    """What recent reports agree on (see the README's "KFOR strength" section).

    Today's figures only (dated, and not a past strength its own sentence dates earlier). A
    report whose value no other story confirms within AGREE_DAYS, and that lies more than
    OUTLIER_RATIO times above or below the median of the figures of the OUTLIER_HISTORY_DAYS
    before it, is an outlier: never the headline, shown as a disagreement instead. Of the rest,
    the newest figure that two or more independent stories give within AGREE_DAYS of each other
    leads, if it is dated within AGREE_DAYS of the newest report; otherwise the newest report
    leads, and the card says it has one source.

    Figures are walked newest first and only while they may still lead, so the answer costs the
    same however long the history is.
    """
    current = sorted(
        (f for f in found if f.kind == kind and f.as_of.value is not None and not f.past),
        key=lambda f: order_key(f.as_of),
    )
    history = _History(current)
    newest: D | None = None
    chosen: D | None = None
    outliers: list[tuple[D, D]] = []
    for figure in reversed(current):
        if newest is not None and _days_apart(figure.as_of, newest.as_of) > AGREE_DAYS:
            break
        reference = history.outlier_reference(figure)
        if reference is not None:
            outliers.append((reference, figure))
            continue
        newest = newest or figure
        if history.agreeing(figure) >= 2:
            chosen = figure
            break
    chosen = chosen or newest
    agreeing = history.agreeing(chosen) if chosen is not None else 0
    return Headline(chosen, agreeing, tuple(reversed(outliers)))


class _History(Generic[D]):
    """Dated figures, oldest first, with the two questions `headline` asks of them."""

    def __init__(self, current: Sequence[D]) -> None:
        self._current = current
        self._ends = [order_key(f.as_of)[0] for f in current]
        self._by_value: dict[int, list[D]] = {}
        for figure in current:
            self._by_value.setdefault(figure.value, []).append(figure)

    def agreeing(self, figure: D) -> int:
        """How many stories give the figure's value within AGREE_DAYS of it (its own included)."""
        return sum(
            f.stories
            for f in self._by_value.get(figure.value, ())
            if _days_apart(f.as_of, figure.as_of) <= AGREE_DAYS
        )

    def outlier_reference(self, figure: D) -> D | None:
        """The newest report of the history a lone figure is too far from, or None if it is
        not an outlier (or has no history to be judged by)."""
        bounds = span(figure.as_of)
        if bounds is None or self.agreeing(figure) >= 2:
            return None
        earliest = bounds[0] - dt.timedelta(days=OUTLIER_HISTORY_DAYS)
        low = bisect.bisect_left(self._ends, earliest)
        high = bisect.bisect_right(self._ends, bounds[1])
        before = [f for f in self._current[low:high] if f is not figure and f.value != figure.value]
        if not before:
            return None
        middle = statistics.median(f.value for f in before)
        if figure.value > OUTLIER_RATIO * middle or figure.value * OUTLIER_RATIO < middle:
            return before[-1]
        return None


def _days_apart(a: Published, b: Published) -> int:
    """Days between the nearest days two dates may stand for (0 when they may be the same day)."""
    first, second = span(a), span(b)
    if first is None or second is None:
        return 10**6
    if first[1] < second[0]:
        return (second[0] - first[1]).days
    if second[1] < first[0]:
        return (first[0] - second[1]).days
    return 0


def conflict_groups(found: Sequence[D], kind: str = FactKind.TROOPS) -> list[list[D]]:
    """The MAX_CONFLICTS newest groups of reports that give different values of one figure, oldest
    group first; each value once, by its newest report in the group, oldest first.

    A group is a window of CONFLICT_DAYS ending at its newest report: the sweep starts from the
    newest report, so the windows (and the answer) do not depend on how old the history is, and
    it stops once enough disagreements are found. Windows, not chains: with a report every
    fortnight, each differing slightly, a chain would join years of reports into one
    "disagreement" of hundreds of values.
    """
    dated = sorted(
        (f for f in found if f.kind == kind and f.as_of.value is not None and not f.past),
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
    found: Sequence[Figure], sources: Sources, kind: str = FactKind.TROOPS
) -> list[Conflict]:
    """The reply shape of `conflict_groups`: each value with its date and citations."""
    return conflict_dicts(conflict_groups(found, kind), sources, kind)


def conflict_dicts(
    groups: Iterable[Sequence[Figure]],
    sources: Sources,
    kind: str = FactKind.TROOPS,
    reason: str = "same period",
) -> list[Conflict]:
    """Disagreeing groups as the reply shows them: each value with its date and citations, and
    why they are set side by side ("same period": reports of one CONFLICT_DAYS window; "outlier":
    a lone report far from the recent history, against that history's newest report)."""
    return [
        {"kind": kind, "reason": reason, "values": [f.as_dict(sources) for f in group]}
        for group in groups
    ]


def changes(found: Sequence[D], kind: str = FactKind.TROOPS) -> list[D]:
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
            counts[figure.value] = counts.get(figure.value, 0) + figure.stories
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
