"""Everything the store keeps about an article, computed once at ingest from its draft (pure, no I/O)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from briefings.dates import date_from_text
from briefings.facts import extract_facts
from briefings.fold import fold
from briefings.ingest.urls import canonical_url
from briefings.models import UNKNOWN_DATE, ArticleDraft, Fact, Published
from briefings.text import (
    article_sentences,
    clean_article,
    shorten,
    strip_controls,
    with_dateline,
)
from briefings.topics import (
    TopicProfile,
    article_evidence,
    article_topics,
    score_sentence,
    score_sentences,
)

# What `derive` computes from a draft, as a number bumped with every change of its rules: a store
# derived under an older number is told to run `kfor-bot rederive` (see briefings.store.rederive).
# 2: facts have owners, nouns and their own dates, and are read clause by clause (issue 18).
# 3: furniture removed by line and span, datelines kept apart, copies grouped by their lead or
#    their sentences in order when they keep the figures, one clear sentence gives a topic
#    (issue 19).
RULES_VERSION = 3
# An article without a headline is titled by its first sentence, cut at a word boundary to this.
TITLE_FROM_TEXT_CHARS = 120
# The most characters of an article's text the bot reads and stores; a longer one is cut at the
# last paragraph break (else space) before this, and the import says so (README, "Data").
MAX_STORED_TEXT_CHARS = 100_000


@dataclass(frozen=True)
class DerivedArticle:
    """An article ready to store: identity, clean text, sentences with topic scores, facts, signature."""

    key: str
    url: str | None
    title: str
    publisher: str | None
    published: Published
    text: str
    content_hash: str
    signature: bytes
    bands: tuple[int, ...]
    # The first words' 4-grams, to group copies that share the story's beginning (see signature).
    lead: bytes
    lead_keys: tuple[int, ...]
    # Each sentence's word stems, to group copies that say the story's sentences in order.
    sentence_sketch: bytes
    sentence_keys: tuple[int, ...]
    # Its figures: copies keep them, articles of one template do not (see signature).
    figures: bytes
    sentences: tuple[str, ...]
    sentence_topics: tuple[dict[str, float], ...]
    topics: tuple[str, ...]
    facts: tuple[Fact, ...]
    folded_title: str
    folded_text: str
    cut: bool = False
    # Where and through whom the story was filed ("JARINJE, Kosovo (Reuters)"), trimmed from it.
    dateline: str | None = None


class EmptyArticle(ValueError):
    """Nothing readable is left once furniture and control characters are removed."""


def stored_draft(
    title: str,
    text: str,
    dateline: str | None,
    *,
    url: str | None = None,
    publisher: str | None = None,
    published: Published = UNKNOWN_DATE,
) -> ArticleDraft:
    """A draft to derive a stored article again (the recompute command): its clean text with its
    dateline put back, and its title unless derive made that title from the first sentence (a
    headline is trimmed from the text it opens; a first sentence must not be)."""
    sentences = article_sentences(text)
    made = bool(sentences) and title == shorten(sentences[0], TITLE_FROM_TEXT_CHARS)
    return ArticleDraft(
        title="" if made else title,
        text=with_dateline(text, dateline),
        url=url,
        publisher=publisher,
        published=published,
    )


def copy_keys(text: str) -> list[int]:
    """The keys under which `derive` indexes an article of this clean text to find its copies
    (its lead's and its sentences'): what to remove from the index when it is derived again."""
    from briefings import signature as sig  # numpy: see derive

    stems = sig.sentence_stems([fold(s) for s in article_sentences(text)])
    return [*sig.lead_keys(sig.lead_of(fold(text)).hashes), *sig.sentence_keys(stems)]


def derive(draft: ArticleDraft, profiles: Sequence[TopicProfile]) -> DerivedArticle:
    """Clean, split, date, score, extract and sign one draft."""
    # Imported here, not above: signatures need numpy, which commands that only read (and import
    # this module for its types) should not wait for.
    from briefings import signature as sig

    raw_title = strip_controls(draft.title or "").strip()
    raw_text, cut = _capped(strip_controls(draft.text or ""))
    cleaned = clean_article(raw_text, raw_title or None)
    text = cleaned.text
    sentences = tuple(article_sentences(text))
    if not sentences:
        raise EmptyArticle("no article text left after removing page furniture")
    title = raw_title or shorten(sentences[0], TITLE_FROM_TEXT_CHARS)
    published = draft.published
    if published.value is None:
        published = date_from_text(raw_text)
    content_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
    url = canonical_url(draft.url) if draft.url else None
    folded_text = fold(text)
    signature = sig.signature(folded_text)
    lead = sig.lead_of(folded_text)
    stems = sig.sentence_stems([fold(s) for s in sentences])
    # The dateline's place is context for the first sentence ("JARINJE - A patrol was stoned
    # near the crossing" is about the border), though the sentence is stored without it.
    scored = (
        (f"{cleaned.dateline} {sentences[0]}", *sentences[1:]) if cleaned.dateline else sentences
    )
    sentence_topics = score_sentences(scored, profiles)
    return DerivedArticle(
        key=url or f"sha256:{content_hash}",
        url=url,
        title=title,
        publisher=(strip_controls(draft.publisher).strip() or None) if draft.publisher else None,
        published=published,
        text=text,
        content_hash=content_hash,
        signature=signature,
        bands=tuple(sig.bands(signature)),
        lead=sig.lead_sketch(lead),
        lead_keys=tuple(sig.lead_keys(lead.hashes)),
        sentence_sketch=sig.sentence_sketch(stems),
        sentence_keys=tuple(sig.sentence_keys(stems)),
        figures=sig.figures_sketch(text),
        sentences=sentences,
        sentence_topics=sentence_topics,
        topics=tuple(
            article_topics(
                sentence_topics,
                score_sentence(title, profiles),
                profiles,
                article_evidence(scored, raw_title, profiles, sentence_topics),
            )
        ),
        facts=tuple(extract_facts(sentences, published)),
        folded_title=fold(title),
        folded_text=folded_text,
        cut=cut,
        dateline=cleaned.dateline,
    )


def _capped(text: str) -> tuple[str, bool]:
    """The text cut to MAX_STORED_TEXT_CHARS at a paragraph break, else at a space, and whether
    it was cut."""
    if len(text) <= MAX_STORED_TEXT_CHARS:
        return text, False
    half = MAX_STORED_TEXT_CHARS // 2
    for boundary in ("\n", " "):
        at = text.rfind(boundary, half, MAX_STORED_TEXT_CHARS)
        if at > 0:
            return text[:at], True
    return text[:MAX_STORED_TEXT_CHARS], True
