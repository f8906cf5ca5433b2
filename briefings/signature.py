"""Text signatures that recognise a republished story (same text, other header or light edits)."""

from __future__ import annotations

import hashlib
import zlib

import numpy as np

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
    permuted = np.outer(hashes, _A32)
    permuted += _B32
    return permuted.min(axis=0).astype("<u4").tobytes()


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
    return np.count_nonzero(others == values(sig), axis=1) / NUM_PERM
