"""Topic scoring: which sentences and articles a reader would file under KFOR, the border or plates."""

from importlib import resources
from pathlib import Path

import pytest

from briefings.text import article_sentences, clean_text
from briefings.topics import (
    TopicFileError,
    TopicProfile,
    article_evidence,
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
    return article_topics(
        scores,
        score_sentence(title or sentences[0], profiles),
        profiles,
        article_evidence(sentences, title or "", profiles),
    )


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
        # Kurti asks for more KFOR troops; artillery on the border, barricades coming down; and
        # one clear sentence says the tension flared over switching to Pristina's car plates.
        ("004", {"kfor", "border", "plates"}),
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


def topics_of_article(title: str, body: list[str]) -> list[str]:
    """An article's topics as derive decides them: scores, context and one clear sentence."""
    scores = [score_sentence(s, PROFILES) for s in body]
    evidence = article_evidence(body, title, PROFILES)
    return article_topics(scores, score_sentence(title, PROFILES), PROFILES, evidence)


def test_one_clear_sentence_puts_a_short_item_on_its_topic() -> None:
    title = "Envoys report progress after a day of talks"
    body = [
        "Negotiators from Belgrade and Pristina met for six hours on Wednesday.",
        "They agreed that owners may keep their old plates until March if they register online.",
        "A further meeting is planned for next month.",
    ]
    assert topics_of_article(title, body) == ["plates"]


def test_one_clear_sentence_needs_its_context_in_another_sentence_or_the_title() -> None:
    title = "Alliance ministers meet in Oslo"
    body = [
        "Foreign ministers discussed air defence for Ukraine over two days.",
        "The ministers also thanked KFOR for keeping the peace in Kosovo.",
        "The next meeting will be held in Washington.",
    ]
    assert topics_of_article(title, body) == []
    kosovo_title = "Ministers praise the Kosovo mission"
    assert topics_of_article(kosovo_title, body) == ["kfor"]


@pytest.mark.parametrize(
    "title", ["Re-registration deadline moved again", "Ministry extends deadline for drivers"]
)
def test_a_deadline_for_cars_with_serbian_plates_is_plates_news_on_its_own(title: str) -> None:
    body = [
        "Owners must re-register cars with Serbian plates by January 15, the ministry said.",
        "Those who miss the date face a fine.",
    ]
    assert topics_of_article(title, body) == ["plates"]
    # The same rule in another country is not the dispute.
    bosnia = ["Drivers in Bosnia must re-register cars with Serbian plates by January 15."]
    assert topics_of_article(title, bosnia) == []


@pytest.mark.parametrize(
    ("title", "body"),
    [
        (
            "Queues at the Horgos crossing",
            [
                "Lorries waited for ten hours at the main crossing between Serbia and Hungary.",
                "Drivers said the border checks had become stricter this month.",
            ],
        ),
        (
            "Holidaymakers cross into Albania",
            [
                "Thousands of Kosovars crossed the border into Albania on Saturday.",
                "Most were heading to the coast for the last weekend of summer.",
            ],
        ),
        (
            "Long waits at the Hungarian frontier",
            [
                "Police from Serbia sealed off a rail track near the crossing point.",
                "Migrants were sent to the official border crossing a kilometre away.",
            ],
        ),
    ],
)
def test_other_borders_stay_off_the_border_topic(title: str, body: list[str]) -> None:
    assert "border" not in topics_of_article(title, body)


@pytest.mark.parametrize(
    ("title", "body"),
    [
        (
            "State unveils new licence plate design",
            [
                "Drivers will get the new number plates when they renew their registration.",
                "The motor vehicles office said the old plates remain valid until they expire.",
            ],
        ),
        (
            "Neutral plates for cars from the breakaway region",
            [
                "Car owners in Transnistria will be issued neutral registration plates from May.",
                "The plates will let them drive abroad, officials in Moldova said.",
            ],
        ),
        (
            "Cars from Bosnia turned back",
            [
                "Kosovo police turned back cars with Bosnian licence plates at the Merdare crossing.",
                "Drivers were told to return with valid documents.",
            ],
        ),
    ],
)
def test_other_countries_plates_stay_off_the_plates_topic(title: str, body: list[str]) -> None:
    assert "plates" not in topics_of_article(title, body)


def test_plates_that_only_say_whose_cars_were_attacked_are_no_plates_news() -> None:
    title = "Unrest in the north of Kosovo"
    body = [
        "Tensions rose again in Leposavic overnight.",
        "Masked men smashed the windows of two cars with Kosovo licence plates.",
        "Police said they were looking for the attackers.",
    ]
    assert "plates" not in topics_of_article(title, body)


def test_a_sentence_recalling_an_old_blockade_does_not_make_border_news() -> None:
    title = "New rotation of soldiers arrives in Kosovo"
    body = [
        "Some 600 soldiers arrived at Camp Bondsteel on Monday to join KFOR.",
        "Last summer, protesters blocked the roads to the Jarinje crossing for weeks.",
    ]
    assert topics_of_article(title, body) == ["kfor"]


def test_the_oklahoma_television_station_is_not_kfor() -> None:
    title = "KFOR Oklahoma's News 4 weather update"
    body = [
        "KFOR meteorologists expect storms across central Oklahoma on Friday.",
        "Residents of Oklahoma City should secure loose objects.",
    ]
    assert topics_of_article(title, body) == []


@pytest.mark.parametrize(
    ("sentence", "topic"),
    [
        ("Dodatne trupe Kfora stigle su na Kosovo u petak.", "kfor"),
        ("Kosovski Srbi podigli su barikade na putu ka prelazu.", "border"),
        ("Vozila sa srpskim registarskim tablicama dobiće kazne na Kosovu.", "plates"),
    ],
)
def test_a_few_words_of_the_region_s_languages_are_known(sentence: str, topic: str) -> None:
    assert topic in topics_of(sentence)


PATROLS = """
[topics.patrols]
title = "Patrols"
clear = 0.5
context = ["mitrovica"]
clear_requires = ["night"]

[topics.patrols.terms]
"patrol*" = 0.6
"""


def test_an_operator_topic_can_ask_for_context_and_a_plain_clear_sentence(
    tmp_path: Path,
) -> None:
    profiles = load_profiles([write(tmp_path, PATROLS)])

    def topics(title: str, body: list[str]) -> list[str]:
        scores = [score_sentence(s, profiles) for s in body]
        evidence = article_evidence(body, title, profiles)
        return article_topics(scores, score_sentence(title, profiles), profiles, evidence)

    body = ["Police added night patrols on Friday.", "Shops stayed open."]
    assert "patrols" in topics("More police in Mitrovica", body)
    assert "patrols" not in topics("More police in Peja", body)
    day = ["Police added patrols on Friday.", "Shops stayed open."]
    assert "patrols" not in topics("More police in Mitrovica", day)


@pytest.mark.parametrize(
    "line",
    [
        "clear = 1.5",
        'clear = "high"',
        'context = "kosovo"',
        "clear_requires = [1]",
        'own_context = ["plates of * kind"]',
    ],
)
def test_a_bad_context_or_clear_setting_is_refused(tmp_path: Path, line: str) -> None:
    text = f'[topics.x]\ntitle = "X"\n{line}\n\n[topics.x.terms]\n"x" = 0.5\n'
    with pytest.raises(TopicFileError):
        load_profiles([write(tmp_path, text)])
