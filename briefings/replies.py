"""Reply data objects (DESIGN.md section 5): the one shape every format and platform renders from."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from briefings.models import Feed, FeedEvent, SearchHit
from briefings.reply_types import FeedsReply, SearchReply, SearchResult, Source, SourcesReply


def source_entry(
    ref: int,
    article_id: int,
    title: str,
    publisher: str | None,
    published: str | None,
    url: str | None,
) -> Source:
    """One numbered reference, as cited by the points of a reply."""
    return {
        "ref": ref,
        "article_id": article_id,
        "title": title,
        "publisher": publisher,
        "published": published,
        "url": url,
    }


def search_reply(query: str, hits: Sequence[SearchHit], generated_at: dt.datetime) -> SearchReply:
    """Search results, each with its snippet citing its own article and every copy of its story.

    `missing` lists the query words a result lacks (it matched most of them, not all).
    """
    results: list[SearchResult] = []
    sources: list[Source] = []
    for hit in hits:
        refs = []
        for article in (hit, *hit.copies):
            ref = len(sources) + 1
            refs.append(ref)
            sources.append(
                source_entry(
                    ref,
                    article.article_id,
                    article.title,
                    article.publisher,
                    article.published.iso,
                    article.url,
                )
            )
        results.append(
            {
                "title": hit.title,
                "snippet": hit.snippet,
                "citations": refs,
                "missing": list(hit.missing),
            }
        )
    return {
        "kind": "search",
        "generated_at": generated_at.isoformat(timespec="seconds"),
        "query": query,
        "results": results,
        "sources": sources,
    }


def feeds_reply(
    workspace: str, feeds: Sequence[tuple[Feed, str]], history: Sequence[FeedEvent] = ()
) -> FeedsReply:
    """A workspace's feeds with their health, and optionally the audit trail."""
    return {
        "kind": "feeds",
        "workspace": workspace,
        "feeds": [
            {
                "url": feed.url,
                "title": feed.title,
                "health": health,
                "added_by": feed.added_by,
                "added_at": feed.added_at,
                "last_success": feed.last_success,
                "last_error": feed.last_error,
                "last_error_at": feed.last_error_at,
                "consecutive_failures": feed.consecutive_failures,
                "next_poll": feed.next_poll,
                "items_seen": feed.items_seen,
            }
            for feed, health in feeds
        ],
        "history": [
            {"url": e.url, "action": e.action, "actor": e.actor, "at": e.at} for e in history
        ],
    }


def sources_reply(
    workspace: str,
    feeds: Sequence[tuple[Feed, str]],
    seeds: Sequence[dict[str, Any]],
    imported: int,
) -> SourcesReply:
    """What a workspace's replies draw on: its feeds with health, its imports, and the seeds."""
    listed = feeds_reply(workspace, feeds)
    return {
        "kind": "sources",
        "workspace": workspace,
        "feeds": listed["feeds"],
        "imported": imported,
        "seeds": [
            source_entry(ref, s["id"], s["title"], s["publisher"], s["published"], s["url"])
            for ref, s in enumerate(seeds, start=1)
        ],
    }
