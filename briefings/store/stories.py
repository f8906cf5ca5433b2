"""Which story a new article belongs to: a stored article with the same clean text, else the
candidate that shares its signature (whole-text Jaccard), its lead (the story's beginning) or its
sentences in order.

Candidates come from three indexes in `signature_bands`: the signature's bands, the lead's keys
and the sentences' keys (see `briefings.signature` for what each finds, and with what
probability). `Stories` is
built once per batch of articles stored in id order (new ones, or stored ones re-derived by
`briefings.store.rederive`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from briefings.derive import DerivedArticle
from briefings.signature import (
    BAND_HASH_BITS,
    LEAD_BAND,
    NUM_PERM,
    SAME_STORY,
    LeadValues,
    figure_values,
    lead_values,
    same_figures,
    same_lead,
    same_sentences,
    sentence_values,
    similarities,
    values,
)
from briefings.store.connection import Connection, chunks, marks

# A copy key (a lead's or a sentence's) that this many stored articles already share is
# boilerplate (a wire service's standard opening, a template sentence): it finds no candidates,
# and no article is added to it. This bounds what one key costs to read however large the store
# grows.
LEAD_KEY_CAP = 10
# Copy keys have band numbers from the lead's on (see briefings.signature).
_COPY_KEYS_FROM = LEAD_BAND << BAND_HASH_BITS


@dataclass(frozen=True)
class Candidate:
    """A stored article as the story search reads it."""

    keys: Sequence[int]
    story_id: int
    signature: bytes
    lead: bytes | None
    sentences: bytes | None
    figures: bytes | None


def _is_copy_key(key: int) -> bool:
    return key >= _COPY_KEYS_FROM


def _copy_keys(article: DerivedArticle) -> tuple[int, ...]:
    return (*article.lead_keys, *article.sentence_keys)


class _Sketches:
    """An article's lead, sentences and figures as stored, each read back when first compared:
    most candidates are turned down by their figures, or decided by their signature, before
    their lead or sentences are looked at, and one candidate serves many articles of a batch."""

    def __init__(self, lead: bytes | None, sentences: bytes | None, figures: bytes | None) -> None:
        self._lead = lead
        self._sentences = sentences
        self._figures = figures

    @cached_property
    def lead(self) -> LeadValues | None:
        return lead_values(self._lead) if self._lead else None

    @cached_property
    def sentences(self) -> list[frozenset[int]] | None:
        return sentence_values(self._sentences) if self._sentences else None

    @cached_property
    def figures(self) -> frozenset[int] | None:
        return figure_values(self._figures)

    @classmethod
    def of(cls, article: DerivedArticle) -> _Sketches:
        return cls(article.lead, article.sentence_sketch, article.figures)


class Stories:
    """The story ids a batch can join: by clean-text hash, by signature band and by copy key.

    Candidates' signature values sit in one matrix, so an article is compared with all of its
    candidates in one operation. A band that hundreds of stored articles share (boilerplate, a
    template) made one comparison per pair a third of the cost of storing a batch.
    """

    def __init__(
        self,
        by_hash: dict[str, int],
        stored: Sequence[Candidate],
        room: int,
        lead_key_counts: Counter[int] | None = None,
    ) -> None:
        """`stored`: the stored candidates with the keys they share with the batch; `room`: how
        many of the batch's own articles can be added after them; `lead_key_counts`: how many
        stored articles each of the batch's copy keys has."""
        self._by_hash = by_hash
        self._by_key: dict[int, list[int]] = {}
        self._values = np.empty((len(stored) + room, NUM_PERM), dtype=np.uint32)
        self._story_ids = np.empty(len(stored) + room, dtype=np.int64)
        self._sketches: list[_Sketches] = []
        self._rows = len(stored)
        self._stored_lead_key_counts = Counter(lead_key_counts or ())
        self._lead_key_counts = Counter(self._stored_lead_key_counts)
        # The copy keys that reached LEAD_KEY_CAP, kept as the counts grow: testing a key is then
        # one set lookup (a Counter's missing key costs a Python call, and there are hundreds of
        # thousands of tests a batch).
        self._full_keys = {
            key
            for key, count in self._lead_key_counts.items()
            if _is_copy_key(key) and count >= LEAD_KEY_CAP
        }
        # Built in bulk: one assignment per candidate cost more than the comparisons it serves.
        current = [c.signature for c in stored if len(c.signature) == NUM_PERM * 4]
        if len(current) == len(stored):
            flat = np.frombuffer(b"".join(current), dtype="<u4")
            self._values[: len(stored)] = flat.reshape(len(stored), NUM_PERM)
        else:
            for row, candidate in enumerate(stored):
                self._values[row] = values(candidate.signature)
        self._story_ids[: len(stored)] = [c.story_id for c in stored]
        for row, candidate in enumerate(stored):
            self._sketches.append(_Sketches(candidate.lead, candidate.sentences, candidate.figures))
            for key in candidate.keys:
                if key not in self._full_keys:
                    self._by_key.setdefault(key, []).append(row)

    def story_of(self, article: DerivedArticle) -> int | None:
        """Same clean text, else the candidate with the same figures (see `same_figures`) most
        alike at or above a threshold (whole-text SAME_STORY, a shared lead, see `same_lead`,
        or the same sentences in order, see `same_sentences`); between equally alike
        candidates, the oldest story."""
        if article.content_hash in self._by_hash:
            return self._by_hash[article.content_hash]
        keys = (*article.bands, *_copy_keys(article))
        rows = {
            row for key in keys if key not in self._full_keys for row in self._by_key.get(key, ())
        }
        if not rows:
            return None
        candidates = np.fromiter(sorted(rows), dtype=np.intp, count=len(rows))
        scores = similarities(article.signature, self._values[candidates]) / SAME_STORY
        lead = lead_values(article.lead)
        sentences = None
        figures = figure_values(article.figures)
        for i, row in enumerate(candidates):
            stored = self._sketches[row]
            if not same_figures(figures, stored.figures):
                scores[i] = 0.0
                continue
            if stored.lead is not None and scores[i] < 1.0:
                scores[i] = max(scores[i], same_lead(lead, stored.lead))
            if scores[i] < 1.0 and stored.sentences:
                sentences = sentences or sentence_values(article.sentence_sketch)
                scores[i] = max(scores[i], same_sentences(sentences, stored.sentences))
        best = scores.max()
        if best < 1.0:
            return None
        return int(self._story_ids[candidates[scores == best]].min())

    def add(self, article: DerivedArticle, story_id: int) -> None:
        """Make a batch's article a candidate for the articles after it (within `room`)."""
        self._by_hash.setdefault(article.content_hash, story_id)
        row = self._rows
        self._values[row] = values(article.signature)
        self._story_ids[row] = story_id
        self._sketches.append(_Sketches.of(article))
        self._rows += 1
        for key in (*article.bands, *_copy_keys(article)):
            if key in self._full_keys:
                continue
            self._by_key.setdefault(key, []).append(row)
            if _is_copy_key(key):
                self._lead_key_counts[key] += 1
                if self._lead_key_counts[key] >= LEAD_KEY_CAP:
                    self._full_keys.add(key)

    async def record(
        self, conn: Connection, ids: Sequence[int], batch: Sequence[DerivedArticle]
    ) -> None:
        """Write the batch's index entries: its bands, its copy keys (none to a full key), and
        its leads and sentences. Call after its article rows are written."""
        counts = Counter(self._stored_lead_key_counts)
        rows: list[tuple[int, int]] = []
        for article_id, article in zip(ids, batch, strict=True):
            rows.extend((band, article_id) for band in article.bands)
            for key in _copy_keys(article):
                if counts[key] < LEAD_KEY_CAP:
                    counts[key] += 1
                    rows.append((key, article_id))
        await conn.executemany(
            "INSERT INTO signature_bands (band, article_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
            rows,
        )
        await conn.executemany(
            """INSERT INTO story_leads (article_id, lead, sentences, figures) VALUES (?, ?, ?, ?)
               ON CONFLICT (article_id) DO UPDATE SET lead = excluded.lead,
                   sentences = excluded.sentences, figures = excluded.figures""",
            [
                (article_id, a.lead, a.sentence_sketch, a.figures)
                for article_id, a in zip(ids, batch, strict=True)
            ],
        )


async def stored_stories(
    conn: Connection, batch: Sequence[DerivedArticle], *, below: int | None = None
) -> Stories:
    """The stories of stored articles that share a clean-text hash, a signature band or a lead key
    with the batch, with room for the batch's own articles. Only articles of ids under `below`, when given (re-deriving
    regroups stories in id order, as if each article arrived again).

    Each candidate's signature and lead are read once, however many keys it shares.
    """
    limit = [] if below is None else [below]
    under = "" if below is None else " AND {} < ?"
    by_hash: dict[str, int] = {}
    for hashes in chunks(sorted({a.content_hash for a in batch})):
        rows = await conn.execute_fetchall(
            f"""SELECT content_hash, MIN(story_id) FROM articles
                WHERE content_hash IN ({marks(hashes)}){under.format("id")}
                GROUP BY content_hash""",  # noqa: S608
            [*hashes, *limit],
        )
        by_hash.update((content_hash, story_id) for content_hash, story_id in rows)
    keys_of: dict[int, list[int]] = {}
    counts: Counter[int] = Counter()
    for chunk in chunks(sorted({key for a in batch for key in (*a.bands, *_copy_keys(a))})):
        rows = await conn.execute_fetchall(
            f"""SELECT band, article_id FROM signature_bands
                WHERE band IN ({marks(chunk)}){under.format("article_id")}""",  # noqa: S608
            [*chunk, *limit],
        )
        for key, article_id in rows:
            keys_of.setdefault(article_id, []).append(key)
            if _is_copy_key(key):
                counts[key] += 1
    stored: list[Candidate] = []
    for chunk in chunks(sorted(keys_of)):
        rows = await conn.execute_fetchall(
            f"""SELECT a.id, a.story_id, a.signature, l.lead, l.sentences, l.figures
                FROM articles a
                LEFT JOIN story_leads l ON l.article_id = a.id
                WHERE a.id IN ({marks(chunk)})""",  # noqa: S608
            chunk,
        )
        stored.extend(
            Candidate(keys_of[article_id], story_id, *sketches)
            for article_id, story_id, *sketches in rows
        )
    return Stories(by_hash, stored, len(batch), counts)


async def assign(
    conn: Connection,
    ids: Sequence[int],
    batch: Sequence[DerivedArticle],
    *,
    below: int | None = None,
) -> tuple[list[int], Stories]:
    """The story id of each article of a batch about to be stored under `ids` (in id order): a
    stored article's story (of an id under `below`, when given), an earlier one of the batch, or
    its own id. Pass the rest to `Stories.record` once the articles' rows are written."""
    stories = await stored_stories(conn, batch, below=below)
    story_ids = []
    for article_id, article in zip(ids, batch, strict=True):
        story_id = stories.story_of(article) or article_id
        stories.add(article, story_id)
        story_ids.append(story_id)
    return story_ids, stories
