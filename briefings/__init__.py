"""The kfor-bot core: a corpus of cited articles and the replies built from it, free of any chat platform.

The names below load on first use (PEP 562): importing one small module of the core, such as
`briefings.errors`, must not import the whole corpus, since every command pays for it at start-up.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from briefings.corpus import Corpus, IngestReport, open_corpus
    from briefings.errors import KforError
    from briefings.models import ArticleDraft, Precision, Published
    from briefings.store.schedules import Delivery, Schedule
    from briefings.verify import verify

_HOMES = {
    "ArticleDraft": "briefings.models",
    "Corpus": "briefings.corpus",
    "Delivery": "briefings.store.schedules",
    "IngestReport": "briefings.corpus",
    "KforError": "briefings.errors",
    "Precision": "briefings.models",
    "Published": "briefings.models",
    "Schedule": "briefings.store.schedules",
    "open_corpus": "briefings.corpus",
    "verify": "briefings.verify",
}

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


def __getattr__(name: str) -> Any:
    """Import a public name's module the first time the name is asked for."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'briefings' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
