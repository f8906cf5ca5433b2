"""Topic scoring: which sentences and articles a reader would file under KFOR, the border or plates."""

from importlib import resources
from pathlib import Path

import pytest

from briefings.text import article_sentences, clean_text
from briefings.topics import (
    TopicFileError,
    TopicProfile,
    article_topics,
    load_profiles,
    score_sentence,
    score_sentences,
)

PROFILES = load_profiles()

# Titles as the seed notes give them; None where the article has no headline of its own.
SEED_TITLES = {
    "000": None,
    "001": "NATO-Led Force In Kosovo Steps Up Patrols Near Border With Serbia",
    "002": "NATO strengthens KFOR peacekeeping mission in Kosovo amid recent clashes",
    "003": "NATO ready to send more troops to Kosovo in case of fresh unrest",
    "004": None,
}


def seed_topics(prefix: str, profiles: tuple[TopicProfile, ...] = PROFILES) -> list[str]:
    """Topics of one bundled seed, read the way ingest reads it: cleaned, split, title scored."""
    seeds = resources.files("briefings").joinpath("seeds")
    (raw,) = [p.read_text(encoding="utf-8") for p in seeds.iterdir() if p.name.startswith(prefix)]
    title = SEED_TITLES[prefix]
    sentences = article_sentences(clean_text(raw, title))
    scores = [score_sentence(s, profiles) for s in sentences]
    return article_topics(scores, score_sentence(title or sentences[0], profiles))


def topics_of(sentence: str) -> set[str]:
    return set(score_sentence(sentence, PROFILES))


def test_the_three_built_in_topics_load_in_order_with_titles() -> None:
    assert [(p.name, p.title) for p in PROFILES] == [
        ("kfor", "KFOR"),
        ("border", "Kosovo\u2013Serbia border"),
        ("plates", "License plates"),
    ]


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        # British patrols on the border, 1,000 more troops, and the December 1 plate deadline.
        ("000", {"kfor", "border", "plates"}),
        # KFOR patrols, the Jarinje and Brnjak blockades, over temporary plates.
        ("001", {"kfor", "border", "plates"}),
        # Reinforcements after the Zvecan clashes over municipal elections: not a border story,
        # and the one car with Albanian plates is a passing detail.
        ("002", {"kfor"}),
        # Troops ready for the Oct 31 plate deadline; summer roadblocks and barricades in the north.
        ("003", {"kfor", "border", "plates"}),
        # Kurti asks for more KFOR troops; artillery on the border, barricades coming down. Plates
        # appear in one body sentence only (the "Tensions flaring over car plates" subheading is
        # dropped with other headings), which is a mention, not a topic.
        ("004", {"kfor", "border"}),
    ],
)
def test_seed_articles_get_the_topics_a_reader_would_give_them(
    prefix: str, expected: set[str]
) -> None:
    assert set(seed_topics(prefix)) == expected


def test_nato_in_passing_is_not_kfor_news() -> None:
    assert "kfor" not in topics_of("NATO's summit in Vilnius focused on Ukraine's membership bid.")
    assert "kfor" not in topics_of("NATO members promised to spend more on their own armies.")


@pytest.mark.parametrize(
    "sentence",
    [
        "KFOR doubled its foot patrols in the north this week.",
        "The Kosovo Force said its soldiers would stay at their posts.",
        "NATO said it would keep every one of its troops in Kosovo.",
        "Around 3,500 NATO peacekeepers remain on duty after the riots.",
    ],
)
def test_kfor_needs_the_mission_or_nato_tied_to_kosovo_or_peacekeeping(sentence: str) -> None:
    assert "kfor" in topics_of(sentence)


def test_matching_ignores_case_and_accents() -> None:
    plain = score_sentence("Protesters parked lorries across the road at Jarinje.", PROFILES)
    accented = score_sentence("PROTESTERS PARKED LORRIES ACROSS THE ROAD AT JARINJË.", PROFILES)
    assert plain == accented
    assert "border" in plain


def test_matching_is_by_whole_words() -> None:
    # "senator" contains "nato" and "Kosovar" starts with "kosov", but only the second is a word match.
    assert topics_of("The senator met Kosovar students in Vienna.") == set()


def test_phrases_match_across_hyphens_but_need_their_words_together() -> None:
    assert topics_of("Belgrade condemned the license-plate rule.") == {"plates"}
    assert "plates" in topics_of("Belgrade condemned the new number plates rule for Kosovo.")
    assert "plates" not in topics_of(
        "A number of Kosovo officials were present; plates were served."
    )


def test_scores_are_fractions_and_only_topics_above_the_threshold_are_returned() -> None:
    scores = score_sentence(
        "NATO-led KFOR troops moved to the Jarinje border crossing as Serbs blocked the road.",
        PROFILES,
    )
    assert set(scores) == {"kfor", "border"}
    assert all(0 < value <= 1 for value in scores.values())
    thresholds = {p.name: p.threshold for p in PROFILES}
    assert all(value >= thresholds[name] for name, value in scores.items())


def test_other_serbian_borders_are_not_the_kosovo_boundary() -> None:
    assert "border" not in topics_of("Serbia sent extra police to its border with Hungary.")


def test_serbian_army_moves_near_the_boundary_are_border_news() -> None:
    assert "border" in topics_of("Serbian army units moved closer to the boundary with Kosovo.")


def test_an_article_about_a_nato_summit_on_ukraine_is_not_a_kfor_article() -> None:
    title = "Allies weigh Ukraine's path to membership at Vilnius summit"
    body = [
        "Leaders of the alliance gathered in the Lithuanian capital for two days of talks.",
        "Kyiv pressed for a clear timetable to join NATO.",
        "Several governments warned that membership could not come while the war continues.",
        "Ministers also discussed air defence supplies and ammunition stocks.",
        "In a short aside, the final statement thanked KFOR for its work in Kosovo.",
        "The next summit will be held in Washington.",
    ]
    topics = article_topics(
        [score_sentence(s, PROFILES) for s in body], score_sentence(title, PROFILES)
    )
    assert topics == []


def test_a_short_kfor_item_counts_when_the_title_agrees() -> None:
    title = "KFOR adds night patrols in the north"
    body = ["KFOR said the extra patrols would run for as long as tensions last."]
    scores = [score_sentence(s, PROFILES) for s in body]
    assert article_topics(scores, score_sentence(title, PROFILES)) == ["kfor"]


def test_article_topics_are_ordered_strongest_first() -> None:
    scores = [{"plates": 0.9, "kfor": 0.5}, {"plates": 0.8, "kfor": 0.6}, {"plates": 0.7}]
    assert article_topics(scores, {}) == ["plates", "kfor"]


def write(tmp_path: Path, text: str, name: str = "topics.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


ELECTIONS = """
[topics.elections]
title = "Local elections"
threshold = 0.4
requires = ["election*|vote|voting|ballot* + kosov*|north*|zvecan|mitrovica|leposavic|zubin potok"]

[topics.elections.terms]
"election*" = 0.5
"mayor*" = 0.3
"turnout" = 0.4
"boycott*" = 0.3
"""


def test_an_operator_file_adds_a_topic(tmp_path: Path) -> None:
    profiles = load_profiles([write(tmp_path, ELECTIONS)])
    assert [p.name for p in profiles] == ["kfor", "border", "plates", "elections"]
    scores = score_sentence(
        "Serbs boycotted the mayoral elections in Zvečan, where turnout was very low.", profiles
    )
    assert set(scores) == {"elections"}
    assert "elections" not in score_sentence("Elections in Spain were held on Sunday.", profiles)


def test_an_operator_file_replaces_a_built_in_topic_by_name(tmp_path: Path) -> None:
    text = """
[topics.plates]
title = "Vehicle plates"

[topics.plates.terms]
"plates" = 0.9
"""
    profiles = load_profiles([write(tmp_path, text)])
    assert [(p.name, p.title) for p in profiles][2] == ("plates", "Vehicle plates")
    assert len(profiles) == 3
    assert "plates" not in score_sentence("Drivers must re-register their cars.", profiles)


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("[topics.elections\ntitle = 'x'", "is not valid TOML"),
        ("[topics.elections]\ntitle = 'Elections'\n", "'terms'"),
        ("[topics.elections]\n[topics.elections.terms]\nvote = 0.5\n", "'title'"),
        (
            "[topics.elections]\ntitle = 'Elections'\n[topics.elections.terms]\nvote = 3\n",
            "term 'vote' needs a weight above 0 and at most 1",
        ),
        (
            "[topics.elections]\ntitle = 'E'\nexlude = ['x']\n[topics.elections.terms]\nvote = 0.5\n",
            "unknown key 'exlude'",
        ),
        ("[topics.Elections]\ntitle = 'E'\n[topics.Elections.terms]\nvote = 0.5\n", "a name is"),
        (
            "[topics.elections]\ntitle = 'E'\nrequires = ['vote + ']\n"
            "[topics.elections.terms]\nvote = 0.5\n",
            "not a usable term",
        ),
        ("title = 'no table'\n", "unknown top-level key 'title'"),
    ],
)
def test_a_bad_operator_file_is_refused_with_a_clear_reason(
    tmp_path: Path, text: str, complaint: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(TopicFileError) as caught:
        load_profiles([path])
    assert str(path) in str(caught.value)
    assert complaint in str(caught.value)


def test_a_missing_operator_file_is_named_in_the_error(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.toml"
    with pytest.raises(TopicFileError, match="cannot be read"):
        load_profiles([missing])


# Own words: a bare-word term, prefix and phrase terms, a phrase cut by a sentence end, an
# exclusion, accents and Cyrillic.
MIXED_TEXT = [
    "Peacekeepers of the NATO-led KFOR mission patrolled near Jarinje on Tuesday.",
    "Trucks still blocked the road to the border.",
    "Crossing points further east stayed open, police said.",
    "The weather in Madrid was mild and nobody mentioned Kosovo at all.",
    "Drivers in Zvečan swapped their Serbian plates for RKS ones before the deadline.",
    "Mayoral elections in North Mitrovica were boycotted by most Serbs.",
    "Косово и KFOR: нова патрола код Јариња.",
    "",
]


@pytest.mark.parametrize("prefix", sorted(SEED_TITLES))
def test_scoring_a_whole_seed_gives_each_sentence_its_own_score(prefix: str) -> None:
    seeds = resources.files("briefings").joinpath("seeds")
    (raw,) = [p.read_text(encoding="utf-8") for p in seeds.iterdir() if p.name.startswith(prefix)]
    sentences = article_sentences(clean_text(raw, SEED_TITLES[prefix]))
    scored = score_sentences(sentences, PROFILES)
    assert scored == tuple(score_sentence(s, PROFILES) for s in sentences)
    assert any(scored)


def test_scoring_a_whole_text_gives_each_sentence_its_own_score(tmp_path: Path) -> None:
    profiles = load_profiles([write(tmp_path, ELECTIONS)])
    scored = score_sentences(MIXED_TEXT, profiles)
    assert scored == tuple(score_sentence(s, profiles) for s in MIXED_TEXT)
    assert {name for scores in scored for name in scores} == {
        "kfor",
        "border",
        "plates",
        "elections",
    }
    assert scored[3] == {}
