"""Copies that say the story's sentences in order make one story: a reworded (synonym-spun) copy,
one in another spelling standard; another outlet's report of the same event stays apart."""

from __future__ import annotations

import numpy as np

from briefings.derive import derive
from briefings.models import ArticleDraft
from briefings.signature import (
    MIN_ALIGNED,
    SENTENCE_BAND,
    SENTENCE_KEYS,
    SENTENCE_MATCH,
    lead_values,
    same_lead,
    same_sentences,
    sentence_keys,
    sentence_values,
    similarities,
)
from briefings.topics import load_profiles
from tests.briefings.corpus_helpers import corpus_at

PROFILES = load_profiles(())
# A wire story, written for this test.
STORY = [
    "Italian KFOR soldiers removed two lorries that Serb protesters had parked across the road "
    "to the Jarinje crossing early on Thursday.",
    "The protesters left peacefully after talks with the commander of the regional battalion, "
    "the mission said in a statement.",
    "Traffic resumed in both directions shortly before noon, although customs checks kept "
    "lorries waiting for several hours.",
    "Local Serb officials said the blockade was a warning against the planned ban on cars with "
    "Serbian registration plates.",
    "The government in Pristina said the ban would start on the first day of next month as "
    "announced.",
    "Brussels called on both sides to avoid steps that could raise tensions in the north.",
]
# The same story run through a rewording tool: every sentence kept, in order, words swapped.
SPUN = [
    "Italian KFOR troops cleared two trucks that Serb demonstrators had left across the road to "
    "the Jarinje crossing early on Thursday.",
    "The demonstrators departed peacefully following talks with the commander of the regional "
    "battalion, the mission stated in a release.",
    "Traffic restarted in both directions just before midday, though customs controls kept "
    "trucks waiting for many hours.",
    "Local Serb officials said the roadblock was a warning over the planned ban on vehicles with "
    "Serbian registration plates.",
    "The administration in Pristina stated the ban would begin on the first day of next month as "
    "planned.",
    "Brussels urged both sides to avoid moves that might increase tensions in the north.",
]
# Another outlet's own report of the same event: the same names and facts, its own sentences.
OWN_REPORT = [
    "Serb protesters who blocked the Jarinje crossing with two lorries went home on Thursday "
    "after Italian soldiers of KFOR negotiated with them.",
    "Drivers said they had waited since dawn, and lorries were still queueing in the afternoon.",
    "The protest targets a ban on Serbian registration plates that Pristina wants to apply from "
    "next month.",
    "A Serb official from Zvecan said further blockades were likely if the ban went ahead.",
    "The European Union repeated its call for restraint on both sides.",
]
# One story in Serbian, in its ekavian spelling and as adapted in ijekavian, word order and
# a few words changed (written for this test).
EKAVIAN = [
    "Pripadnici Kfora uklonili su u sredu barikadu kod prelaza Jarinje posle dvodnevne blokade.",
    "Prema rečima svedoka, uklanjanje je proteklo mirno i bez povređenih.",
    "Meštani su ranije najavili da će blokada trajati do povlačenja odluke o tablicama.",
    "Vreme čekanja na prelazu smanjeno je na pola sata do večeri.",
    "Predstavnici opština na severu zatražili su hitan sastanak sa posrednicima iz Brisela.",
]
IJEKAVIAN = [
    "U srijedu su pripadnici Kfora uklonili barikadu kod prelaza Jarinje nakon dvodnevne blokade.",
    "Kako kažu svjedoci, uklanjanje je proteklo mirno i bez povrijeđenih.",
    "Mještani su prethodno najavili da će blokada trajati do povlačenja odluke o tablicama.",
    "Do večeri je vrijeme čekanja na prelazu smanjeno na pola sata.",
    "Predstavnici općina na sjeveru zatražili su hitan sastanak s posrednicima iz Bruxellesa.",
]


def _derived(title: str, sentences: list[str], url: str):
    return derive(ArticleDraft(title=title, text="\n\n".join(sentences), url=url), PROFILES)


def _draft(title: str, sentences: list[str], url: str) -> ArticleDraft:
    return ArticleDraft(title=title, text="\n\n".join(sentences), url=url)


async def _stories_of(tmp_path, drafts: list[ArticleDraft]) -> dict[str, int]:
    async with corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        for draft in drafts:
            await corpus.ingest_drafts([draft], workspace="local")
        return {r["url"]: r["story_id"] async for r in corpus.export("local") if r["url"]}


def _other_rules_fall_short(a, b) -> bool:
    """Whether neither the whole-text nor the lead rule makes the two one story."""
    whole = similarities(a.signature, np.frombuffer(b.signature, dtype="<u4")[None, :])[0]
    return whole < 0.5 and same_lead(lead_values(a.lead), lead_values(b.lead)) < 1.0


async def test_a_reworded_copy_joins_the_story(tmp_path) -> None:
    story = _draft("Soldiers clear lorries at Jarinje", STORY, "https://wire.example/1")
    spun = _draft("KFOR clears trucks at Jarinje", SPUN, "https://spinner.example/1")
    # Only the sentences tell: too few of the copy's 4-grams are the story's.
    assert _other_rules_fall_short(derive(story, PROFILES), derive(spun, PROFILES))
    found = await _stories_of(tmp_path, [story, spun])
    assert found[spun.url] == found[story.url]


async def test_a_copy_in_another_spelling_standard_joins_the_story(tmp_path) -> None:
    ekavian = _draft("Uklonjena barikada", EKAVIAN, "https://beograd.example/7")
    ijekavian = _draft("Uklonjena barikada kod Jarinja", IJEKAVIAN, "https://sarajevo.example/7")
    assert _other_rules_fall_short(derive(ekavian, PROFILES), derive(ijekavian, PROFILES))
    found = await _stories_of(tmp_path, [ekavian, ijekavian])
    assert found[ijekavian.url] == found[ekavian.url]


async def test_another_outlets_report_with_the_same_names_and_facts_stays_apart(tmp_path) -> None:
    story = _draft("Soldiers clear lorries at Jarinje", STORY, "https://wire.example/2")
    own = _draft("Jarinje protest ends", OWN_REPORT, "https://daily.example/2")
    found = await _stories_of(tmp_path, [story, own])
    assert found[own.url] != found[story.url]


def test_too_few_sentences_in_common_make_no_story() -> None:
    story = sentence_values(_derived("a", STORY, "https://a.example/3").sentence_sketch)
    short = sentence_values(
        _derived("b", SPUN[: MIN_ALIGNED - 1], "https://b.example/3").sentence_sketch
    )
    assert same_sentences(story, short) == 0.0
    longer = sentence_values(
        _derived("c", SPUN[:MIN_ALIGNED], "https://c.example/3").sentence_sketch
    )
    assert same_sentences(story, longer) >= 1.0


def test_sentence_keys_have_band_numbers_of_their_own() -> None:
    keys = _derived("a", STORY, "https://a.example/4").sentence_keys
    assert keys
    assert {key >> 43 for key in keys} <= set(range(SENTENCE_BAND, SENTENCE_BAND + SENTENCE_KEYS))


def test_the_sentence_search_finds_a_copy_at_the_threshold_with_99_percent_probability() -> None:
    # Missed only when none of the aligned sentence pairs shares one of its keys.
    assert 1 - (1 - SENTENCE_MATCH) ** (SENTENCE_KEYS * MIN_ALIGNED) >= 0.99
    # And so it is, for random copies at the threshold: MIN_ALIGNED pairs of sentences of 13
    # stems each, 6 of them shared (Jaccard 6/20).
    rng = np.random.default_rng(11)
    trials = 3000
    found = 0
    for _ in range(trials):
        a, b = [], []
        for _ in range(MIN_ALIGNED):
            union = rng.choice(2**32, size=20, replace=False).astype(np.uint32)
            a.append(np.sort(union[:13]))
            b.append(np.sort(np.concatenate([union[:6], union[13:]])))
        found += bool(set(sentence_keys(a)) & set(sentence_keys(b)))
    assert SENTENCE_MATCH == 6 / 20
    assert found / trials >= 0.99


async def test_two_bulletins_of_one_template_with_other_figures_are_two_stories(tmp_path) -> None:
    def bulletin(day: str, troops: str, lorries: int, hours: int) -> ArticleDraft:
        return _draft(
            f"Crossing bulletin, {day}",
            [
                f"KFOR counted {troops} soldiers on duty along the boundary line on {day}.",
                f"Customs officers at Jarinje cleared {lorries} lorries in the morning shift.",
                f"Queues at Brnjak lasted up to {hours} hours, the border police said.",
                "No incidents were reported at the crossings during the day.",
                "The next bulletin will be published tomorrow at the same time.",
            ],
            f"https://bulletin.example/{day}",
        )

    monday, tuesday = bulletin("Monday", "4,300", 120, 3), bulletin("Tuesday", "4,500", 95, 2)
    found = await _stories_of(tmp_path, [monday, tuesday])
    assert found[monday.url] != found[tuesday.url]
    # The same bulletin written "4300" by a copier is still a copy.
    copy = bulletin("Monday", "4300", 120, 3)
    copy = ArticleDraft(title="Border bulletin", text=copy.text, url="https://copier.example/1")
    found = await _stories_of(tmp_path, [copy])
    assert found[copy.url] == found[monday.url]
