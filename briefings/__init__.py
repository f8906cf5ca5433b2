"""The kfor-bot core: a corpus of cited articles and the replies built from it, free of any chat platform."""

from briefings.corpus import Corpus, IngestReport, open_corpus
from briefings.errors import KforError
from briefings.models import ArticleDraft, Precision, Published
from briefings.store.schedules import Delivery, Schedule
from briefings.verify import verify

__all__ = [
    "ArticleDraft",
    "Corpus",
    "Delivery",
    "IngestReport",
    "KforError",
    "Precision",
    "Published",
    "Schedule",
    "open_corpus",
    "verify",
]
