"""Everything the store keeps about an article, computed once at ingest from its draft (pure, no I/O)."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from briefings import signature as sig
from briefings.dates import date_from_text
from briefings.facts import extract_facts
from briefings.fold import fold
from briefings.ingest.urls import canonical_url
from briefings.models import ArticleDraft, Fact, Published
from briefings.text import clean_text, shorten, split_sentences, strip_controls
from briefings.topics import TopicProfile, article_topics, score_sentence, score_sentences

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
    sentences: tuple[str, ...]
    sentence_topics: tuple[dict[str, float], ...]
    topics: tuple[str, ...]
    facts: tuple[Fact, ...]
    folded_title: str
    folded_text: str
    cut: bool = False


class EmptyArticle(ValueError):
    """Nothing readable is left once furniture and control characters are removed."""


def derive(draft: ArticleDraft, profiles: Sequence[TopicProfile]) -> DerivedArticle:
    """Clean, split, date, score, extract and sign one draft."""
    raw_title = strip_controls(draft.title or "").strip()
    raw_text, cut = _capped(strip_controls(draft.text or ""))
    text = clean_text(raw_text, raw_title or None)
    sentences = tuple(split_sentences(text))
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
    sentence_topics = score_sentences(sentences, profiles)
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
        sentences=sentences,
        sentence_topics=sentence_topics,
        topics=tuple(article_topics(sentence_topics, score_sentence(title, profiles))),
        facts=tuple(extract_facts(sentences, published)),
        folded_title=fold(title),
        folded_text=folded_text,
        cut=cut,
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
