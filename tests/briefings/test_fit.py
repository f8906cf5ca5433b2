"""Trimming and splitting replies: whole points only, citations intact, every point accounted for."""

import pytest

from briefings.render import render
from briefings.render.fit import DoesNotFit, count_units, split, trim


def source(ref: int) -> dict:
    return {
        "ref": ref,
        "article_id": 100 + ref,
        "title": f"Article {ref}",
        "publisher": None,
        "published": "2023-05",
        "url": None,
    }


def point(n: int, *refs: int) -> dict:
    return {"text": f"Point number {n} about the border.", "citations": list(refs), "date": None}


def brief() -> dict:
    return {
        "kind": "brief",
        "generated_at": "2024-01-01T00:00:00+00:00",
        "workspace": "local",
        "window": {"since": None, "until": "2024-01-01T00:00:00+00:00"},
        "note": "a note for the first part",
        "sections": [
            {"topic": "kfor", "title": "KFOR", "points": [point(1, 1), point(2, 2), point(3, 3)]},
            {"topic": "plates", "title": "Plates", "points": [point(4, 3, 4)]},
        ],
        "omitted": 1,
        "facts": [],
        "conflicts": [],
        "sources": [source(r) for r in (1, 2, 3, 4)],
    }


def shorter_than(limit: int):
    return lambda reply: len(render(reply, "text")) <= limit


def texts(reply: dict) -> list[str]:
    return [p["text"] for s in reply["sections"] for p in s["points"]]


def test_a_reply_that_fits_is_returned_as_it_is():
    reply = brief()
    assert trim(reply, lambda _: True) is reply
    assert split(reply, lambda _: True) == [reply]


def test_trim_drops_whole_points_from_the_longest_section_and_counts_them():
    reply = brief()
    full = len(render(reply, "text"))
    trimmed = trim(reply, shorter_than(full - 1))
    assert texts(trimmed) == [
        "Point number 1 about the border.",
        "Point number 2 about the border.",
        "Point number 4 about the border.",
    ]
    assert trimmed["omitted"] == 2
    assert [s["ref"] for s in trimmed["sources"]] == [1, 2, 3, 4]
    assert "2 more points left out to keep this reply short." in render(trimmed, "text")
    assert reply["omitted"] == 1, "the input reply is left as it was"


def test_trim_keeps_numbers_and_drops_sources_no_point_cites():
    reply = brief()
    trimmed = trim(reply, lambda r: count_units(r) <= 1)
    assert texts(trimmed) == ["Point number 1 about the border."]
    assert trimmed["sources"] == [source(1)]
    assert trimmed["omitted"] == 4


def test_trim_of_a_timeline_drops_the_oldest_events():
    events = [{"date": f"2023-0{m}", "precision": "month", "point": point(m, m)} for m in (1, 2, 3)]
    reply = {
        "kind": "timeline",
        "topic": None,
        "events": events,
        "omitted": 0,
        "sources": [source(r) for r in (1, 2, 3)],
    }
    trimmed = trim(reply, lambda r: count_units(r) <= 2)
    assert [e["date"] for e in trimmed["events"]] == ["2023-02", "2023-03"]
    assert trimmed["omitted"] == 1


def test_split_puts_every_point_in_exactly_one_part_in_order():
    reply = brief()
    parts = split(reply, lambda r: count_units(r) <= 2)
    assert [texts(p) for p in parts] == [
        ["Point number 1 about the border.", "Point number 2 about the border."],
        ["Point number 3 about the border.", "Point number 4 about the border."],
    ]
    assert [p["part"] for p in parts] == [[1, 2], [2, 2]]
    assert parts[0]["note"] == "a note for the first part"
    assert parts[1]["note"] is None
    assert [s["ref"] for s in parts[0]["sources"]] == [1, 2]
    assert [s["ref"] for s in parts[1]["sources"]] == [3, 4]
    assert [s["title"] for s in parts[1]["sections"]] == ["KFOR", "Plates"]


def test_split_of_a_status_card_keeps_the_strength_line_in_the_first_part():
    history = [
        {"kind": "kfor_troops", "value": v, "qualifier": "around", "as_of": d, "citations": [r]}
        for r, (v, d) in enumerate([(3700, "2022-09-20"), (3800, "2023-01-02")], start=1)
    ]
    reply = {
        "kind": "status",
        "strength": {
            "value": 4500,
            "qualifier": "exactly",
            "as_of": "2023",
            "countries": 27,
            "citations": [3],
        },
        "latest_report": "2023",
        "stale": False,
        "history": history,
        "developments": [],
        "deadlines": {"upcoming": [], "passed": []},
        "conflicts": [],
        "sources": [source(r) for r in (1, 2, 3)],
    }
    first, second = split(reply, lambda r: count_units(r) <= 1)
    assert first["strength"]["value"] == 4500
    assert [s["ref"] for s in first["sources"]] == [1, 3]
    assert second["strength"] is None
    assert render(second, "text").splitlines()[0] == "KFOR status (part 2 of 2)"
    assert "KFOR strength" not in render(second, "text")


def test_a_point_that_cannot_fit_on_its_own_is_an_error_not_a_cut():
    reply = brief()
    reply["sections"][1]["points"][0]["text"] = "x" * 500
    with pytest.raises(DoesNotFit):
        split(reply, shorter_than(400))
