"""Builders for engine tests that rank hand-made sentences without a store."""

from __future__ import annotations

import datetime as dt

from briefings.engine.candidates import ArticleInfo
from briefings.models import Published

STORED = dt.datetime(2026, 11, 28, tzinfo=dt.UTC)


def report(article_id: int, published: str | None) -> ArticleInfo:
    """A cited article of its own story, dated as given ("2026-11-27", "2026", None)."""
    return ArticleInfo(
        id=article_id,
        story_id=article_id,
        title=f"Report {article_id}",
        publisher=None,
        url=None,
        published=Published.from_iso(published),
        added_at=STORED,
    )
