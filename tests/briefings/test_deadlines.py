"""Deadlines: the phrasings news uses, the year a deadline takes, and hostile input read in linear time."""

import datetime as dt

import pytest

from briefings.facts import extract_facts
from briefings.facts.deadlines import resolve, written_day_month
from briefings.models import Precision, Published

NOVEMBER = Published(dt.date(2023, 11, 6), Precision.DAY)


def deadlines(sentence: str, published: Published = NOVEMBER) -> list[tuple[str, bool, str]]:
    return [
        (f.value, f.resolved, f.span)
        for f in extract_facts([sentence], published)
        if f.kind == "deadline"
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Car owners must swap their plates by April 21, 2024, the ministry said.",
            ("2024-04-21", "by April 21, 2024"),
        ),
        (
            "For drivers with old plates, January 15 is the final deadline.",
            ("2024-01-15", "January 15 is the final deadline"),
        ),
        (
            "The government extended the re-registration period until Dec. 15.",
            ("2023-12-15", "extended the re-registration period until Dec. 15"),
        ),
        (
            "The ban on old plates was put back until at least March 1.",
            ("2024-03-01", "put back until at least March 1"),
        ),
        (
            "Officials set a deadline of 30 November for the new documents.",
            ("2023-11-30", "deadline of 30 November"),
        ),
        (
            "After February 1, 2024, police will confiscate cars with the old plates.",
            ("2024-02-01", "After February 1, 2024"),
        ),
    ],
)
def test_the_common_phrasings_are_read(sentence: str, expected: tuple[str, str]) -> None:
    value, span = expected
    assert deadlines(sentence) == [(value, True, span)]


@pytest.mark.parametrize(
    "sentence",
    [
        "Fines will apply from November 21 until January 21, after which temporary plates follow.",
        "The border reopened on December 3 after talks in Brussels.",
        "From November 21, drivers with old plates will be fined.",
        "Temporary permits issued at the crossing are valid for 90 days.",
        "The UN Security Council extended the mission's mandate until Aug. 31, 2025.",
        "The registration offices will stay open until December 20.",
    ],
)
def test_dates_that_are_no_deadline(sentence: str) -> None:
    assert deadlines(sentence) == []


def test_a_deadline_without_a_year_takes_the_next_such_day_after_its_report() -> None:
    assert deadlines("Drivers must re-register by Jan. 10.") == [("2024-01-10", True, "by Jan. 10")]


def test_a_deadline_the_report_says_has_passed_is_the_one_just_behind_it() -> None:
    sentence = "The deadline (October 31st) expired without a single car re-registered."
    assert deadlines(sentence) == [("2023-10-31", True, "deadline (October 31st")]


@pytest.mark.parametrize("published", [Published(), Published(dt.date(2023, 1, 1), Precision.YEAR)])
def test_with_no_day_or_month_to_go_by_the_deadline_keeps_its_words(published: Published) -> None:
    assert deadlines("Owners must re-register by Dec. 20.", published) == [
        ("Dec. 20", False, "by Dec. 20")
    ]


def test_a_kept_deadline_is_placed_later_by_its_storys_date() -> None:
    assert written_day_month("Dec. 20") == (20, 12)
    story = Published(dt.date(2025, 11, 25), Precision.DAY)
    assert resolve(20, 12, story) == dt.date(2025, 12, 20)
    assert resolve(20, 12, Published(dt.date(2025, 1, 1), Precision.YEAR)) is None
    assert resolve(31, 9, story) is None


def test_a_day_that_does_not_exist_is_no_date() -> None:
    assert deadlines("Drivers must re-register by September 31, 2024.") == []


@pytest.mark.timeout(60)
def test_a_flood_of_deadline_like_text_is_read_in_linear_time() -> None:
    text = ("by 1 Jan " * 12_000)[:100_000]
    facts = extract_facts([text], NOVEMBER)
    assert facts == []


@pytest.mark.timeout(60)
def test_a_flood_of_casualty_words_is_read_in_linear_time() -> None:
    facts = extract_facts(["killed 1 " * 4_400], NOVEMBER)
    assert len(facts) == 4_400
    assert {(f.kind, f.value) for f in facts} == {("killed", 1)}


@pytest.mark.timeout(60)
def test_long_runs_of_numbers_beside_the_mission_are_read_in_linear_time() -> None:
    facts = extract_facts(["KFOR " + "1, " * 10_000 + "troops"], NOVEMBER)
    assert facts == []
