"""Text signatures that recognise a republished story (same text, other header or light edits)."""

from __future__ import annotations

import hashlib
import itertools
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from briefings.patterns import LazyPattern

NUM_PERM = 64
BANDS = 16
ROWS_PER_BAND = NUM_PERM // BANDS
SHINGLE_WORDS = 4
# A band key is an integer under 2**47, which SQLite stores in 6 bytes (the text keys of earlier
# versions took 18): every batch's new bands land all over the band index, and a smaller index has
# fewer pages for each commit to write. Two unrelated bands that share a key only add a candidate,
# which the signature comparison then turns down.
BAND_HASH_BITS = 43
# Estimated Jaccard similarity of word 4-grams above which two articles are one story: a wire copy
# with another outlet's header and footer, or light edits, stays well above it; two reports of the
# same event in different words stay far below.
SAME_STORY = 0.5
_SEED = 20231001
# Fixed random permutations h -> (a*h + b) mod p, p = 2**61 - 1, of 32-bit hashes h: the products
# fit in 64 bits.
_RNG = np.random.default_rng(_SEED)
_A = _RNG.integers(1, 1 << 29, size=NUM_PERM, dtype=np.uint64)
_B = _RNG.integers(0, 1 << 29, size=NUM_PERM, dtype=np.uint64)
_A32 = _A.astype(np.uint32)
_B32 = _B.astype(np.uint32)


def signature(folded_text: str) -> bytes:
    """A MinHash signature of the text's word 4-grams, as bytes fit for a BLOB column.

    Written here rather than taken from datasketch, whose import pulls in SciPy and costs every
    command a second of start-up for these few lines.
    """
    words = folded_text.split()
    if len(words) < SHINGLE_WORDS:
        shingles = {" ".join(words)}
    else:
        # zip over shifted lists and map over built-ins: no Python frame per shingle, which made
        # this a fifth of deriving an article. The shifted lists are shorter: zip stops there.
        shifted = (words[i:] for i in range(SHINGLE_WORDS))
        shingles = set(map(" ".join, zip(*shifted, strict=False)))
    hashes = np.fromiter(
        map(zlib.crc32, map(str.encode, shingles)), dtype=np.uint32, count=len(shingles)
    )
    # The modulo is left out: the seeded a and b are below 0.98 * 2**29 and h below 2**32, so
    # a*h + b < p already (tests/briefings/test_signature.py checks it for every a and b). Of
    # a*h + b only the low 32 bits are kept, and 32-bit products and sums that wrap around give
    # exactly those, in half the memory of 64-bit ones.
    permuted: np.ndarray = np.outer(hashes, _A32)
    permuted += _B32
    smallest: np.ndarray = permuted.min(axis=0)
    return smallest.astype("<u4").tobytes()


def values(sig: bytes) -> np.ndarray:
    """A signature's values as 32-bit integers: written so now (every value fits), or 64-bit as
    stored by versions before the smaller store, which hold the same numbers."""
    stored = np.frombuffer(sig, dtype="<u4" if len(sig) == NUM_PERM * 4 else "<u8")
    return stored.astype(np.uint32, copy=False)


def bands(sig: bytes) -> list[int]:
    """LSH band keys: two signatures sharing any band are candidates for the same story.

    Hashed over the 64-bit form, so that bands stored by older versions still match.
    """
    wide = values(sig).astype("<u8").tobytes()
    size = len(wide) // BANDS
    return [
        _band_key(i, hashlib.blake2b(wide[i * size : (i + 1) * size], digest_size=8).digest())
        for i in range(BANDS)
    ]


def band_key_of_text(stored: str) -> int:
    """The key `bands` gives for a band that versions before migration 0007 stored as text: the
    band's number in two digits, then the same hash in hex."""
    return _band_key(int(stored[:2]), bytes.fromhex(stored[2:]))


def _band_key(band: int, digest: bytes) -> int:
    """The band's number above the top BAND_HASH_BITS of its hash."""
    return band << BAND_HASH_BITS | int.from_bytes(digest, "big") >> (64 - BAND_HASH_BITS)


def similarities(sig: bytes, others: np.ndarray) -> np.ndarray:
    """Estimated Jaccard similarity of the text signed `sig` with each text whose signature values
    are a row of `others`, in one operation: a story can have hundreds of candidates."""
    matches: np.ndarray = np.count_nonzero(others == values(sig), axis=1)
    return matches / NUM_PERM


# --- leads: copies that share their beginning ------------------------------------------------------
#
# A trimmed copy (a teaser of the story's first paragraphs), a re-headlined one or one with its
# own header and footer shares the story's beginning, while its whole-text Jaccard similarity can
# be low (a 4-sentence teaser of a 10-sentence story: about 0.4). Each article therefore also
# keeps the word 4-grams of its first LEAD_WORDS words (its lead), and two articles are one story
# when their leads agree (see `same_lead`).
#
# The candidate search: each article is indexed under the LEAD_KEYS smallest hashes of its lead
# (a bottom-k sketch). Two leads A and B share an index key when one of the LEAD_KEYS smallest
# hashes of A | B lies in A & B; each of those is in A & B with probability J = |A & B| / |A | B|,
# drawn without replacement, so a pair is missed with probability at most (1 - J) ** LEAD_KEYS.
# At the lowest lead Jaccard that makes a copy (SAME_LEAD = 0.3; a lead contained in another at
# CONTAINED_LEAD = 0.8 with at least CONTAINED_MIN_SHINGLES shingles has J >= 0.8 * 40 / (97 + 8)
# > 0.3, a lead holding at most 97 shingles), that is 0.7 ** 14 < 0.007: the pair is found with
# probability above 99.3% (tests/briefings/test_story_containment.py computes it).
LEAD_WORDS = 100
LEAD_KEYS = 14
# The opening: the first 4-grams of the lead, of which a copy shares a few.
OPENING_SHINGLES = 8
OPENING_SHARED = 3
SAME_LEAD = 0.3
CONTAINED_LEAD = 0.8
CONTAINED_MIN_SHINGLES = 40
# Lead keys share the band index, under a band number of their own.
LEAD_BAND = BANDS
_WORD = LazyPattern(r"\w+")


@dataclass(frozen=True)
class Lead:
    """The hashes of a lead's 4-grams: all of them (sorted, distinct) and its opening's (the first
    OPENING_SHINGLES, in order)."""

    hashes: np.ndarray
    opening: np.ndarray


def lead_of(folded_text: str) -> Lead:
    """The 32-bit hashes of the word 4-grams of the text's first LEAD_WORDS words (punctuation
    ignored, so a straight and a curly quote make the same words)."""
    words = _WORD.findall(folded_text, 0, LEAD_WORDS * 30)[:LEAD_WORDS]
    if len(words) < SHINGLE_WORDS:
        shingles = [" ".join(words)]
    else:
        shifted = (words[i:] for i in range(SHINGLE_WORDS))
        shingles = list(map(" ".join, zip(*shifted, strict=False)))
    hashes = _mix(
        np.fromiter(
            map(zlib.crc32, map(str.encode, shingles)), dtype=np.uint32, count=len(shingles)
        )
    )
    return Lead(np.unique(hashes), hashes[:OPENING_SHINGLES])


def _mix(hashes: np.ndarray) -> np.ndarray:
    """CRC-32 values stirred (MurmurHash3's finaliser), so their order looks random: the bottom-k
    argument above needs it, and CRC-32 is linear."""
    h = hashes.astype(np.uint32, copy=True)
    h ^= h >> 16
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> 13
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> 16
    return h


def lead_keys(hashes: np.ndarray) -> list[int]:
    """The lead's index keys: the LEAD_KEYS smallest of its sorted `hashes`, under the lead band
    number."""
    return [LEAD_BAND << BAND_HASH_BITS | int(h) for h in hashes[:LEAD_KEYS]]


def lead_sketch(lead: Lead) -> bytes:
    """The lead as stored for comparison, about 230 bytes: how many opening values, the opening's
    values, then the lead's; each the low 16 bits of a hash (two different 4-grams of two leads
    share 16 bits once in 65,536 tries)."""
    opening = np.unique(lead.opening.astype(np.uint16))
    values = np.unique(lead.hashes.astype(np.uint16))
    return np.concatenate([[len(opening)], opening, values]).astype("<u2").tobytes()


@dataclass(frozen=True)
class LeadValues:
    """A stored lead sketch as sets of 16-bit values (set intersection of two leads is several
    times faster than numpy's, and a story can have dozens of candidates)."""

    opening: frozenset[int]
    values: frozenset[int]


def lead_values(sketch: bytes) -> LeadValues:
    """A stored lead sketch, read back."""
    stored = np.frombuffer(sketch, dtype="<u2").tolist()
    count = stored[0] if stored else 0
    return LeadValues(frozenset(stored[1 : 1 + count]), frozenset(stored[1 + count :]))


def same_lead(a: LeadValues, b: LeadValues) -> float:
    """How far two leads make one story: 1.0 or more when their Jaccard similarity reaches
    SAME_LEAD, or the shorter (of CONTAINED_MIN_SHINGLES or more) lies within the longer at
    CONTAINED_LEAD; the larger of the two ratios, so candidates can be ranked. Either's opening
    must also be in the other's lead (OPENING_SHARED of its 4-grams): two short items that share
    a paragraph of background but open on different news are two stories."""
    if not a.values or not b.values:
        return 0.0
    shared = len(a.values & b.values)
    jaccard = shared / (len(a.values) + len(b.values) - shared)
    shorter = min(len(a.values), len(b.values))
    contained = shared / shorter / CONTAINED_LEAD if shorter >= CONTAINED_MIN_SHINGLES else 0.0
    score = max(jaccard / SAME_LEAD, contained)
    if score >= 1.0 and not (_opens(a, b) or _opens(b, a)):
        return 0.0
    return score


def _opens(a: LeadValues, b: LeadValues) -> bool:
    """Whether the opening of `a` is in the lead of `b`."""
    return len(a.opening & b.values) >= min(OPENING_SHARED, len(a.opening))


# --- sentences: copies that say the story's sentences in order -----------------------------------
#
# A synonym-spun copy, one translated back from another language, or one written in another
# spelling standard (ekavian and ijekavian Serbian) shares few word 4-grams with its source, yet
# says the same sentences in the same order, each with many of its counterpart's word stems (the
# first STEM_CHARS letters of each word of STEM_MIN_CHARS or more). Two articles are one story when
# MIN_ALIGNED or more of the shorter's sentences, and a SAME_SENTENCES share of them, have a
# counterpart in the other, in order, whose stems have a Jaccard similarity of SENTENCE_MATCH or
# more. Different outlets' reports of one event share names and phrases, not their sentences in
# order. A translation into another language shares too few stems to count.
#
# The candidate search: each sentence is indexed under SENTENCE_KEYS min-hashes of its stems, one
# under each of SENTENCE_KEYS hash functions. Two sentences share min-hash i with probability equal
# to their stems' Jaccard similarity, at least SENTENCE_MATCH when they match; a copy has
# MIN_ALIGNED matching sentences, so it shares no key with probability at most
# (1 - 0.3) ** (4 * 4) < 0.0034: it is found with probability above 99.6%
# (tests/briefings/test_story_sentences.py computes it). Sentence keys are capped like lead keys:
# a key that many stored articles share (a template sentence) finds nothing.
STEM_CHARS = 4
STEM_MIN_CHARS = 3
# A sentence with fewer stems says too little to match another.
SENTENCE_MIN_STEMS = 4
SENTENCE_MATCH = 0.3
SAME_SENTENCES = 0.7
MIN_ALIGNED = 4
SENTENCE_KEYS = 4
# Only an article's first sentences are compared and indexed: the cost of comparing two articles
# grows with the product of their sentence counts.
MAX_SENTENCES = 40
SENTENCE_BAND = LEAD_BAND + 1
# A word's stem, found by the pattern rather than by a loop over the sentence's words: it takes
# the first STEM_CHARS characters of a word (a run of \w) of STEM_MIN_CHARS or more, and passes over
# the rest of the word and over shorter words.
_STEM = LazyPattern(rf"(?<!\w)(\w{{{STEM_MIN_CHARS},{STEM_CHARS}}})\w*")
_SENTENCE_SEEDS = np.array([0x9E3779B9, 0x7F4A7C15, 0x94D049BB, 0xBF58476D], dtype=np.uint32)


def sentence_stems(folded_sentences: Sequence[str]) -> list[np.ndarray]:
    """Each sentence's stems as sorted, distinct 32-bit hashes (none for a sentence with fewer
    than SENTENCE_MIN_STEMS), for the first MAX_SENTENCES sentences."""
    stem_sets: list[set[str]] = []
    for stems in map(set, map(_STEM.findall, folded_sentences[:MAX_SENTENCES])):
        stem_sets.append(stems if len(stems) >= SENTENCE_MIN_STEMS else set())
    if not stem_sets:
        return []
    # Every sentence's hashes in one array, each under its sentence's number, sorted and made
    # distinct at once: a numpy call or three per sentence was the largest cost of deriving.
    sizes = [len(stems) for stems in stem_sets]
    hashes = _mix(
        np.fromiter(
            map(zlib.crc32, map(str.encode, itertools.chain.from_iterable(stem_sets))),
            dtype=np.uint32,
            count=sum(sizes),
        )
    )
    keyed = np.unique(_numbered(sizes) << 32 | hashes.astype(np.uint64))
    distinct = (keyed & 0xFFFFFFFF).astype(np.uint32)
    # Sliced, not np.split: that costs several times more for thirty small pieces.
    bounds = _bounds(keyed >> 32, len(sizes))
    return [distinct[start:end] for start, end in itertools.pairwise(bounds)]


def _numbered(sizes: Sequence[int]) -> np.ndarray:
    """Each element's sentence number, for sentences of these sizes laid end to end."""
    return np.repeat(np.arange(len(sizes), dtype=np.uint64), sizes)


def _bounds(numbers: np.ndarray, sentences: int) -> list[int]:
    """Where each sentence's run starts in sorted sentence `numbers`, then where the last ends."""
    return [0, *np.cumsum(np.bincount(numbers.astype(np.intp), minlength=sentences)).tolist()]


def sentence_keys(stems: Sequence[np.ndarray]) -> list[int]:
    """The index keys of an article's sentences: SENTENCE_KEYS min-hashes of each, under band
    numbers SENTENCE_BAND on (distinct keys only)."""
    held = [hashes for hashes in stems if len(hashes)]
    if not held:
        return []
    # All sentences and seeds in one array operation: one numpy call per sentence and seed (about
    # 130 calls on tiny arrays an article) was the largest single cost of deriving.
    starts = np.cumsum([0, *(len(hashes) for hashes in held[:-1])])
    mixed = _mix(np.concatenate(held)[:, None] ^ _SENTENCE_SEEDS[None, :SENTENCE_KEYS])
    smallest = np.minimum.reduceat(mixed, starts, axis=0).tolist()
    return sorted(
        {
            (SENTENCE_BAND + i) << BAND_HASH_BITS | value
            for row in smallest
            for i, value in enumerate(row)
        }
    )


def sentence_sketch(stems: Sequence[np.ndarray]) -> bytes:
    """The sentences as stored for comparison: their number, each one's count of stems, then
    the stems, each the low 16 bits of its hash (as in `lead_sketch`)."""
    # Each sentence's low bits sorted and made distinct, all sentences in one call (see above).
    sizes = [len(h) for h in stems]
    low = np.concatenate([np.empty(0, dtype=np.uint32), *stems]).astype(np.uint16)
    keyed = np.unique(_numbered(sizes) << 16 | low.astype(np.uint64))
    counts = np.bincount((keyed >> 16).astype(np.intp), minlength=len(sizes))
    return np.concatenate([[len(sizes)], counts, keyed & 0xFFFF]).astype("<u2").tobytes()


def sentence_values(sketch: bytes) -> list[frozenset[int]]:
    """A stored sentence sketch, read back: each sentence's stems."""
    stored = np.frombuffer(sketch, dtype="<u2").tolist()
    if not stored:
        return []
    count = stored[0]
    sizes = stored[1 : 1 + count]
    found, at = [], 1 + count
    for size in sizes:
        found.append(frozenset(stored[at : at + size]))
        at += size
    return found


def same_sentences(a: Sequence[frozenset[int]], b: Sequence[frozenset[int]]) -> float:
    """How far two articles say the same sentences in order: the share of the shorter's
    sentences (of those that have stems) with a counterpart in the other, in order, over
    SAME_SENTENCES; 0.0 when fewer than MIN_ALIGNED are."""
    short, long_ = (a, b) if _said(a) <= _said(b) else (b, a)
    said = _said(short)
    if said < MIN_ALIGNED:
        return 0.0
    # The longest common subsequence of matching sentences, one row at a time.
    previous = [0] * (len(long_) + 1)
    for x in short:
        current = [0]
        for j, y in enumerate(long_):
            matched = previous[j] + 1 if x and y and _jaccard(x, y) >= SENTENCE_MATCH else 0
            current.append(max(previous[j + 1], current[j], matched))
        previous = current
    aligned = previous[-1]
    return aligned / said / SAME_SENTENCES if aligned >= MIN_ALIGNED else 0.0


def _said(sentences: Sequence[frozenset[int]]) -> int:
    return sum(1 for s in sentences if s)


def _jaccard(x: frozenset[int], y: frozenset[int]) -> float:
    shared = len(x & y)
    return shared / (len(x) + len(y) - shared)


# --- figures: copies keep the story's numbers ------------------------------------------------------
#
# A teaser, a re-headlined, spun or re-spelled copy keeps every figure of the text it copies.
# Articles built on one template (a daily bulletin: the same sentences, other figures) share
# their beginning and their sentences in order, but not their figures, and are different news.
# So two articles are one story (by any rule but the same clean text) only when, of the figures
# of the article that has fewer, at most one in FIGURES_MISSING is missing from the other's (a
# mirror of a page with a table may lose one).
FIGURES_MISSING = 10
_FIGURE = LazyPattern(r"\d+(?:[.,]\d{3})*(?:[.,]\d+)?")
_SEPARATORS = str.maketrans("", "", ".,")


def figures_sketch(text: str) -> bytes:
    """The text's figures as stored for comparison: each written without separators or leading
    zeros ("4,500" and "4.500" are "4500"), the low 16 bits of its hash, sorted."""
    found = {
        zlib.crc32(figure.translate(_SEPARATORS).lstrip("0").encode()) & 0xFFFF
        for figure in _FIGURE.findall(text)
    }
    return np.array(sorted(found), dtype="<u2").tobytes()


def figure_values(sketch: bytes | None) -> frozenset[int] | None:
    """A stored figures sketch, read back; None when unknown (stored before figures were kept)."""
    if sketch is None:
        return None
    return frozenset(np.frombuffer(sketch, dtype="<u2").tolist())


def same_figures(x: frozenset[int] | None, y: frozenset[int] | None) -> bool:
    """Whether two articles' figures (see `figure_values`) allow them to be copies (see above);
    True when either's are unknown."""
    if x is None or y is None:
        return True
    short, other = (x, y) if len(x) <= len(y) else (y, x)
    return len(short - other) <= len(short) // FIGURES_MISSING
