"""Whose troops a number counts: only figures the sentence gives the mission become its strength."""

import datetime as dt

import pytest

from briefings.facts import extract_facts
from briefings.models import Precision, Published

DAY = Published(dt.date(2024, 3, 14), Precision.DAY)


def troops(*sentences: str, published: Published = DAY) -> list[tuple[str, int]]:
    """The (kind, value) of every troop figure the sentences give KFOR."""
    return [
        (f.kind, f.value)
        for f in extract_facts(list(sentences), published)
        if f.kind in ("kfor_troops", "troop_increase")
    ]


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("KFOR currently numbers roughly 4,100 troops drawn from 27 nations.", 4100),
        ("The NATO-led mission in Kosovo has some 4,300 peacekeepers on the ground.", 4300),
        ("Close to 4,600 troops from the NATO-led Kosovo Force patrol the north.", 4600),
        ("There are about 3,900 KFOR soldiers deployed across Kosovo today.", 3900),
        ("Today 4,200 personnel serve in the Kosovo Force, officials said.", 4200),
        ("NATO, which keeps about 4,400 peacekeeping troops in Kosovo, urged calm.", 4400),
        ("The alliance's Kosovo force consists of 3,700 soldiers and officers.", 3700),
        ("KFOR had already raised its strength to 4,700 troops after the riots.", 4700),
        ("The 4,050-strong KFOR stepped up patrols at Brnjak.", 4050),
        ("KFOR Total Strength: 4,150", 4150),
    ],
)
def test_the_mission_named_as_owner_makes_a_total(sentence: str, value: int) -> None:
    assert troops(sentence) == [("kfor_troops", value)]


@pytest.mark.parametrize(
    "sentence",
    [
        # Another force's troops, even in a sentence that also names KFOR.
        "Washington keeps about 80,000 troops spread across Europe, and a few hundred of them "
        "serve with KFOR.",
        "EUFOR, the EU force in Bosnia, has about 1,100 soldiers, while KFOR patrols Kosovo.",
        "NATO's forward battalion in Lithuania will grow to 3,000 soldiers next year.",
        "Serbia's army placed 4,500 soldiers on alert near the boundary, KFOR said.",
        "Belgrade moved 1,500 soldiers closer to the boundary line, NATO said.",
        "The Kosovo Security Force plans to reach 5,000 active members, NATO noted.",
        "UNIFIL keeps about 10,000 peacekeepers from 46 countries in southern Lebanon.",
        "Kosovo police deployed 1,200 officers to the north as KFOR watched.",
        # A population, a range, a part, a date, a year, a clock time.
        "KFOR guards villages where some 40,000 Serbs live.",
        "NATO's new unit will count between 2,000 and 5,000 troops, KFOR officials said.",
        "The alliance's rapid force could range from 2,000 to 6,000 personnel.",
        "In 2008 KFOR patrols were doubled at 1999 checkpoints.",
        "KFOR troops reached the bridge at 14:20 and left at 16:45.",
        "KFOR has been in Kosovo since 1999 under Resolution 1244.",
    ],
)
def test_numbers_that_are_not_the_missions_strength(sentence: str) -> None:
    assert troops(sentence) == []


def test_another_force_in_the_same_sentence_does_not_take_the_missions_figure() -> None:
    sentence = "KFOR's 4,000 troops include 1,200 soldiers from Italy."
    assert troops(sentence) == [("kfor_troops", 4000)]


def test_a_past_strength_keeps_its_own_year_and_todays_figure_does_not() -> None:
    sentence = "KFOR shrank from 50,000 troops in 1999 to about 4,000 today."
    facts = [f for f in extract_facts([sentence], DAY) if f.kind == "kfor_troops"]
    assert [(f.value, f.as_of) for f in facts] == [(50000, "1999"), (4000, None)]


def test_a_past_strength_without_a_date_is_left_out() -> None:
    assert troops("At its peak the NATO mission in Kosovo had 50,000 soldiers.") == []
    assert troops("NATO force numbers have fallen from a peak of 50,000.") == []


def test_a_total_dated_by_its_sentence_says_when() -> None:
    (fact,) = extract_facts(["In March 2021, KFOR counted 3,600 soldiers."], DAY)
    assert (fact.kind, fact.value, fact.as_of) == ("kfor_troops", 3600, "2021-03")


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("Some 350 Hungarian troops arrived in Kosovo on Monday to join KFOR.", 350),
        ("Poland is sending 150 soldiers to bolster the KFOR peacekeeping mission.", 150),
        ("NATO will deploy an extra 400 troops to Kosovo after the clashes.", 400),
        ("KFOR was reinforced with 220 Austrian soldiers last week.", 220),
        ("The alliance agreed to boost KFOR by 300 troops.", 300),
        ("A Greek defence official said 120 troops would go to Kosovo.", 120),
    ],
)
def test_a_national_contingent_sent_to_the_mission_is_a_reinforcement(
    sentence: str, value: int
) -> None:
    assert troops(sentence, "KFOR patrols the north of Kosovo.") == [("troop_increase", value)]


def test_a_contingent_sent_elsewhere_is_no_reinforcement_of_the_mission() -> None:
    sentence = "Around 900 Dutch troops are deploying to Lithuania as part of NATO's presence."
    assert troops(sentence, "KFOR patrols the north of Kosovo.") == []


def test_a_contingent_already_serving_is_neither_total_nor_reinforcement() -> None:
    assert troops("About 250 Turkish soldiers serve with KFOR.") == []
    assert troops("NATO said 70 soldiers from Slovenia patrol near Jarinje.") == []


def test_a_cut_is_not_a_reinforcement() -> None:
    assert troops("NATO cut KFOR by 500 troops.") == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("KFOR broji oko 4.300 vojnika iz 28 zemalja.", [("kfor_troops", 4300)]),
        ("La NATO invierà altri 600 soldati in Kosovo.", [("troop_increase", 600)]),
        ("La KFOR cuenta con unos 4.100 soldados en Kosovo.", [("kfor_troops", 4100)]),
        ("Die KFOR besteht derzeit aus 4.400 Soldaten.", [("kfor_troops", 4400)]),
        ("Kfor je pojačan sa 250 britanskih vojnika.", [("troop_increase", 250)]),
    ],
)
def test_figures_are_read_in_the_languages_kfor_news_comes_in(
    sentence: str, expected: list[tuple[str, int]]
) -> None:
    assert troops(sentence) == expected


def test_the_missions_figures_say_whose_and_what_they_count() -> None:
    (fact,) = extract_facts(["There are about 3,900 KFOR soldiers in Kosovo."], DAY)
    assert (fact.owner, fact.noun, fact.span) == (
        "KFOR",
        "KFOR soldiers",
        "about 3,900 KFOR soldiers",
    )


def test_every_span_starts_where_the_fact_says() -> None:
    sentence = "Officials said KFOR now counts about 4,300 troops from 28 countries."
    for fact in extract_facts([sentence], DAY):
        assert sentence[fact.start : fact.start + len(fact.span)] == fact.span


@pytest.mark.parametrize(
    "sentence",
    [
        "About 1,200 KFOR troops from 14 nations take part in the exercise near Peja.",
        "Some 600 soldiers of the Texas National Guard will deploy to Kosovo in a regular rotation.",
        "The 400 Italian troops who arrived in May replace the outgoing KFOR battalion.",
    ],
)
def test_exercises_and_rotations_give_neither_strength_nor_reinforcement(sentence: str) -> None:
    assert troops(sentence, "KFOR patrols the north of Kosovo.") == []


def test_a_force_named_by_its_size_is_a_total() -> None:
    assert troops("The 4,200-member KFOR has raised its alert level.") == [("kfor_troops", 4200)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The number of KFOR troops has risen to 4,800.", [("kfor_troops", 4800)]),
        ("Serbia put 1,200 troops on alert, while KFOR has 3,700.", [("kfor_troops", 3700)]),
        ("KFOR has 1,200 vehicles in the north.", []),
    ],
)
def test_a_bare_number_is_a_total_only_where_the_force_is_given_it(
    sentence: str, expected: list[tuple[str, int]]
) -> None:
    assert troops(sentence) == expected


def test_a_strength_down_from_a_dated_past_keeps_both() -> None:
    sentence = "Around 3,500 troops serve in KFOR, down from 50,000 in 1999."
    facts = extract_facts([sentence], DAY)
    assert [(f.value, f.as_of) for f in facts] == [(3500, None), (50000, "1999")]
