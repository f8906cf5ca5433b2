"""A window holding more sentences than a brief ranks keeps the newest stories' sentences."""

import datetime as dt

from briefings.models import ArticleDraft, Precision, Published
from briefings.store import candidates
from tests.briefings.corpus_helpers import FIXED_NOW, corpus_at

TOPICS = ["kfor", "border", "plates"]


def draft(day: int, n: int) -> ArticleDraft:
    return ArticleDraft(
        title=f"Patrol report {n}",
        text=(
            f"KFOR troops patrolled the Jarinje crossing on day {n} of the month. "
            f"Police reported {n + 3} vehicles turned back at the border. "
            "The mission said the situation was calm."
        ),
        url=f"https://news.example/patrol-{n}",
        publisher="Wire",
        published=Published(dt.date(2026, 11, day), Precision.DAY),
    )


async def test_a_capped_window_keeps_exactly_the_newest_stories_sentences(tmp_path, monkeypatch):
    async with corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        await corpus.ingest_drafts([draft(1 + n % 20, n) for n in range(12)], workspace="w")
        until = FIXED_NOW
        whole = await corpus.store.in_window("w", TOPICS, None, until)
        assert len(whole) > 10
        newest_first = sorted(
            whole,
            key=lambda c: (c.article.story_published.value or "", c.article.id, -c.idx),
            reverse=True,
        )
        assert [(c.article.id, c.idx) for c in whole] == [
            (c.article.id, c.idx) for c in newest_first
        ]
        monkeypatch.setattr(candidates, "MAX_WINDOW_SENTENCES", 7)
        capped = await corpus.store.in_window("w", TOPICS, None, until)
        # Seven sentence rows are read; a row scored only on a topic its article is not about
        # is dropped after, so the reply ranks the first candidates of the whole window.
        assert 0 < len(capped) <= 7
        assert [(c.article.id, c.idx) for c in capped] == [
            (c.article.id, c.idx) for c in whole[: len(capped)]
        ]
