"""Background sentences (standing facts, history) are told apart from news, and never win over it."""

import datetime as dt

import pytest

from briefings.engine.background import background_reason, is_background
from briefings.engine.candidates import Candidate
from briefings.engine.select import merged, select_points
from briefings.engine.status import _newest_best
from briefings.models import Published
from briefings.render import render
from tests.briefings.engine_helpers import report

REPORT = Published.from_iso("2026-11-27")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("The peacekeepers have been deployed in Kosovo since 1999.", "standing"),
        ("Since June 1999 the Austrian contingent has served in the western sector.", "standing"),
        ("Polish engineers have worked in the north since the end of the war.", "standing"),
        ("For more than two decades, the bridge in Mitrovica has divided the town.", "standing"),
        ("The dispute over car plates has long been a source of friction.", "standing"),
        ("The mission consists of about 4,000 soldiers from 28 countries.", "composition"),
        ("KFOR is made up of troops from NATO members and partner states.", "composition"),
        ("The force is a NATO-led peacekeeping mission in the Western Balkans.", "composition"),
        ("There are roughly 4,500 international soldiers in Kosovo.", "composition"),
        ("Around 4,000 NATO soldiers are still stationed in the territory.", "composition"),
        ("KFOR was established under UN Security Council Resolution 1244.", "founding"),
        ("The liaison office was set up in 2003 to help returning families.", "founding"),
        ("Kosovo declared independence in 2008, which Belgrade rejects.", "history"),
        ("Serbia does not recognise the independence of its former province.", "history"),
        ("NATO troops entered the province in June 1999 after the air war ended.", "history"),
        ("Merdare is Kosovo's busiest crossing for lorries.", "composition"),
        ("The mission remains essential to stability in the north.", "composition"),
        ("Last November, dozens of soldiers were hurt when a crowd attacked them.", "history"),
        ("Trouble first flared in July, when Serbs blocked two crossings.", "history"),
        ("Founded | 1999 | Role | peacekeeping | Size | 4,000 | Commander | Italy", "reference"),
        ("The force has about 4,300 soldiers from 27 nations.[4]", "reference"),
        ("Tensions have simmered in the north for years.", "standing"),
        ("The commander routinely meets the heads of the neighbouring armies.", "standing"),
        ("The Kosovo government views the Serbian-issued plates as illegal.", "standing"),
        ("KFOR supports the training of the Kosovo Security Force.", "mandate"),
        ("The mission remains an indispensable factor for stability in the region.", "composition"),
        (
            "Today, about 4,500 soldiers are still deployed in Kosovo to keep the peace.",
            "composition",
        ),
        ("Last summer, Serbs blocked the roads to two crossings with lorries.", "history"),
        ("The United States and most EU members recognise Kosovo.", "history"),
        (
            "Belgrade has never recognised Kosovo's statehood and still regards it as a province.",
            "history",
        ),
        (
            "Serbs who live in the north do not recognise Pristina's institutions and have often "
            "clashed with the police.",
            "history",
        ),
        (
            "Pristina, whose 2008 declaration of statehood Belgrade rejects, has seen plates "
            "become a test of sovereignty.",
            "history",
        ),
    ],
)
def test_standing_facts_and_history_are_background(text, reason):
    assert background_reason(text, REPORT) == reason


@pytest.mark.parametrize(
    "text",
    [
        "KFOR sent two more companies to the Jarinje crossing on Thursday.",
        "Police closed the Brnjak crossing to lorries after a protest, officials said.",
        "Serbia, which does not recognise Kosovo's independence, closed the Jarinje crossing.",
        "The clashes were the worst in the north since 2011, the mission said.",
        "Roads have been blocked since Kosovo police arrested a local official on 10 November.",
        "Kosovo declared on Friday that Serbian plates will be confiscated from January.",
        "A new truck scanner went into service at the crossing on Wednesday.",
        "The government extended the deadline for re-registration until the end of March.",
        "Belgrade said it would not honour the 2013 agreement on energy, the minister told reporters.",
        "Barricades erected in 2011 were removed by local Serbs this morning.",
        "Serbs have removed the barricade that had blocked the bridge since 2011.",
        "In November, police arrested two men who had smuggled fuel across the line.",
        "Talks on the plates will resume in February, the EU envoy said.",
        "Serbia put its army on the highest level of alert since 1999.",
        "It was the worst violence in the north since 2004.",
        "The Jarinje crossing has been closed since 10 November 2026.",
        "The United Kingdom deployed 200 more soldiers to Kosovo.",
        "Police regularly stopped cars with Serbian plates at the crossing this week.",
    ],
)
def test_reports_of_what_happened_are_not_background(text):
    assert not is_background(text, REPORT)


def test_a_year_is_history_only_against_the_reports_own_date():
    text = "Lawmakers approved a plan in 2025 to widen the crossing at Merdare."
    assert is_background(text, Published.from_iso("2027-06-01"))
    assert not is_background(text, Published.from_iso("2025-11-01"))
    # With no date to compare, a year alone says nothing about how old the event is.
    assert not is_background(text, Published())


def test_a_change_the_settled_history_brought_is_history_even_undated():
    text = "After the 2008 declaration of independence, car plates became a matter of sovereignty."
    assert background_reason(text, Published()) == "history"


def article(article_id, published="2026-11-27"):
    return report(article_id, published)


NEWS = (
    "The government said on Friday that drivers in the north may keep Serbian plates until "
    "the end of March if they book a re-registration slot."
)
CONTEXT = (
    "Kosovo, whose 2008 declaration of independence Serbia, Russia and China reject, has seen "
    "number plates turn into a symbol of sovereignty for Pristina and Belgrade."
)
STANDING = "NATO peacekeepers have been deployed in Kosovo since 1999 to keep the peace."


def test_a_brief_takes_the_news_and_leaves_out_its_background():
    report = article(1)
    pool = [
        Candidate(report, 0, NEWS, {"plates": 0.5}),
        Candidate(report, 1, CONTEXT, {"plates": 0.9}, ("deadline",)),
    ]

    chosen = select_points(pool, ["plates"], reference=dt.date(2026, 11, 28), budget_chars=3500)

    assert [p.text for p in chosen.points] == [NEWS]


def test_the_status_card_takes_an_older_reports_news_over_the_newest_reports_background():
    newest, older = article(1, "2026-11-27"), article(2, "2026-11-20")
    pool = [
        Candidate(newest, 0, STANDING, {"kfor": 0.9}),
        Candidate(older, 0, "KFOR sent an extra company to Jarinje on Monday.", {"kfor": 0.4}),
    ]

    best = _newest_best(merged(pool, ["kfor"], None), ["kfor"], [])

    assert best is not None
    assert best.text.startswith("KFOR sent an extra company")
    assert not best.background


def test_background_alone_is_shown_and_labelled_as_such():
    pool = [Candidate(article(1), 0, STANDING, {"kfor": 0.9})]

    [point] = select_points(
        pool, ["kfor"], reference=dt.date(2026, 11, 28), budget_chars=3500
    ).points

    assert point.background
    reply = {
        "kind": "brief",
        "generated_at": "2026-11-28T09:00:00+00:00",
        "window": {"since": None, "until": "2026-11-28T09:00:00+00:00"},
        "note": None,
        "sections": [
            {
                "topic": "kfor",
                "title": "KFOR",
                "points": [
                    {"text": STANDING, "citations": [1], "date": "2026-11-27", "background": True}
                ],
            }
        ],
        "facts": [],
        "conflicts": [],
        "sources": [],
    }
    assert f"{STANDING} [1] (2026-11-27, background)" in render(reply, "text")
