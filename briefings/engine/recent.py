"""What the status card reads of stored facts: a fact line, and a figure as reported.

Reading every fact of the store costs time in proportion to it, and building an ArticleInfo per
fact row costs more again. Instead the store walks the newest facts of the card's kinds down their
own date index (`Store.recent_facts`), taking only small columns, and reads titles, links and
sentences afterwards for the few facts the card shows.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from briefings.engine.when import order_key
from briefings.fact_kinds import FactKind
from briefings.models import Published

# The kinds the card walks; the stores index just these facts by date (SQLite: migration 0006).
NEWEST_KINDS = (FactKind.TROOPS, FactKind.INCREASE, FactKind.DEADLINE)


class FactLine(NamedTuple):
    """A stored fact with only what choosing it needs: `published` is its report's date (its
    story's, once copies share one), `as_of` the date its own sentence gives it; `story_id` is
    read for deadlines only (the article row it sits in is costly to reach)."""

    kind: str
    value: str
    qualifier: str
    resolved: int
    published: str | None
    article_id: int
    story_id: int | None
    sentence_idx: int
    fact_id: int
    as_of: str | None
    added_at: str | None

    @property
    def date(self) -> str | None:
        """The date the figure holds for: its own, else its report's."""
        return self.as_of or self.published

    @property
    def past(self) -> bool:
        """Whether its sentence dates it to a year before its report (a past strength)."""
        return bool(self.as_of and self.published and self.as_of[:4] < self.published[:4])


@dataclass(frozen=True, eq=False)
class Reported:
    """One value of one figure as of one date, before its articles are read (see figures.Figure).

    `stories` counts the independent stories among its articles: as many as articles until
    `with_stories` reads their story ids. Each is its own key (the card maps them to their
    Figures), so equality is identity: comparing every field cost more than the card's reads.
    """

    kind: str
    value: int
    qualifier: str
    as_of: Published
    article_ids: tuple[int, ...]
    first: FactLine
    stories: int = 1

    @property
    def reports(self) -> int:
        """How many articles report it."""
        return len(self.article_ids)

    @property
    def past(self) -> bool:
        """Whether its sentence dates it to a year before its report (a past strength)."""
        return self.first.past


@functools.lru_cache(maxsize=4096)
def published(iso: str | None) -> Published:
    """A stored date read back; cached, as a store holds only a few thousand distinct days."""
    return Published.from_iso(iso)


def reported(lines: Iterable[FactLine], kinds: Sequence[str]) -> list[Reported]:
    """Numeric facts of these kinds, one per (kind, value, date) with every article reporting it,
    in the order of `figures.figures`: oldest first, undated last, then by first article and fact.
    A figure's date is its own sentence's, else its report's (the story's, shared by copies).
    """
    merged: dict[tuple[str, int, str | None], list[FactLine]] = {}
    for line in lines:
        if line.kind in kinds and line.value.isdigit():
            merged.setdefault((line.kind, int(line.value), line.date), []).append(line)
    found = []
    for (kind, value, iso), group in merged.items():
        # Lines come by date, then fact id: the first of a group is its first fact.
        first = group[0]
        ids = (
            (first.article_id,) if len(group) == 1 else tuple(sorted({x.article_id for x in group}))
        )
        found.append(Reported(kind, value, first.qualifier, published(iso), ids, first, len(ids)))
    found.sort(key=figure_order)
    return found


def figure_order(figure: Reported) -> tuple[bool, tuple[dt.date, dt.date], int, int]:
    """Oldest first, undated last; then by first article and first fact (the order rows come in)."""
    return (
        figure.as_of.value is None,
        order_key(figure.as_of),
        figure.article_ids[0],
        figure.first.fact_id,
    )
