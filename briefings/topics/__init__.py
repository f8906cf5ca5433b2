"""Which topics (KFOR, the border, license plates, or an operator's own) a sentence or article is about."""

from briefings.topics.profiles import (
    TopicFileError,
    TopicProfile,
    article_topics,
    load_profiles,
    score_sentence,
    score_sentences,
)

__all__ = [
    "TopicFileError",
    "TopicProfile",
    "article_topics",
    "load_profiles",
    "score_sentence",
    "score_sentences",
]
