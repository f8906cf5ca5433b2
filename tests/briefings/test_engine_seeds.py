"""The engine on the bundled seeds and on a small hand-labelled set: figures, citations, windows, novelty."""

import datetime as dt
from pathlib import Path

import pytest

from briefings import engine
from briefings.engine.when import order_key
from briefings.models import ArticleDraft, Published
from briefings.verify import assert_valid
from tests.briefings.corpus_helpers import Clock, corpus_at
from tests.conftest import DATA

NOW = dt.datetime(2025, 1, 15, 12, 0, tzinfo=dt.UTC)
WEEK = dt.timedelta(days=7)
ARTICLES = DATA / "articles"


class Checked:
    """The engine's replies, each run through the reply checker before a test looks at it."""

    @staticmethod
    async def brief(db, workspace, **options):
        reply = await engine.brief(db, workspace, **options)
        await assert_valid(reply, db)
        return reply

    @staticmethod
    async def status(db, workspace, **options):
        reply = await engine.status(db, workspace, **options)
        await assert_valid(reply, db)
        return reply

    @staticmethod
    async def timeline(db, workspace, **options):
        reply = await engine.timeline(db, workspace, **options)
        await assert_valid(reply, db)
        return reply


@pytest.fixture
async def corpus(tmp_path):
    async with corpus_at(tmp_path / "kfor.sqlite3", clock=Clock(NOW)) as opened:
        yield opened


def source(reply, ref):
    return next(s for s in reply["sources"] if s["ref"] == ref)


def cited(reply, refs):
    """(published, title) of each cited source, so assertions name the article a reader would see."""
    return [(source(reply, ref)["published"], source(reply, ref)["title"]) for ref in refs]


def points(reply):
    return [p for section in reply["sections"] for p in section["points"]]


# The seed without a headline, titled by its first sentence (its dateline trimmed).
SEED_000 = "In response to a series of recent violent incidents"
SEED_001 = "NATO-Led Force In Kosovo Steps Up Patrols Near Border With Serbia"
SEED_002 = "NATO strengthens KFOR peacekeeping mission in Kosovo amid recent clashes"
SEED_003 = "NATO ready to send more troops to Kosovo in case of fresh unrest"
SEED_004 = "As tensions escalated between Serbia and Kosovo this week"


async def status_of(corpus):
    return await Checked.status(corpus.store, "local", profiles=corpus.profiles, now=NOW)


async def test_status_gives_the_latest_strength_with_countries_and_its_source(corpus):
    reply = await status_of(corpus)

    strength = reply["strength"]
    assert (strength["value"], strength["as_of"], strength["countries"]) == (4500, "2023", 27)
    [(published, title)] = cited(reply, strength["citations"])
    assert published == "2023"
    assert title.startswith(SEED_000)


async def test_status_history_lists_each_change_of_strength_oldest_first(corpus):
    reply = await status_of(corpus)

    totals = [h for h in reply["history"] if h["kind"] == "kfor_troops"]
    # May 2023's "around 3,800" repeats January's figure: the same strength, so no new entry.
    assert [(h["value"], h["qualifier"], h["as_of"]) for h in totals] == [
        (4000, "around", "2021-09-27"),
        (3700, "around", "2022-09-20"),
        (3800, "almost", "2023-01-02"),
        (4500, "exactly", "2023"),
    ]
    assert totals[0]["countries"] == 28
    titles = [cited(reply, h["citations"])[0][1] for h in totals]
    assert titles[0] == SEED_001
    assert titles[1] == SEED_003
    assert titles[2].startswith(SEED_004)
    assert titles[3].startswith(SEED_000)


async def test_status_history_shows_the_reinforcements(corpus):
    reply = await status_of(corpus)

    increases = [h for h in reply["history"] if h["kind"] == "troop_increase"]
    assert [(h["value"], h["as_of"]) for h in increases] == [(700, "2023-05"), (1000, "2023")]
    assert cited(reply, increases[0]["citations"]) == [("2023-05", SEED_002)]


async def test_status_lists_the_plate_deadlines_the_seeds_give(corpus):
    reply = await status_of(corpus)

    deadlines = reply["deadlines"]["upcoming"] + reply["deadlines"]["passed"]
    oct31 = next(d for d in deadlines if d["date"] == "2022-10-31")
    assert "Oct 31" in oct31["text"]
    assert "Oct 31" in oct31["point"]["text"]
    assert cited(reply, oct31["point"]["citations"]) == [("2022-09-20", SEED_003)]
    december = next(d for d in deadlines if "December 1" in d["text"])
    assert december["resolved"] is False
    assert december["date"] is None
    assert december["point"]["date"] == "2023"
    # Both lie well before NOW, so neither is still ahead.
    assert reply["deadlines"]["upcoming"] == []


async def test_status_says_plainly_how_old_the_newest_report_is(corpus):
    reply = await status_of(corpus)

    assert reply["stale"] is True
    assert reply["latest_report"] == "2023"
    assert reply["conflicts"] == []
    assert {d["topic"] for d in reply["developments"]} == {"kfor", "border", "plates"}


async def test_a_brief_on_an_empty_week_gives_the_latest_developments_with_dates(corpus):
    reply = await Checked.brief(
        corpus.store,
        "local",
        since=NOW - WEEK,
        until=NOW,
        topics=None,
        profiles=corpus.profiles,
        now=NOW,
    )

    assert (
        reply["note"] == "nothing new in the last 7 days; the latest stories, the newest from 2023:"
    )
    said = points(reply)
    assert said
    assert all(p["date"] and p["citations"] for p in said)
    # The latest three reports: the 2023 attack coverage, the May 2023 clashes, the January 2023 appeal.
    assert {source(reply, ref)["published"] for p in said for ref in p["citations"]} == {
        "2023",
        "2023-05",
        "2023-01-02",
    }
    for section in reply["sections"]:
        dates = [Published.from_iso(p["date"]) for p in section["points"]]
        # Oldest first; a date known only to the year ("2023") comes after that year's months.
        assert dates == sorted(dates, key=order_key)
    kfor = next(s for s in reply["sections"] if s["topic"] == "kfor")
    assert kfor["points"][-1]["date"] == "2023"


async def test_the_timeline_runs_oldest_first_with_each_event_cited(corpus):
    reply = await Checked.timeline(
        corpus.store, "local", topic=None, profiles=corpus.profiles, now=NOW
    )

    events = reply["events"]
    assert events[0]["date"].startswith("2021-09")
    assert events[-1]["date"] == "2023"
    for event in events:
        [first, *_] = event["point"]["citations"]
        assert source(reply, first)["article_id"]
    dates = [e["date"] for e in events]
    assert dates.index("2023-05") < dates.index("2023")
    # "Kurti said in a statement on January 1", reported on 2023-01-02, is dated to the day it says.
    statement = next(e for e in events if "in a statement on January 1" in e["point"]["text"])
    assert (statement["date"], statement["precision"]) == ("2023-01-01", "day")
    assert cited(reply, statement["point"]["citations"])[0][0] == "2023-01-02"


async def test_the_timeline_of_one_topic_stays_on_it(corpus):
    reply = await Checked.timeline(
        corpus.store, "local", topic="plates", profiles=corpus.profiles, now=NOW
    )

    assert reply["events"]
    assert all(
        any(w in e["point"]["text"].lower() for w in ("plate", "regist", "licen"))
        for e in reply["events"]
    )


async def test_a_channel_is_not_told_the_same_thing_twice(corpus):
    first = await Checked.brief(
        corpus.store,
        "local",
        since=NOW - WEEK,
        until=NOW,
        topics=None,
        profiles=corpus.profiles,
        now=NOW,
        channel="C",
    )
    await engine.record_briefing(corpus.store, "local", "C", first, NOW)
    later = NOW + dt.timedelta(days=1)

    second = await Checked.brief(
        corpus.store,
        "local",
        since=None,
        until=later,
        topics=None,
        profiles=corpus.profiles,
        now=later,
        channel="C",
    )

    assert points(first)
    assert second["note"] == "no new developments since 2025-01-15"
    assert second["sections"] == []
    assert second["window"]["since"] == "2025-01-15T12:00:00+00:00"


async def test_another_channel_still_gets_the_latest(corpus):
    first = await Checked.brief(
        corpus.store,
        "local",
        since=NOW - WEEK,
        until=NOW,
        topics=None,
        profiles=corpus.profiles,
        now=NOW,
        channel="C",
    )
    await engine.record_briefing(corpus.store, "local", "C", first, NOW)

    other = await Checked.brief(
        corpus.store,
        "local",
        since=NOW - WEEK,
        until=NOW,
        topics=None,
        profiles=corpus.profiles,
        now=NOW,
        channel="D",
    )

    assert [p["text"] for p in points(other)] == [p["text"] for p in points(first)]


# --- the hand-labelled set in tests/data/articles ---------------------------------------------

LABELLED_NOW = dt.datetime(2023, 10, 10, 12, 0, tzinfo=dt.UTC)


def labelled_drafts() -> list[ArticleDraft]:
    """Each file: "# Title", then the text (a "date YYYY-MM-DD" marker opens it when the date is known)."""
    drafts = []
    for path in sorted(Path(ARTICLES).glob("*.md")):
        heading, _, text = path.read_text(encoding="utf-8").partition("\n")
        drafts.append(
            ArticleDraft(
                title=heading.removeprefix("# ").strip(),
                text=text,
                url=f"https://news.example/{path.stem}",
            )
        )
    return drafts


@pytest.fixture
async def labelled(tmp_path):
    async with corpus_at(tmp_path / "kfor.sqlite3", clock=Clock(LABELLED_NOW)) as opened:
        report = await opened.ingest_drafts(labelled_drafts(), workspace="local")
        assert report.added == 7
        yield opened


async def test_a_wire_republication_is_one_point_with_two_sources(labelled):
    reply = await Checked.brief(
        labelled.store,
        "local",
        since=dt.datetime(2022, 12, 10, tzinfo=dt.UTC),
        until=dt.datetime(2022, 12, 14, tzinfo=dt.UTC),
        topics=["border"],
        profiles=labelled.profiles,
        now=LABELLED_NOW,
    )

    lede = next(
        p for p in points(reply) if "Kosovo closed its busiest border crossing" in p["text"]
    )
    assert lede["text"].startswith("Kosovo closed")  # the wire copy's dateline is not the point
    assert sorted(title for _, title in cited(reply, lede["citations"])) == [
        "Kosovo shuts Jarinje crossing as Serb barricades stay up",
        "Serbs block border crossings in northern Kosovo after police officer's arrest",
    ]
    texts = [p["text"] for p in points(reply)]
    assert len(texts) == len(set(texts))
    assert all(len(p["citations"]) == 2 for p in points(reply))


async def test_different_strengths_within_30_days_are_shown_as_a_conflict(labelled):
    reply = await Checked.status(
        labelled.store, "local", profiles=labelled.profiles, now=LABELLED_NOW
    )

    conflict = next(
        c for c in reply["conflicts"] if {v["value"] for v in c["values"]} == {4500, 4800}
    )
    by_value = {v["value"]: cited(reply, v["citations"]) for v in conflict["values"]}
    assert by_value[4500] == [
        ("2023-09-25", "Kosovo police officer killed in Banjska monastery siege")
    ]
    assert by_value[4800] == [
        ("2023-10-03", "Britain to send extra troops as NATO weighs a larger Kosovo force")
    ]
    # 3,700 (December 2022) and 4,800 (October 2023) are far apart: no conflict between them.
    assert not any({3700, 4800} <= {v["value"] for v in c["values"]} for c in reply["conflicts"])


async def test_an_imported_undated_article_is_never_the_windows_news(labelled):
    # It was stored by the import a moment ago, but arriving says nothing of its age.
    reply = await Checked.brief(
        labelled.store,
        "local",
        since=LABELLED_NOW - dt.timedelta(days=1),
        until=LABELLED_NOW,
        topics=["kfor"],
        profiles=labelled.profiles,
        now=LABELLED_NOW,
    )

    # Only the seed dated to 2023 as a whole may fall in the day; nothing undated does.
    assert points(reply)
    assert {p["date"] for p in points(reply)} == {"2023"}
    assert not any("foot patrols" in p["text"] for p in points(reply))
    timeline = await Checked.timeline(
        labelled.store, "local", topic=None, profiles=labelled.profiles, now=LABELLED_NOW
    )
    assert all(e["date"] for e in timeline["events"])
    assert not any("foot patrols" in e["point"]["text"] for e in timeline["events"])


async def test_the_status_card_reads_every_topic_s_newest_articles_as_it_would_one_by_one(
    labelled, tmp_path
):
    # On the labelled store, and on a store whose one article is undated, where a topic's
    # newest articles are the newest stored.
    undated = [d for d in labelled_drafts() if "foot patrols" in d.title]
    async with corpus_at(
        tmp_path / "undated.sqlite3", clock=Clock(LABELLED_NOW), load_seeds=False
    ) as only_undated:
        await only_undated.ingest_drafts(undated, workspace="local")
        for corpus in (labelled, only_undated):
            names = [p.name for p in corpus.profiles]
            together = await corpus.store.newest_per_topic("local", names, 3)
            for name in names:
                alone = await corpus.store.newest("local", [name], 3, dated_only=False)
                assert together[name] == alone
        kfor = together["kfor"]
    assert {c.article.title for c in kfor} == {undated[0].title}


async def test_a_passing_mention_of_kfor_in_summit_news_is_not_kfor_news(labelled):
    reply = await Checked.brief(
        labelled.store,
        "local",
        since=dt.datetime(2023, 7, 1, tzinfo=dt.UTC),
        until=dt.datetime(2023, 7, 31, tzinfo=dt.UTC),
        topics=None,
        profiles=labelled.profiles,
        now=LABELLED_NOW,
    )

    # July 2023 holds the summit story and, by overlap, the seed dated only to 2023; only the seed counts.
    assert reply["note"] is None
    assert {s["published"] for s in reply["sources"]} == {"2023"}
    assert not any("Vilnius" in s["title"] for s in reply["sources"])
