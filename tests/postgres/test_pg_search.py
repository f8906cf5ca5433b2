"""Search on PostgreSQL keeps SQLite's promises: the same articles, stored in both, give the same
hits for the same query.

Order follows each engine's relevance (bm25 on SQLite, ts_rank here), so a test asserts the
order only where one match is clearly better or the matches are equal; docs/search.md says where
the engines may order near matches differently.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from briefings.corpus import Corpus
from briefings.models import ArticleDraft, Published, SearchHit
from briefings.render import FORMATS, render
from briefings.replies import search_reply
from briefings.store import open_store
from briefings.store.postgres.copy import copy_store
from tests.briefings.corpus_helpers import FIXED_NOW, corpus_at

Hits = list[SearchHit]


def draft(title: str, text: str, slug: str, published: str | None = None) -> ArticleDraft:
    return ArticleDraft(
        title=title,
        text=text,
        url=f"https://newsroom.example/{slug}",
        publisher="Newsroom",
        published=Published.from_iso(published) if published else Published(),
    )


class Both:
    """A SQLite corpus and a PostgreSQL one holding the same articles, searched alike."""

    def __init__(self, sqlite: Corpus, postgresql: Corpus) -> None:
        self.sqlite = sqlite
        self.postgresql = postgresql

    async def search(self, workspace: str, query: str, limit: int = 10) -> tuple[Hits, Hits]:
        """(SQLite's hits, PostgreSQL's hits)."""
        return (
            await self.sqlite.search(workspace, query, limit),
            await self.postgresql.search(workspace, query, limit),
        )

    async def same(self, workspace: str, query: str, limit: int = 10) -> Hits:
        """PostgreSQL's hits, asserted equal to SQLite's in every detail a reply shows."""
        on_sqlite, on_pg = await self.search(workspace, query, limit)
        assert _shown(on_pg) == _shown(on_sqlite), query
        return on_pg


def _shown(hits: Hits) -> list[tuple[object, ...]]:
    return [
        (h.title, h.url, h.published, h.snippet, h.missing, [(c.title, c.url) for c in h.copies])
        for h in hits
    ]


@asynccontextmanager
async def stored(
    tmp_path: Path, pg_url: str, *batches: tuple[str, list[ArticleDraft]]
) -> AsyncIterator[Both]:
    """The drafts ingested per workspace into a new SQLite corpus and a new PostgreSQL one."""
    async with (
        corpus_at(tmp_path / "search.sqlite3", load_seeds=False) as sqlite,
        corpus_at(pg_url, load_seeds=False) as postgresql,
    ):
        for workspace, drafts in batches:
            for one in drafts:  # one at a time: each stored after the one before
                await sqlite.ingest_drafts([one], workspace=workspace)
                await postgresql.ingest_drafts([one], workspace=workspace)
        yield Both(sqlite, postgresql)


PLACES = [
    draft(
        "Lorries queue outside Zvečan",
        "Drivers waited most of the night outside Zvečan while police checked their papers.",
        "zvecan",
        "2026-11-02",
    ),
    draft(
        "Ibar footbridge in Mitrovicë opens",
        "Pedestrians crossed the new footbridge over the Ibar in Mitrovicë on Tuesday morning.",
        "mitrovica",
        "2026-11-03",
    ),
    draft(
        "Electricity bills discussed in Prishtina",
        "Ministers met in Prishtina to settle who pays for power used in four northern towns.",
        "pristina",
        "2026-11-04",
    ),
    draft(
        "Tractors leave the road to Jarinje",
        "Farmers drove their tractors off the road to Jarinje once the talks ended.",
        "jarinje",
        "2026-11-05",
    ),
]


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("zvecan", "zvecan"),
        ("ZVEČAN", "zvecan"),
        ("Zvecani", "zvecan"),
        ("Mitrovica", "mitrovica"),
        ("mitrovicë", "mitrovica"),
        ("Pristina", "pristina"),
        ("prishtinë", "pristina"),
        ("Jarinjë", "jarinje"),
        ("jarinja", "jarinje"),
    ],
)
async def test_diacritics_and_serbian_or_albanian_spellings_find_the_same_report(
    tmp_path, pg_url, query, slug
):
    async with stored(tmp_path, pg_url, ("local", PLACES)) as both:
        hits = await both.same("local", query)
    assert [h.url for h in hits] == [f"https://newsroom.example/{slug}"]


WORDS = [
    draft(
        "Patrol attacked near Leposavić",
        "Two peacekeepers were wounded when stones hit their vehicle on the road north of "
        "Leposavić.",
        "patrol",
        "2026-11-06",
    ),
    draft(
        "Clinic in Gjilan treats market injuries",
        "Doctors in Gjilan dealt with several injuries after a scuffle between traders.",
        "clinic",
        "2026-11-07",
    ),
    draft(
        "Vehicle registration deadline nears",
        "Owners of cars with old documents must change their registration before March.",
        "registration",
        "2026-11-08",
    ),
]


@pytest.mark.parametrize(
    ("query", "slugs"),
    [
        ("injured soldiers", {"patrol"}),
        ("soldier", {"patrol"}),
        ("injury", {"patrol", "clinic"}),
        ("hurt", {"patrol", "clinic"}),
        ("plates", {"registration"}),
        ("deadlines", {"registration"}),
        ("leposavic", {"patrol"}),
    ],
)
async def test_stems_synonyms_and_other_forms_find_the_same_reports(tmp_path, pg_url, query, slugs):
    async with stored(tmp_path, pg_url, ("local", WORDS)) as both:
        on_sqlite, on_pg = await both.search("local", query)
    assert {h.url.rsplit("/", 1)[1] for h in on_pg if not h.missing} == slugs
    assert {(h.url, h.missing) for h in on_pg} == {(h.url, h.missing) for h in on_sqlite}


# Words that Porter (SQLite's FTS5) and Porter2 stem differently: Porter makes "generous" and
# "general" one stem, and "news" the stem of "new"; Porter2 keeps those apart, and makes "skies"
# the stem of "sky", which Porter does not.
STEMS = [
    draft(
        "Generous gift for the Gracanica clinic",
        "A donor made a generous gift of beds to the clinic.",
        "gift",
        "2026-11-02",
    ),
    draft(
        "General assembly in Pristina",
        "The general assembly of mayors met on Monday.",
        "assembly",
        "2026-11-03",
    ),
    draft(
        "Evening news from Zubin Potok",
        "The evening news covered a quiet day.",
        "evening",
        "2026-11-04",
    ),
    draft(
        "A new bridge in Leposavic",
        "Workers finished the new bridge on Friday.",
        "bridge",
        "2026-11-05",
    ),
    draft(
        "Clear sky over Jarinje", "The sky was clear all day at the crossing.", "sky", "2026-11-06"
    ),
    draft(
        "Grey skies over Brnjak", "Grey skies and rain slowed the traffic.", "skies", "2026-11-07"
    ),
]


@pytest.mark.parametrize(
    ("query", "slugs"),
    [
        ("generous", {"gift", "assembly"}),
        ("news", {"evening", "bridge"}),
        ("skies", {"skies"}),
        ("sky", {"sky"}),
    ],
)
async def test_words_stemmed_apart_by_porter2_find_what_sqlite_finds(
    tmp_path, pg_url, query, slugs
):
    async with stored(tmp_path, pg_url, ("local", STEMS)) as both:
        on_sqlite, on_pg = await both.search("local", query)
    assert {h.url.rsplit("/", 1)[1] for h in on_sqlite} == slugs
    assert {h.url for h in on_pg} == {h.url for h in on_sqlite}


STONES = draft(
    "Stones thrown at a patrol in Zvecan",
    "Three soldiers were hit by stones in Zvecan and taken to the hospital in Mitrovica.",
    "stones",
    "2026-11-10",
)


async def test_without_a_report_of_every_word_those_with_most_words_follow_saying_what_they_lack(
    tmp_path, pg_url
):
    drafts = [
        STONES,
        draft(
            "Car burns in Zvecan",
            "Two troops were hurt in Zvecan when a parked car caught fire beside their jeep.",
            "car",
            "2026-11-12",
        ),
        draft("Budget approved in Gjilan", "The council voted for new school roofs.", "budget"),
    ]
    async with stored(tmp_path, pg_url, ("local", drafts)) as both:
        hits = await both.same("local", "Zvecan soldiers hospital")
    assert [(h.title, h.missing) for h in hits] == [
        ("Stones thrown at a patrol in Zvecan", ()),
        ("Car burns in Zvecan", ("hospital",)),
    ]


async def test_copies_of_one_story_are_one_hit_citing_every_copy(tmp_path, pg_url):
    text = (
        "Engineers from the mission rebuilt a collapsed culvert on the Brnjak road, so buses "
        "can use it again from Monday, the municipality said."
    )
    drafts = [
        draft("Brnjak road open to buses", text, "wire", "2026-11-10"),
        draft("Brnjak road open to buses", text, "reprint", "2026-11-11"),
        draft("Bus timetable for Brnjak", "A new timetable lists four buses a day.", "other"),
    ]
    async with stored(tmp_path, pg_url, ("local", drafts)) as both:
        hits = await both.same("local", "Brnjak buses")
    [story] = [h for h in hits if h.title == "Brnjak road open to buses"]
    assert len(hits) == 2
    assert sorted(a.url.rsplit("/", 1)[1] for a in (story, *story.copies)) == ["reprint", "wire"]


def _dam_report(n: int, *, in_title: bool) -> ArticleDraft:
    title = f"Gazivode dam watch {n}" if in_title else f"Lakeside watch {n}"
    return draft(
        title,
        f"Carabinieri walked the path above the Gazivode dam, log entry {n}; "
        f"they counted {n + 3} boats on the water.",
        f"dam-{n}-{in_title}",
    )


async def test_a_workspace_finds_only_what_it_sees_even_when_others_see_better_matches(
    tmp_path, pg_url
):
    theirs = [_dam_report(n, in_title=True) for n in range(12)]
    mine = [_dam_report(50, in_title=False)]
    async with stored(tmp_path, pg_url, ("guild-a", mine), ("guild-b", theirs)) as both:
        found = await both.same("guild-a", "gazivode", limit=1)
        nothing = await both.same("guild-c", "gazivode")
    assert [h.title for h in found] == ["Lakeside watch 50"]
    assert nothing == []


async def test_a_title_match_comes_first_and_equal_matches_go_newest_first(tmp_path, pg_url):
    common = "Welders from the mission fixed the railings of the Ibar bridge, a spokesman said."
    drafts = [
        draft(
            "Work in the north",
            "Cars took the Zubin Potok road while the old steel was cut away. " + common,
            "older",
            "2026-09-01",
        ),
        draft(
            "Work in the north",
            "Buses went through Leposavic while the new posts were painted. " + common,
            "newer",
            "2026-10-01",
        ),
        draft(
            "Ibar bridge railings fixed",
            "The job in Mitrovica is finished, a spokesman said.",
            "title",
            "2025-04-01",
        ),
    ]
    async with stored(tmp_path, pg_url, ("local", drafts)) as both:
        hits = await both.same("local", "Ibar bridge railings")
    assert [h.url.rsplit("/", 1)[1] for h in hits] == ["title", "newer", "older"]


async def test_a_broad_query_ranks_only_the_newest_matches_and_a_narrower_one_finds_older(
    tmp_path, pg_url, monkeypatch
):
    monkeypatch.setattr("briefings.store.search.MAX_RANKED", 3)
    drafts = [_dam_report(n, in_title=False) for n in range(5)]
    drafts[0] = draft(
        "Lakeside watch 0", drafts[0].text + " Ice covered the Ibar valley road.", "first"
    )
    async with stored(tmp_path, pg_url, ("local", drafts)) as both:
        broad = await both.same("local", "carabinieri")
        narrow = await both.same("local", "carabinieri ibar")
    newest = {"Lakeside watch 2", "Lakeside watch 3", "Lakeside watch 4"}
    assert {h.title for h in broad} <= newest
    assert newest <= {a.title for h in broad for a in (h, *h.copies)}
    assert (narrow[0].title, narrow[0].missing) == ("Lakeside watch 0", ())


@pytest.mark.parametrize(
    "query",
    ["o'brien", "back\\slash", "a & b | !c", "x:* <-> (y", "'", ":*", "NEAR(", "", "of the"],
)
async def test_any_text_is_a_valid_query(tmp_path, pg_url, query):
    drafts = [draft("O'Brien speaks of the back road", "A, b and c; x and y as well.", "odd")]
    async with stored(tmp_path, pg_url, ("local", drafts)) as both:
        assert isinstance(await both.same("local", query), list)


SAME_REPLY_QUERIES = [
    "Zvecan soldiers hospital",
    "Brnjak",
    "mitrovicë footbridge",
    "registration",
    "gazivode",
    "nothing matches this",
]


async def test_a_reply_is_the_same_text_on_both_backends(tmp_path, pg_url):
    drafts = [
        *PLACES,
        *WORDS,
        STONES,
        _dam_report(1, in_title=True),
    ]
    async with stored(tmp_path, pg_url, ("local", drafts)) as both:
        for query in SAME_REPLY_QUERIES:
            on_sqlite, on_pg = await both.search("local", query)
            for fmt in FORMATS:
                assert render(search_reply(query, on_pg, FIXED_NOW), fmt) == render(
                    search_reply(query, on_sqlite, FIXED_NOW), fmt
                ), (query, fmt)


async def test_equally_relevant_undated_reports_come_in_the_same_order(tmp_path, pg_url):
    drafts = [
        draft("Roadblock gone", "Farmers moved their tractors at dawn.", "first"),
        draft("Roadblock gone", "Drivers honked their horns at noon.", "second"),
        draft("Roadblock gone", "Traders reopened their stalls by dusk.", "third"),
    ]
    async with stored(tmp_path, pg_url, ("local", drafts)) as both:
        hits = await both.same("local", "roadblock")
    assert len(hits) == 3


@pytest.mark.parametrize(
    "query", ["plates", "Mitrovicë", "KFOR troops", "license plates Jarinje", "police north"]
)
async def test_a_store_copied_by_migrate_store_finds_what_the_original_finds(
    tmp_path, pg_url, query
):
    path = tmp_path / "seeded.sqlite3"
    async with corpus_at(path) as corpus:
        on_sqlite = await corpus.search("local", query)
    await copy_store(path, pg_url)
    copied = await open_store(pg_url)
    try:
        on_pg = await copied.search("local", query)
    finally:
        await copied.close()
    assert on_sqlite
    # The seeds carry no URL: a hit is told by its headline and publisher.
    assert {(h.title, h.publisher, h.missing) for h in on_pg} == {
        (h.title, h.publisher, h.missing) for h in on_sqlite
    }
