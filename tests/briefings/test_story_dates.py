"""A story's copies share its date (the earliest dated member's), and only a feed's later polls
bring articles that count as arriving live."""

import datetime as dt
import sqlite3
from contextlib import closing

import pytest

from briefings.models import ArticleDraft, Precision, Published
from briefings.stories import story_date
from tests.briefings.corpus_helpers import corpus_at, rss
from tests.briefings.schema_steps import WITHOUT_FACT_OWNERS, WITHOUT_LEASES, WITHOUT_STORY_LEADS
from tests.fakes.feed_server import Feed, FeedServer

WIRE = (
    "NATO will send about 600 more troops to Kosovo after riots in Leposavic left several "
    "peacekeepers hurt, an alliance spokesman said. The soldiers come from the alliance's "
    "operational reserve and will reach Pristina within a week. KFOR said its patrols in the "
    "north would be doubled until the situation calms. Local Serb leaders called for restraint "
    "and asked residents to stay away from the municipal building."
)


def day(iso: str) -> Published:
    return Published.from_iso(iso)


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        (["2026-06-01", "2026-11-20"], "2026-06-01"),  # a reprint months later
        (["2026-06-01", None], "2026-06-01"),  # an undated aggregator copy
        (["2023", "2023-05-30"], "2023-05-30"),  # a year-only copy of a day-dated story
        (["2023-05", "2023-05-31"], "2023-05-31"),  # the same last day: the more precise
        (["2022", "2023-05-30"], "2022"),  # a year that ends before the day
        (["2023-02", "2023-03-01"], "2023-02"),
        ([None, None], None),
    ],
)
def test_a_story_is_dated_by_its_earliest_dated_member(dates, expected):
    assert story_date(day(d) for d in dates).iso == expected


def draft(url: str, published: str | None, text: str = WIRE) -> ArticleDraft:
    return ArticleDraft(
        title="NATO sends 600 more troops", text=text, url=url, published=day(published)
    )


def stored(path, url: str) -> tuple[str | None, list[str | None]]:
    """An article's story date, and the dates its facts carry."""
    with closing(sqlite3.connect(path)) as conn:
        [(article_id, story_published)] = conn.execute(
            "SELECT id, story_published FROM articles WHERE url = ?", (url,)
        )
        facts = [
            p
            for (p,) in conn.execute(
                "SELECT published FROM facts WHERE article_id = ?", (article_id,)
            )
        ]
    return story_published, facts


async def test_undated_and_reprinted_copies_take_the_story_date(tmp_path):
    path = tmp_path / "kfor.sqlite3"
    async with corpus_at(path, load_seeds=False) as corpus:
        await corpus.ingest_drafts([draft("https://wire.example/a", "2026-06-01")], workspace="w")
        await corpus.ingest_drafts(
            [
                draft("https://aggregator.example/b", None),
                draft("https://reprint.example/c", "2026-11-20"),
            ],
            workspace="w",
        )
        records = {r["url"]: r async for r in corpus.export("w")}
    assert len({r["story_id"] for r in records.values()}) == 1
    for url in records:
        story_published, facts = stored(path, url)
        assert story_published == "2026-06-01"
        assert facts
        assert set(facts) == {"2026-06-01"}
    # Each keeps its own publication date.
    assert records["https://aggregator.example/b"]["published"] is None
    assert records["https://reprint.example/c"]["published"] == "2026-11-20"


async def test_an_earlier_copy_arriving_later_moves_the_whole_story_back(tmp_path):
    path = tmp_path / "kfor.sqlite3"
    async with corpus_at(path, load_seeds=False) as corpus:
        await corpus.ingest_drafts([draft("https://late.example/a", "2026-06-09")], workspace="w")
        await corpus.ingest_drafts([draft("https://undated.example/b", None)], workspace="w")
        await corpus.ingest_drafts([draft("https://first.example/c", "2026-06-01")], workspace="w")
    for url in ("https://late.example/a", "https://undated.example/b", "https://first.example/c"):
        assert stored(path, url) == ("2026-06-01", ["2026-06-01"])


async def test_a_story_with_no_dated_member_stays_undated(tmp_path):
    path = tmp_path / "kfor.sqlite3"
    async with corpus_at(path, load_seeds=False) as corpus:
        await corpus.ingest_drafts([draft("https://undated.example/b", None)], workspace="w")
    assert stored(path, "https://undated.example/b") == (None, [None])


async def test_an_older_store_gets_story_dates_on_upgrade(tmp_path):
    path = tmp_path / "kfor.sqlite3"
    async with corpus_at(path, load_seeds=False) as corpus:
        await corpus.ingest_drafts(
            [
                draft("https://undated.example/b", None),
                draft("https://wire.example/a", "2026-06-01"),
            ],
            workspace="w",
        )
    # Back to the schema before migration 0008: no story dates, facts dated by their article.
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.executescript(WITHOUT_LEASES)
        conn.executescript(WITHOUT_STORY_LEADS)
        conn.executescript(
            """DROP INDEX articles_by_story_published;
               ALTER TABLE articles DROP COLUMN story_published;
               ALTER TABLE articles DROP COLUMN live;
               UPDATE facts SET published = (
                   SELECT published FROM articles WHERE articles.id = facts.article_id);
               DELETE FROM meta WHERE key = 'rules_version';
               PRAGMA user_version = 7;"""
        )
        conn.executescript(WITHOUT_FACT_OWNERS)
    async with corpus_at(path, load_seeds=False) as corpus:
        # Derived before rules had versions: the user is told to run `rederive`.
        assert await corpus.rules_outdated()
    assert stored(path, "https://undated.example/b") == ("2026-06-01", ["2026-06-01"])


async def test_only_polls_after_a_feeds_first_read_bring_live_articles(tmp_path):
    path = tmp_path / "kfor.sqlite3"
    first = (
        "Roadblock cleared",
        "https://news.example/1",
        "",
        "Police cleared a roadblock near Jarinje.",
    )
    later = (
        "Crossing reopens",
        "https://news.example/2",
        "",
        "The Brnjak crossing reopened to cars.",
    )
    imported = tmp_path / "old.xml"
    imported.write_bytes(
        rss(
            "Archive",
            [
                (
                    "Plates deal",
                    "https://archive.example/9",
                    "",
                    "Kosovo and Serbia agreed on plates.",
                )
            ],
        )
    )
    async with FeedServer() as server, corpus_at(path, load_seeds=False) as corpus:
        server.add_feed("/feed.xml", Feed(rss("News", [first])))
        await corpus.add_feed("w", server.url("/feed.xml"), "mod")
        server.add_feed("/feed.xml", Feed(rss("News", [first, later])))
        await corpus.poll("w", due_only=False)
        [_ async for _ in corpus.ingest_files([imported], workspace="w")]
    with closing(sqlite3.connect(path)) as conn:
        live = dict(conn.execute("SELECT url, live FROM articles"))
    assert live == {
        "https://news.example/1": 0,  # the feed's first read: its backlog
        "https://news.example/2": 1,  # a later poll
        "https://archive.example/9": 0,  # a file import
    }


def test_published_precision_is_read_from_the_prefix():
    assert day("2026").precision is Precision.YEAR
    assert day("2026-06").value == dt.date(2026, 6, 1)
