"""The reply checker against a real seeded database: good replies pass, corrupted ones fail loudly."""

import copy

import pytest

from briefings.corpus import open_corpus
from briefings.verify import ReplyCheckFailed, assert_valid, verify

# Sentences of the bundled seeds, as they read in the stored clean text.
TOTAL = (
    "In response to these developments, NATO mobilized an additional 1,000 troops to the "
    "region, bringing the total number of peacekeepers from 27 countries to 4,500."
)
AROUND_3700 = (
    "Around 3,700 NATO peacekeepers are still stationed in the former Serbian province to "
    "prevent violence between ethnic Albanians and Serbs."
)
ALMOST_3800 = (
    "The Western Balkan nation demanded that the NATO troops on the ground must be ramped up "
    "from the current deployment of almost 3,800 troops."
)
PATROLS = (
    "The NATO-led KFOR peacekeeping force in Kosovo has stepped up patrols on the border with "
    "Serbia amid worsening tensions between the two Balkan countries over a dispute about "
    "license plates."
)
DEADLINE = (
    "Prime Minister Albin Kurti\u2019s government has now set a deadline of December 1 for "
    "approximately 10,000 motorists to register their cars with Kosovo numbers or face "
    "severe penalties."
)


@pytest.fixture
async def store(tmp_path):
    async with open_corpus(tmp_path / "kfor.sqlite3") as corpus:
        yield corpus.store


async def sources(store, *phrases: str) -> list[dict]:
    """Reference entries, numbered from 1, for the stored articles containing each phrase."""
    found = []
    for ref, phrase in enumerate(phrases, start=1):
        row = await store.db.fetchone(
            """SELECT a.id, a.title, a.publisher, a.published, a.url FROM articles a
               WHERE EXISTS (SELECT 1 FROM sentences s
                             WHERE s.article_id = a.id AND instr(s.text, ?) > 0)""",
            (phrase,),
        )
        assert row is not None, phrase
        found.append(
            {
                "ref": ref,
                "article_id": row["id"],
                "title": row["title"],
                "publisher": row["publisher"],
                "published": row["published"],
                "url": row["url"],
            }
        )
    return found


async def good_brief(store) -> dict:
    return {
        "kind": "brief",
        "generated_at": "2024-01-01T00:00:00+00:00",
        "workspace": "local",
        "window": {"since": None, "until": "2024-01-01T00:00:00+00:00"},
        "note": "nothing new in the last 7 days; the latest stories, the newest from November 2023:",
        "sections": [
            {
                "topic": "kfor",
                "title": "KFOR",
                "points": [
                    {"text": TOTAL, "citations": [1], "date": "2023"},
                    {"text": AROUND_3700, "citations": [2], "date": "2022-09-20"},
                ],
            },
            {
                "topic": "border",
                "title": "Border",
                "points": [{"text": PATROLS, "citations": [3], "date": "2021-09-27"}],
            },
        ],
        "omitted": 0,
        "facts": [
            {
                "kind": "kfor_troops",
                "value": 4500,
                "qualifier": "exactly",
                "as_of": "2023",
                "citations": [1],
            }
        ],
        "conflicts": [],
        "sources": await sources(store, "1,000 troops", "Around 3,700", "stepped up patrols"),
    }


async def good_status(store) -> dict:
    return {
        "kind": "status",
        "generated_at": "2024-01-01T00:00:00+00:00",
        "workspace": "local",
        "strength": {
            "value": 4500,
            "qualifier": "exactly",
            "as_of": "2023",
            "countries": 27,
            "citations": [1],
        },
        "latest_report": "2023",
        "stale": True,
        "history": [
            {
                "kind": "kfor_troops",
                "value": 3700,
                "qualifier": "around",
                "as_of": "2022-09-20",
                "citations": [2],
            },
            {
                "kind": "kfor_troops",
                "value": 3800,
                "qualifier": "almost",
                "as_of": "2023-01-02",
                "citations": [3],
            },
            {
                "kind": "troop_increase",
                "value": 1000,
                "qualifier": "exactly",
                "as_of": "2023",
                "citations": [1],
            },
        ],
        "developments": [
            {
                "topic": "kfor",
                "title": "KFOR",
                "point": {"text": ALMOST_3800, "citations": [3], "date": "2023-01-02"},
            }
        ],
        "deadlines": {
            "upcoming": [],
            "passed": [
                {
                    "date": "2023-12-01",
                    "text": "December 1",
                    "resolved": True,
                    "point": {"text": DEADLINE, "citations": [1], "date": "2023"},
                }
            ],
        },
        "conflicts": [
            {
                "kind": "kfor_troops",
                "values": [
                    {"value": 3700, "qualifier": "around", "as_of": "2022-09-20", "citations": [2]},
                    {"value": 3800, "qualifier": "almost", "as_of": "2023-01-02", "citations": [3]},
                ],
            }
        ],
        "sources": await sources(store, "1,000 troops", "Around 3,700", "almost 3,800"),
    }


async def good_timeline(store) -> dict:
    return {
        "kind": "timeline",
        "generated_at": "2024-01-01T00:00:00+00:00",
        "workspace": "local",
        "topic": "kfor",
        "events": [
            {
                "date": "2022-09-20",
                "precision": "day",
                "point": {"text": AROUND_3700, "citations": [1], "date": "2022-09-20"},
            },
            {
                "date": "2023-01-02",
                "precision": "day",
                "point": {"text": ALMOST_3800, "citations": [2], "date": "2023-01-02"},
            },
        ],
        "omitted": 0,
        "sources": await sources(store, "Around 3,700", "almost 3,800"),
    }


@pytest.mark.parametrize("build", [good_brief, good_status, good_timeline])
async def test_good_replies_pass(store, build):
    reply = await build(store)
    assert await verify(reply, store) == []
    await assert_valid(reply, store)


async def test_a_trimmed_span_of_a_sentence_passes(store):
    reply = await good_timeline(store)
    reply["events"][0]["point"]["text"] = "Around 3,700 NATO peacekeepers are still stationed…"
    assert await verify(reply, store) == []


async def failures(reply: dict, store) -> list[str]:
    with pytest.raises(ReplyCheckFailed) as caught:
        await assert_valid(reply, store)
    assert str(caught.value).startswith("reply check failed:\n- ")
    return caught.value.problems


async def test_a_point_no_cited_article_contains_fails(store):
    reply = await good_brief(store)
    reply["sections"][0]["points"][1]["text"] = (
        "Around 3,700 NATO peacekeepers left Kosovo for good after the elections."
    )
    problems = await failures(reply, store)
    assert problems == [
        "sections[0].points[1] is not found in any article it cites: "
        "'Around 3,700 NATO peacekeepers left Kosovo for good after the elections.'"
    ]


async def test_a_citation_to_the_wrong_article_fails(store):
    reply = await good_brief(store)
    reply["sections"][0]["points"][0]["citations"] = [2]
    problems = await failures(reply, store)
    assert problems[0].startswith("sections[0].points[0]: the date 2023 is in no article")
    assert any("sections[0].points[0] is not found in any article it cites" in p for p in problems)


async def test_a_citation_number_with_no_source_fails(store):
    reply = await good_brief(store)
    reply["sections"][1]["points"][0]["citations"] = [7]
    assert await failures(reply, store) == [
        "sections[1].points[0] cites [7], which is not in the sources"
    ]


async def test_a_point_without_citations_fails(store):
    reply = await good_timeline(store)
    reply["events"][1]["point"]["citations"] = []
    assert "events[1].point has no citation" in await failures(reply, store)


async def test_an_invented_figure_in_a_status_line_fails(store):
    reply = await good_status(store)
    reply["strength"]["value"] = 5200
    assert await failures(reply, store) == ["strength: the figure 5200 is in no article it cites"]


async def test_an_invented_figure_in_a_conflict_fails(store):
    reply = await good_status(store)
    reply["conflicts"][0]["values"][1]["value"] = 3900
    assert await failures(reply, store) == [
        "conflicts[0].values[1]: the figure 3900 is in no article it cites"
    ]


async def test_an_invented_date_fails(store):
    reply = await good_status(store)
    reply["history"][0]["as_of"] = "2022-08-14"
    assert await failures(reply, store) == [
        "history[0]: the date 2022-08-14 is in no article it cites"
    ]


async def test_a_furniture_line_fails(store):
    reply = await good_brief(store)
    reply["sections"][1]["points"].append(
        {"text": "Skip to main content", "citations": [3], "date": None}
    )
    problems = await failures(reply, store)
    assert "sections[1].points[1] is page furniture: 'Skip to main content'" in problems


async def test_a_repeated_point_fails(store):
    reply = await good_brief(store)
    repeat = copy.deepcopy(reply["sections"][0]["points"][0])
    repeat["text"] = TOTAL.replace("In response to these developments, ", "")
    reply["sections"][1]["points"].append(repeat)
    problems = await failures(reply, store)
    assert problems == [
        "sections[0].points[0] and sections[1].points[1] say the same thing (word overlap 0.83)"
    ]


async def test_a_source_that_misstates_its_article_fails(store):
    reply = await good_timeline(store)
    reply["sources"][0]["publisher"] = "Reuters"
    reply["sources"][1]["article_id"] = 9999
    problems = await failures(reply, store)
    assert "source [1] publisher is 'Reuters' but the stored article has 'CNA (with Reuters)'" in (
        problems
    )
    assert "source [2] names article 9999, which is not stored" in problems


async def test_a_point_too_long_for_a_chat_message_fails(store):
    reply = await good_brief(store)
    reply["sections"][0]["points"][0]["text"] = " ".join([TOTAL] * 30)
    problems = await failures(reply, store)
    assert any("too long to show whole in one chat message (most 3000)" in p for p in problems)


async def test_listings_and_refusals_are_checked_for_their_shape_only(store):
    """Every reply goes through the checker, a feed list's audit trail and an error included."""
    feeds = {
        "kind": "feeds",
        "workspace": "guild-1",
        "feeds": [],
        "history": [{"url": "https://f.example/rss", "action": "add", "actor": "m", "at": "now"}],
    }
    assert await verify(feeds, store) == []
    assert await verify({"kind": "error", "message": "no topic 'x'"}, store) == []
