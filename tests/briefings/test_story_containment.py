"""Copies make one story: trimmed, re-headlined and syndicated copies share the story's
beginning; different outlets' own reports of one event do not."""

from __future__ import annotations

import datetime as dt
import sqlite3
import zlib
from contextlib import closing

import numpy as np

from briefings.derive import derive, stored_draft
from briefings.ingest.seeds import seed_drafts
from briefings.models import ArticleDraft
from briefings.render import render
from briefings.replies import search_reply
from briefings.signature import (
    CONTAINED_LEAD,
    CONTAINED_MIN_SHINGLES,
    LEAD_BAND,
    LEAD_KEYS,
    LEAD_WORDS,
    SAME_LEAD,
    SHINGLE_WORDS,
    lead_keys,
)
from briefings.store import stories
from briefings.topics import load_profiles
from tests.briefings.corpus_helpers import corpus_at

PROFILES = load_profiles(())
# A story of ten sentences, written for this test.
STORY = [
    "Kosovo police closed the Brnjak crossing to lorries on Tuesday after a crowd of farmers "
    "parked tractors across the approach road.",
    "The farmers are protesting against a new tax on imported animal feed that took effect at "
    "the start of the month.",
    "Cars were still allowed through in both directions, though drivers waited for up to three "
    "hours at the barrier.",
    "A police spokesman said officers would not remove the tractors by force while talks with "
    "the farmers' union continued.",
    "The union's leader said the blockade would last until the government suspended the tax or "
    "agreed to meet its representatives.",
    "Hauliers from Serbia said dozens of trucks carrying fruit were stuck on the other side.",
    "The trade ministry in Pristina said the tax was needed to protect local producers.",
    "Economists warned that a long closure could push up food prices in the north.",
    "KFOR said its patrols in the area had noticed no violence.",
    "A second round of talks is planned for Thursday morning in Mitrovica.",
]
# Another outlet's own report of the same event.
OWN_REPORT = [
    "Tractors blocked the road to the Brnjak border post for a second day on Wednesday as "
    "farmers kept up their protest over a levy on feed imports.",
    "Long queues of passenger cars formed on both sides, according to a reporter at the scene.",
    "Government officials met union representatives late on Tuesday without reaching a deal.",
    "The blockade has left fruit shipments from Serbia waiting at the crossing.",
]


def _derived(title: str, sentences: list[str], url: str):
    return derive(ArticleDraft(title=title, text="\n\n".join(sentences), url=url), PROFILES)


async def _stories_of(tmp_path, drafts: list[ArticleDraft]) -> dict[str, int]:
    async with corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        for draft in drafts:
            await corpus.ingest_drafts([draft], workspace="local")
        return {r["url"]: r["story_id"] async for r in corpus.export("local") if r["url"]}


def _draft(title: str, sentences: list[str], url: str) -> ArticleDraft:
    return ArticleDraft(title=title, text="\n\n".join(sentences), url=url)


async def test_a_teaser_of_the_first_four_sentences_joins_the_story(tmp_path) -> None:
    full = _draft("Farmers block the Brnjak crossing", STORY, "https://wire.example/1")
    teaser = _draft(
        "Tractors shut Brnjak to lorries",
        [*STORY[:4], "Read the full story on our partner site."],
        "https://aggregator.example/1",
    )
    found = await _stories_of(tmp_path, [full, teaser])
    assert found[teaser.url] == found[full.url]


async def test_a_story_and_its_earlier_teaser_make_one_story_in_either_order(tmp_path) -> None:
    teaser = _draft("Brnjak shut to lorries", STORY[:4], "https://aggregator.example/2")
    full = _draft("Farmers block the Brnjak crossing", STORY, "https://wire.example/2")
    found = await _stories_of(tmp_path, [teaser, full])
    assert found[teaser.url] == found[full.url]


async def test_a_re_headlined_copy_with_its_own_header_and_footer_joins(tmp_path) -> None:
    full = _draft("Farmers block the Brnjak crossing", STORY, "https://wire.example/3")
    copy = _draft(
        "Tax protest halts lorries at the border",
        ["Regional Desk | Wednesday", *STORY, "\u00a9 2026 Regional Desk. All rights reserved."],
        "https://regional.example/3",
    )
    found = await _stories_of(tmp_path, [full, copy])
    assert found[copy.url] == found[full.url]


async def test_another_outlets_own_report_of_the_event_is_another_story(tmp_path) -> None:
    full = _draft("Farmers block the Brnjak crossing", STORY, "https://wire.example/4")
    own = _draft("Brnjak blockade enters second day", OWN_REPORT, "https://daily.example/4")
    found = await _stories_of(tmp_path, [full, own])
    assert found[own.url] != found[full.url]


async def test_two_stories_that_end_with_the_same_background_are_two_stories(tmp_path) -> None:
    background = [
        "KFOR has been deployed in Kosovo since 1999 and now counts about 4,500 soldiers from 27 "
        "countries under a United Nations mandate.",
        "Serbia does not recognise the independence that Kosovo declared in 2008, and the north "
        "of Kosovo, where most Serbs live, has seen repeated unrest since then.",
    ]
    first = _draft(
        "Italian troops take over patrols",
        [
            "Italian soldiers took over patrols around the Decani monastery on Monday.",
            "They replace a Slovenian company that guarded the site for six months.",
            "The abbot thanked the departing soldiers at a short ceremony in the courtyard.",
            *background,
        ],
        "https://a.example/5",
    )
    second = _draft(
        "Polish engineers repair a bridge",
        [
            "Polish army engineers repaired a damaged bridge near Zubin Potok on Friday.",
            "Heavy lorries had cracked its deck during the blockade last winter.",
            "The road reopened to cars in the afternoon and to buses a day later.",
            *background,
        ],
        "https://b.example/5",
    )
    found = await _stories_of(tmp_path, [first, second])
    assert found[first.url] != found[second.url]


def test_the_lead_search_finds_a_pair_at_the_threshold_with_99_percent_probability() -> None:
    # A lead holds at most this many 4-grams.
    most = LEAD_WORDS - SHINGLE_WORDS + 1
    # A contained lead at the threshold is no less alike than SAME_LEAD.
    shared = CONTAINED_LEAD * CONTAINED_MIN_SHINGLES
    assert shared / (most + CONTAINED_MIN_SHINGLES - shared) >= SAME_LEAD
    # Missed only when none of the LEAD_KEYS smallest hashes of the union is shared.
    assert 1 - (1 - SAME_LEAD) ** LEAD_KEYS >= 0.99
    # And so it is, for random leads at the threshold: 97 4-grams each, Jaccard 0.3.
    rng = np.random.default_rng(7)
    found = 0
    trials = 4000
    for _ in range(trials):
        union = rng.choice(2**32, size=149, replace=False).astype(np.uint32)
        a = np.sort(union[:97])
        b = np.sort(np.concatenate([union[:45], union[97:]]))
        assert abs(45 / 149 - SAME_LEAD) < 0.01
        found += bool(set(lead_keys(a)) & set(lead_keys(b)))
    assert found / trials >= 0.99


def test_lead_keys_have_a_band_number_of_their_own() -> None:
    keys = _derived("Farmers block the Brnjak crossing", STORY, "https://wire.example/6").lead_keys
    assert len(keys) == LEAD_KEYS
    assert all(key >> 43 == LEAD_BAND for key in keys)


async def test_a_lead_key_many_articles_share_is_boilerplate_and_stops_growing(tmp_path) -> None:
    opening = STORY[0]
    drafts = [
        _draft(f"Item {i}", [opening, f"This is item number {i} of {i * 7} in the list."], None)
        for i in range(stories.LEAD_KEY_CAP + 10)
    ]
    async with corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        for draft in drafts:
            await corpus.ingest_drafts([draft], workspace="local")
    with closing(sqlite3.connect(tmp_path / "kfor.sqlite3")) as conn:
        counts = conn.execute(
            "SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM signature_bands WHERE band >= ? "
            "GROUP BY band)",
            (LEAD_BAND << 43,),
        ).fetchone()
    assert counts[0] <= stories.LEAD_KEY_CAP


async def test_rederive_groups_copies_an_older_version_kept_apart(tmp_path) -> None:
    full = _draft("Farmers block the Brnjak crossing", STORY, "https://wire.example/7")
    teaser = _draft("Brnjak shut to lorries", STORY[:4], "https://aggregator.example/7")
    own = _draft("Brnjak blockade enters second day", OWN_REPORT, "https://daily.example/7")
    dated = _draft(
        "Farmers block Brnjak", [f"BRNJAK, Kosovo (Agency) - {STORY[0]}"], "https://x.example/9"
    )
    path = tmp_path / "kfor.sqlite3"
    async with corpus_at(path) as corpus:
        for draft in (full, teaser, own, dated):
            await corpus.ingest_drafts([draft], workspace="local")
    # As an older version left them: every article its own story, no leads, rules version 2.
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute("UPDATE articles SET story_id = id")
        conn.execute("DELETE FROM signature_bands WHERE band >= ?", (LEAD_BAND << 43,))
        conn.execute("DELETE FROM story_leads")
        conn.execute("UPDATE meta SET value = '2' WHERE key = 'rules_version'")
    async with corpus_at(path) as corpus:
        assert await corpus.rules_outdated()
        await corpus.rederive()
        assert not await corpus.rules_outdated()
    with closing(sqlite3.connect(path)) as conn:
        found = dict(conn.execute("SELECT url, story_id FROM articles WHERE url IS NOT NULL"))
        [(dateline, text)] = conn.execute(
            "SELECT dateline, text FROM articles WHERE url = ?", (dated.url,)
        )
    assert found[teaser.url] == found[full.url]
    assert found[own.url] != found[full.url]
    # The dateline stays apart from the text it was trimmed from.
    assert dateline == "BRNJAK, Kosovo (Agency)"
    assert b"BRNJAK" not in zlib.decompress(text)


def test_seeds_derived_again_from_what_is_stored_come_out_the_same() -> None:
    for draft in seed_drafts():
        first = derive(draft, PROFILES)
        again = derive(stored_draft(first.title, first.text, first.dateline), PROFILES)
        assert (again.title, again.text, again.dateline) == (
            first.title,
            first.text,
            first.dateline,
        )
        assert (again.topics, again.lead_keys, again.bands) == (
            first.topics,
            first.lead_keys,
            first.bands,
        )


async def test_the_dateline_is_stored_with_the_article(tmp_path) -> None:
    draft = _draft(
        "Farmers block Brnjak", [f"BRNJAK, Kosovo (Agency) - {STORY[0]}"], "https://x.example/9"
    )
    await _stories_of(tmp_path, [draft])
    with closing(sqlite3.connect(tmp_path / "kfor.sqlite3")) as conn:
        [(dateline,)] = conn.execute("SELECT dateline FROM articles WHERE url = ?", (draft.url,))
    assert dateline == "BRNJAK, Kosovo (Agency)"


async def test_a_story_and_its_teaser_are_one_search_hit_citing_both(tmp_path) -> None:
    full = _draft("Farmers block the Brnjak crossing", STORY, "https://wire.example/8")
    teaser = _draft("Brnjak shut to lorries", STORY[:4], "https://aggregator.example/8")
    own = _draft("Brnjak blockade enters second day", OWN_REPORT, "https://daily.example/8")
    async with corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        await corpus.ingest_drafts([full, teaser, own], workspace="local")
        hits = await corpus.search("local", "Brnjak tractors")
    # The story is one hit (its best match first, the other copy cited with it); the other
    # outlet's report is a hit of its own. (Seeds that name only Brnjak follow, without "tractors".)
    found = [{h.url, *(c.url for c in h.copies)} for h in hits if not h.missing]
    assert sorted(found, key=len) == [{own.url}, {full.url, teaser.url}]
    story = next(h for h in hits if h.copies)
    reply = search_reply("Brnjak tractors", [story], dt.datetime(2026, 12, 1, tzinfo=dt.UTC))
    assert reply["results"][0]["citations"] == [1, 2]
    assert [s["url"] for s in reply["sources"]] == [story.url, story.copies[0].url]
    text = render(reply, "text")
    assert text.startswith('1 result for "Brnjak tractors":')
    assert f"also: publisher unknown, date unknown - {story.copies[0].url}\n" in text
    assert story.copies[0].url in render(reply, "markdown")
