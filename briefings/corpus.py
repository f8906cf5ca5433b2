"""The facade every caller uses: ingest drafts, files and feeds, search and export, for one workspace."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import logging
import math
import os
import random
from collections import deque
from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import Executor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefings import engine
from briefings.derive import RULES_VERSION, DerivedArticle, EmptyArticle, derive
from briefings.errors import FeedError, KforError, NotFound
from briefings.ingest import backoff
from briefings.ingest.fetch import Fetcher, FetchLimits
from briefings.ingest.seeds import seed_drafts
from briefings.ingest.slices import FeedSlices
from briefings.ingest.urls import canonical_url, validate_feed_url
from briefings.models import ArticleDraft, Feed, FeedDocument, FeedEvent, SearchHit
from briefings.priority import Priority
from briefings.replies import sources_reply
from briefings.reply_types import BriefReply, SourcesReply, StatusReply, TimelineReply
from briefings.store import open_store
from briefings.store.interface import (
    DEFAULT_LEASE,
    ArticleBatch,
    Schedules,
    Store,
    Stored,
    Subscription,
    new_owner,
)
from briefings.topics import TopicProfile, load_profiles
from briefings.workers import worker_pool

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]
DEFAULT_POLL_INTERVAL = dt.timedelta(minutes=15)
DEFAULT_POLL_CONCURRENCY = 8
# Characters of points in one brief: about one Discord embed, or a screen of terminal text.
BRIEF_BUDGET_CHARS = 3500
# Files each worker reads and derives ahead of the store: enough to keep it busy while the store
# commits a batch.
FILES_AHEAD_PER_WORKER = 6
# Articles an import gathers for one transaction (fewer at the end of the files; a file with more
# is still one transaction). 4,000 were no faster: the batch's pages outgrew the writer's cache.
STORE_BATCH_ARTICLES = 2000
# Files in one import transaction, at most: a folder of one-article files still commits, and
# reports progress, every few seconds.
STORE_BATCH_FILES = 20
# Stored articles re-derived per transaction: progress is kept with each, so an interrupted
# `rederive` loses at most one batch of work.
REDERIVE_BATCH = 500


def utc_now() -> dt.datetime:
    """The real clock; tests pass their own."""
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class IngestReport:
    """What one batch did: new articles, ones already stored, why the rest were refused, and the
    titles of new articles whose text was cut to MAX_STORED_TEXT_CHARS."""

    added: int = 0
    known: int = 0
    rejected: tuple[str, ...] = ()
    cut: tuple[str, ...] = ()

    def __add__(self, other: IngestReport) -> IngestReport:
        return IngestReport(
            self.added + other.added,
            self.known + other.known,
            self.rejected + other.rejected,
            self.cut + other.cut,
        )


@dataclass(frozen=True)
class RederiveReport:
    """What re-deriving did: articles brought to the current rules, and those kept as they were
    because nothing readable is left of them under the new rules (their titles, with why)."""

    rederived: int
    kept: tuple[str, ...] = ()


@dataclass(frozen=True)
class PollOutcome:
    """One feed's poll: new articles, whether the server said nothing changed, and any error."""

    feed: Feed
    report: IngestReport = field(default_factory=IngestReport)
    not_modified: bool = False
    error: str | None = None


@dataclass(frozen=True)
class FileOutcome:
    """One local file's import: its report, or the one-line reason it was refused."""

    path: Path
    report: IngestReport | None
    reason: str | None = None


class Corpus:
    """The stored articles and feeds, and every operation on them; collaborators are passed in."""

    def __init__(
        self,
        store: Store,
        fetcher: Fetcher,
        *,
        clock: Clock = utc_now,
        profiles: Sequence[TopicProfile] = (),
        poll_interval: dt.timedelta = DEFAULT_POLL_INTERVAL,
        poll_concurrency: int = DEFAULT_POLL_CONCURRENCY,
        workers: Executor | None = None,
        parallelism: int = 1,
    ) -> None:
        self.store = store
        # Daily briefings per channel: the scheduler and the chat commands use them through here.
        self.schedules: Schedules = store.schedules
        self.workers = workers
        self.parallelism = max(1, parallelism)
        self.fetcher = fetcher
        self.clock = clock
        self.profiles = tuple(profiles)
        self.poll_interval = poll_interval
        self._poll_slots = asyncio.Semaphore(poll_concurrency)
        self._poll_concurrency = max(1, poll_concurrency)
        # Several processes may share the store: this one's name on the work it leases, and how
        # long a lease lasts (see `Store.claim_due_feed`).
        self.owner = new_owner()
        self.lease = DEFAULT_LEASE
        self.priority = Priority()

    def _now(self) -> str:
        return self.clock().astimezone(dt.UTC).isoformat(timespec="seconds")

    async def ensure_seeds(self) -> IngestReport:
        """Load the bundled seed articles into a new database, once."""
        if await self.store.seeds_loaded():
            return IngestReport()
        derived, rejected = await self._derive(seed_drafts())
        stored = await self.store.store_seeds(ArticleBatch(derived, seed=True), now=self._now())
        return _report(stored) + IngestReport(rejected=rejected)

    async def ingest_drafts(
        self, drafts: Sequence[ArticleDraft], *, workspace: str
    ) -> IngestReport:
        """Store drafts imported by a workspace outside any feed, in one transaction."""
        derived, rejected, known = await self._derive_new(drafts)
        batch = ArticleBatch(derived, known=known, workspace=workspace)
        (stored,) = await self.store.store_articles([batch], now=self._now())
        return _report(stored) + IngestReport(rejected=rejected)

    async def ingest_files(
        self, files: Sequence[Path], *, workspace: str
    ) -> AsyncIterator[FileOutcome]:
        """Import local files (articles, HTML pages, feed files), in order.

        The workers read and derive the files ahead while the main process stores, so a folder
        keeps every core busy. Files are stored STORE_BATCH_ARTICLES articles (or
        STORE_BATCH_FILES files) to a transaction: a commit writes out every index page the
        batch touched, and with 100,000 stored articles one commit per 100-item feed file cost
        more than its inserts. (Storing whatever files were ready when the store was free made
        batches of 130 articles: the store is faster than the workers.) An outcome is given
        once its file is committed.
        """
        loop = asyncio.get_running_loop()
        now = self.clock()
        queue = iter(files)
        ahead: deque[tuple[Path, asyncio.Future[_FileWork]]] = deque()

        def read_next() -> None:
            file = next(queue, None)
            if file is not None:
                work = loop.run_in_executor(
                    self.workers, _read_and_derive, file, now, self.profiles
                )
                ahead.append((file, work))

        for _ in range(self.parallelism * FILES_AHEAD_PER_WORKER + 1):
            read_next()
        try:
            async with self.store.bulk_import():
                while ahead:
                    ready: list[tuple[Path, _FileRead]] = []
                    large: tuple[Path, FeedSlices] | None = None
                    while (
                        ahead
                        and len(ready) < STORE_BATCH_FILES
                        and _articles_in(ready) < STORE_BATCH_ARTICLES
                    ):
                        file, work = ahead.popleft()
                        result = await work
                        read_next()
                        if isinstance(result, FeedSlices):
                            large = file, result
                            break
                        ready.append((file, result))
                    for outcome in await self._store_files(ready, workspace):
                        yield outcome
                    if large is not None:
                        yield await self._import_large_feed(*large, workspace)
        finally:
            for _, work in ahead:
                work.cancel()

    async def _import_large_feed(
        self, file: Path, slices: FeedSlices, workspace: str
    ) -> FileOutcome:
        """A feed file too large to read whole, stored slice by slice (see `_store_slices`); as
        for a small one, a complaint about part of it is not reported, one about all of it is."""
        try:
            report, error, _ = await self._store_slices(slices, {}, None, workspace=workspace)
        except FeedError as exc:
            return FileOutcome(file, None, str(exc))
        if report.added or report.known or report.rejected:
            return FileOutcome(file, report)
        reason = f"the feed could not be read: {error}" if error else "the feed has no entries"
        return FileOutcome(file, None, reason)

    async def _store_files(
        self, ready: Sequence[tuple[Path, _FileRead]], workspace: str
    ) -> list[FileOutcome]:
        """Store derived files in one transaction; a file that could not be read keeps its reason."""
        batches = [
            ArticleBatch(result[0], workspace=workspace)
            for _, result in ready
            if isinstance(result, tuple)
        ]
        stored = iter(await self.store.store_articles(batches, now=self._now()))
        outcomes = []
        for file, result in ready:
            if isinstance(result, str):
                outcomes.append(FileOutcome(file, None, result))
                continue
            report = _report(next(stored)) + IngestReport(rejected=result[1])
            outcomes.append(FileOutcome(file, report))
        return outcomes

    async def _derive_new(
        self, drafts: Sequence[ArticleDraft]
    ) -> tuple[list[DerivedArticle], tuple[str, ...], list[int]]:
        """Derive the drafts not yet stored under their URL (see `_derive`), and give the ids of
        those that are.

        A feed that changed by one item sends its whole list again: deriving only what is new
        saves most of that work.
        """
        keys = [canonical_url(d.url) if d.url else None for d in drafts]
        stored = await self.store.stored_ids([k for k in keys if k])
        fresh = [d for d, key in zip(drafts, keys, strict=True) if key not in stored]
        derived, rejected = await self._derive(fresh)
        return derived, rejected, [stored[key] for key in keys if key in stored]

    async def _derive(
        self, drafts: Sequence[ArticleDraft]
    ) -> tuple[list[DerivedArticle], tuple[str, ...]]:
        """Derive every draft off the event loop, split across the workers, in the drafts' order;
        drafts with nothing readable become reasons."""
        return _split(await self._derive_each(drafts))

    async def _derive_each(self, drafts: Sequence[ArticleDraft]) -> list[DerivedArticle | str]:
        """Each draft derived, or the reason nothing readable is left of it, in the drafts' order."""
        if not drafts:
            return []
        loop = asyncio.get_running_loop()
        size = math.ceil(len(drafts) / self.parallelism)
        parts = await asyncio.gather(
            *(
                loop.run_in_executor(
                    self.workers, _derive_each, drafts[i : i + size], self.profiles
                )
                for i in range(0, len(drafts), size)
            )
        )
        return [result for part in parts for result in part]

    async def rules_outdated(self) -> bool:
        """Whether stored articles were derived under older rules than this version's."""
        stored = await self.store.rules_version()
        return stored is not None and stored < RULES_VERSION

    async def rederive(self, progress: Callable[[int, int], None] | None = None) -> RederiveReport:
        """Derive every stored article again under the current rules (cleaning, topics, facts,
        signature, story), a batch per transaction; `progress(done, total)` after each.

        An interrupted run resumes where it stopped. Story dates and the search index switch to
        the new data in the last step, at once.
        """
        next_id = await self.store.start_rederive()
        total = await self.store.rederive_remaining(next_id)
        done, kept = 0, []
        async with self.store.bulk_import():
            while stored := await self.store.stored_drafts(next_id, REDERIVE_BATCH):
                results = await self._derive_each([draft for _, draft in stored])
                kept += [r for r in results if isinstance(r, str)]
                next_id = stored[-1][0] + 1
                await self.store.replace_derived(
                    [
                        (article_id, result)
                        for (article_id, _), result in zip(stored, results, strict=True)
                        if isinstance(result, DerivedArticle)
                    ],
                    next_id,
                )
                done += len(stored)
                if progress is not None:
                    progress(done, max(total, done))
            await self.store.finish_rederive(RULES_VERSION)
        return RederiveReport(done - len(kept), tuple(kept))

    async def add_feed(self, workspace: str, url: str, actor: str) -> tuple[Feed, IngestReport]:
        """Validate by fetching once, then subscribe and store what the feed holds now."""
        url = validate_feed_url(url)
        result = await self.fetcher.fetch(url)
        slices = await self._slice_feed(result.body or b"", result.headers, url)

        def subscribe(document: FeedDocument) -> Subscription:
            """Subscribe with the first slice's entries, unless it says the document cannot be
            read."""
            if not document.entries and document.error:
                raise FeedError(f"the feed could not be read: {document.error}")
            return Subscription(workspace, url, document.title or None, actor)

        report, _, feed_id = await self._store_slices(
            slices, result.headers, url, subscribe=subscribe
        )
        assert feed_id is not None  # noqa: S101 - every document has a first slice
        now = self.clock()
        await self.store.record_poll_success(
            feed_id,
            now=self._now(),
            next_poll=_iso(
                backoff.after_success(now, self.poll_interval, result.max_age, _spread())
            ),
            etag=result.etag,
            last_modified=result.last_modified,
        )
        feed = await self.store.feed(workspace, url)
        assert feed is not None  # noqa: S101 - written in the transaction above
        return feed, report

    async def remove_feed(self, workspace: str, url: str, actor: str) -> Feed:
        """Unsubscribe a workspace from a feed; its articles stay stored for other workspaces."""
        feed = await self.store.feed(workspace, url) or await self.store.feed(
            workspace, _normalised_or_same(url)
        )
        if feed is None:
            raise NotFound(f"no feed {url} in this workspace: see `feeds list`")
        await self.store.unsubscribe(feed, actor, now=self._now())
        return feed

    async def feeds(self, workspace: str) -> list[Feed]:
        """The workspace's feeds with their health."""
        return await self.store.feeds(workspace)

    async def feed_history(self, workspace: str) -> list[FeedEvent]:
        """Who added and removed which feed, newest first."""
        return await self.store.feed_history(workspace)

    def feed_health(self, feed: Feed) -> str:
        """ok, retrying, failing or paused, as of now."""
        since = dt.datetime.fromisoformat(feed.failing_since) if feed.failing_since else None
        return backoff.health(since, feed.paused, self.clock())

    async def poll(
        self, workspace: str | None = None, *, due_only: bool = True
    ) -> list[PollOutcome]:
        """Refresh feeds (the due ones, or all), a few at a time; one feed's failure stops no other.

        Due feeds are leased one by one, so processes sharing the store split a round between
        them and none fetches a feed another holds.
        """
        if not due_only:
            targets = await self.store.due_feeds("9999", workspace)
            return list(await asyncio.gather(*(self._poll_one(feed) for feed in targets)))
        round_start = self.clock()
        outcomes: list[PollOutcome] = []

        async def take_turns() -> None:
            while feed := await self._lease_due_feed(round_start, workspace):
                outcomes.append(await self._poll_one(feed))

        await asyncio.gather(*(take_turns() for _ in range(self._poll_concurrency)))
        return outcomes

    async def _lease_due_feed(self, due_by: dt.datetime, workspace: str | None) -> Feed | None:
        now = self.clock()
        return await self.store.claim_due_feed(
            self.owner,
            due_by=_iso(due_by),
            now=_iso(now),
            until=_iso(now + self.lease),
            workspace=workspace,
        )

    async def first_time_handled(self, key: str, now: dt.datetime, keep: dt.timedelta) -> bool:
        """Record a chat request as handled for `keep`; False when any process sharing the store
        handled it within that time (a platform's retry or a replay)."""
        return await self.store.first_time_handled(key, _iso(now), _iso(now + keep))

    async def _poll_one(self, feed: Feed) -> PollOutcome:
        """Poll one feed; whatever goes wrong is recorded against it, and the others go on."""
        async with self._poll_slots:
            try:
                return await self._poll_feed(feed)
            except Exception as exc:
                log.exception("polling %s failed unexpectedly", feed.url)
                error = f"the poll failed unexpectedly ({type(exc).__name__}); the bot's log has the details"
                await self._poll_failed(feed, error, None)
                return PollOutcome(feed, error=error)

    async def _poll_feed(self, feed: Feed) -> PollOutcome:
        try:
            await self.priority.background_turn()
            result = await self.fetcher.fetch(
                feed.url, etag=feed.etag, last_modified=feed.last_modified
            )
            await self.priority.background_turn()
            if result.body is None:
                await self._poll_succeeded(feed, result.max_age, None, None)
                return PollOutcome(feed, not_modified=True)
            slices = await self._slice_feed(result.body, result.headers, feed.url)
            # A feed's first read is its backlog; what later polls bring is news as it arrives.
            report, error, _ = await self._store_slices(
                slices,
                result.headers,
                feed.url,
                feed_id=feed.id,
                background=True,
                live=feed.last_success is not None,
            )
        except FeedError as exc:
            await self._poll_failed(feed, str(exc), getattr(exc, "retry_after", None))
            return PollOutcome(feed, error=str(exc))
        if error:
            await self._poll_failed(feed, f"partly read: {error}", None)
            return PollOutcome(feed, report, error=error)
        await self._poll_succeeded(feed, result.max_age, result.etag, result.last_modified)
        return PollOutcome(feed, report)

    async def _slice_feed(self, body: bytes, headers: dict[str, str], url: str) -> FeedSlices:
        from briefings.ingest.feeds import split_feed  # feedparser: loaded by what fetches only

        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.workers, split_feed, body, headers, url)

    async def _store_slices(
        self,
        slices: FeedSlices,
        headers: dict[str, str],
        url: str | None,
        *,
        feed_id: int | None = None,
        workspace: str | None = None,
        subscribe: Callable[[FeedDocument], Subscription] | None = None,
        background: bool = False,
        live: bool = False,
    ) -> tuple[IngestReport, str | None, int | None]:
        """Store a feed document's entries, a slice per transaction, linked to `feed_id` (or to
        the feed `subscribe` names, subscribed with the first slice) and `workspace`. Gives the
        report, any complaint about the document (FeedError when it is not a feed) and the feed.

        `background` work (a poll) steps aside for commands before each slice's derive and store;
        `live` entries came in a poll after the feed's first read (news as it arrives).
        """
        report = IngestReport()
        error = None
        async for document in self._feed_documents(slices, headers, url):
            if background:
                await self.priority.background_turn()
            derived, rejected, known = await self._derive_new(document.entries)
            if background:
                await self.priority.background_turn()
            batch = ArticleBatch(derived, known=known, workspace=workspace, live=live)
            if subscribe is not None and feed_id is None:
                feed_id, stored = await self.store.subscribe(
                    subscribe(document), batch, now=self._now()
                )
            else:
                batch = dataclasses.replace(batch, feed_id=feed_id)
                (stored,) = await self.store.store_articles([batch], now=self._now())
            report += _report(stored)
            report += IngestReport(rejected=rejected)
            error = error or document.error
        return report, error, feed_id

    async def _feed_documents(
        self, slices: FeedSlices, headers: dict[str, str], url: str | None
    ) -> AsyncIterator[FeedDocument]:
        """The document's slices parsed in the workers, each while the one before is stored, and
        each entry once; the first slice carries the complaint about the whole, if any.

        A feed read whole held every entry at once (737 MB for 100,000 items); slice by slice it
        costs what one slice costs (see `briefings.ingest.slices`).
        """
        from briefings.ingest.feeds import parse_slice, slices_error, unseen  # see _slice_feed

        loop = asyncio.get_running_loop()
        now = self.clock()
        first = await loop.run_in_executor(
            self.workers, parse_slice, slices.documents[0], headers, url, now
        )
        seen: set[str] = set()
        following = deque(slices.documents[1:])
        document = first
        while True:
            # The next slice is parsed while the caller stores this one.
            upcoming = None
            if following:
                upcoming = loop.run_in_executor(
                    self.workers, parse_slice, following.popleft(), headers, url, now, first.title
                )
            error = slices_error(slices, [document]) if document is first else document.error
            entries = tuple(unseen(document.entries, seen))
            yield dataclasses.replace(document, entries=entries, error=error)
            if upcoming is None:
                return
            document = await upcoming

    async def _poll_succeeded(
        self, feed: Feed, max_age: int | None, etag: str | None, last_modified: str | None
    ) -> None:
        await self.store.record_poll_success(
            feed.id,
            now=self._now(),
            next_poll=_iso(
                backoff.after_success(self.clock(), self.poll_interval, max_age, _spread())
            ),
            etag=etag,
            last_modified=last_modified,
        )

    async def _poll_failed(self, feed: Feed, error: str, retry_after: float | None) -> None:
        now = self.clock()
        since = dt.datetime.fromisoformat(feed.failing_since) if feed.failing_since else now
        next_poll = backoff.after_failure(
            now, self.poll_interval, feed.consecutive_failures + 1, retry_after
        )
        await self.store.record_poll_failure(
            feed.id,
            now=self._now(),
            next_poll=_iso(next_poll),
            error=error,
            pause=backoff.should_pause(since, now),
        )

    def topic_name(self, wanted: str) -> str:
        """The topic a user means (case-insensitive name or title), or NotFound listing the choices."""
        for profile in self.profiles:
            if wanted.strip().lower() in (profile.name.lower(), profile.title.lower()):
                return profile.name
        choices = ", ".join(p.name for p in self.profiles)
        raise NotFound(f"no topic {wanted!r}: choose one of {choices}")

    async def brief(
        self,
        workspace: str,
        *,
        since: dt.datetime | None,
        until: dt.datetime | None = None,
        topics: Sequence[str] | None = None,
        channel: str | None = None,
        budget_chars: int = BRIEF_BUDGET_CHARS,
    ) -> BriefReply:
        """What happened in the window, by topic, each point cited; for a channel, only what is new."""
        now = self.clock()
        async with self.priority.command():
            return await engine.brief(
                self.store,
                workspace,
                since=since,
                until=until or now,
                topics=topics,
                profiles=self.profiles,
                now=now,
                channel=channel,
                budget_chars=budget_chars,
            )

    async def record_briefing(self, workspace: str, channel: str, reply: BriefReply) -> int:
        """Remember a briefing sent to a channel, so the next one leaves out what it said."""
        return await engine.record_briefing(self.store, workspace, channel, reply, self.clock())

    async def status(self, workspace: str) -> StatusReply:
        """The status card: strength, its history, latest developments, deadlines, disagreements."""
        async with self.priority.command():
            return await engine.status(
                self.store, workspace, profiles=self.profiles, now=self.clock()
            )

    async def timeline(self, workspace: str, *, topic: str | None = None) -> TimelineReply:
        """Dated developments, oldest first."""
        async with self.priority.command():
            return await engine.timeline(
                self.store, workspace, topic=topic, profiles=self.profiles, now=self.clock()
            )

    async def sources(self, workspace: str) -> SourcesReply:
        """The feeds (with health) and seed articles a workspace's replies draw on."""
        feeds = [(feed, self.feed_health(feed)) for feed in await self.feeds(workspace)]
        seeds = await self.store.seed_articles()
        imported = await self.store.imported_count(workspace)
        return sources_reply(workspace, feeds, seeds, imported)

    async def search(self, workspace: str, query: str, limit: int = 10) -> list[SearchHit]:
        """Ranked matches among the articles this workspace can see."""
        async with self.priority.command():
            return await self.store.search(workspace, query, limit)

    def export(self, workspace: str) -> AsyncIterator[dict[str, Any]]:
        """Every article the workspace can see, as plain data, oldest first."""
        return self.store.export(workspace)


# A file's derived articles and refusals, or why it cannot be read.
_FileRead = tuple[list[DerivedArticle], tuple[str, ...]] | str
# That, or a large feed's slices.
_FileWork = _FileRead | FeedSlices


def _articles_in(ready: Sequence[tuple[Path, _FileRead]]) -> int:
    return sum(len(result[0]) for _, result in ready if isinstance(result, tuple))


def _read_and_derive(file: Path, now: dt.datetime, profiles: Sequence[TopicProfile]) -> _FileWork:
    """A worker's whole share of one file: read it and derive its articles, or say why not; a feed
    file too large to read whole comes back as slices for `_import_large_feed`."""
    from briefings.ingest.files import read_for_import  # feedparser: loaded by what imports only

    found = read_for_import(file, now)
    if isinstance(found, KforError):
        return str(found)
    if isinstance(found, FeedSlices):
        return found
    return _split(_derive_each(found, profiles))


def _split(
    results: Sequence[DerivedArticle | str],
) -> tuple[list[DerivedArticle], tuple[str, ...]]:
    """Derived articles apart from the reasons others were refused, each in order."""
    derived = [r for r in results if isinstance(r, DerivedArticle)]
    return derived, tuple(r for r in results if isinstance(r, str))


def _derive_each(
    drafts: Sequence[ArticleDraft], profiles: Sequence[TopicProfile]
) -> list[DerivedArticle | str]:
    """Each draft derived, or why nothing readable is left of it: a worker's share."""
    results: list[DerivedArticle | str] = []
    for draft in drafts:
        name = draft.title or draft.url or "untitled"
        try:
            results.append(derive(draft, profiles))
        except EmptyArticle as exc:
            results.append(f"{name}: {exc}")
        except Exception as exc:  # one article the rules trip over must not lose its batch
            log.exception("deriving %r failed", name)
            results.append(f"{name}: could not be read ({type(exc).__name__}; see the bot's log)")
    return results


def _report(stored: Stored) -> IngestReport:
    return IngestReport(stored.added, stored.known, cut=stored.cut)


def _spread() -> float:
    """Where in its jitter allowance the next poll falls; not security-relevant, so `random`."""
    return random.random()  # noqa: S311


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


def _normalised_or_same(url: str) -> str:
    try:
        return validate_feed_url(url)
    except FeedError:
        return url


@asynccontextmanager
async def open_corpus(
    location: Path | str,
    *,
    limits: FetchLimits | None = None,
    clock: Clock = utc_now,
    topic_files: Sequence[Path] = (),
    poll_interval: dt.timedelta = DEFAULT_POLL_INTERVAL,
    poll_concurrency: int = DEFAULT_POLL_CONCURRENCY,
    load_seeds: bool = True,
    workers: int | None = None,
) -> AsyncIterator[Corpus]:
    """Open the store at `location` (a SQLite file's path or a postgresql:// URL; migrating it),
    the fetcher, the topic profiles and the worker pool.

    The seeds are loaded on first open. The worker processes and the fetcher's HTTP session start
    on their first use, so commands that only read start neither (see `briefings.workers`).
    """
    profiles = load_profiles(topic_files)
    parallelism = workers or os.cpu_count() or 1
    pool = worker_pool(parallelism)
    try:
        store = await open_store(location)
    except BaseException:
        pool.shutdown(cancel_futures=True)
        raise
    try:
        async with Fetcher(limits or FetchLimits()) as fetcher:
            corpus = Corpus(
                store,
                fetcher,
                clock=clock,
                profiles=profiles,
                poll_interval=poll_interval,
                poll_concurrency=poll_concurrency,
                workers=pool,
                parallelism=parallelism,
            )
            if load_seeds:
                await corpus.ensure_seeds()
            yield corpus
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        await store.close()
