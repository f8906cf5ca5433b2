"""Casualties are tied to their own noun and say whose they are."""

import datetime as dt

import pytest

from briefings.facts import extract_facts
from briefings.models import Precision, Published

DAY = Published(dt.date(2024, 3, 14), Precision.DAY)


def casualties(*sentences: str) -> list[tuple[str, int, str]]:
    """(kind, value, owner) of every casualty figure."""
    return [
        (f.kind, f.value, f.owner)
        for f in extract_facts(list(sentences), DAY)
        if f.kind in ("injured", "killed")
    ]


def test_a_relative_clause_does_not_steal_the_count() -> None:
    sentence = (
        "Roughly 30 KFOR soldiers who were guarding three mayors were hurt in the scuffles "
        "outside the town hall."
    )
    (fact,) = extract_facts([sentence], DAY)
    assert (fact.kind, fact.value, fact.qualifier, fact.owner, fact.noun) == (
        "injured",
        30,
        "around",
        "KFOR",
        "KFOR soldiers",
    )


def test_a_participle_describing_the_group_does_not_steal_the_count() -> None:
    sentence = "Twelve NATO peacekeepers escorting two officials were wounded near Zvecan."
    assert casualties(sentence) == [("injured", 12, "KFOR")]


def test_each_group_of_a_list_keeps_its_own_owner() -> None:
    sentence = "Some 60 Serbian demonstrators and at least 20 KFOR troops were injured."
    assert casualties(sentence) == [
        ("injured", 60, "Serbian demonstrators"),
        ("injured", 20, "KFOR"),
    ]


def test_protesters_and_police_are_never_the_missions_casualties() -> None:
    assert casualties("Forty protesters were injured in the clashes with KFOR.") == [
        ("injured", 40, "protesters")
    ]
    assert casualties("Three police officers were wounded, KFOR said.") == [
        ("injured", 3, "police officers")
    ]


def test_soldiers_in_an_article_about_the_mission_are_its_own() -> None:
    found = casualties(
        "KFOR troops cleared the road near Jarinje.",
        "Nine soldiers were injured by stones thrown at the convoy.",
    )
    assert found == [("injured", 9, "KFOR")]


def test_a_bare_count_takes_the_group_named_just_before_it() -> None:
    assert casualties("Clashes with KFOR troops, at least 14 injured") == [("injured", 14, "KFOR")]


def test_a_bare_count_wounded_by_the_mission_is_not_the_missions() -> None:
    sentence = "About 20 were wounded by the NATO peacekeepers during the clearing of the road."
    assert casualties(sentence) == [("injured", 20, "")]


def test_active_verbs_read_the_groups_after_them() -> None:
    sentence = "The explosion killed one border officer and wounded six KFOR soldiers."
    assert casualties(sentence) == [("killed", 1, "border officer"), ("injured", 6, "KFOR")]


def test_a_range_is_no_casualty_count() -> None:
    sentence = "Between 30 and 50 residents, along with two KFOR members, were injured."
    assert casualties(sentence) == [("injured", 2, "KFOR")]


def test_a_clock_time_before_a_casualty_word_is_no_count() -> None:
    assert casualties("Update 14:20 Several hurt in stone-throwing near Jarinje") == []
    assert casualties("At 4am two hand grenades were thrown; no one was injured.") == []


def test_a_pronoun_is_no_count() -> None:
    assert casualties("One was reported injured after the blast.") == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Gli scontri hanno ferito 25 membri della forza di pace NATO e 40 manifestanti.",
            [("injured", 25, "KFOR"), ("injured", 40, "manifestanti")],
        ),
        (
            "Los disturbios hirieron a 12 soldados de la KFOR.",
            [("injured", 12, "KFOR")],
        ),
    ],
)
def test_casualties_in_other_languages(sentence: str, expected: list[tuple[str, int, str]]) -> None:
    assert casualties(sentence) == expected


def test_war_dead_are_history_not_news() -> None:
    assert casualties("The war of 1998-99 left more than 10,000 people dead.") == []


def test_a_part_of_a_group_is_counted_with_that_groups_owner() -> None:
    assert casualties("About 30 of the 500 protesters were injured.") == [
        ("injured", 30, "protesters")
    ]
    assert casualties("KFOR said 14 of its soldiers were hurt.") == [("injured", 14, "KFOR")]
