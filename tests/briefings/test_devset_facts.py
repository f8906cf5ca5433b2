"""Fact extraction on the labelled real-article development set, read in place from ../shared.

The set is third-party text: nothing of it is copied here; the test skips when it is absent.
"""

import pytest

from benchmarks import devset, score_facts

pytestmark = pytest.mark.skipif(not devset.available(), reason=devset.ABSENT)


@pytest.fixture(scope="module")
def score() -> score_facts.Score:
    return score_facts.score()


def test_no_troop_figure_from_another_force_an_off_topic_article_or_a_time(score):
    assert score.not_kfor == []
    assert score.off_topic == []
    assert score.times_as_counts == []


def test_precision_of_every_figure_shown_meets_the_target(score):
    total = score.total()
    assert total.precision() >= score_facts.TARGET_PRECISION, score_facts.details(score)


def test_recall_meets_the_target_on_articles_ingest_keeps_and_tags(score):
    # Articles that ingest rejects, or that get no topic, lose their facts before extraction
    # runs (see the scorer's table); of the rest, the target holds.
    kept = score.reached()
    assert kept.recall() >= score_facts.TARGET_RECALL, score_facts.details(score)


def test_every_kind_is_found_at_least_as_often_as_measured(score):
    # The floor under each kind's recall as measured once furniture went by line and span
    # (issue 19): a rule change that loses facts shows here. Clean text brought troop figures and
    # nations back (articles no longer rejected or off topic); one injury count is written only
    # in a headline, which is the article's title now rather than glued to its first sentence,
    # and facts are read from sentences.
    floors = {
        "kfor_troops": 0.95,
        "troop_increase": 1.0,
        "countries": 0.90,
        "injured": 0.85,
        "killed": 1.0,
        "deadline": 1.0,
    }
    for kind, floor in floors.items():
        assert score.kinds[kind].recall() >= floor, (kind, score.kinds[kind].misses)
