"""The kfor-bot core: a corpus of cited articles and the replies built from it, free of any chat platform."""

from briefings.corpus import Corpus, IngestReport, open_corpus
from briefings.errors import KforError
from briefings.models import ArticleDraft, Precision, Published
from briefings.verify import verify

__all__ = [
    "ArticleDraft",
    "Corpus",
    "IngestReport",
    "KforError",
    "Precision",
    "Published",
    "open_corpus",
    "verify",
]
