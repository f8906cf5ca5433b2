"""The engine's view of stored sentences: a cited article, and a sentence that could become a point.

The reads that find them are the store's (`Store.in_window`, `latest`, `newest`, ...; the SQLite
ones in `briefings.store.candidates`).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from briefings.engine.background import is_background
from briefings.engine.sentences import informativeness
from briefings.engine.when import event_date
from briefings.models import UNKNOWN_DATE, Published

# Enough recent articles that the duplicates of a story and a few stories' worth of points are in.
LATEST_ARTICLES = 12


@dataclass(frozen=True)
class ArticleInfo:
    """What a reply shows of a cited article, and what ordering needs: its date or, if none, when it came."""

    id: int
    story_id: int
    title: str
    publisher: str | None
    url: str | None
    published: Published
    added_at: dt.datetime
    # The story's date (its earliest dated member; see `briefings.stories`), and whether the
    # article arrived in a feed poll after that feed's first read.
    story_published: Published = UNKNOWN_DATE
    live: bool = False

    @property
    def date(self) -> Published:
        """The date its news is from: its story's (a reprint or an undated copy is dated by the
        earliest dated copy), else its own."""
        return self.story_published if self.story_published.value is not None else self.published


@dataclass(frozen=True)
class Candidate:
    """A stored sentence that could become a point: where it is, its topic scores and what it states."""

    article: ArticleInfo
    idx: int
    text: str
    topics: dict[str, float]
    fact_kinds: tuple[str, ...] = ()

    @functools.cached_property
    def date(self) -> Published:
        """The sentence's own event date when its article's date pins it, else the article's
        date (its story's: see `ArticleInfo.date`)."""
        return event_date(self.text, self.article.date)

    @functools.cached_property
    def background(self) -> bool:
        """Whether it states context (standing facts, history) rather than what happened."""
        return is_background(self.text, self.article.date)

    @functools.cached_property
    def informative(self) -> float:
        """`sentences.informativeness`, kept: ranking asks for it several times per sentence."""
        return informativeness(self.text, self.fact_kinds)
