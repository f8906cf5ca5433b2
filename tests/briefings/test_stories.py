import dataclasses
import hashlib
import sqlite3
from contextlib import closing

import numpy as np

from briefings.derive import derive
from briefings.models import ArticleDraft
from briefings.signature import bands, values
from briefings.store.stories import Candidate, Stories
from briefings.topics import load_profiles
from tests.briefings.corpus_helpers import corpus_at
from tests.briefings.schema_steps import WITHOUT_FACT_OWNERS, WITHOUT_LEASES, WITHOUT_STORY_LEADS

REPORT = (
    "Serb protesters put up new barricades of trucks near the Jarinje crossing on Monday, "
    "blocking traffic into northern Kosovo for a second day. KFOR said its troops were watching "
    "the roadblocks and urged both sides to keep calm. Local police said no one was hurt."
)
WIRE_COPY = "Balkan Wire Service\n\nBELGRADE (BWS) - " + REPORT + "\n\nAll rights reserved."
PROFILES = load_profiles(())


def article(text: str = REPORT, *, shared: int = 64, url: str = "https://a.example/1"):
    """A derived article whose signature keeps the report's first `shared` values (the rest
    differ), so its bands are shared with the report's while the first groups of four are equal."""
    derived = derive(ArticleDraft(title="Barricades", text=text, url=url), PROFILES)
    report = values(derive(ArticleDraft(title="B", text=REPORT), PROFILES).signature).copy()
    report[shared:] += 1
    signature = report.astype("<u4").tobytes()
    return dataclasses.replace(
        derived, signature=signature, bands=tuple(bands(signature)), content_hash=url
    )


def stored(story_id: int, shared: int) -> Candidate:
    """A stored candidate as the store reads it: its bands, story and signature (no lead, so
    only the signature decides)."""
    candidate = article(shared=shared)
    return Candidate(candidate.bands, story_id, candidate.signature, None, None, None)


def test_a_new_article_joins_its_most_similar_candidate_not_the_first():
    stories = Stories(
        {}, [stored(story_id, shared) for story_id, shared in ((5, 40), (3, 52), (9, 36))], 0
    )
    assert stories.story_of(article(url="https://b.example/new")) == 3


def test_equally_similar_candidates_give_the_oldest_story():
    stories = Stories({}, [stored(7, 48), stored(4, 48)], 0)
    assert stories.story_of(article(url="https://b.example/new")) == 4


def test_a_candidate_below_the_threshold_is_another_story():
    stories = Stories({}, [stored(2, 31)], 0)
    assert stories.story_of(article(url="https://b.example/new")) is None


def test_a_batch_article_is_a_candidate_for_those_after_it():
    stories = Stories({}, [], 2)
    first, second = article(url="https://a.example/1"), article(url="https://b.example/2")
    assert stories.story_of(first) is None
    stories.add(first, 11)
    assert stories.story_of(second) == 11


def test_candidates_stored_with_64_bit_signatures_are_compared_like_the_rest():
    old = article(shared=52)
    wide = np.frombuffer(old.signature, dtype="<u4").astype("<u8").tobytes()
    stories = Stories({}, [stored(5, 40), Candidate(old.bands, 3, wide, None, None, None)], 0)
    assert stories.story_of(article(url="https://b.example/new")) == 3


async def test_a_wire_copy_joins_a_story_stored_with_a_64_bit_signature(tmp_path):
    path = tmp_path / "kfor.sqlite3"
    original = ArticleDraft(title="Barricades", text=REPORT, url="https://a.example/1")
    async with corpus_at(path) as corpus:
        await corpus.ingest_drafts([original], workspace="local")
    with sqlite3.connect(path) as conn:
        stored = conn.execute("SELECT signature FROM articles WHERE url = ?", (original.url,))
        wide = np.frombuffer(stored.fetchone()[0], dtype="<u4").astype("<u8").tobytes()
        conn.execute("UPDATE articles SET signature = ? WHERE url = ?", (wide, original.url))
    copy = ArticleDraft(title="Jarinje blocked", text=WIRE_COPY, url="https://b.example/9")
    async with corpus_at(path) as corpus:
        await corpus.ingest_drafts([copy], workspace="local")
        records = {r["url"]: r async for r in corpus.export("local")}
    assert records[copy.url]["story_id"] == records[original.url]["story_id"]


def text_bands(signature: bytes) -> list[str]:
    """Band keys as versions before migration 0007 stored them: the band's number in two
    digits, then an 8-byte BLAKE2b of its four values (as 64-bit integers) in hex."""
    wide = values(signature).astype("<u8").tobytes()
    return [
        f"{i:02d}" + hashlib.blake2b(wide[i * 32 : (i + 1) * 32], digest_size=8).hexdigest()
        for i in range(16)
    ]


async def test_a_wire_copy_joins_a_story_whose_bands_an_older_version_stored_as_text(tmp_path):
    path = tmp_path / "kfor.sqlite3"
    original = ArticleDraft(title="Barricades", text=REPORT, url="https://a.example/1")
    async with corpus_at(path) as corpus:
        await corpus.ingest_drafts([original], workspace="local")
    # Back to the schema before migration 0007: the bands of every stored article (the seeds
    # too) as that version wrote them, no story dates (migration 0008), facts without their
    # owners (0009), no story-date index (0010) and no leads (0011).
    with closing(sqlite3.connect(path)) as conn, conn:
        signatures = dict(conn.execute("SELECT id, signature FROM articles"))
        conn.executescript(WITHOUT_LEASES)
        conn.executescript(WITHOUT_STORY_LEADS)
        conn.executescript(
            """DROP TABLE signature_bands;
               CREATE TABLE signature_bands (
                   band TEXT NOT NULL,
                   article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
                   PRIMARY KEY (band, article_id)
               ) WITHOUT ROWID;
               DROP INDEX articles_by_story_published;
               ALTER TABLE articles DROP COLUMN story_published;
               ALTER TABLE articles DROP COLUMN live;
               PRAGMA user_version = 6;"""
        )
        conn.executescript(WITHOUT_FACT_OWNERS)
        conn.executemany(
            "INSERT INTO signature_bands (band, article_id) VALUES (?, ?)",
            [(band, i) for i, signature in signatures.items() for band in text_bands(signature)],
        )
        [(original_id,)] = conn.execute("SELECT id FROM articles WHERE url = ?", (original.url,))

    copy = ArticleDraft(title="Jarinje blocked", text=WIRE_COPY, url="https://b.example/9")
    async with corpus_at(path) as corpus:
        await corpus.ingest_drafts([copy], workspace="local")
        records = {r["url"]: r async for r in corpus.export("local")}
    assert records[copy.url]["story_id"] == records[original.url]["story_id"]
    with closing(sqlite3.connect(path)) as conn:
        stored = conn.execute(
            "SELECT band FROM signature_bands WHERE article_id = ?", (original_id,)
        ).fetchall()
    assert sorted(band for (band,) in stored) == sorted(bands(signatures[original_id]))
