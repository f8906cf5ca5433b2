"""The cleaning rules on the labelled real-article set in ../shared, read in place (skipped when
absent): its text is third-party and never copied here, so these tests assert figures, not text."""

from __future__ import annotations

import asyncio

import pytest

from benchmarks import devset, score_text
from briefings.derive import derive, stored_draft
from briefings.text import clean_text
from briefings.topics import load_profiles

pytestmark = pytest.mark.skipif(not devset.available(), reason=devset.ABSENT)
PROFILES = load_profiles(())


@pytest.fixture(scope="module")
def articles() -> list[devset.DevArticle]:
    return devset.load_articles()


@pytest.fixture(scope="module", params=[False, True], ids=["plain", "html"])
def derived(request, articles) -> dict[str, object]:
    return score_text.derive_feed(articles, request.param, PROFILES)


def test_no_article_with_a_real_sentence_is_rejected(articles, derived) -> None:
    rejected = [
        a.id for a in articles if isinstance(derived[a.id], str) and score_text.has_real_sentence(a)
    ]
    assert rejected == []


def test_furniture_goes_and_prose_stays(articles, derived) -> None:
    furniture = removed = other = lost = 0
    for article in articles:
        result = derived[article.id]
        counts = score_text.character_counts(article, None if isinstance(result, str) else result)
        furniture += counts.furniture
        removed += counts.furniture_removed
        other += counts.other
        lost += counts.other_lost
    assert removed >= 0.95 * furniture
    assert lost <= 0.01 * other


def test_no_stored_sentence_of_an_english_article_begins_with_a_furniture_word(
    articles, derived
) -> None:
    starts = []
    for article in articles:
        result = derived[article.id]
        if isinstance(result, str) or article.lang != "en":
            continue
        alignment = score_text.alignment_of(article, result)
        starts += [
            s for s in result.sentences
            if score_text.begins_with_furniture(s, alignment, article.furniture_spans)
        ]  # fmt: skip
    # A handful of furniture phrases run into prose mid-line remain (see benchmarks/QUALITY.md).
    assert len(starts) <= 6, starts


def test_stored_text_cleans_to_itself(articles) -> None:
    for article in articles:
        once = clean_text(article.text, article.title)
        assert clean_text(once, article.title) == once, article.id


def test_the_dateline_of_a_wire_story_is_metadata(articles, derived) -> None:
    datelines = [r for r in derived.values() if not isinstance(r, str) and r.dateline]
    assert len(datelines) >= 10
    for result in datelines:
        assert result.dateline not in result.sentences[0]


# Copies in English that share their text (the spun and the machine-translated ones do not).
ENGLISH_COPIES = {("d039", "d037"), ("d043", "d042"), ("d061", "d057"), ("d062", "d057")}
ENGLISH_COPIES |= {("d094", "d087"), ("d096", "d087"), ("d112", "d111")}


def test_copies_join_one_story_and_distinct_articles_stay_apart(articles, tmp_path) -> None:
    stored, _ = asyncio.run(score_text.stored_replies(articles, False, tmp_path))
    story = {set_id: record["story_id"] for set_id, record in stored.items()}
    group = {a.id: a.near_duplicate_of or a.id for a in articles}
    for copy, original in ENGLISH_COPIES:
        assert story[copy] == story[original], (copy, original)
    wrong = [
        (a, b)
        for a in story
        for b in story
        if a < b and story[a] == story[b] and group[a] != group[b]
    ]
    assert wrong == []


def test_deriving_a_stored_article_again_gives_what_was_stored(articles, derived) -> None:
    """The recompute command derives each stored article from its title, clean text and
    dateline (`stored_draft`): the cleaning, sentences, topics and story keys come out as
    stored."""
    for article in articles:
        first = derived[article.id]
        if isinstance(first, str):
            continue
        again = derive(stored_draft(first.title, first.text, first.dateline), PROFILES)
        assert (again.text, again.dateline, again.sentences) == (
            first.text,
            first.dateline,
            first.sentences,
        ), article.id
        assert again.topics == first.topics, article.id
        assert (again.signature, again.lead) == (first.signature, first.lead), article.id
