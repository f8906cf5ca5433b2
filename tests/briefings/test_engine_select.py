"""Point selection on hand-built sentences: merging, redundancy, fragments, budget and order."""

import datetime as dt

import pytest

from briefings.engine.candidates import ArticleInfo, Candidate
from briefings.engine.select import select_points
from briefings.engine.sentences import readable, trimmed
from briefings.models import Published

ADDED = dt.datetime(2023, 10, 10, tzinfo=dt.UTC)
REFERENCE = dt.date(2023, 10, 10)


def article(
    article_id: int, story_id: int | None = None, published: str = "2023-10-02"
) -> ArticleInfo:
    return ArticleInfo(
        id=article_id,
        story_id=story_id or article_id,
        title=f"Article {article_id}",
        publisher=None,
        url=None,
        published=Published.from_iso(published),
        added_at=ADDED,
    )


def sentence(
    source: ArticleInfo, idx: int, text: str, topic: str = "kfor", score: float = 0.8, facts=()
) -> Candidate:
    return Candidate(source, idx, text, {topic: score}, tuple(facts))


def select(candidates, topics=("kfor",), budget=3500):
    return select_points(candidates, list(topics), reference=REFERENCE, budget_chars=budget)


LEDE = (
    "KFOR sent two extra companies to the Jarinje crossing on Monday after Serbs blocked the road "
    "with trucks."
)


def test_a_republished_sentence_is_one_point_citing_every_copy():
    original, copy = article(1, story_id=1), article(2, story_id=1, published="2023-10-03")
    selection = select([sentence(copy, 0, LEDE), sentence(original, 0, LEDE)])

    assert len(selection.points) == 1
    assert [a.id for a in selection.points[0].articles] == [1, 2]


def test_a_close_rewording_in_another_story_is_merged_as_corroboration():
    reworded = (
        "On Monday KFOR sent two more companies to the Jarinje crossing after Serbs blocked the "
        "road with lorries."
    )
    selection = select([sentence(article(1), 0, LEDE), sentence(article(2), 0, reworded)])

    assert len(selection.points) == 1
    assert len(selection.points[0].articles) == 2


def test_different_news_on_the_same_topic_stays_separate():
    other = (
        "Kosovo police arrested a former officer near Zubin Potok, accused of attacks on election "
        "staff."
    )
    selection = select([sentence(article(1), 0, LEDE), sentence(article(2), 0, other)])

    assert len(selection.points) == 2
    assert all(len(p.articles) == 1 for p in selection.points)


def test_a_near_repeat_within_one_article_is_said_once():
    source = article(1)
    repeat = (
        "KFOR moved extra troops to the Jarinje border crossing on Monday because Serbs had closed "
        "the road with trucks."
    )
    selection = select([sentence(source, 0, LEDE), sentence(source, 5, repeat)])

    assert len(selection.points) == 1
    assert selection.omitted == 0


@pytest.mark.parametrize(
    "text",
    [
        "He said the patrols would continue until the end of the month at least.",
        "They were glad to note that KFOR was on site as a stabilizing factor, the embassy said.",
        "It should be noted that a similar request last year ended in violence.",
        '"KFOR remains vigilant and stands ready to intervene, the commander told reporters.',
        "KFOR said so on Monday.",
        "KFOR troops patrolled the Jarinje crossing on Monday morning and",
        "and the barricades were removed by local Serbs later on Tuesday evening.",
    ],
)
def test_a_fragment_is_never_a_point(text):
    assert not readable(text)
    assert select([sentence(article(1), 0, text)]).points == ()


def test_a_quote_attributed_in_the_same_sentence_is_a_point():
    text = '"We are ready to intervene if stability is threatened," KFOR commander Angelo Ristuccia said.'
    assert readable(text)


def test_a_dateline_is_trimmed_from_the_point_text():
    text = (
        "PRISTINA (Balkan Wire) - Kosovo closed the Jarinje border crossing with Serbia on Monday."
    )
    assert trimmed(text) == "Kosovo closed the Jarinje border crossing with Serbia on Monday."
    assert select([sentence(article(1), 0, text)]).points[0].text == trimmed(text)


def test_the_budget_limits_points_and_the_rest_are_counted_as_omitted():
    texts = [
        "KFOR doubled its patrols near Jarinje after Serbs blocked the road with trucks.",
        "Kosovo police arrested a former officer in Zubin Potok over attacks on election staff.",
        "NATO placed a reserve battalion on higher readiness for deployment to Kosovo.",
        "Italian carabinieri guarded the main bridge in Mitrovica around the clock.",
    ]
    candidates = [sentence(article(i), 0, t) for i, t in enumerate(texts, start=1)]

    selection = select(candidates, budget=200)

    assert len(selection.points) == 2
    assert selection.omitted == 2
    assert sum(len(p.text) for p in selection.points) <= 200


def test_informative_sentences_win_a_tight_budget():
    vague = "The situation on the ground remains tense, and all sides are being urged to stay calm."
    figures = (
        "NATO Secretary-General Jens Stoltenberg said KFOR would get 700 more troops on May 30."
    )
    candidates = [
        sentence(article(1), 0, vague),
        sentence(article(2), 0, figures, facts=["troop_increase"]),
    ]

    assert [p.text for p in select(candidates, budget=100).points] == [figures]


def test_points_are_grouped_by_topic_and_dated_oldest_first():
    plates = "Kosovo gave drivers with Serbian-issued plates until the end of April to re-register."
    later = "KFOR extended its patrols around the Brnjak crossing for another two weeks on Friday."
    earlier = (
        "KFOR deployed a Hungarian company to the Jarinje crossing after the barricades went up."
    )
    candidates = [
        sentence(article(1, published="2023-10-05"), 0, later),
        sentence(article(2, published="2023-09-28"), 0, plates, topic="plates"),
        sentence(article(3, published="2023-09-30"), 0, earlier),
    ]

    points = select(candidates, topics=("kfor", "plates")).points

    assert [(p.topic, p.text) for p in points] == [
        ("kfor", earlier),
        ("kfor", later),
        ("plates", plates),
    ]


def test_a_sentence_date_pins_the_point_date_when_the_article_allows():
    text = "KFOR said in a statement on September 27 that it had increased the number of patrols."
    points = select([sentence(article(1, published="2021-09-28"), 0, text)]).points

    assert points[0].date == Published(dt.date(2021, 9, 27), points[0].date.precision)
    assert points[0].date.iso == "2021-09-27"


def test_a_sentence_date_never_refines_a_year_only_article():
    text = (
        "NATO deployed additional forces to Kosovo after the attack on September 24 in the north."
    )
    points = select([sentence(article(1, published="2023"), 0, text)]).points

    assert points[0].date.iso == "2023"
