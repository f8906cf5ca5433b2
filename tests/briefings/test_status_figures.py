"""The status card's figures: the headline strength recent reports agree on, outliers set aside,
copies of a story counted once, only on-topic figures, and every figure explained."""

import datetime as dt
import json

import pytest

from briefings import engine
from briefings.models import ArticleDraft, Precision, Published
from briefings.render import render
from briefings.verify import assert_valid
from tests.briefings.corpus_helpers import Clock, corpus_at

NOW = dt.datetime(2025, 11, 20, 12, 0, tzinfo=dt.UTC)
TOWNS = ["Zvecan", "Leposavic", "Zubin Potok", "Mitrovica", "Gracanica", "Peja", "Prizren"]


def report(
    n: int, day: dt.date | None, figure_sentence: str, url: str | None = None
) -> ArticleDraft:
    """A report with one figure sentence; the rest of its text is its own, so reports are
    independent stories unless told to copy one."""
    town = TOWNS[n % len(TOWNS)]
    text = (
        f"{figure_sentence} KFOR patrols passed through {town} on the morning of report {n}. "
        f"The mayor of {town} told reporters that shops reopened, the {n + 1}th such note."
    )
    return ArticleDraft(
        title=f"Report {n} from {town}",
        text=text,
        url=url or f"https://desk.example/report/{n}",
        publisher=f"Desk {n}",
        published=Published(day, Precision.DAY) if day else Published(),
    )


def strength(n: int, day: dt.date, troops: int) -> ArticleDraft:
    return report(n, day, f"KFOR now has about {troops:,} troops in Kosovo, its spokesperson said.")


@pytest.fixture
async def corpus(tmp_path):
    async with corpus_at(tmp_path / "kfor.sqlite3", clock=Clock(NOW), load_seeds=False) as opened:
        yield opened


async def status_of(corpus):
    reply = await engine.status(corpus.store, "local", profiles=corpus.profiles, now=NOW)
    await assert_valid(reply, corpus.store)
    return reply


async def test_two_independent_reports_outrank_a_newer_lone_one(corpus):
    await corpus.ingest_drafts(
        [
            strength(1, dt.date(2025, 9, 1), 4200),
            strength(2, dt.date(2025, 9, 20), 4200),
            strength(3, dt.date(2025, 10, 10), 4300),
        ],
        workspace="local",
    )
    lead = (await status_of(corpus))["strength"]
    assert (lead["value"], lead["as_of"], lead["sources"], lead["one_source"]) == (
        4200,
        "2025-09-20",
        2,
        False,
    )


async def test_a_lone_newest_report_leads_marked_as_one_source(corpus):
    await corpus.ingest_drafts(
        [strength(1, dt.date(2025, 3, 1), 4200), strength(2, dt.date(2025, 10, 10), 4300)],
        workspace="local",
    )
    reply = await status_of(corpus)
    assert (reply["strength"]["value"], reply["strength"]["one_source"]) == (4300, True)
    text = render(reply, "text")
    assert "KFOR strength: around 4,300 troops (2025-10-10; one source)" in text


async def test_a_lone_figure_far_from_the_history_never_leads_and_is_shown_as_a_disagreement(
    corpus,
):
    await corpus.ingest_drafts(
        [
            strength(1, dt.date(2025, 6, 1), 4100),
            strength(2, dt.date(2025, 7, 1), 4100),
            strength(3, dt.date(2025, 10, 1), 9800),
        ],
        workspace="local",
    )
    reply = await status_of(corpus)
    assert reply["strength"]["value"] == 4100
    (outlier,) = [c for c in reply["conflicts"] if c["reason"] == "outlier"]
    assert [v["value"] for v in outlier["values"]] == [4100, 9800]
    assert all(v["citations"] for v in outlier["values"])


async def test_a_past_strength_is_history_with_its_date_never_the_headline(corpus):
    await corpus.ingest_drafts(
        [
            report(
                1,
                dt.date(2025, 6, 12),
                "KFOR shrank from 50,000 troops in 1999 to about 4,000 today.",
            )
        ],
        workspace="local",
    )
    reply = await status_of(corpus)
    assert reply["strength"]["value"] == 4000
    history = [(h["value"], h["as_of"]) for h in reply["history"] if h["kind"] == "kfor_troops"]
    assert history == [(50000, "1999"), (4000, "2025-06-12")]


async def test_copies_of_one_story_give_a_reinforcement_once_citing_both(corpus):
    sentence = "NATO is sending 600 more troops to Kosovo after the riots, the alliance said."
    original = report(1, dt.date(2025, 10, 2), sentence)
    copy = ArticleDraft(
        title="Copy of report 1",
        text=original.text,
        url="https://aggregator.example/copy-1",
        publisher="Aggregator",
        published=Published(dt.date(2025, 10, 2), Precision.DAY),
    )
    await corpus.ingest_drafts([original, copy], workspace="local")
    reply = await status_of(corpus)
    increases = [h for h in reply["history"] if h["kind"] == "troop_increase"]
    assert [(h["value"], len(h["citations"]), h["stories"]) for h in increases] == [(600, 2, 1)]


async def test_every_figure_shown_says_whose_it_is_and_where_it_was_read(corpus):
    await corpus.ingest_drafts([strength(1, dt.date(2025, 10, 1), 4400)], workspace="local")
    reply = await status_of(corpus)
    lead = reply["strength"]
    assert (lead["kind"], lead["owner"], lead["noun"]) == ("kfor_troops", "KFOR", "troops")
    evidence = lead["evidence"]
    assert evidence["span"] == "about 4,400 troops"
    (source,) = [s for s in reply["sources"] if s["ref"] == evidence["citation"]]
    sentence = await corpus.store.db.fetchone(
        "SELECT text FROM sentences WHERE article_id = ? AND idx = ?",
        (source["article_id"], evidence["sentence"]),
    )
    assert sentence["text"][evidence["start"] : evidence["end"]] == "about 4,400 troops"
    for entry in reply["history"]:
        assert entry["owner"] == "KFOR"
        assert entry["evidence"]["span"]


async def test_export_explains_each_fact(corpus):
    await corpus.ingest_drafts(
        [
            report(
                1,
                dt.date(2025, 10, 1),
                "About 25 KFOR soldiers who were escorting four officials were injured on Monday.",
            )
        ],
        workspace="local",
    )
    exported = [entry async for entry in corpus.export("local")]
    (fact,) = [f for entry in exported for f in entry["facts"] if f["kind"] == "injured"]
    assert (fact["value"], fact["owner"], fact["noun"], fact["date"]) == (
        25,
        "KFOR",
        "KFOR soldiers",
        "2025-10-01",
    )
    assert fact["sentence_text"][fact["start"] : fact["end"]] == fact["span"]
    assert fact["on_topic"] is True
    json.dumps(exported)


OFF_TOPIC_RULES = """
[topics.kfor]
title = "KFOR"
requires = ["kfor"]
exclude = ["quarterly"]
[topics.kfor.terms]
"kfor" = 0.9
"""


async def test_an_article_without_a_topic_gives_the_card_no_figure(tmp_path):
    rules = tmp_path / "topics.toml"
    rules.write_text(OFF_TOPIC_RULES, encoding="utf-8")
    async with corpus_at(
        tmp_path / "kfor.sqlite3", clock=Clock(NOW), load_seeds=False, topic_files=[rules]
    ) as corpus:
        quarterly = ArticleDraft(
            title="Quarterly figures",
            text="The quarterly review says KFOR has 9,000 troops. The quarterly review ends.",
            url="https://desk.example/quarterly",
            published=Published(dt.date(2025, 11, 1), Precision.DAY),
        )
        await corpus.ingest_drafts(
            [strength(1, dt.date(2025, 10, 1), 4400), quarterly], workspace="local"
        )
        exported = {e["url"]: e for e in [entry async for entry in corpus.export("local")]}
        assert exported["https://desk.example/quarterly"]["topics"] == []
        assert [f["on_topic"] for f in exported["https://desk.example/quarterly"]["facts"]] == [
            False
        ]
        reply = await status_of(corpus)
        assert reply["strength"]["value"] == 4400
        shown = [h["value"] for h in reply["history"]]
        assert 9000 not in shown


PLATES = "Owners must re-register cars with Serbian plates {when}, the ministry said."


def plates_report(n: int, day: dt.date | None, when: str, precision=Precision.DAY) -> ArticleDraft:
    """A report on the licence-plate dispute giving one deadline."""
    text = (
        f"{PLATES.format(when=when)} Drivers in the north queued to swap KM licence plates for "
        f"RKS plates in note {n}. Police checked licence plates of cars at the Jarinje crossing."
    )
    return ArticleDraft(
        title=f"Licence plates note {n}",
        text=text,
        url=f"https://desk.example/plates/{n}",
        published=Published(day, precision) if day else Published(),
    )


async def test_a_deadline_once_per_story_and_never_ahead_once_passed(corpus):
    original = plates_report(1, dt.date(2025, 10, 1), "by Oct. 20")
    copy = ArticleDraft(
        title="Copy",
        text=original.text,
        url="https://aggregator.example/deadline",
        published=Published(dt.date(2025, 10, 1), Precision.DAY),
    )
    await corpus.ingest_drafts([original, copy], workspace="local")
    deadlines = (await status_of(corpus))["deadlines"]
    assert deadlines["upcoming"] == []
    assert deadlines["unknown"] == []
    (passed,) = deadlines["passed"]
    assert (passed["date"], passed["state"], len(passed["point"]["citations"])) == (
        "2025-10-20",
        "passed",
        2,
    )


async def test_a_deadline_no_date_places_is_of_unknown_date_not_ahead(corpus):
    await corpus.ingest_drafts([plates_report(1, None, "by Dec. 20")], workspace="local")
    deadlines = (await status_of(corpus))["deadlines"]
    assert deadlines["upcoming"] == []
    assert deadlines["passed"] == []
    (unknown,) = deadlines["unknown"]
    assert (unknown["date"], unknown["state"], unknown["text"]) == (None, "unknown", "by Dec. 20")
    assert "Deadlines of unknown date" in render(await status_of(corpus), "text")


async def test_a_deadline_whose_report_gives_only_an_old_year_has_passed(corpus):
    dated = plates_report(1, dt.date(2022, 1, 1), "by Dec. 20", Precision.YEAR)
    await corpus.ingest_drafts([dated], workspace="local")
    deadlines = (await status_of(corpus))["deadlines"]
    assert [(d["date"], d["state"]) for d in deadlines["passed"]] == [(None, "passed")]
    assert deadlines["upcoming"] == []


async def test_a_deadline_ahead_is_listed_ahead(corpus):
    await corpus.ingest_drafts(
        [plates_report(1, dt.date(2025, 11, 10), "by Jan. 15")], workspace="local"
    )
    deadlines = (await status_of(corpus))["deadlines"]
    assert [(d["date"], d["state"]) for d in deadlines["upcoming"]] == [("2026-01-15", "upcoming")]


async def test_an_undated_copy_gives_its_storys_deadline_once(corpus):
    original = plates_report(1, dt.date(2025, 10, 1), "by Oct. 20")
    copy = ArticleDraft(title="Copy", text=original.text, url="https://aggregator.example/undated")
    await corpus.ingest_drafts([original, copy], workspace="local")
    deadlines = (await status_of(corpus))["deadlines"]
    assert deadlines["upcoming"] == []
    assert deadlines["unknown"] == []
    (passed,) = deadlines["passed"]
    assert (passed["date"], len(passed["point"]["citations"])) == ("2025-10-20", 2)


async def test_an_undated_copy_gives_its_storys_reinforcement_once_with_the_storys_date(corpus):
    sentence = "NATO is sending 600 more troops to Kosovo after the riots, the alliance said."
    original = report(1, dt.date(2025, 10, 2), sentence)
    copy = ArticleDraft(title="Copy", text=original.text, url="https://aggregator.example/r1")
    await corpus.ingest_drafts([copy, original], workspace="local")
    increases = [h for h in (await status_of(corpus))["history"] if h["kind"] == "troop_increase"]
    assert [(h["value"], h["as_of"], len(h["citations"])) for h in increases] == [
        (600, "2025-10-02", 2)
    ]


async def test_rederive_takes_a_figure_older_rules_gave_kfor_off_the_card(corpus):
    article = report(
        1,
        dt.date(2025, 10, 1),
        "The Pentagon keeps about 80,000 troops across Europe, and a few hundred serve with KFOR.",
    )
    await corpus.ingest_drafts([article, strength(2, dt.date(2025, 9, 1), 4100)], workspace="local")
    # What the rules before owners stored: the Pentagon's troops as KFOR's strength.
    async with corpus.store.db.transaction() as conn:
        await conn.execute(
            """INSERT INTO facts (article_id, kind, value, qualifier, sentence_idx, span, resolved,
                                  published, owner, on_topic)
               SELECT id, 'kfor_troops', '80000', 'around', 0, 'about 80,000 troops', 1,
                      published, 'KFOR', 1
               FROM articles WHERE url = ?""",
            (article.url,),
        )
        await conn.execute("UPDATE meta SET value = '1' WHERE key = 'rules_version'")
    before = await status_of(corpus)
    # Even then the headline rule kept it from leading: a lone report twenty times the others.
    assert before["strength"]["value"] == 4100
    assert 80000 in figures_shown(before)
    assert await corpus.rules_outdated()
    await corpus.rederive()
    after = await status_of(corpus)
    assert after["strength"]["value"] == 4100
    assert 80000 not in figures_shown(after)


def figures_shown(reply) -> set[int]:
    values = [h["value"] for h in reply["history"]]
    values += [v["value"] for c in reply["conflicts"] for v in c["values"]]
    return set(values)
