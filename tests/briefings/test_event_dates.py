"""A sentence is dated by what it reports, not by an event it refers back to."""

import datetime as dt

import pytest

from briefings import engine
from briefings.engine.when import event_date
from briefings.models import ArticleDraft, Published
from briefings.verify import assert_valid
from tests.briefings.corpus_helpers import Clock, corpus_at

# A Tuesday.
TUESDAY = Published.from_iso("2026-10-20")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # The statement was made on Saturday; the ambush it refers back to is not its date.
        (
            "The extra patrols follow a shooting at a police post near Zubin Potok on 28 "
            "September, the mission said in a statement on Saturday.",
            "2026-10-17",
        ),
        ("Slovenian troops landed in Pristina on Monday to join the force.", "2026-10-19"),
        ("The crossing reopened on Tuesday after a week of talks.", "2026-10-20"),
        ("Customs officers said yesterday that the queue had cleared.", "2026-10-19"),
        ("The mayor resigned last Tuesday, a week before the vote.", "2026-10-13"),
        ("Police detained two men last Sunday near the bridge.", "2026-10-18"),
        # A weekday written with a full date is that date: a page's old stamp is not this week.
        ("Updated Friday, 3 March 2017: the crossing is open to lorries.", "2026-10-20"),
        ("The mayors met on Friday, 16 October, in Zubin Potok.", "2026-10-16"),
        ("Border police reopened the Brnjak crossing on October 16.", "2026-10-16"),
        # Only a referred-back date, so the report's own date stands.
        ("Patrols were doubled after the attack on 28 September.", "2026-10-20"),
        ("Following clashes on 12 October, the mayor called for calm.", "2026-10-20"),
        ("Traffic has been stopped since 14 October, when lorries blocked the road.", "2026-10-20"),
        ("In the wake of the riot on Sunday, the town council met.", "2026-10-20"),
        # A day in a clause about the future is not the day reported.
        ("The two delegations will meet in Brussels on Thursday.", "2026-10-20"),
        ("Officials said talks would resume next Monday.", "2026-10-20"),
        # A day that sets a deadline or a start is not when the reported thing happened.
        ("Drivers had to swap their plates by 15 October or pay a fine.", "2026-10-20"),
        ("Lorries may cross at Jarinje as of October 1, the ministry announced.", "2026-10-20"),
        (
            "From Sunday, officials said, lorries were turned back, and on Monday cars too.",
            "2026-10-19",
        ),
    ],
)
def test_a_sentence_takes_the_date_of_what_it_reports(sentence, expected):
    assert event_date(sentence, TUESDAY).iso == expected


def test_a_weekday_resolves_only_against_a_day_precise_date():
    sentence = "The force sent a company to Leposavic on Saturday."
    assert event_date(sentence, Published.from_iso("2026-10")).iso == "2026-10"
    assert event_date(sentence, Published.from_iso("2026")).iso == "2026"
    assert event_date(sentence, Published()).iso is None


NOW = dt.datetime(2026, 10, 25, 12, 0, tzinfo=dt.UTC)


async def test_the_timeline_puts_a_statement_on_its_own_day_and_the_checker_accepts_it(tmp_path):
    text = (
        "A company of about 150 Slovenian infantry landed in Pristina on Monday to join KFOR, "
        "the mission said.\n\n"
        "The deployment follows an ambush on a Kosovo police patrol near Leposavic on 28 "
        "September, KFOR said in a statement on Saturday.\n\n"
        "KFOR first doubled its patrols around Leposavic last Tuesday, the mission said."
    )
    draft = ArticleDraft(
        title="More troops arrive for KFOR",
        text=text,
        url="https://news.example/2026/10/20/arrivals",
        published=TUESDAY,
    )
    async with corpus_at(tmp_path / "k.sqlite3", clock=Clock(NOW), load_seeds=False) as corpus:
        await corpus.ingest_drafts([draft], workspace="local")
        reply = await engine.timeline(
            corpus.store, "local", topic="kfor", profiles=corpus.profiles, now=NOW
        )
        await assert_valid(reply, corpus.store)

    dated = {e["point"]["text"].split()[1]: e["date"] for e in reply["events"]}
    assert dated == {"company": "2026-10-19", "deployment": "2026-10-17", "first": "2026-10-13"}
