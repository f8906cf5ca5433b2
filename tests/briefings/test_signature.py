import zlib

import numpy as np

from briefings.fold import fold
from briefings.signature import SAME_STORY, bands, signature, similarities, values


def similarity(a: bytes, b: bytes) -> float:
    return float(similarities(a, values(b)[np.newaxis])[0])


REPORT = (
    "Serb protesters put up new barricades of trucks near the Jarinje crossing on Monday, "
    "blocking traffic into northern Kosovo for a second day. KFOR said its troops were watching "
    "the roadblocks and urged both sides to keep calm. Local police said no one was hurt."
)
REWORDED_EVENT = (
    "Trucks were parked across the road to the Jarinje border post by Serb demonstrators, and "
    "the NATO-led mission called for restraint while police reported no injuries."
)


def test_a_wire_copy_with_other_header_and_footer_is_the_same_story():
    copy = "Balkan Wire Service. BELGRADE - " + REPORT + " All rights reserved, Balkan Wire."
    assert similarity(signature(fold(REPORT)), signature(fold(copy))) >= SAME_STORY


def test_a_light_edit_is_the_same_story():
    edited = REPORT.replace("on Monday", "early on Monday").replace("second day", "2nd day")
    assert similarity(signature(fold(REPORT)), signature(fold(edited))) >= SAME_STORY


def test_another_report_of_the_same_event_is_not_the_same_story():
    assert similarity(signature(fold(REPORT)), signature(fold(REWORDED_EVENT))) < 0.2


def test_signatures_are_stable_across_runs_and_share_bands_when_alike():
    first, second = signature(fold(REPORT)), signature(fold(REPORT))
    assert first == second
    assert set(bands(first)) == set(bands(second))
    unrelated = signature(fold(REWORDED_EVENT))
    assert not set(bands(first)) & set(bands(unrelated))


def test_very_short_texts_still_get_a_signature():
    assert similarity(signature("kfor"), signature("kfor")) == 1.0


def test_a_signature_stored_by_an_older_version_still_finds_the_same_story():
    new = signature(fold(REPORT))
    stored_before = np.frombuffer(new, dtype="<u4").astype("<u8").tobytes()
    assert len(new) < len(stored_before)
    assert similarity(new, stored_before) == 1.0
    assert bands(new) == bands(stored_before)


def test_the_signature_is_the_minhash_that_stored_articles_were_signed_with():
    """Worked out with plain integers from the definition, so that a faster computation cannot
    drift from the values already stored (a stored copy would no longer be found)."""
    from briefings import signature as sig

    words = fold(REPORT).split()
    shingles = {" ".join(words[i : i + 4]) for i in range(len(words) - 3)}
    prime = (1 << 61) - 1
    expected = [
        min((int(a) * zlib.crc32(s.encode()) + int(b)) % prime & 0xFFFFFFFF for s in shingles)
        for a, b in zip(sig._A, sig._B, strict=True)
    ]
    assert np.frombuffer(signature(fold(REPORT)), dtype="<u4").tolist() == expected


def test_no_hash_reaches_the_prime_so_leaving_out_the_modulo_changes_no_signature():
    """signature() computes a*h + b without "mod p": the same values only while a*h + b < p
    for every permutation and every 32-bit hash, the largest included."""
    from briefings import signature as sig

    prime = (1 << 61) - 1
    largest = 0xFFFFFFFF
    assert all(int(a) * largest + int(b) < prime for a, b in zip(sig._A, sig._B, strict=True))


def test_one_signature_is_compared_with_many_at_once():
    copy = "Balkan Wire Service. BELGRADE - " + REPORT
    others = np.stack([values(signature(fold(t))) for t in (copy, REWORDED_EVENT, REPORT)])
    mine = values(signature(fold(REPORT))).tolist()
    found = similarities(signature(fold(REPORT)), others)
    shared = [sum(a == b for a, b in zip(mine, row.tolist(), strict=True)) for row in others]
    assert found.tolist() == [n / len(mine) for n in shared]
    assert found[0] >= SAME_STORY > found[1]
    assert found[2] == 1.0
