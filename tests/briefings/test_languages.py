"""Items in other languages are stored and searchable, and a briefing names their language."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from briefings.language import language_of, name_of
from briefings.render import render
from tests.briefings.corpus_helpers import corpus_at, rss


@pytest.mark.parametrize(
    ("sentence", "language"),
    [
        ("KFOR soldiers patrolled the road to Jarinje on Monday, the mission said.", "en"),
        ("Vojnici KFOR-a su u ponedeljak patrolirali putem ka Jarinju, saopštila je misija.", "sr"),
        ("Ushtarët e KFOR-it patrulluan rrugën për në Jarinje të hënën, tha misioni.", "sq"),
        ("Die KFOR-Soldaten sind am Montag auf der Straße nach Jarinje patrouilliert.", "de"),
        (
            "I soldati della KFOR hanno pattugliato la strada per Jarinje lunedì, ha detto la missione.",
            "it",
        ),
        (
            "\u0412\u043e\u0458\u043d\u0438\u0446\u0438 \u041a\u0424\u041e\u0420-\u0430 \u043f\u0430\u0442\u0440\u043e\u043b\u0438\u0440\u0430\u043b\u0438 \u0441\u0443 \u043f\u0443\u0442\u0435\u043c \u043a\u0430 \u0408\u0430\u0440\u0438\u045a\u0443 \u0443 \u043f\u043e\u043d\u0435\u0434\u0435\u0459\u0430\u043a.",
            "cyrl",
        ),
        ("سيّرت قوات كفور دوريات على الطريق إلى يارينيه يوم الاثنين.", "ar"),
        ("Vučić and Kurti met Lajčák in Brussels on Thursday.", "en"),
        ("KFOR 4,500", "en"),
    ],
)
def test_the_language_of_a_sentence(sentence: str, language: str) -> None:
    assert language_of(sentence) == language


FEED = rss(
    "Regional Desk",
    [
        (
            "KFOR verstärkt Patrouillen im Norden des Kosovo",
            "https://desk.example/de/1",
            "Mon, 23 Nov 2026 08:00:00 +0000",
            "Die KFOR hat am Sonntag zusätzliche Patrouillen nach Zvečan geschickt, teilte die "
            "Mission mit.\n\nDie Lage in der Stadt sei ruhig, hieß es.",
        ),
        (
            "Nove kazne za stare tablice na severu Kosova",
            "https://desk.example/sr/1",
            "Mon, 23 Nov 2026 09:00:00 +0000",
            "Vlasnici vozila sa starim registarskim tablicama dobiće kazne od ponedeljka, "
            "saopštila je policija.",
        ),
        (
            "Kalimi kufitar në Jarinje u rihap",
            "https://desk.example/sq/1",
            "Mon, 23 Nov 2026 10:00:00 +0000",
            "Kalimi kufitar në Jarinje u rihap të dielën pas dy ditësh bllokade, tha policia.",
        ),
        (
            "Il contingente italiano della KFOR cambia comando",
            "https://desk.example/it/1",
            "Mon, 23 Nov 2026 11:00:00 +0000",
            "Il contingente italiano della KFOR ha cambiato comando domenica a Pec, ha detto la "
            "missione.",
        ),
    ],
)


async def test_items_in_other_languages_are_stored_searchable_and_marked(tmp_path) -> None:
    feed = tmp_path / "regional.xml"
    feed.write_bytes(FEED)
    async with corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        outcomes = [o async for o in corpus.ingest_files([feed], workspace="local")]
        assert outcomes[0].report is not None
        assert outcomes[0].report.added == 4
        for word, url in [
            ("Patrouillen", "https://desk.example/de/1"),
            ("tablicama", "https://desk.example/sr/1"),
            ("kufitar", "https://desk.example/sq/1"),
            ("contingente", "https://desk.example/it/1"),
        ]:
            hits = await corpus.search("local", word)
            assert [hit.url for hit in hits] == [url], word
        reply = await corpus.brief(
            "local", since=dt.datetime(2026, 11, 20, tzinfo=dt.UTC), topics=["kfor"]
        )
    points = [p for section in reply["sections"] for p in section["points"]]
    assert points
    for point in points:
        assert point["language"] == name_of(language_of(point["text"]))
        assert point["language"] != "English"
    german = next(p for p in points if p["language"] == "German")
    assert f"(in German) {german['text']}" in render(reply, "text")
    assert '"language": "German"' in json.dumps(reply)
