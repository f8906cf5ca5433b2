"""Undated is not new: undated points rank below dated ones and say "date unknown" wherever shown."""

import datetime as dt
import json
import re

from briefings.engine.candidates import Candidate
from briefings.engine.select import recency, select_points
from briefings.models import Published
from briefings.render import render
from briefings.render.platforms import platforms
from briefings.verify import assert_valid
from tests.briefings.corpus_helpers import Clock, corpus_at, rss
from tests.briefings.engine_helpers import report
from tests.fakes.feed_server import Feed, FeedServer

TODAY = dt.date(2026, 12, 5)


def article(article_id, published=None):
    return report(article_id, published)


UNDATED = (
    "Peacekeepers used tear gas to disperse a crowd guarding a roadblock near Jarinje, and "
    "KFOR engineers towed away the trucks."
)
DATED = "KFOR opened a liaison office in Leposavic to improve contact with local communities."


def test_an_undated_sentence_is_not_fresh_however_recently_it_arrived():
    assert recency(Published(), TODAY) == 0.0
    assert recency(Published.from_iso("2026-12-05"), TODAY) == 1.0


def test_a_dated_point_is_chosen_before_a_better_scored_undated_one():
    pool = [
        Candidate(article(1), 0, UNDATED, {"kfor": 0.95}, ("injured", "troops")),
        Candidate(article(2, "2026-10-01"), 0, DATED, {"kfor": 0.3}),
    ]

    chosen = select_points(pool, ["kfor"], reference=TODAY, budget_chars=len(DATED) + 20)

    assert [p.text for p in chosen.points] == [DATED]
    assert chosen.omitted == 1


def test_dated_points_come_first_and_undated_ones_last_in_a_section():
    pool = [
        Candidate(article(1), 0, UNDATED, {"kfor": 0.95}),
        Candidate(article(2, "2026-10-01"), 0, DATED, {"kfor": 0.3}),
    ]

    points = select_points(pool, ["kfor"], reference=TODAY, budget_chars=3500).points

    assert [p.date.iso for p in points] == ["2026-10-01", None]


def brief_with(points):
    sources = [
        {"ref": 1, "article_id": 1, "title": "Roadblock cleared", "publisher": None,
         "published": None, "url": "https://news.example/1"},
        {"ref": 2, "article_id": 2, "title": "Liaison office", "publisher": None,
         "published": "2026-10-01", "url": "https://news.example/2"},
    ]  # fmt: skip
    return {
        "kind": "brief",
        "generated_at": "2026-12-05T12:00:00+00:00",
        "workspace": "local",
        "window": {"since": "2026-11-28T12:00:00+00:00", "until": "2026-12-05T12:00:00+00:00"},
        "note": None,
        "sections": [{"topic": "kfor", "title": "KFOR", "points": points}],
        "omitted": 0,
        "facts": [],
        "conflicts": [],
        "sources": sources,
    }


def test_every_format_says_date_unknown_on_an_undated_point_and_only_there():
    reply = brief_with(
        [
            {"text": DATED, "citations": [2], "date": "2026-10-01"},
            {"text": UNDATED, "citations": [1], "date": None},
        ]
    )
    rendered = {
        "text": render(reply, "text"),
        "markdown": render(reply, "markdown"),
        **{chat.name: json.dumps(chat.messages(reply)) for chat in platforms()},
    }

    for fmt, text in rendered.items():
        # Lines of the rendered text, or of the JSON string values holding them.
        lines = re.split(r"\n|\\n", text)
        undated_line = next(line for line in lines if "towed away" in line)
        dated_line = next(line for line in lines if "liaison office" in line)
        assert "(date unknown)" in undated_line, fmt
        assert "date unknown" not in dated_line, fmt


# --- windows over a real store, with a clock the test moves -------------------------------------


ROADBLOCK = (
    "Roadblock near Jarinje removed",
    "https://archive.example/roadblock",
    "",
    UNDATED + " Two soldiers were slightly hurt, the mission said.",
)
LIAISON = (
    "KFOR opens liaison office in Leposavic",
    "https://archive.example/liaison",
    "Thu, 01 Oct 2026 09:00:00 +0000",
    DATED + " KFOR soldiers from Poland and Switzerland will staff the office, the mission said.",
)
BARRIER = (
    "Barricade cleared at Brnjak",
    "https://archive.example/brnjak",
    "",
    "KFOR soldiers cleared a barricade of lorries near the Brnjak border crossing, the mission "
    "said. Traffic across the border crossing resumed within hours.",
)


def said(reply):
    return [(p["text"], p["date"]) for s in reply["sections"] for p in s["points"]]


async def week(corpus):
    reply = await corpus.brief("local", since=corpus.clock() - dt.timedelta(days=7))
    await assert_valid(reply, corpus.store)
    return reply


async def test_only_an_undated_item_that_arrives_live_is_the_weeks_news_and_it_says_so(tmp_path):
    clock = Clock(dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC))
    async with (
        FeedServer() as server,
        corpus_at(tmp_path / "k.sqlite3", clock=clock, load_seeds=False) as corpus,
    ):
        server.add_feed("/feed.xml", Feed(rss("Desk", [ROADBLOCK, LIAISON])))
        await corpus.add_feed("local", server.url("/feed.xml"), "mod")

        # The feed's first read is its backlog: the undated roadblock story is of unknown age.
        clock.now += dt.timedelta(hours=1)
        backlog = await week(corpus)
        assert (
            backlog["note"]
            == "nothing new in the last 7 days; the latest stories, the newest from 1 October 2026:"
        )
        assert all(date == "2026-10-01" for _, date in said(backlog))

        # A later poll brings an undated item: it arrived this week, so it is listed, as received
        # and of unknown date, under a note that nothing dated is new.
        server.add_feed("/feed.xml", Feed(rss("Desk", [ROADBLOCK, LIAISON, BARRIER])))
        await corpus.poll("local", due_only=False)
        clock.now += dt.timedelta(hours=1)
        live = await week(corpus)
        assert live["note"] == (
            "no new developments since 2026-11-24; received in this window, of unknown date:"
        )
        assert said(live)
        assert all(date is None for _, date in said(live))
        assert any("Brnjak" in text for text, _ in said(live))
        assert not any("tear gas" in text for text, _ in said(live))
        assert "(date unknown)" in render(live, "text")

        # A week on, its arrival is no longer news either.
        clock.now += dt.timedelta(days=8)
        assert (await week(corpus))["note"].startswith("nothing new in the last 7 days")


BORDER_CLOSED = (
    "Customs closed the Konculj crossing to heavy goods vehicles after a strike by hauliers "
    "blocked the approach road. Cars were still allowed through in both directions."
)


async def test_a_reprint_or_an_undated_copy_is_dated_by_its_story(tmp_path):
    clock = Clock(dt.datetime(2026, 11, 25, 9, 0, tzinfo=dt.UTC))
    original = ("Konculj closed to lorries", "https://wire.example/konculj", "Tue, 01 Sep 2026 "
                "09:00:00 +0000", BORDER_CLOSED)  # fmt: skip
    reprint = ("Konculj closed to lorries", "https://aggregator.example/konculj", "Fri, 20 Nov "
               "2026 09:00:00 +0000", BORDER_CLOSED)  # fmt: skip
    undated = ("Konculj closed", "https://mirror.example/konculj", "", BORDER_CLOSED)
    files = []
    for name, item in (("wire", original), ("aggregator", reprint), ("mirror", undated)):
        files.append(tmp_path / f"{name}.xml")
        files[-1].write_bytes(rss(name, [item]))
    async with corpus_at(tmp_path / "k.sqlite3", clock=clock, load_seeds=False) as corpus:
        [_ async for _ in corpus.ingest_files(files, workspace="local")]

        # Reprinted on 20 November, it is still September's story: not this week's news.
        recent = await week(corpus)
        assert recent["note"].startswith(
            "nothing new in the last 7 days; the latest stories, the newest from 1 Sep"
        )
        everything = await corpus.brief("local", since=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
        await assert_valid(everything, corpus.store)
        [(_, date)] = [p for p in said(everything) if "Konculj" in p[0]]
        assert date == "2026-09-01"
        timeline = await corpus.timeline("local")
        await assert_valid(timeline, corpus.store)
        assert {e["date"] for e in timeline["events"]} == {"2026-09-01"}
        status = await corpus.status("local")
        assert status["latest_report"] == "2026-09-01"


async def test_when_nothing_stored_is_dated_the_latest_say_their_date_is_unknown(tmp_path):
    clock = Clock(dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC))
    feed = tmp_path / "archive.xml"
    feed.write_bytes(rss("Archive", [ROADBLOCK]))
    async with corpus_at(tmp_path / "k.sqlite3", clock=clock, load_seeds=False) as corpus:
        [_ async for _ in corpus.ingest_files([feed], workspace="local")]
        reply = await week(corpus)

    assert reply["note"] == (
        "nothing new in the last 7 days; the latest received, of unknown date:"
    )
    assert said(reply)
    assert all(date is None for _, date in said(reply))
