from briefings.anchors import anchors
from briefings.engine.select import MERGE_SAME_STORY, duplicate_groups, jaccard, tokens
from briefings.verify import _supports

HANDOVER_2022 = (
    "Italian Major General Angelo Ristuccia took command of KFOR in October, succeeding "
    "Hungary's Ferenc Kajari."
)
HANDOVER_2023 = (
    "Turkish Major General Ozkan Ulutas took command of KFOR in October, succeeding "
    "Italy's Angelo Ristuccia."
)


def test_two_handovers_do_not_share_anchors():
    assert anchors(HANDOVER_2022) != anchors(HANDOVER_2023)
    assert {"ristuccia", "kajari", "kfor"} <= anchors(HANDOVER_2022)


def test_a_sentence_opener_is_not_a_name_but_a_leading_name_is():
    assert anchors("On Monday KFOR sent two companies to Jarinje.") == anchors(
        "KFOR sent two companies to Jarinje on Monday."
    )


def test_figures_are_anchors_however_they_are_written():
    assert anchors("KFOR has 3,800 troops.") == anchors("KFOR has 3 800 troops.")
    assert anchors("KFOR has 3,800 troops.") != anchors("KFOR has 3,700 troops.")


def test_a_citation_must_not_vouch_for_another_event():
    assert not _supports("The mission changed hands again. " + HANDOVER_2023, HANDOVER_2022)
    wire = "ROME (Wire) - " + HANDOVER_2022.replace("took command", "formally took command")
    assert _supports(wire, HANDOVER_2022)


def test_the_engine_does_not_merge_different_handovers():
    from tests.briefings.test_engine_select import article, sentence

    first = sentence(article(1, story_id=1), 0, HANDOVER_2022)
    second = sentence(article(2, story_id=1), 0, HANDOVER_2023)
    words = [tokens(c.text) for c in (first, second)]
    assert jaccard(words[0], words[1]) >= MERGE_SAME_STORY, "close enough in words to merge"
    assert duplicate_groups([first, second], words) == [[0], [1]]
