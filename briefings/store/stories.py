"""Which story a new article belongs to: a stored article with the same clean text, else the most
similar signature among the stored and new articles that share a band with it."""

from __future__ import annotations

from collections.abc import Sequence

import aiosqlite
import numpy as np

from briefings.derive import DerivedArticle
from briefings.signature import NUM_PERM, SAME_STORY, similarities, values
from briefings.store.sqlite import chunks, marks


class Stories:
    """The story ids a batch can join: by clean-text hash, and by signature band.

    Candidates' signature values sit in one matrix, so an article is compared with all of its
    candidates in one operation. A band that hundreds of stored articles share (boilerplate, a
    template) made one comparison per pair a third of the cost of storing a batch.
    """

    def __init__(
        self,
        by_hash: dict[str, int],
        stored: Sequence[tuple[Sequence[int], int, bytes]],
        room: int,
    ) -> None:
        """`stored`: the stored candidates as (bands shared with the batch, story id, signature);
        `room`: how many of the batch's own articles can be added after them."""
        self._by_hash = by_hash
        self._by_band: dict[int, list[int]] = {}
        self._values = np.empty((len(stored) + room, NUM_PERM), dtype=np.uint32)
        self._story_ids = np.empty(len(stored) + room, dtype=np.int64)
        self._rows = len(stored)
        # Built in bulk: one assignment per candidate cost more than the comparisons it serves.
        current = [sig for _, _, sig in stored if len(sig) == NUM_PERM * 4]
        if len(current) == len(stored):
            flat = np.frombuffer(b"".join(current), dtype="<u4")
            self._values[: len(stored)] = flat.reshape(len(stored), NUM_PERM)
        else:
            for row, (_, _, sig) in enumerate(stored):
                self._values[row] = values(sig)
        self._story_ids[: len(stored)] = [story_id for _, story_id, _ in stored]
        for row, (bands, _, _) in enumerate(stored):
            for band in bands:
                self._by_band.setdefault(band, []).append(row)

    def story_of(self, article: DerivedArticle) -> int | None:
        """Same clean text, else the most similar candidate at or above SAME_STORY; between
        equally similar candidates, the oldest story."""
        if article.content_hash in self._by_hash:
            return self._by_hash[article.content_hash]
        rows = {row for band in article.bands for row in self._by_band.get(band, ())}
        if not rows:
            return None
        candidates = np.fromiter(rows, dtype=np.intp, count=len(rows))
        scores = similarities(article.signature, self._values[candidates])
        best = scores.max()
        if best < SAME_STORY:
            return None
        return int(self._story_ids[candidates[scores == best]].min())

    def add(self, article: DerivedArticle, story_id: int) -> None:
        """Make a batch's article a candidate for the articles after it (within `room`)."""
        self._by_hash.setdefault(article.content_hash, story_id)
        row = self._rows
        self._values[row] = values(article.signature)
        self._story_ids[row] = story_id
        self._rows += 1
        for band in article.bands:
            self._by_band.setdefault(band, []).append(row)


async def stored_stories(
    conn: aiosqlite.Connection, batch: Sequence[DerivedArticle], *, below: int | None = None
) -> Stories:
    """The stories of stored articles that share a clean-text hash or a signature band with the
    batch, with room for the batch's own articles; only articles of ids under `below`, when
    given (re-deriving regroups stories in id order, as if each article arrived again).

    Each candidate's signature is read once, however many of the batch's bands it shares.
    """
    limit = [] if below is None else [below]
    under = "" if below is None else " AND {} < ?"
    by_hash: dict[str, int] = {}
    for chunk in chunks(sorted({a.content_hash for a in batch})):
        rows = await conn.execute_fetchall(
            f"""SELECT content_hash, MIN(story_id) FROM articles
                WHERE content_hash IN ({marks(chunk)}){under.format("id")}
                GROUP BY content_hash""",  # noqa: S608
            [*chunk, *limit],
        )
        by_hash.update((content_hash, story_id) for content_hash, story_id in rows)
    bands_of: dict[int, list[int]] = {}
    for chunk in chunks(sorted({band for a in batch for band in a.bands})):
        rows = await conn.execute_fetchall(
            f"""SELECT band, article_id FROM signature_bands
                WHERE band IN ({marks(chunk)}){under.format("article_id")}""",  # noqa: S608
            [*chunk, *limit],
        )
        for band, article_id in rows:
            bands_of.setdefault(article_id, []).append(band)
    stored: list[tuple[Sequence[int], int, bytes]] = []
    for chunk in chunks(sorted(bands_of)):
        rows = await conn.execute_fetchall(
            f"SELECT id, story_id, signature FROM articles WHERE id IN ({marks(chunk)})",  # noqa: S608
            chunk,
        )
        stored.extend((bands_of[article_id], story_id, sig) for article_id, story_id, sig in rows)
    return Stories(by_hash, stored, room=len(batch))
