"""Frozen value types shared by every part of the core: drafts going in, articles and facts coming out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class Precision(StrEnum):
    """How much of a publication date the sources actually give."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Published:
    """A publication date and its precision; unknown is a valid answer, never a guess."""

    value: dt.date | None = None
    precision: Precision = Precision.UNKNOWN

    @property
    def iso(self) -> str | None:
        """The date written only as far as it is known: "2023", "2023-05" or "2023-05-30"."""
        if self.value is None or self.precision is Precision.UNKNOWN:
            return None
        full = self.value.isoformat()
        return {Precision.YEAR: full[:4], Precision.MONTH: full[:7]}.get(self.precision, full)

    @classmethod
    def from_iso(cls, iso: str | None) -> Published:
        """Read back what `iso` wrote."""
        if not iso:
            return cls()
        parts = [int(p) for p in iso[:10].split("-")]
        precision = (Precision.YEAR, Precision.MONTH, Precision.DAY)[len(parts) - 1]
        year, month, day = (*parts, 1, 1)[:3]
        return cls(dt.date(year, month, day), precision)


UNKNOWN_DATE = Published()


@dataclass(frozen=True)
class ArticleDraft:
    """An article as read from a seed, a file or a feed entry, before anything is derived from it."""

    title: str
    text: str
    url: str | None = None
    publisher: str | None = None
    published: Published = UNKNOWN_DATE
    guid: str | None = None


@dataclass(frozen=True)
class Fact:
    """A figure or date read from one sentence: `span` is the exact text it was read from, and
    starts at `start` in that sentence.

    `owner` says whose figure it is: "KFOR" for the mission's troops, reinforcements, nations and
    casualties; for anyone else's casualties, the group as written ("Serbian protesters"); empty
    when the text does not say (and for deadlines). `noun` is the counted noun phrase as written
    ("KFOR soldiers"). `as_of` is the date the sentence itself gives the figure ("55,000 in 1999":
    "1999"), an ISO prefix, or None when the figure is as of its report.
    """

    kind: str
    value: int | str
    qualifier: str
    sentence_index: int
    span: str
    resolved: bool = True
    owner: str = ""
    noun: str = ""
    as_of: str | None = None
    start: int = 0


@dataclass(frozen=True)
class FeedDocument:
    """What one fetched or local feed document yielded: its entries and, if any, the parser's complaint."""

    title: str
    entries: tuple[ArticleDraft, ...]
    error: str | None = None
    rejected: int = 0


@dataclass(frozen=True)
class FetchResult:
    """One HTTP fetch: `body` is None when the server answered 304 Not Modified.

    `url` is where the document was found after redirects; `max_age` is the server's
    Cache-Control max-age in seconds, a hint for when to poll again.
    """

    url: str
    status: int
    body: bytes | None
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    max_age: int | None = None


@dataclass(frozen=True)
class Feed:
    """A workspace's subscription to one feed, with the health a moderator needs to judge it."""

    id: int
    workspace: str
    url: str
    title: str | None
    added_by: str
    added_at: str
    last_success: str | None
    last_error: str | None
    last_error_at: str | None
    failing_since: str | None
    consecutive_failures: int
    next_poll: str | None
    items_seen: int
    paused: bool
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class FeedEvent:
    """One change to a workspace's feeds: who did what to which URL, and when."""

    workspace: str
    url: str
    action: str
    actor: str
    at: str


@dataclass(frozen=True)
class SearchHit:
    """One story matching a search: its best-matching article, the sentence that best shows why,
    the other stored copies of the story (cited with it), and any query words it lacks."""

    article_id: int
    title: str
    publisher: str | None
    published: Published
    url: str | None
    snippet: str
    score: float
    copies: tuple[SearchHit, ...] = ()
    missing: tuple[str, ...] = ()
