"""Hostile text: every derive step is linear, so no article can stall an import, and a text longer
than the bot keeps is cut and said to be.

The inputs are the benchmark's (benchmarks/adversarial.py), at the size the bot stores. Each once
took from seconds to minutes; the time limits are generous, so only a super-linear step (which
takes minutes again) fails them, not a slow machine.
"""

import datetime as dt

import pytest

from benchmarks.adversarial import UNITS, hostile_text
from briefings.derive import MAX_STORED_TEXT_CHARS, EmptyArticle, derive
from briefings.ingest.files import read_file
from briefings.models import ArticleDraft
from briefings.numbers import find_numbers
from briefings.text import clean_text
from briefings.topics import load_profiles
from tests.briefings.corpus_helpers import corpus_at

PROFILES = load_profiles(())


@pytest.mark.timeout(30)
@pytest.mark.parametrize("case", sorted(UNITS))
def test_a_hostile_article_of_the_stored_size_derives_in_linear_time(case):
    try:
        derived = derive(
            ArticleDraft(title="Hostile", text=hostile_text(case, MAX_STORED_TEXT_CHARS)), PROFILES
        )
    except EmptyArticle:
        return
    assert len(derived.text) <= MAX_STORED_TEXT_CHARS


@pytest.mark.timeout(30)
@pytest.mark.parametrize(
    "markdown",
    [
        pytest.param("# a" + " " * 50_000 + "b", id="heading of 50,000 spaces"),
        pytest.param("**a " * 25_000, id="unclosed strong"),
        pytest.param("*a " * 33_000, id="unclosed emphasis"),
        pytest.param("__a " * 25_000, id="unclosed underscore strong"),
        pytest.param("_a " * 33_000, id="unclosed underscore emphasis"),
        pytest.param("[a " * 33_000, id="unclosed links"),
        pytest.param("![a " * 25_000, id="unclosed images"),
        pytest.param("[a](" * 25_000, id="unclosed link targets"),
    ],
)
def test_a_hostile_markdown_file_is_read_in_linear_time(tmp_path, markdown):
    path = tmp_path / "hostile.md"
    path.write_text(f"# Title\n\n{markdown}\n\nKFOR patrolled the north.\n")
    drafts = read_file(path, dt.datetime(2026, 11, 23, tzinfo=dt.UTC))
    assert isinstance(drafts, list)


def test_a_run_of_digit_groups_is_not_a_number_and_does_not_crash():
    """ "100 100 100 ..." read as one group of thousands had more digits than int() takes."""
    assert find_numbers("killed " + "100 " * 2000) == []
    assert find_numbers("7,900,000,000 people")[0].value == 7_900_000_000


@pytest.mark.timeout(30)
def test_a_one_megabyte_article_is_cut_at_a_paragraph_and_the_import_says_so(tmp_path):
    def paragraph(n: int) -> str:
        return " ".join(
            f"KFOR patrol {n}-{k} went through the Jarinje crossing on Monday, officials said."
            for k in range(10)
        )

    text = "\n\n".join(paragraph(n) for n in range(1_000_000 // len(paragraph(0))))
    draft = ArticleDraft(title="A very long report", text=text, url="https://news.example/long")
    derived = derive(draft, PROFILES)
    assert derived.cut
    assert len(derived.text) <= MAX_STORED_TEXT_CHARS
    assert derived.text.endswith("officials said.")
    short = derive(ArticleDraft(title="Short", text=paragraph(0)), PROFILES)
    assert not short.cut


async def test_the_import_report_and_export_name_the_articles_cut(tmp_path):
    long = "\n\n".join(
        f"KFOR troops patrolled the Jarinje crossing {n} times." for n in range(5000)
    )
    drafts = [
        ArticleDraft(title="A very long report", text=long, url="https://news.example/long"),
        ArticleDraft(title="A short one", text="KFOR patrolled.", url="https://news.example/short"),
    ]
    async with corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        report = await corpus.ingest_drafts(drafts, workspace="local")
        records = {r["url"]: r async for r in corpus.export("local")}
    assert report.cut == ("A very long report",)
    assert records["https://news.example/long"]["text_cut"] is True
    assert records["https://news.example/short"]["text_cut"] is False
    assert len(records["https://news.example/long"]["text"]) <= MAX_STORED_TEXT_CHARS


@pytest.mark.timeout(30)
def test_thousands_of_capitalised_lines_running_on_are_joined_in_linear_time():
    """Each line was joined to the paragraph so far and the whole tested for a heading again:
    quadratic: minutes for these 600,000 characters."""
    lines = "the patrol went on along the road past the\n" + "".join(
        f"Village number {k} lay on the road where the patrol went and\n" for k in range(10_000)
    )
    assert clean_text(lines + "the end.") == " ".join(lines.split()) + " the end."
