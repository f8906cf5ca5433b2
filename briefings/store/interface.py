"""The storage interface: every read and write the core makes, with no SQL and no connection in it.

The engine and the Corpus facade take a `Store`; only `briefings.store.open_store` names a backend.
A backend implements every method below with the same results (the contract tests in
tests/briefings/test_store_contract.py run against each backend). Each write method is one unit
of work: all of it is stored, or none of it. Times are ISO 8601 strings in UTC (seconds), as the
core writes them; ids are the backend's integer keys.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import socket
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from briefings.derive import DerivedArticle
    from briefings.engine.candidates import ArticleInfo, Candidate
    from briefings.engine.figures import StoredFact
    from briefings.engine.recent import FactLine, Reported
    from briefings.models import ArticleDraft, Feed, FeedEvent, SearchHit
    from briefings.reply_types import BriefReply
    from briefings.store.schedules import Delivery, Schedule

# How long a lease on shared work lasts (a feed's poll, a briefing's post): longer than one feed's
# poll (fetch time cap plus storing) and one post with every retry, so that only a process that
# died loses its work to another.
DEFAULT_LEASE = dt.timedelta(minutes=10)


def new_owner() -> str:
    """A name for this process on the work it leases, shared by no other process on any host."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


# Which of an article's sentences (index, text; both None when it has none) holds a point's text.
Locate = Callable[[str, Sequence[tuple[int | None, str | None]]], int | None]


@dataclass(frozen=True)
class SaidPoint:
    """One point of a sent briefing, as stored for one cited article: the sentence it was taken
    from (when found) and that sentence's text as stored now."""

    point_key: str
    story_id: int
    article_id: int
    sentence_idx: int | None
    text: str | None


@dataclass(frozen=True)
class CitedPoint:
    """A point about to be recorded: its identity, its text, and the articles it cites."""

    key: str
    text: str
    article_ids: Sequence[int]


@dataclass(frozen=True)
class ArticleBatch:
    """Derived articles to store, and where they came from.

    `known` are ids of articles already stored that the same source brought again (they are linked
    but not counted as added); `feed_id` and `workspace` are what every article (new or known) is
    linked to; `seed` marks the bundled seed articles; `live` marks articles a feed poll brought
    after that feed's first read (news as it arrives, not backlog).
    """

    derived: Sequence[DerivedArticle]
    known: Sequence[int] = ()
    seed: bool = False
    workspace: str | None = None
    feed_id: int | None = None
    live: bool = False


@dataclass(frozen=True)
class Stored:
    """What storing one batch did: articles added, articles linked that were stored already, and
    the titles of new articles whose text was cut to the stored maximum."""

    added: int
    known: int
    cut: tuple[str, ...] = ()


@dataclass(frozen=True)
class Subscription:
    """A workspace subscribing to a feed: recorded with its first entries, in one unit of work."""

    workspace: str
    url: str
    title: str | None
    actor: str


class Schedules(Protocol):
    """Daily briefing schedules per channel and their deliveries (one per schedule and local date)."""

    async def set_schedule(
        self,
        *,
        workspace: str,
        platform: str,
        channel: str,
        local_time: str,
        timezone: str,
        topics: tuple[str, ...],
        actor: str,
        now: str,
    ) -> Schedule:
        """Create or replace the channel's schedule, keeping its id, active from `now`."""

    async def turn_off(self, workspace: str, platform: str, channel: str) -> Schedule | None:
        """Stop the channel's schedule (kept for its history); None when it has none."""

    async def find(self, workspace: str, platform: str, channel: str) -> Schedule | None:
        """The channel's schedule, active or not."""

    async def get(self, schedule_id: int) -> Schedule | None:
        """The schedule with this id."""

    async def list_schedules(
        self, workspace: str | None = None, *, active_only: bool = False
    ) -> list[Schedule]:
        """Schedules (of one workspace, or all), by id."""

    async def claim(
        self, schedule_id: int, local_date: str, now: str, *, owner: str, until: str
    ) -> int | None:
        """Start the delivery of this schedule and local date, leased to `owner` until `until`;
        None when one was started already (by any process)."""

    async def delivery(self, schedule_id: int, local_date: str) -> Delivery | None:
        """The delivery of this schedule and local date, if started."""

    async def take_stale(self, owner: str, now: str, until: str) -> set[int]:
        """Lease to `owner` the unfinished deliveries whose holder's lease ran out (a process died
        mid-post); their ids. Two processes asking at once never both get one."""

    async def unfinished(self) -> list[Delivery]:
        """Deliveries claimed but neither sent nor failed (a crash mid-post), by id."""

    async def attach_reply(self, delivery_id: int, briefing_id: int, reply: BriefReply) -> None:
        """Keep the reply a delivery is about to post, so a retry posts the same text."""

    async def record_sent(self, delivery_id: int, message_id: str, now: str, note: str) -> None:
        """Mark a delivery posted, with the platform's message id."""

    async def record_skipped(
        self, schedule_id: int, local_date: str, now: str, note: str, *, owner: str
    ) -> bool:
        """Record that this schedule and local date was skipped, and why, unless a delivery for
        it exists that is not an unfinished claim leased to `owner`; whether it was recorded."""

    async def record_failed(self, delivery_id: int, now: str, note: str, error: str) -> None:
        """Mark a delivery failed, with the error a moderator sees."""

    async def forget_briefing(self, briefing_id: int) -> None:
        """Drop a recorded briefing that was never posted, so its points count as unsaid."""

    async def forget_unposted_briefings(self, workspace: str, channel: str, since: str) -> None:
        """Drop the channel's briefings recorded since `since` that no delivery posted."""


class Store(Protocol):
    """Everything the core stores and reads. Methods that read see committed data only."""

    @property
    def schedules(self) -> Schedules:
        """The daily briefing schedules, in the same storage."""

    async def close(self) -> None:
        """Release the storage; safe to call twice."""

    def bulk_import(self) -> AbstractAsyncContextManager[None]:
        """A block of many large writes (an import, a re-derive): the backend may defer upkeep
        until it ends. Writes inside it are still each their own unit of work."""

    # Articles in

    async def stored_ids(self, keys: Iterable[str]) -> dict[str, int]:
        """The ids of the articles stored under these canonical keys (absent keys left out)."""

    async def store_articles(self, batches: Sequence[ArticleBatch], *, now: str) -> list[Stored]:
        """Store every batch in one unit of work, in order: insert the first article of each key
        not yet stored (added at `now`), link every article to its batch's feed and workspace,
        assign stories and dates. One result per batch."""

    async def seeds_loaded(self) -> bool:
        """Whether the bundled seed articles were stored."""

    async def store_seeds(self, batch: ArticleBatch, *, now: str) -> Stored:
        """Store the seed articles (as `store_articles`) and remember that they were, together."""

    # Feeds

    async def subscribe(
        self, subscription: Subscription, batch: ArticleBatch, *, now: str
    ) -> tuple[int, Stored]:
        """Subscribe the workspace to the feed (keeping an existing subscription's id), record
        who added it, and store the batch linked to it, in one unit of work; gives the feed id."""

    async def unsubscribe(self, feed: Feed, actor: str, *, now: str) -> None:
        """Delete the subscription (its articles stay) and record who removed it."""

    async def feed(self, workspace: str, url: str) -> Feed | None:
        """The workspace's subscription to exactly this URL."""

    async def feeds(self, workspace: str) -> list[Feed]:
        """The workspace's subscriptions, by URL."""

    async def due_feeds(self, now: str, workspace: str | None = None) -> list[Feed]:
        """Unpaused subscriptions (of one workspace, or all) whose next poll is at or before `now`."""

    async def claim_due_feed(
        self,
        owner: str,
        *,
        due_by: str,
        now: str,
        until: str,
        workspace: str | None = None,
    ) -> Feed | None:
        """Lease to `owner`, until `until`, the feed due (by `due_by`) longest ago that no live lease holds; None
        when none is left. Its poll moves `next_poll` past `due_by`, so however many processes
        ask, a feed is taken once per round."""

    async def first_time_handled(self, key: str, now: str, until: str) -> bool:
        """Record a chat request as handled until `until`; False when a live record of it exists (a
        retry or a replay, reaching this process or another)."""

    async def feed_history(self, workspace: str, limit: int = 50) -> list[FeedEvent]:
        """Who added and removed which feed, newest first, at most `limit`."""

    async def record_poll_success(
        self,
        feed_id: int,
        *,
        now: str,
        next_poll: str,
        etag: str | None,
        last_modified: str | None,
    ) -> None:
        """A successful read: clear the failures, keep the validators, schedule the next poll."""

    async def record_poll_failure(
        self, feed_id: int, *, now: str, next_poll: str, error: str, pause: bool
    ) -> None:
        """A failed read: count it, keep the error (and when failing began), pause if told."""

    # Re-deriving stored articles under new rules

    async def rules_version(self) -> int | None:
        """The rules version the stored articles were derived under; None for an empty store."""

    async def start_rederive(self) -> int:
        """Begin (or resume) re-deriving; gives the first article id still to do."""

    async def rederive_remaining(self, next_id: int) -> int:
        """How many stored articles have an id from `next_id` on."""

    async def stored_drafts(self, next_id: int, limit: int) -> list[tuple[int, ArticleDraft]]:
        """Up to `limit` stored articles from id `next_id` on, by id, as drafts to derive again."""

    async def replace_derived(
        self, derived: Sequence[tuple[int, DerivedArticle]], next_id: int
    ) -> None:
        """Replace these articles' derived data, and remember `next_id` as progress, together."""

    async def finish_rederive(self, version: int) -> None:
        """Switch story dates and the search index to the new data, and record `version`."""

    # Reads for replies

    async def search(self, workspace: str, query: str, limit: int = 10) -> list[SearchHit]:
        """Ranked matches among the articles the workspace can see, one per story, best first."""

    async def seed_articles(self) -> list[dict[str, Any]]:
        """The seed articles (id, title, publisher, published, url), by id."""

    async def imported_count(self, workspace: str) -> int:
        """How many articles the workspace imported outside any feed."""

    def export(self, workspace: str) -> AsyncIterator[dict[str, Any]]:
        """Every article the workspace can see as plain data (text, feeds, topics, facts), by id."""

    async def cited_articles(self, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
        """These articles by id (id, title, publisher, published, published_precision,
        story_published, url, and text decompressed), for checking a reply against them."""

    # Reads for the engine (briefings.engine.candidates and .recent say what each promises)

    async def in_window(
        self, workspace: str, topics: Sequence[str], since: dt.datetime | None, until: dt.datetime
    ) -> list[Candidate]:
        """On-topic sentences of visible articles whose story is dated in [since, until] (or
        that arrived live in it undated), newest story first, at most MAX_WINDOW_SENTENCES."""

    async def latest(self, workspace: str, topics: Sequence[str], articles: int) -> list[Candidate]:
        """On-topic sentences of about `articles` visible articles of the newest stories."""

    async def newest(
        self, workspace: str, topics: Sequence[str], articles: int, *, dated_only: bool = True
    ) -> list[Candidate]:
        """On-topic sentences of exactly the `articles` newest visible dated articles (or, unless
        `dated_only`, the newest undated ones when none is dated)."""

    async def newest_per_topic(
        self, workspace: str, topics: Sequence[str], articles: int
    ) -> dict[str, list[Candidate]]:
        """For each topic alone, what `newest(workspace, [topic], articles, dated_only=False)` gives."""

    async def newest_report(self, workspace: str) -> list[ArticleInfo]:
        """Visible on-topic articles of the newest dated stories (at most 24), newest first."""

    async def recent_facts(self, workspace: str, *, limit: int | None = None) -> list[FactLine]:
        """On-topic facts of the status kinds, newest report first (then fact id), at most
        `limit` (FACT_ROWS); undated articles' facts follow by fact id when fewer."""

    async def dated_ahead(
        self, workspace: str, kind: str, today: dt.date, *, limit: int = ...
    ) -> list[FactLine]:
        """Resolved on-topic facts of this kind dated `today` or later, soonest first, then by id;
        at most `limit` (the backend's default: enough for a few soonest once repeats go)."""

    async def with_stories(self, found: Sequence[Reported]) -> list[Reported]:
        """The figures with `stories` counting each story's copies once, in the same order."""

    async def articles(self, ids: Iterable[int]) -> dict[int, ArticleInfo]:
        """These articles, by id (absent ones left out)."""

    async def countries(
        self, figures: Iterable[Reported], kind: str
    ) -> dict[tuple[int, int | None], int]:
        """Country counts of the figures' first articles, keyed as `figures.country_places` does."""

    async def fact_rows(
        self, lines: Sequence[FactLine], infos: Mapping[int, ArticleInfo]
    ) -> dict[int, StoredFact]:
        """The facts of these lines in full, by fact id; ones whose article is not in `infos` or
        whose sentence is gone are left out."""

    async def cited_facts(
        self, article_ids: Sequence[int], kinds: Sequence[str]
    ) -> list[StoredFact]:
        """On-topic facts of these kinds from these articles, in the order they were stored."""

    # What each channel was told

    async def last_briefing(self, workspace: str, channel: str) -> tuple[int, str] | None:
        """The id and creation time of the channel's newest briefing (newest id on a tie)."""

    async def recent_points(self, workspace: str, channel: str, count: int) -> list[SaidPoint]:
        """The points of the channel's `count` newest briefings."""

    async def record_briefing(
        self,
        workspace: str,
        channel: str,
        *,
        created_at: str,
        window: tuple[str | None, str],
        points: Sequence[CitedPoint],
        locate: Locate,
    ) -> int:
        """Store a sent briefing and each point once per cited article, with the sentence `locate`
        picks among the article's stored sentences; gives the briefing's id."""
