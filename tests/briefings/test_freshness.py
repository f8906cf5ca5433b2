"""Undated is not new: undated points rank below dated ones and say "date unknown" wherever shown."""

import datetime as dt
import json
import re

from briefings.engine.candidates import ArticleInfo, Candidate
from briefings.engine.select import recency, select_points
from briefings.models import Published
from briefings.render import render
from briefings.render.chat import discord_embeds, slack_blocks

ADDED = dt.datetime(2026, 12, 4, tzinfo=dt.UTC)
TODAY = dt.date(2026, 12, 5)


def article(article_id, published=None):
    return ArticleInfo(
        id=article_id,
        story_id=article_id,
        title=f"Report {article_id}",
        publisher=None,
        url=None,
        published=Published.from_iso(published),
        added_at=ADDED,
    )


UNDATED = (
    "Peacekeepers used tear gas to disperse a crowd guarding a roadblock near Jarinje, and "
    "KFOR engineers towed away the trucks."
)
DATED = "KFOR opened a liaison office in Leposavic to improve contact with local communities."


def test_an_undated_sentence_is_not_fresh_however_recently_it_arrived():
    assert recency(Published(), TODAY) == 0.0
    assert recency(Published.from_iso("2026-12-05"), TODAY) == 1.0


def test_a_dated_point_is_chosen_before_a_better_scored_undated_one():
    pool = [
        Candidate(article(1), 0, UNDATED, {"kfor": 0.95}, ("injured", "troops")),
        Candidate(article(2, "2026-10-01"), 0, DATED, {"kfor": 0.3}),
    ]

    chosen = select_points(pool, ["kfor"], reference=TODAY, budget_chars=len(DATED) + 20)

    assert [p.text for p in chosen.points] == [DATED]
    assert chosen.omitted == 1


def test_dated_points_come_first_and_undated_ones_last_in_a_section():
    pool = [
        Candidate(article(1), 0, UNDATED, {"kfor": 0.95}),
        Candidate(article(2, "2026-10-01"), 0, DATED, {"kfor": 0.3}),
    ]

    points = select_points(pool, ["kfor"], reference=TODAY, budget_chars=3500).points

    assert [p.date.iso for p in points] == ["2026-10-01", None]


def brief_with(points):
    sources = [
        {"ref": 1, "article_id": 1, "title": "Roadblock cleared", "publisher": None,
         "published": None, "url": "https://news.example/1"},
        {"ref": 2, "article_id": 2, "title": "Liaison office", "publisher": None,
         "published": "2026-10-01", "url": "https://news.example/2"},
    ]  # fmt: skip
    return {
        "kind": "brief",
        "generated_at": "2026-12-05T12:00:00+00:00",
        "workspace": "local",
        "window": {"since": "2026-11-28T12:00:00+00:00", "until": "2026-12-05T12:00:00+00:00"},
        "note": None,
        "sections": [{"topic": "kfor", "title": "KFOR", "points": points}],
        "omitted": 0,
        "facts": [],
        "conflicts": [],
        "sources": sources,
    }


def test_every_format_says_date_unknown_on_an_undated_point_and_only_there():
    reply = brief_with(
        [
            {"text": DATED, "citations": [2], "date": "2026-10-01"},
            {"text": UNDATED, "citations": [1], "date": None},
        ]
    )
    rendered = {
        "text": render(reply, "text"),
        "markdown": render(reply, "markdown"),
        "discord": json.dumps(discord_embeds(reply)),
        "slack": json.dumps(slack_blocks(reply)),
    }

    for fmt, text in rendered.items():
        # Lines of the rendered text, or of the JSON string values holding them.
        lines = re.split(r"\n|\\n", text)
        undated_line = next(line for line in lines if "towed away" in line)
        dated_line = next(line for line in lines if "liaison office" in line)
        assert "(date unknown)" in undated_line, fmt
        assert "date unknown" not in dated_line, fmt
