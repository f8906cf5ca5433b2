"""Fact extraction: troop strength, reinforcements, nations, casualties and deadlines, each quotable."""

import datetime as dt
from importlib import resources

import pytest

from briefings.facts import extract_facts
from briefings.models import Fact, Precision, Published
from briefings.numbers import find_numbers
from briefings.text import clean_text, split_sentences

DAY = Published(dt.date(2023, 6, 12), Precision.DAY)

# Publication dates from the seed notes, with their precision.
SEED_DATES = {
    "000": Published(dt.date(2023, 1, 1), Precision.YEAR),
    "001": Published(dt.date(2021, 9, 27), Precision.DAY),
    "002": Published(dt.date(2023, 5, 1), Precision.MONTH),
    "003": Published(dt.date(2022, 9, 20), Precision.DAY),
    "004": Published(dt.date(2023, 1, 2), Precision.DAY),
}


def seed_facts(prefix: str) -> tuple[list[str], list[Fact]]:
    seeds = resources.files("briefings").joinpath("seeds")
    (raw,) = [p.read_text(encoding="utf-8") for p in seeds.iterdir() if p.name.startswith(prefix)]
    sentences = split_sentences(clean_text(raw))
    return sentences, extract_facts(sentences, SEED_DATES[prefix])


def summary(facts: list[Fact]) -> list[tuple[str, int | str, str]]:
    return [(f.kind, f.value, f.qualifier) for f in facts]


def facts_of(sentence: str, published: Published = DAY) -> list[tuple[str, int | str, str]]:
    return summary(extract_facts([sentence], published))


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        (
            "000",
            [
                ("killed", 1, "exactly"),
                ("killed", 3, "exactly"),
                ("troop_increase", 1000, "exactly"),
                ("kfor_troops", 4500, "exactly"),
                ("countries", 27, "exactly"),
                ("deadline", "December 1", "exactly"),
            ],
        ),
        ("001", [("kfor_troops", 4000, "around"), ("countries", 28, "exactly")]),
        (
            "002",
            [
                ("troop_increase", 700, "exactly"),
                ("injured", 30, "exactly"),
                ("injured", 53, "exactly"),
                ("kfor_troops", 3800, "around"),
            ],
        ),
        (
            "003",
            [
                ("deadline", "2022-10-31", "exactly"),
                ("kfor_troops", 3700, "around"),
                ("deadline", "2022-10-31", "exactly"),
            ],
        ),
        ("004", [("kfor_troops", 3800, "almost")]),
    ],
)
def test_seed_articles_yield_exactly_the_figures_a_reader_finds(
    prefix: str, expected: list[tuple[str, int | str, str]]
) -> None:
    # Left out on purpose: 10,000 motorists, 18-hour shifts, "valid for 60 days", a 78-day
    # campaign, the war's 10,000 dead, 27 languages in 23 countries, 70 soldiers from Germany,
    # 1.8 million Albanians and 100,000 Serbs.
    assert summary(seed_facts(prefix)[1]) == expected


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_seed_fact_quotes_its_own_sentence(prefix: str) -> None:
    sentences, facts = seed_facts(prefix)
    for fact in facts:
        assert fact.span in sentences[fact.sentence_index]


def test_seed_spans_show_the_figure_with_its_hedge() -> None:
    spans = {(f.kind, f.value): f.span for f in seed_facts("004")[1] + seed_facts("003")[1]}
    assert spans[("kfor_troops", 3800)] == "almost 3,800 troops"
    assert spans[("kfor_troops", 3700)] == "Around 3,700 NATO peacekeepers"
    _, facts_000 = seed_facts("000")
    killed = [f.span for f in facts_000 if f.kind == "killed"]
    assert killed == ["one police officer", "three gunmen"]


def test_a_deadline_without_a_year_is_left_as_written_when_only_the_year_is_known() -> None:
    _, facts = seed_facts("000")
    (deadline,) = [f for f in facts if f.kind == "deadline"]
    assert (deadline.value, deadline.resolved, deadline.span) == (
        "December 1",
        False,
        "deadline of December 1",
    )


def test_a_deadline_takes_its_year_from_a_day_precise_article_date() -> None:
    _, facts = seed_facts("003")
    deadlines = [f for f in facts if f.kind == "deadline"]
    assert [(f.value, f.resolved, f.span) for f in deadlines] == [
        ("2022-10-31", True, "by Oct 31"),
        ("2022-10-31", True, "Oct 31 deadline"),
    ]


def test_increment_and_total_in_one_sentence_are_told_apart() -> None:
    sentence = (
        "The alliance flew in a further 600 soldiers, lifting the overall total of "
        "peacekeepers from 29 nations to 4,100."
    )
    assert facts_of(sentence) == [
        ("troop_increase", 600, "exactly"),
        ("kfor_troops", 4100, "exactly"),
        ("countries", 29, "exactly"),
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Allies agreed to boost KFOR by 450 troops.", ("troop_increase", 450, "exactly")),
        (
            "NATO is sending seven hundred more soldiers to Kosovo.",
            ("troop_increase", 700, "exactly"),
        ),
        ("A thousand extra NATO troops landed in Pristina.", ("troop_increase", 1000, "exactly")),
        ("KFOR now has some two thousand troops.", ("kfor_troops", 2000, "around")),
        ("KFOR now has 3 800 troops.", ("kfor_troops", 3800, "exactly")),
        ("KFOR now has 3.800 troops.", ("kfor_troops", 3800, "exactly")),
        ("KFOR now has 3,800 troops.", ("kfor_troops", 3800, "exactly")),
        ("KFOR, the 3,600-strong NATO force, stayed on alert.", ("kfor_troops", 3600, "exactly")),
    ],
)
def test_troop_figures_in_words_and_with_any_thousands_separator(
    sentence: str, expected: tuple[str, int, str]
) -> None:
    assert facts_of(sentence) == [expected]


@pytest.mark.parametrize(
    ("hedge", "qualifier"),
    [
        ("about", "around"),
        ("roughly", "around"),
        ("approximately", "around"),
        ("some", "around"),
        ("nearly", "almost"),
        ("almost", "almost"),
        ("just under", "almost"),
        ("more than", "more than"),
        ("over", "more than"),
        ("at least", "more than"),
        ("", "exactly"),
    ],
)
def test_hedges_become_qualifiers_and_stay_in_the_span(hedge: str, qualifier: str) -> None:
    sentence = f"The NATO mission counts {hedge} 3,900 soldiers.".replace("  ", " ")
    (fact,) = extract_facts([sentence], DAY)
    assert (fact.kind, fact.value, fact.qualifier) == ("kfor_troops", 3900, qualifier)
    assert fact.span == f"{hedge} 3,900 soldiers".strip()


@pytest.mark.parametrize(
    "sentence",
    [
        "The ministry gave about 9,000 motorists until spring to re-register.",
        "KFOR guards worked 12-hour shifts through the NATO exercise.",
        "The 1998-99 war, which ended after NATO's 78-day air campaign, left over 10,000 dead.",
        "NATO notes that Kosovo is home to 1.7 million people, including some 90,000 Serbs.",
        "The broadcaster works in 25 languages in 21 countries.",
        "KFOR keeps around 3,800 soldiers there, among them about 80 soldiers from Austria.",
        "Belgrade moved 1,500 soldiers closer to the boundary line, NATO said.",
        "In 1999 NATO troops entered Kosovo.",
        "The temporary papers issued at the crossing are valid for 45 days.",
        "NATO cut KFOR by 500 troops.",
    ],
)
def test_figures_about_something_else_are_not_troop_facts(sentence: str) -> None:
    kinds = {kind for kind, _, _ in facts_of(sentence)}
    assert kinds <= {"kfor_troops"}
    assert all(value == 3800 for kind, value, _ in facts_of(sentence) if kind == "kfor_troops")


@pytest.mark.parametrize(
    "sentence",
    [
        "THE ALLIANCE NOW HAS 4,500 TROOPS IN KOSOVO.",
        "The All\u0130ance now has 4,500 troops in Kosovo.",
        "The \u212aFOR mission now has 4,500 troops in Kosovo.",
        "The Kosovo\tForce now counts 4,500 peace-keepers.",
    ],
)
def test_the_mission_is_recognised_in_any_case_and_spacing(sentence: str) -> None:
    assert facts_of(sentence) == [("kfor_troops", 4500, "exactly")]


def test_a_national_contingent_is_not_the_mission_total() -> None:
    assert facts_of("NATO said 250 Turkish soldiers serve with KFOR.") == []


def test_injuries_are_counted_per_group() -> None:
    sentence = "Twelve KFOR soldiers from Poland were hurt, while 40 protesters suffered injuries."
    assert facts_of(sentence) == [("injured", 12, "exactly"), ("injured", 40, "exactly")]


def test_deaths_are_listed_as_written_never_summed() -> None:
    sentence = "The gunfight killed one police sergeant and two attackers near the monastery."
    facts = extract_facts([sentence], DAY)
    assert [(f.kind, f.value, f.span) for f in facts] == [
        ("killed", 1, "one police sergeant"),
        ("killed", 2, "two attackers"),
    ]


def test_killing_and_injuring_in_one_sentence_are_kept_apart() -> None:
    sentence = "The blast killed two officers and injured nine people at the crossing."
    assert facts_of(sentence) == [("killed", 2, "exactly"), ("injured", 9, "exactly")]


def test_casualties_from_an_earlier_year_are_history_not_news() -> None:
    assert facts_of("The riots of 2004 left 19 people dead.") == []
    assert facts_of("Unrest in 2022 left 3 people dead.", DAY) == [("killed", 3, "exactly")]


@pytest.mark.parametrize(
    ("published", "value", "resolved"),
    [
        (Published(dt.date(2022, 9, 20), Precision.DAY), "2022-10-31", True),
        (Published(dt.date(2022, 11, 15), Precision.DAY), "2023-10-31", True),
        (Published(dt.date(2023, 5, 1), Precision.MONTH), "2023-10-31", True),
        (Published(dt.date(2023, 1, 1), Precision.YEAR), "31 October", False),
        (Published(), "31 October", False),
    ],
)
def test_deadline_year_comes_only_from_a_month_or_day_precise_date(
    published: Published, value: str, resolved: bool
) -> None:
    sentence = "Drivers must switch to Kosovo plates by 31 October."
    (fact,) = extract_facts([sentence], published)
    assert (fact.kind, fact.value, fact.resolved, fact.span) == (
        "deadline",
        value,
        resolved,
        "by 31 October",
    )


def test_a_deadline_with_its_year_written_needs_no_article_date() -> None:
    sentence = "Drivers have until Sept. 15, 2024 to replace their old plates, officials said."
    (fact,) = extract_facts([sentence], Published())
    assert (fact.value, fact.resolved, fact.span) == ("2024-09-15", True, "until Sept. 15, 2024")


def test_dates_that_are_not_deadlines_are_ignored() -> None:
    assert facts_of("The crossing reopened on September 20 after talks.") == []
    assert facts_of("Temporary permits are valid for 60 days from the border.") == []


def test_facts_carry_the_index_of_their_sentence() -> None:
    sentences = ["Nothing to count here.", "KFOR said 4,200 troops were on duty."]
    (fact,) = extract_facts(sentences, DAY)
    assert (fact.sentence_index, fact.span) == (1, "4,200 troops")


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("3,800 and 3 800 and 3\u00a0800 and 3.800", [3800, 3800, 3800, 3800]),
        ("1.8 million people", [1_800_000]),
        ("four thousand five hundred", [4500]),
        ("a hundred and twenty", [120]),
        ("twenty-seven countries", [27]),
        ("one officer and three attackers", [1, 3]),
        ("a 2.5 percent rise", []),
        ("often someone mentioned tensions", []),
    ],
)
def test_numbers_are_read_as_news_text_writes_them(text: str, values: list[int]) -> None:
    assert [n.value for n in find_numbers(text)] == values
