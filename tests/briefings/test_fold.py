"""Search folding: diacritics, place-name spellings and safe query words."""

from __future__ import annotations

import pytest

from briefings.fold import fold, fold_query_terms


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Zvečan", "zvecan"),
        ("Jarinjë", "jarinje"),
        ("Leposavić", "leposavic"),
        ("Mitrovicë", "mitrovica"),
        ("KOSOVO", "kosovo"),
    ],
)
def test_case_and_diacritics_fold_away(text: str, expected: str) -> None:
    assert fold(text) == expected


@pytest.mark.parametrize(
    "spellings",
    [
        ["Mitrovica", "Mitrovice", "Mitrovicë"],
        ["Pristina", "Prishtina", "Prishtinë", "Priština"],
        ["Leposavić", "Leposaviq"],
        ["Zvečan", "Zvecani", "Zveçan"],
        ["Jarinje", "Jarinja", "Jarinjë"],
        ["Zubin Potok", "Zubin Potoku"],
        ["Gjilan", "Gnjilane"],
        ["Peja", "Pec", "Peć"],
        ["Prizren", "Prizreni"],
        ["Brnjak", "Bërnjak"],
        ["Kosovo", "Kosova"],
    ],
)
def test_serbian_and_albanian_spellings_find_each_other(spellings: list[str]) -> None:
    assert len({fold(name) for name in spellings}) == 1


def test_place_names_are_replaced_inside_running_text() -> None:
    assert fold("Protest në Prishtinë, Kosova-Serbia: 3 arrests in Zubin Potoku.") == (
        "protest ne pristina, kosovo-serbia: 3 arrests in zubin potok."
    )


def test_place_name_inside_a_longer_word_is_left_alone() -> None:
    assert fold("Special inspectors met the Kosovar delegation.") == (
        "special inspectors met the kosovar delegation."
    )


def test_fold_is_idempotent() -> None:
    once = fold("Ushtarët e KFOR-it në Zveçan dhe Leposaviq")
    assert fold(once) == once


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Kosovo-Serbia", ["kosovo", "serbia"]),
        ('"', []),
        ("AND", ["and"]),
        ("*", []),
        ("(", []),
        ("NEAR(troops plates, 3)", ["near", "troops", "plates", "3"]),
        ("🇽🇰 Zveçan 🚧", ["zvecan"]),
        ("title:KFOR OR ^border", ["title", "kfor", "or", "border"]),
        ("", []),
        ("   ", []),
        ("Prishtinë license_plates", ["pristina", "license", "plates"]),
    ],
)
def test_query_terms_are_bare_folded_words(query: str, expected: list[str]) -> None:
    assert fold_query_terms(query) == expected
