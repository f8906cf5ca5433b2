"""The status card and timeline on stores with long histories: changes not every report, the newest
disagreements, the soonest deadlines, the newest articles."""

import dataclasses
import datetime as dt
import sqlite3
import sys
from contextlib import closing

import pytest

from briefings import engine
from briefings.engine.deadlines import UPCOMING_SHOWN
from briefings.engine.status import HISTORY_CHANGES
from briefings.models import ArticleDraft, Precision, Published
from briefings.store import recent
from briefings.verify import assert_valid
from tests.briefings.corpus_helpers import Clock, corpus_at
from tests.briefings.schema_steps import WITHOUT_FACT_OWNERS, WITHOUT_LEASES, WITHOUT_STORY_LEADS

NOW = dt.datetime(2025, 11, 20, 12, 0, tzinfo=dt.UTC)
START = dt.date(2025, 1, 3)
TOWNS = ["Zvecan", "Leposavic", "Zubin Potok", "Mitrovica", "Gracanica", "Prizren", "Peja"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
SIGHTS = [
    "a convoy of grain lorries waited at the bridge",
    "children played football beside the school",
    "shopkeepers repainted the shutters of the old bakery",
    "a wedding party drove past with horns blaring",
    "farmers sold plums and peppers from their carts",
    "two council workers mended a burst water main",
    "an orthodox priest blessed the new well",
    "the bus to Pristina left an hour late",
    "volunteers cleared rubbish from the riverbank",
    "a brass band rehearsed in the community hall",
    "students queued for exam results at the faculty",
]


def strength_report(n: int, day: dt.date, troops: int) -> ArticleDraft:
    """Report number `n`, from `day`, giving KFOR's strength; the rest of its text is its own."""
    town = TOWNS[n % len(TOWNS)]
    # Each report its own scene: reports that shared all but a few words would be one story's
    # copies, dated by the story.
    text = (
        f"KFOR now has about {troops:,} troops in Kosovo, spokesperson {n} for the mission said. "
        f"KFOR soldiers walked the market street in {town} on {DAYS[n % len(DAYS)]} in report "
        f"{n}, where {SIGHTS[n % len(SIGHTS)]}. Residents of {town} said "
        f"{SIGHTS[(n % 7 + 4) % len(SIGHTS)]} later, the {n + 1}th such note this year. "
        f"Log {n} lists {n % 9 + 2} vehicles, {n % 4 + 1} interpreters and {n * 7 % 31 + 3} "
        f"kilometres driven over {n % 6 + 2} hours."
    )
    return ArticleDraft(
        title=f"Patrol note {n} from {town}",
        text=text,
        url=f"https://desk.example/notes/{n}",
        publisher="Desk",
        published=Published(day, Precision.DAY),
    )


@pytest.fixture
async def corpus(tmp_path):
    async with corpus_at(tmp_path / "kfor.sqlite3", clock=Clock(NOW), load_seeds=False) as opened:
        yield opened


async def fill(corpus, drafts):
    report = await corpus.ingest_drafts(drafts, workspace="local")
    assert report.added == len(drafts)


async def status_of(corpus):
    reply = await engine.status(corpus.store, "local", profiles=corpus.profiles, now=NOW)
    await assert_valid(reply, corpus.store)
    return reply


def titles(reply, refs):
    by_ref = {s["ref"]: s["title"] for s in reply["sources"]}
    return [by_ref[ref] for ref in refs]


def troops(reply):
    return [(h["value"], h["as_of"]) for h in reply["history"] if h["kind"] == "kfor_troops"]


async def test_a_long_history_of_strength_reports_shows_only_the_changes(corpus):
    # Four reports a month for ten months: 3,700 until April, 3,800 until July, then 4,100.
    # In June one source alone says 3,900 while three others still say 3,800.
    drafts = []
    for n in range(40):
        day = START + dt.timedelta(days=7 * n)
        value = 3700 if day.month <= 4 else 3800 if day.month <= 7 else 4100
        drafts.append(strength_report(n, day, value))
    lone = next(d for d in drafts if d.published.value and d.published.value.month == 6)
    drafts[drafts.index(lone)] = strength_report(drafts.index(lone), lone.published.value, 3900)
    await fill(corpus, drafts)

    reply = await status_of(corpus)

    assert troops(reply) == [(3700, "2025-01-03"), (3800, "2025-05-02"), (4100, "2025-08-01")]
    changes = [h for h in reply["history"] if h["kind"] == "kfor_troops"]
    # Each change cites the report that first gave the new figure.
    assert [titles(reply, h["citations"]) for h in changes] == [
        [drafts[0].title],
        [drafts[17].title],
        [drafts[30].title],
    ]
    assert reply["strength"]["value"] == 4100
    # The lone 3,900 is no change of strength, but it is a disagreement the card shows.
    assert any(3900 in {v["value"] for v in c["values"]} for c in reply["conflicts"])


async def test_only_the_newest_changes_of_strength_are_listed(corpus):
    # The figure changes every month for sixteen months.
    drafts = [
        strength_report(n, dt.date(2024 + (n + 6) // 12, (n + 6) % 12 + 1, 10), 3600 + 100 * n)
        for n in range(16)
    ]
    await fill(corpus, drafts)

    reply = await status_of(corpus)

    listed = troops(reply)
    assert len(listed) == HISTORY_CHANGES
    assert listed[-1] == (3600 + 100 * 15, "2025-10-10")
    assert listed == sorted(listed, key=lambda item: item[1])


async def test_the_newest_disagreements_are_found_among_many_agreeing_reports(corpus):
    # A report every five days for ten months, all 4,500 but five, spread over the months.
    odd = {4: 4300, 20: 4600, 36: 4400, 48: 4700, 58: 4800}
    drafts = [
        strength_report(n, START + dt.timedelta(days=5 * n), odd.get(n, 4500)) for n in range(60)
    ]
    await fill(corpus, drafts)

    reply = await status_of(corpus)

    groups = [{v["value"] for v in c["values"]} for c in reply["conflicts"]]
    # The three newest disagreements, oldest first; the two older ones are history.
    assert groups == [{4400, 4500}, {4500, 4700}, {4500, 4800}]
    newest = reply["conflicts"][-1]["values"]
    lone = next(v for v in newest if v["value"] == 4800)
    assert titles(reply, lone["citations"]) == [drafts[58].title]
    for conflict in reply["conflicts"]:
        days = [dt.date.fromisoformat(v["as_of"]) for v in conflict["values"]]
        assert max(days) - min(days) <= dt.timedelta(days=30)


DEADLINE_NOTICES = [
    "Farmers with tractors must register them by 29 November under the new rules.",
    "Drivers with old plates must re-register their cars by 2 December, the ministry said.",
    "The interior ministry set a deadline of 5 December for swapping Serbian-issued plates.",
    "Owners in Leposavic must obtain local registration plates by December 8, officials announced.",
    "Police will begin fining motorists after the deadline of 11 December, a spokesman warned.",
    "A final deadline of December 17 applies to taxis and buses, according to the transport office.",
    "Offices in Peja will accept applications for new plates until the December 20 deadline.",
]


async def test_the_soonest_deadlines_ahead_are_shown_first_and_capped(corpus):
    drafts = [
        ArticleDraft(
            title=f"Licence plates, part {n}",
            text=(
                f"{notice} Drivers queued to swap Serbian licence plates for Kosovo plates at "
                f"office number {n + 4} in {TOWNS[n]}."
            ),
            url=f"https://desk.example/plates/{n}",
            published=Published(dt.date(2025, 11, 8 - n), Precision.DAY),
        )
        for n, notice in enumerate(reversed(DEADLINE_NOTICES))
    ]
    await fill(corpus, drafts)

    reply = await status_of(corpus)

    upcoming = [d["date"] for d in reply["deadlines"]["upcoming"]]
    assert upcoming == ["2025-11-29", "2025-12-02", "2025-12-05", "2025-12-08", "2025-12-11"]
    assert len(upcoming) == UPCOMING_SHOWN


async def test_the_card_reads_only_the_newest_facts(corpus, monkeypatch):
    # With room for four fact rows, the card still knows the newest strength and its change.
    drafts = [strength_report(n, START + dt.timedelta(days=9 * n), 3700) for n in range(12)]
    drafts += [strength_report(12 + n, dt.date(2025, 6, 1 + n), 3900) for n in range(3)]
    await fill(corpus, drafts)
    monkeypatch.setattr(recent, "FACT_ROWS", 4)

    reply = await status_of(corpus)

    assert (reply["strength"]["value"], reply["strength"]["as_of"]) == (3900, "2025-06-03")
    # The newest 3,700 report is the oldest the card read: the history starts there.
    assert troops(reply) == [(3700, "2025-04-12"), (3900, "2025-06-01")]


async def test_a_store_from_before_the_facts_date_index_still_shows_its_figures(tmp_path):
    # Six monthly reports: 3,700 for the first three, then 3,800.
    path = tmp_path / "kfor.sqlite3"
    drafts = [
        strength_report(n, START + dt.timedelta(days=30 * n), 3700 + 100 * (n // 3))
        for n in range(6)
    ]
    async with corpus_at(path, clock=Clock(NOW), load_seeds=False) as corpus:
        await fill(corpus, drafts)
    # Back to the schema of the version before migration 0006: facts without their date (and
    # owners), articles without their story's date, and band keys as text (this test needs none;
    # test_stories.py tests their conversion).
    with closing(sqlite3.connect(path)) as conn:
        conn.executescript(WITHOUT_LEASES)
        conn.executescript(WITHOUT_STORY_LEADS)
        conn.executescript(WITHOUT_FACT_OWNERS)
        conn.executescript(
            """DROP INDEX facts_newest_for_status;
               ALTER TABLE facts DROP COLUMN published;
               DROP INDEX articles_by_story_published;
               ALTER TABLE articles DROP COLUMN story_published;
               ALTER TABLE articles DROP COLUMN live;
               DELETE FROM signature_bands;
               PRAGMA user_version = 5;"""
        )

    async with corpus_at(path, clock=Clock(NOW), load_seeds=False) as corpus:
        reply = await status_of(corpus)

    assert (reply["strength"]["value"], reply["strength"]["as_of"]) == (3800, "2025-06-02")
    assert troops(reply) == [(3700, "2025-01-03"), (3800, "2025-04-03")]


async def test_a_deadline_announced_long_ago_still_shows_while_it_is_ahead(corpus, monkeypatch):
    notice = ArticleDraft(
        title="Plate rules for 2026",
        text=(
            "The interior ministry set a deadline of 15 January 2026 for swapping old plates. "
            "Queues for new licence plates formed before dawn outside the office in Mitrovica."
        ),
        url="https://desk.example/plates/early",
        published=Published(START, Precision.DAY),
    )
    drafts = [strength_report(n, START + dt.timedelta(days=9 * (n + 1)), 3700) for n in range(12)]
    await fill(corpus, [notice, *drafts])
    monkeypatch.setattr(recent, "FACT_ROWS", 4)

    reply = await status_of(corpus)

    assert [d["date"] for d in reply["deadlines"]["upcoming"]] == ["2026-01-15"]
    [point] = [d["point"] for d in reply["deadlines"]["upcoming"]]
    assert titles(reply, point["citations"]) == ["Plate rules for 2026"]


async def test_the_timeline_tells_the_newest_articles(corpus, monkeypatch):
    drafts = [
        ArticleDraft(
            title=f"Crossing report {n}",
            text=(
                f"Kosovo police reopened the Jarinje border crossing with Serbia on day {n} after "
                f"a {n + 2}-hour closure, and hundreds of trucks queued at the administrative "
                f"line. KFOR troops patrolled the road near the crossing as customs officers "
                f"from Serbia and Kosovo checked cargo on day {n}."
            ),
            url=f"https://desk.example/crossing/{n}",
            published=Published(dt.date(2025, 3, 1) + dt.timedelta(days=10 * n), Precision.DAY),
        )
        for n in range(5)
    ]
    await fill(corpus, drafts)
    # The module, not the function of the same name that briefings.engine exports.
    monkeypatch.setattr(sys.modules["briefings.engine.timeline"], "TIMELINE_ARTICLES", 2)

    reply = await engine.timeline(
        corpus.store, "local", topic=None, profiles=corpus.profiles, now=NOW
    )
    await assert_valid(reply, corpus.store)

    assert reply["events"]
    assert {s["title"] for s in reply["sources"]} <= {"Crossing report 3", "Crossing report 4"}


async def test_the_card_shows_no_strength_another_workspace_imported(corpus):
    # This workspace's reports say 4,100. Another workspace's newer report says 9,900, and one
    # of its reports carries no date at all: neither may reach this workspace's card.
    await fill(corpus, [strength_report(n, START + dt.timedelta(days=n), 4100) for n in range(3)])
    newer = strength_report(10, START + dt.timedelta(days=30), 9900)
    undated = dataclasses.replace(strength_report(11, START, 9800), published=Published())
    report = await corpus.ingest_drafts([newer, undated], workspace="elsewhere")
    assert report.added == 2

    mine = await status_of(corpus)
    theirs = await engine.status(corpus.store, "elsewhere", profiles=corpus.profiles, now=NOW)

    assert mine["strength"]["value"] == 4100
    assert {value for value, _ in troops(mine)} == {4100}
    assert not {9900, 9800} & {v["value"] for c in mine["conflicts"] for v in c["values"]}
    assert theirs["strength"]["value"] == 9900
