"""Numbered references: each cited article gets the next number the first time a reply cites it."""

from __future__ import annotations

from collections.abc import Iterable

from briefings.engine.candidates import ArticleInfo
from briefings.replies import source_entry
from briefings.reply_types import Source


class Sources:
    """The `sources` list of one reply, numbered in the order the reply first cites each article."""

    def __init__(self) -> None:
        self._refs: dict[int, int] = {}
        self._entries: list[Source] = []

    def cite(self, articles: Iterable[ArticleInfo]) -> list[int]:
        """Reference numbers for these articles (one each, in the given order), numbering new ones."""
        refs: list[int] = []
        for article in articles:
            ref = self._refs.get(article.id)
            if ref is None:
                ref = len(self._entries) + 1
                self._refs[article.id] = ref
                self._entries.append(
                    source_entry(
                        ref,
                        article.id,
                        article.title,
                        article.publisher,
                        article.published.iso,
                        article.url,
                    )
                )
            if ref not in refs:
                refs.append(ref)
        return refs

    def entries(self) -> list[Source]:
        """The `sources` list, ref 1 first."""
        return list(self._entries)
