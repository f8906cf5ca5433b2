"""Terminal and Markdown renderings of briefs, status cards and timelines, checked line by line."""

import json

from briefings.render import render

SOURCES = [
    {
        "ref": 1,
        "article_id": 1,
        "title": "British troops patrol the Kosovo-Serbia border",
        "publisher": None,
        "published": "2023",
        "url": None,
    },
    {
        "ref": 2,
        "article_id": 4,
        "title": "NATO ready to send more troops to Kosovo in case of fresh unrest",
        "publisher": "CNA (with Reuters)",
        "published": "2022-09-20",
        "url": "https://www.channelnewsasia.com/world/kosovo-nato",
    },
    {
        "ref": 3,
        "article_id": 5,
        "title": "Kurti calls for more KFOR troops",
        "publisher": None,
        "published": None,
        "url": "javascript:alert(1)",
    },
]
TOTAL = (
    "NATO mobilized an additional 1,000 troops to the region, bringing the total number of "
    "peacekeepers from 27 countries to 4,500."
)
PEACEKEEPERS = "Around 3,700 NATO peacekeepers are still stationed in the former Serbian province."
CONFLICT = {
    "kind": "kfor_troops",
    "values": [
        {"value": 3700, "qualifier": "around", "as_of": "2022-09-20", "citations": [2]},
        {"value": 3800, "qualifier": "almost", "as_of": "2023-01-02", "citations": [3]},
    ],
}


def brief(**changes) -> dict:
    reply = {
        "kind": "brief",
        "generated_at": "2024-01-01T00:00:00+00:00",
        "workspace": "local",
        "window": {"since": "2023-12-25T00:00:00+00:00", "until": "2024-01-01T00:00:00+00:00"},
        "note": None,
        "sections": [
            {
                "topic": "kfor",
                "title": "KFOR",
                "points": [
                    {"text": TOTAL, "citations": [1], "date": "2023"},
                    {"text": PEACEKEEPERS, "citations": [1, 2, 3], "date": "2022-09-20"},
                ],
            }
        ],
        "omitted": 0,
        "facts": [],
        "conflicts": [CONFLICT],
        "sources": SOURCES,
    }
    return reply | changes


def status(**changes) -> dict:
    reply = {
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
                "value": 4500,
                "qualifier": "exactly",
                "as_of": "2023",
                "countries": 27,
                "citations": [1],
            },
            {
                "kind": "troop_increase",
                "value": 1000,
                "qualifier": "exactly",
                "as_of": "2023",
                "citations": [1],
            },
            {
                "kind": "kfor_troops",
                "value": 3800,
                "qualifier": "almost",
                "as_of": "2023-01-02",
                "citations": [3],
            },
            {
                "kind": "kfor_troops",
                "value": 3700,
                "qualifier": "around",
                "as_of": "2022-09-20",
                "citations": [2],
            },
        ],
        "developments": [
            {
                "topic": "kfor",
                "title": "KFOR",
                "point": {"text": TOTAL, "citations": [1], "date": "2023"},
            }
        ],
        "deadlines": {
            "upcoming": [],
            "passed": [
                {
                    "date": "2022-10-31",
                    "text": "by Oct 31",
                    "resolved": True,
                    "point": {"text": "Plates by Oct 31.", "citations": [2], "date": "2022-09-20"},
                }
            ],
        },
        "conflicts": [CONFLICT],
        "sources": SOURCES,
    }
    return reply | changes


REFERENCES_TEXT = """\
References
  [1] British troops patrol the Kosovo-Serbia border
      publisher unknown, 2023 (no link)
  [2] NATO ready to send more troops to Kosovo in case of fresh unrest
      CNA (with Reuters), 2022-09-20 - https://www.channelnewsasia.com/world/kosovo-nato
  [3] Kurti calls for more KFOR troops
      publisher unknown, date unknown - javascript:alert(1)
"""


def test_brief_as_text():
    assert render(brief(), "text") == (
        "KFOR briefing 2023-12-25 to 2024-01-01\n\n"
        "KFOR\n"
        f"  - {TOTAL} [1] (2023)\n"
        f"  - {PEACEKEEPERS} [1][2][3] (3 sources, 2022-09-20)\n\n"
        "Sources disagree\n"
        "  - KFOR strength: around 3,700 (2022-09-20) [2] vs almost 3,800 (2023-01-02) [3]\n\n"
        + REFERENCES_TEXT
    )


def test_brief_with_a_note_and_omitted_points():
    text = render(brief(note="no new developments since 2023-11-20", omitted=1), "text")
    lines = text.splitlines()
    assert lines[2] == "no new developments since 2023-11-20"
    assert "1 more point left out to keep this reply short." in lines


def test_an_empty_brief_says_so():
    text = render(brief(sections=[], conflicts=[], sources=[]), "text")
    assert text == "KFOR briefing 2023-12-25 to 2024-01-01\n\nNothing to report in this window.\n"


def test_status_card_as_text():
    assert render(status(), "text") == (
        "KFOR status\n\n"
        "KFOR strength: 4,500 troops from 27 countries (2023) [1]\n"
        "latest report: 2023\n\n"
        "Reported strength over time\n"
        "  - 2022-09-20: around 3,700 troops [2]\n"
        "  - 2023-01-02: almost 3,800 troops [3]\n"
        "  - 2023: 4,500 troops from 27 countries [1]\n\n"
        "Reinforcements\n"
        "  - 2023: 1,000 more troops [1]\n\n"
        "Latest developments\n"
        f"  - KFOR: {TOTAL} [1] (2023)\n\n"
        "Deadlines passed\n"
        "  - 2022-10-31 (by Oct 31): Plates by Oct 31. [2]\n\n"
        "Sources disagree\n"
        "  - KFOR strength: around 3,700 (2022-09-20) [2] vs almost 3,800 (2023-01-02) [3]\n\n"
        + REFERENCES_TEXT
    )


def test_a_fresh_status_card_does_not_announce_its_age():
    assert "latest report" not in render(status(stale=False), "text")


def test_status_without_a_figure_says_so():
    lines = render(status(strength=None, history=[]), "text").splitlines()
    assert lines[2] == "KFOR strength: no figure in the stored articles"


def test_timeline_as_markdown_links_only_web_addresses():
    reply = {
        "kind": "timeline",
        "generated_at": "2024-01-01T00:00:00+00:00",
        "workspace": "local",
        "topic": "plates",
        "events": [
            {
                "date": "2022-09-20",
                "precision": "day",
                "point": {"text": PEACEKEEPERS, "citations": [2, 3], "date": "2022-09-20"},
            },
            {"date": None, "precision": "unknown", "point": {"text": TOTAL, "citations": [1]}},
        ],
        "omitted": 0,
        "sources": SOURCES,
    }
    reply["events"][1]["point"]["date"] = None
    assert render(reply, "markdown") == (
        "**KFOR timeline: plates**\n\n"
        f"- 2022-09-20: {PEACEKEEPERS} [2][3] (2 sources)\n"
        f"- date unknown: {TOTAL} [1]\n\n"
        "**References**\n"
        "- [1] **British troops patrol the Kosovo-Serbia border** — publisher unknown, 2023"
        " (no link)\n"
        "- [2] [NATO ready to send more troops to Kosovo in case of fresh unrest]"
        "(https://www.channelnewsasia.com/world/kosovo-nato) — CNA (with Reuters), 2022-09-20\n"
        "- [3] **Kurti calls for more KFOR troops** — publisher unknown, date unknown"
        " (link not shown: not a plain web address)\n"
    )


def test_json_is_the_reply_itself():
    reply = status()
    assert json.loads(render(reply, "json")) == reply


def test_the_other_reply_kinds_still_render():
    search = {
        "kind": "search",
        "generated_at": "2024-01-01T00:00:00+00:00",
        "query": "plates",
        "results": [
            {"title": SOURCES[1]["title"], "snippet": "Plates by Oct 31.", "citations": [1]}
        ],
        "sources": [SOURCES[1] | {"ref": 1}],
    }
    assert render(search, "text").startswith('1 result for "plates":')
    assert "Plates by Oct 31." in render(search, "markdown")


def test_a_citation_without_a_link_says_so_in_every_format():
    """Source 1 has no link, source 2 a web link, source 3 one that is not a web address; the
    chat platforms say the same (tests/briefings/test_chat_shapes.py)."""
    reply = brief()
    by_format = {
        "text": [line for line in render(reply, "text").splitlines() if line.startswith(" " * 6)],
        "markdown": [line for line in render(reply, "markdown").splitlines() if "— " in line],
    }
    for name, (first, second, third) in by_format.items():
        assert first.endswith(", 2023 (no link)"), name
        assert "no link" not in second + third, name
    assert by_format["markdown"][2].endswith("(link not shown: not a plain web address)")
    assert render(search_reply_without_link(), "text").splitlines()[3].endswith("(no link)")
    assert render(search_reply_without_link(), "markdown").splitlines()[2].endswith("(no link)")


def search_reply_without_link() -> dict:
    return {
        "kind": "search",
        "generated_at": "2024-01-01T00:00:00+00:00",
        "query": "patrol",
        "results": [{"title": SOURCES[0]["title"], "snippet": "Patrols.", "citations": [1]}],
        "sources": [SOURCES[0]],
    }
