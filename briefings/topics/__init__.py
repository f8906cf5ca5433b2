"""Which topics (KFOR, the border, license plates, or an operator's own) a sentence or article is about."""

from briefings.topics.profiles import (
    Evidence,
    TopicFileError,
    TopicProfile,
    article_evidence,
    article_topics,
    load_profiles,
    score_sentence,
    score_sentences,
)

__all__ = [
    "Evidence",
    "TopicFileError",
    "TopicProfile",
    "article_evidence",
    "article_topics",
    "load_profiles",
    "score_sentence",
    "score_sentences",
]
