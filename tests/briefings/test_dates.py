"""Publication dates from feeds, metadata and datelines, and years for day-month deadlines."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from briefings.dates import (
    date_from_html_meta,
    date_from_text,
    month_number,
    parse_feed_date,
    resolve_day_month,
)
from briefings.models import UNKNOWN_DATE, Precision, Published
from tests.conftest import shared_path

FETCHED = dt.datetime(2024, 3, 1, 12, 0, tzinfo=dt.UTC)


def _day(year: int, month: int, day: int) -> Published:
    return Published(dt.date(year, month, day), Precision.DAY)


def test_feed_date_is_a_day() -> None:
    parsed = time.struct_time((2023, 5, 30, 10, 15, 0, 1, 150, 0))
    assert parse_feed_date(parsed, FETCHED) == _day(2023, 5, 30)


def test_feed_without_a_date_is_unknown() -> None:
    assert parse_feed_date(None, FETCHED) == UNKNOWN_DATE


def test_feed_date_of_1900_means_no_date() -> None:
    assert parse_feed_date((1900, 1, 1, 0, 0, 0, 0, 1, 0), FETCHED) == UNKNOWN_DATE


def test_feed_date_after_the_fetch_is_clamped_to_the_fetch() -> None:
    assert parse_feed_date((2031, 7, 4, 8, 0, 0, 4, 185, 0), FETCHED) == _day(2024, 3, 1)


def test_feed_date_later_the_same_day_is_clamped_to_the_fetch_day() -> None:
    fetched = dt.datetime(2024, 3, 1, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    # 23:30 at UTC-5 is 04:30 UTC on 2 March; an entry stamped 10:00 UTC on 2 March is later.
    assert parse_feed_date((2024, 3, 2, 10, 0, 0, 5, 62, 0), fetched) == _day(2024, 3, 2)


def test_feed_date_with_impossible_fields_is_unknown() -> None:
    assert parse_feed_date((2023, 13, 40, 0, 0, 0, 0, 1, 0), FETCHED) == UNKNOWN_DATE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (" date 2023-01-02 As tensions escalated this week, Kurti spoke.", _day(2023, 1, 2)),
        ("PRISTINA, Sept. 20, 2022 (Reuters) - NATO is ready to act.", _day(2022, 9, 20)),
        ("Jan. 5, 2023 \u2013 Kosovo reopened the crossing.", _day(2023, 1, 5)),
        ("PRIZREN, Kosovo, 14 June 2024 - The festival began.", _day(2024, 6, 14)),
        ("JARINJE, Kosovo \u2013 British troops patrolled the border.", UNKNOWN_DATE),
        ("KFOR said on September 24, 2023 that the attack was over.", UNKNOWN_DATE),
        ("The deadline is Oct 31. PRISTINA, Sept. 20, 2022 - text.", UNKNOWN_DATE),
        ("PRISTINA, Sept. 31, 2022 (Reuters) - a day that never was.", UNKNOWN_DATE),
        ("", UNKNOWN_DATE),
    ],
)
def test_date_from_text(text: str, expected: Published) -> None:
    assert date_from_text(text) == expected


def test_seed_000_states_no_publication_date() -> None:
    raw = shared_path("seeds", "000_06b6cf054fc2b7c0.txt").read_text(encoding="utf-8")
    assert date_from_text(raw) == UNKNOWN_DATE


def test_seed_004_dates_itself() -> None:
    raw = shared_path("seeds", "004_6fdee46b81a4cc18.txt").read_text(encoding="utf-8")
    assert date_from_text(raw) == _day(2023, 1, 2)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-05-30", _day(2023, 5, 30)),
        ("2023-05", Published(dt.date(2023, 5, 1), Precision.MONTH)),
        ("2023", Published(dt.date(2023, 1, 1), Precision.YEAR)),
        ("2023-05-30T10:00:00Z", _day(2023, 5, 30)),
        ("2023-05-30T23:30:00-05:00", _day(2023, 5, 30)),
        (" 2023/05/30 ", _day(2023, 5, 30)),
        ("Tue, 30 May 2023 10:00:00 GMT", _day(2023, 5, 30)),
        ("May 30, 2023", _day(2023, 5, 30)),
        ("30 May 2023", _day(2023, 5, 30)),
        ("2023-02-30", UNKNOWN_DATE),
        ("1899-12-31", UNKNOWN_DATE),
        ("yesterday", UNKNOWN_DATE),
        ("", UNKNOWN_DATE),
        (None, UNKNOWN_DATE),
    ],
)
def test_date_from_html_meta(value: str | None, expected: Published) -> None:
    assert date_from_html_meta(value) == expected


def test_metadata_precision_shows_in_what_is_stored() -> None:
    assert date_from_html_meta("2023-05").iso == "2023-05"
    assert date_from_html_meta("2023").iso == "2023"


@pytest.mark.parametrize(
    ("day", "month", "published", "expected"),
    [
        (31, 10, _day(2022, 9, 20), dt.date(2022, 10, 31)),
        (20, 9, _day(2022, 9, 20), dt.date(2022, 9, 20)),
        (15, 1, _day(2022, 12, 20), dt.date(2023, 1, 15)),
        (1, 6, Published(dt.date(2023, 5, 1), Precision.MONTH), dt.date(2023, 6, 1)),
        (1, 12, Published(dt.date(2023, 1, 1), Precision.YEAR), dt.date(2023, 12, 1)),
        (29, 2, _day(2023, 3, 1), dt.date(2024, 2, 29)),
        (29, 2, Published(dt.date(2023, 1, 1), Precision.YEAR), None),
        (31, 4, _day(2023, 3, 1), None),
        (1, 12, UNKNOWN_DATE, None),
    ],
)
def test_resolve_day_month(
    day: int, month: int, published: Published, expected: dt.date | None
) -> None:
    assert resolve_day_month(day, month, published) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Sep", 9),
        ("Sept.", 9),
        ("September", 9),
        ("sept", 9),
        ("Oct", 10),
        ("May", 5),
        ("JUNE", 6),
        ("Dec.", 12),
        ("Tue", None),
        ("Septembre", None),
        ("", None),
    ],
)
def test_month_number(name: str, expected: int | None) -> None:
    assert month_number(name) == expected
