"""The storage interface over any database the shared store modules run on: each method one
transaction or read of the modules beside it, which hold the one copy of the SQL. A backend
(`SqliteStore`, `PostgresStore`) adds only how it opens, searches and keeps texts and the search
index (`TextIndex`)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Any

from briefings.store import (
    articles,
    candidates,
    export,
    feeds,
    handled_requests,
    recent,
    rederive,
    search,
    sent,
)
from briefings.store.connection import Database, TextIndex
from briefings.store.interface import (
    ArticleBatch,
    CitedPoint,
    Locate,
    SaidPoint,
    Stored,
    Subscription,
)
from briefings.store.schedules import ScheduleStore
from briefings.store.search import SearchIndex

if TYPE_CHECKING:
    from briefings.derive import DerivedArticle
    from briefings.engine.candidates import ArticleInfo, Candidate
    from briefings.engine.figures import StoredFact
    from briefings.engine.recent import FactLine, Reported
    from briefings.models import ArticleDraft, Feed, FeedEvent, SearchHit


class SqlStore:
    """`briefings.store.interface.Store` over `db`, with the backend's own way of keeping texts
    and the search index (`index`) and of searching it (`search_index`)."""

    def __init__(self, db: Database, index: TextIndex, search_index: SearchIndex) -> None:
        self.db = db
        self._index = index
        self._search_index = search_index
        self._schedules = ScheduleStore(db)

    @property
    def schedules(self) -> ScheduleStore:
        return self._schedules

    async def close(self) -> None:
        await self.db.close()

    def bulk_import(self) -> AbstractAsyncContextManager[None]:
        return self.db.bulk_import()

    async def stored_ids(self, keys: Iterable[str]) -> dict[str, int]:
        return await articles.ids_by_key(self.db.fetchall, keys)

    async def store_articles(self, batches: Sequence[ArticleBatch], *, now: str) -> list[Stored]:
        async with self.db.transaction() as conn:
            return [
                await articles.store_batch(conn, batch, now=now, index=self._index)
                for batch in batches
            ]

    async def seeds_loaded(self) -> bool:
        return await export.seeds_loaded(self.db)

    async def store_seeds(self, batch: ArticleBatch, *, now: str) -> Stored:
        async with self.db.transaction() as conn:
            stored = await articles.store_batch(conn, batch, now=now, index=self._index)
            await export.mark_seeds_loaded(conn, now)
        return stored

    async def subscribe(
        self, subscription: Subscription, batch: ArticleBatch, *, now: str
    ) -> tuple[int, Stored]:
        workspace, url = subscription.workspace, subscription.url
        async with self.db.transaction() as conn:
            feed_id = await feeds.upsert(
                conn, workspace, url, subscription.title, subscription.actor, now
            )
            await feeds.record_event(conn, workspace, url, "add", subscription.actor, now)
            linked = dataclasses.replace(batch, feed_id=feed_id)
            stored = await articles.store_batch(conn, linked, now=now, index=self._index)
        return feed_id, stored

    async def unsubscribe(self, feed: Feed, actor: str, *, now: str) -> None:
        async with self.db.transaction() as conn:
            await feeds.delete(conn, feed.id)
            await feeds.record_event(conn, feed.workspace, feed.url, "remove", actor, now)

    async def feed(self, workspace: str, url: str) -> Feed | None:
        return await feeds.get(self.db, workspace, url)

    async def feeds(self, workspace: str) -> list[Feed]:
        return await feeds.list_for(self.db, workspace)

    async def due_feeds(self, now: str, workspace: str | None = None) -> list[Feed]:
        return await feeds.due(self.db, now, workspace)

    async def claim_due_feed(
        self, owner: str, *, due_by: str, now: str, until: str, workspace: str | None = None
    ) -> Feed | None:
        return await feeds.claim_due(
            self.db, owner, due_by=due_by, now=now, until=until, workspace=workspace
        )

    async def first_time_handled(self, key: str, now: str, until: str) -> bool:
        return await handled_requests.first_time(self.db, key, now, until)

    async def feed_history(self, workspace: str, limit: int = 50) -> list[FeedEvent]:
        return await feeds.history(self.db, workspace, limit)

    async def record_poll_success(
        self,
        feed_id: int,
        *,
        now: str,
        next_poll: str,
        etag: str | None,
        last_modified: str | None,
    ) -> None:
        async with self.db.transaction() as conn:
            await feeds.record_success(
                conn,
                feed_id,
                now=now,
                next_poll=next_poll,
                etag=etag,
                last_modified=last_modified,
            )

    async def record_poll_failure(
        self, feed_id: int, *, now: str, next_poll: str, error: str, pause: bool
    ) -> None:
        async with self.db.transaction() as conn:
            await feeds.record_failure(
                conn, feed_id, now=now, next_poll=next_poll, error=error, pause=pause
            )

    async def rules_version(self) -> int | None:
        return await rederive.rules_version(self.db)

    async def start_rederive(self) -> int:
        async with self.db.transaction() as conn:
            return await rederive.start(conn)

    async def rederive_remaining(self, next_id: int) -> int:
        return await rederive.remaining(self.db, next_id)

    async def stored_drafts(self, next_id: int, limit: int) -> list[tuple[int, ArticleDraft]]:
        return await rederive.stored_drafts(self.db, next_id, limit)

    async def replace_derived(
        self, derived: Sequence[tuple[int, DerivedArticle]], next_id: int
    ) -> None:
        async with self.db.transaction() as conn:
            await rederive.replace_derived(conn, derived, next_id, self._index)

    async def finish_rederive(self, version: int) -> None:
        async with self.db.transaction() as conn:
            await rederive.finish(conn, version, self._index)

    async def search(self, workspace: str, query: str, limit: int = 10) -> list[SearchHit]:
        return await search.search(self.db, workspace, query, limit, self._search_index)

    async def seed_articles(self) -> list[dict[str, Any]]:
        return await export.seed_articles(self.db)

    async def imported_count(self, workspace: str) -> int:
        return await export.imported_count(self.db, workspace)

    def export(self, workspace: str) -> AsyncIterator[dict[str, Any]]:
        return export.export(self.db, workspace)

    async def cited_articles(self, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
        return await export.cited_articles(self.db, ids)

    async def in_window(
        self, workspace: str, topics: Sequence[str], since: dt.datetime | None, until: dt.datetime
    ) -> list[Candidate]:
        return await candidates.in_window(self.db, workspace, topics, since, until)

    async def latest(self, workspace: str, topics: Sequence[str], articles: int) -> list[Candidate]:
        return await candidates.latest(self.db, workspace, topics, articles)

    async def newest(
        self, workspace: str, topics: Sequence[str], articles: int, *, dated_only: bool = True
    ) -> list[Candidate]:
        return await candidates.newest(self.db, workspace, topics, articles, dated_only=dated_only)

    async def newest_per_topic(
        self, workspace: str, topics: Sequence[str], articles: int
    ) -> dict[str, list[Candidate]]:
        return await candidates.newest_per_topic(self.db, workspace, topics, articles)

    async def newest_report(self, workspace: str) -> list[ArticleInfo]:
        return await candidates.newest_report(self.db, workspace)

    async def recent_facts(self, workspace: str, *, limit: int | None = None) -> list[FactLine]:
        return await recent.recent_facts(self.db, workspace, limit=limit)

    async def dated_ahead(
        self, workspace: str, kind: str, today: dt.date, *, limit: int = recent.AHEAD_ROWS
    ) -> list[FactLine]:
        return await recent.dated_ahead(self.db, workspace, kind, today, limit=limit)

    async def with_stories(self, found: Sequence[Reported]) -> list[Reported]:
        return await recent.with_stories(self.db, found)

    async def articles(self, ids: Iterable[int]) -> dict[int, ArticleInfo]:
        return await recent.articles(self.db, ids)

    async def countries(
        self, figures: Iterable[Reported], kind: str
    ) -> dict[tuple[int, int | None], int]:
        return await recent.countries(self.db, figures, kind)

    async def fact_rows(
        self, lines: Sequence[FactLine], infos: Mapping[int, ArticleInfo]
    ) -> dict[int, StoredFact]:
        return await recent.fact_rows(self.db, lines, infos)

    async def cited_facts(
        self, article_ids: Sequence[int], kinds: Sequence[str]
    ) -> list[StoredFact]:
        return await recent.cited_facts(self.db, article_ids, kinds)

    async def last_briefing(self, workspace: str, channel: str) -> tuple[int, str] | None:
        return await sent.last_sent(self.db, workspace, channel)

    async def recent_points(self, workspace: str, channel: str, count: int) -> list[SaidPoint]:
        return await sent.recent_points(self.db, workspace, channel, count)

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
        return await sent.record(
            self.db,
            workspace,
            channel,
            created_at=created_at,
            window=window,
            points=points,
            locate=locate,
        )
