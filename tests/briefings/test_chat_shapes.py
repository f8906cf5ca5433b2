"""Discord embeds and Slack blocks: hostile feed text stays inert, links stay web links, limits hold."""

import io
import json
import re

import feedparser
import pytest

from briefings.render.chat import discord_embeds, discord_problems, slack_blocks, slack_problems
from briefings.render.escape import discord_text, slack_text, web_url
from tests.conftest import shared_path

# A mention Discord would act on: "@everyone"/"@here" as typed, or <@id>, <@&id>, <#id>.
DISCORD_LIVE = re.compile(r"@(?:everyone|here)|(?<!\\)<[@#]")
# A Slack control sequence that notifies: <!channel>, <!here>, <!everyone>, <!subteam^..>, <@U..>.
SLACK_LIVE = re.compile(r"<[!@]")
# An unescaped Markdown masked link "[text](target)".
MASKED_LINK = re.compile(r"(?<!\\)\]\((?!\\)")
HIDDEN = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\ufeff]")
SLACK_LINK_TARGET = re.compile(r"<([^|>]*)\|")


def hostile_entries(name: str) -> list[dict]:
    data = shared_path("fixtures", "hostile-feeds", name).read_bytes()
    parsed = feedparser.parse(
        io.BytesIO(data), response_headers={"content-location": "https://feed.example/feed.xml"}
    )
    return parsed.entries


def hostile_reply() -> dict:
    """Every hostile item as a point, a source title and a link, as a careless engine might pass."""
    entries = hostile_entries("chat-injection.xml") + hostile_entries("dangerous-links.xml")
    sources = [
        {
            "ref": ref,
            "article_id": ref,
            "title": entry.get("title", ""),
            "publisher": entry.get("title", "")[:40],
            "published": None,
            "url": entry.get("link"),
        }
        for ref, entry in enumerate(entries, start=1)
    ]
    points = [
        {"text": entry.get("title", "") + " " + entry.get("summary", ""), "citations": [ref]}
        for ref, entry in enumerate(entries, start=1)
    ]
    for point in points:
        point["date"] = None
    return {
        "kind": "brief",
        "generated_at": "2024-01-01T00:00:00+00:00",
        "workspace": "local",
        "window": {"since": None, "until": "2024-01-01T00:00:00+00:00"},
        "note": "@everyone <!channel> note",
        "sections": [{"topic": "kfor", "title": "KFOR @here", "points": points}],
        "omitted": 0,
        "facts": [],
        "conflicts": [],
        "sources": sources,
        "briefing_id": 12,
    }


def discord_strings(messages: list[list[dict]]) -> list[str]:
    texts = []
    for embeds in messages:
        for embed in embeds:
            texts += [embed["title"], embed.get("description", "")]
            texts += [f["name"] + "\n" + f["value"] for f in embed.get("fields", [])]
    return texts


def slack_strings(messages: list[list[dict]]) -> list[str]:
    texts = []
    for blocks in messages:
        for block in blocks:
            if block["type"] in ("header", "section"):
                texts.append(block["text"]["text"])
            else:
                texts += [element["text"] for element in block["elements"]]
    return texts


def test_hostile_feed_items_cannot_ping_format_or_link_in_discord():
    reply = hostile_reply()
    messages = discord_embeds(reply)
    assert discord_problems(messages) == []
    for text in discord_strings(messages):
        assert not DISCORD_LIVE.search(text), text[:200]
        assert not MASKED_LINK.search(text), text[:200]
        assert not HIDDEN.search(text)
        assert "\u200b" not in text.replace("@\u200b", "")
        for link in re.findall(r"\b[a-z][a-z0-9+.-]*://\S+", text):
            assert link.startswith(("http://", "https://"))
        assert "javascript:" not in text
        assert "data:text" not in text
    urls = [embed["url"] for embeds in messages for embed in embeds if "url" in embed]
    assert all(url.startswith(("http://", "https://")) for url in urls)
    shown = "\n".join(discord_strings(messages))
    assert "@\u200beveryone @\u200bhere free nitro" in shown
    assert "\\<@\u200b&123456789012345678\\>" in shown
    assert "\\[Official notice\\]\\(https://phish.example/login\\)" in shown
    assert "https://xn--r8jz45g.xn--zckzah/%E3%83%91%E3%82%B9?q=%C3%BC" in shown


def test_hostile_feed_items_cannot_ping_or_link_in_slack():
    reply = hostile_reply()
    messages = slack_blocks(reply)
    assert slack_problems(messages) == []
    for text in slack_strings(messages):
        without_links = SLACK_LINK_TARGET.sub("", text)
        assert not SLACK_LIVE.search(without_links), text[:200]
        assert not HIDDEN.search(text)
        for target in SLACK_LINK_TARGET.findall(text):
            assert target.startswith(("http://", "https://"))
    shown = "\n".join(slack_strings(messages))
    assert "&lt;!channel&gt; &lt;!here&gt; &lt;!everyone&gt; &lt;!subteam^S0123&gt;" in shown
    assert "&lt;https://phish.example|https://bank.example&gt; slack masked link" in shown
    for blocks in messages:
        for block in blocks:
            texts = [block["text"]] if "text" in block else block["elements"]
            assert all(t.get("verbatim") is True for t in texts if t["type"] == "mrkdwn")


def test_only_plain_web_links_survive():
    assert web_url("javascript:alert(document.cookie)") is None
    assert web_url("data:text/html;base64,PHNjcmlwdD4=") is None
    assert web_url("file:///etc/passwd") is None
    assert web_url("/relative/path?a=1&b=2") is None
    assert web_url("https://bank.example@phish.example/") is None
    assert web_url("https://example.com/a b") is None
    assert web_url("https://example.com/" + "x" * 3000, 2048) is None
    assert web_url("https://example.com/wiki/Kosovo_(region)|x>") == (
        "https://example.com/wiki/Kosovo_%28region%29%7Cx%3E"
    )
    assert web_url(" HTTPS://Example.com/path?a=1&b=2 ") == "https://example.com/path?a=1&b=2"


def test_escaping_by_hand():
    assert discord_text("**KFOR** @here <@&1>") == "\\*\\*KFOR\\*\\* @\u200bhere \\<@\u200b&1\\>"
    assert slack_text("A & B <!here> <@U123>") == "A &amp; B &lt;!here&gt; &lt;@U123&gt;"
    assert discord_text("line one\nline two\u202e") == "line one line two"
    clipped = discord_text("*" * 50, 11)
    assert clipped == "\\*\\*\\*\\*\\*…"


def long_reply(points_per_section: int, sections: int = 3) -> dict:
    sources = []
    section_list = []
    ref = 0
    for s in range(sections):
        points = []
        for p in range(points_per_section):
            ref += 1
            text = f"Point {s}-{p} says KFOR patrols continued near Jarinje on day {p}. " + (
                "More detail about the border crossing and the barricades. " * 4
            )
            points.append({"text": text.strip(), "citations": [ref], "date": "2023-05-30"})
            sources.append(
                {
                    "ref": ref,
                    "article_id": ref,
                    "title": f"Report number {ref} on the Kosovo border",
                    "publisher": "Example Wire",
                    "published": "2023-05-30",
                    "url": f"https://news.example/{ref}",
                }
            )
        section_list.append({"topic": f"t{s}", "title": f"Topic {s}", "points": points})
    return {
        "kind": "brief",
        "generated_at": "2024-01-01T00:00:00+00:00",
        "workspace": "local",
        "window": {"since": "2023-05-01T00:00:00+00:00", "until": "2023-06-01T00:00:00+00:00"},
        "note": None,
        "sections": section_list,
        "omitted": 0,
        "facts": [],
        "conflicts": [],
        "sources": sources,
    }


def all_points(reply: dict) -> list[dict]:
    return [p for section in reply["sections"] for p in section["points"]]


def test_a_long_briefing_splits_over_embeds_at_point_boundaries():
    reply = long_reply(points_per_section=20)
    messages = discord_embeds(reply)
    embeds = [embed for embeds in messages for embed in embeds]
    assert len(embeds) > 1
    assert discord_problems(messages) == []
    assert embeds[0]["title"].endswith(f"(part 1 of {len(embeds)})")
    seen = []
    for embed in embeds:
        description = embed["description"]
        references = "\n".join(f["value"] for f in embed["fields"])
        for line in description.splitlines():
            if line.startswith("• "):
                seen.append(line)
                for ref in re.findall(r"\[(\d+)\]", line):
                    assert f"**[{ref}]** Report number {ref} on" in references
    expected = [f"• {p['text']} [{p['citations'][0]}] (2023-05-30)" for p in all_points(reply)]
    assert [s.replace("\\", "") for s in seen] == expected


def test_a_long_briefing_splits_over_slack_messages_within_limits():
    reply = long_reply(points_per_section=150)
    messages = slack_blocks(reply)
    assert len(messages) > 1
    assert slack_problems(messages) == []
    seen = []
    for blocks in messages:
        assert blocks[0]["type"] == "header"
        context = "\n".join(
            e["text"] for b in blocks if b["type"] == "context" for e in b["elements"]
        )
        for block in blocks:
            if block["type"] != "section":
                continue
            for line in block["text"]["text"].splitlines():
                if line.startswith("• "):
                    seen.append(line)
                    ref = re.findall(r"\[(\d+)\]", line)[0]
                    assert f"[{ref}] <https://news.example/{ref}|Report number {ref} on" in context
    assert len(seen) == 450
    assert seen[-1].startswith("• Point 2-149 says")


def test_one_topic_is_one_section_when_it_fits():
    reply = long_reply(points_per_section=2)
    sections = [b for b in slack_blocks(reply)[0] if b["type"] == "section"]
    assert [s["text"]["text"].splitlines()[0] for s in sections] == [
        "*Topic 0*",
        "*Topic 1*",
        "*Topic 2*",
    ]


def test_briefing_marker_goes_in_the_footer():
    reply = long_reply(points_per_section=1) | {"briefing_id": 42}
    (embeds,) = discord_embeds(reply)
    assert embeds[0]["footer"] == {"text": "briefing 42"}
    blocks = slack_blocks(reply)[0]
    assert blocks[-1]["elements"][0]["text"] == "briefing 42"
    assert "footer" not in discord_embeds(long_reply(points_per_section=1))[0][0]


def test_a_single_http_source_becomes_the_embed_link():
    reply = long_reply(points_per_section=1, sections=1)
    (embeds,) = discord_embeds(reply)
    assert embeds[0]["url"] == "https://news.example/1"
    reply["sources"][0]["url"] = "javascript:alert(1)"
    (embeds,) = discord_embeds(reply)
    assert "url" not in embeds[0]
    assert "(link not shown: not a plain web address)" in embeds[0]["fields"][0]["value"]


def test_feed_list_replies_are_escaped_too():
    reply = {
        "kind": "feeds",
        "workspace": "guild-1",
        "feeds": [
            {
                "url": "https://feed.example/rss",
                "title": "@everyone Feed <!channel>",
                "health": "ok",
                "added_by": "mod",
                "added_at": "2024-01-01",
                "last_success": None,
                "last_error": None,
                "last_error_at": None,
                "consecutive_failures": 0,
                "next_poll": None,
                "items_seen": 3,
            }
        ],
        "history": [],
    }
    discord_json = json.dumps(discord_embeds(reply), ensure_ascii=False)
    assert "@everyone" not in discord_json
    assert "@\u200beveryone Feed \\\\<!channel\\\\>" in discord_json
    slack_json = json.dumps(slack_blocks(reply), ensure_ascii=False)
    assert "<!channel>" not in slack_json
    assert "&lt;!channel&gt;" in slack_json


@pytest.mark.parametrize("kind", ["discord", "slack"])
def test_problems_are_reported_for_oversized_messages(kind):
    if kind == "discord":
        embed = {"title": "t", "description": "x" * 4097, "fields": []}
        assert discord_problems([[embed]]) == [
            "Discord message 1 embed 1 description is 4097 characters (most 4096)"
        ]
    else:
        blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}] * 51
        problems = slack_problems([blocks])
        assert problems[0] == "Slack message 1 has 51 blocks (most 50)"
        assert "Slack message 1 block 1 section text is 3001 characters (most 3000)" in problems


def feed_row(n: int, error: str | None = None) -> dict:
    return {
        "url": f"https://feed{n}.example/rss",
        "title": f"Feed number {n}",
        "health": "failing" if error else "ok",
        "added_by": "mod",
        "added_at": "2024-01-01T00:00:00+00:00",
        "last_success": None,
        "last_error": error,
        "last_error_at": "2024-01-02T00:00:00+00:00" if error else None,
        "consecutive_failures": 3 if error else 0,
        "next_poll": None,
        "items_seen": n,
    }


@pytest.mark.parametrize("length", [3_100, 5_000, 20_000])
def test_an_error_message_of_any_length_is_shown_within_both_platforms_limits(length):
    """Error text comes from what users type and what servers answer; escaping may double it."""
    message = "no topic '" + ("_<&" * length)[:length] + "': choose one of kfor, border, plates"
    reply = {"kind": "error", "message": message}
    discord, slack = discord_embeds(reply), slack_blocks(reply)
    assert discord_problems(discord) == []
    assert slack_problems(slack) == []
    assert discord[0][0]["description"].startswith("no topic '\\_\\<&\\_")
    assert discord[0][0]["description"].endswith("…")
    assert slack[0][1]["text"]["text"].startswith("no topic '_&lt;&amp;_")


def test_a_long_feed_list_is_split_over_messages_with_every_feed_shown():
    error = "the server answered 503: " + "Service Unavailable " * 60
    reply = {
        "kind": "feeds",
        "workspace": "guild-1",
        "feeds": [feed_row(n, error if n % 2 else None) for n in range(1, 61)],
        "history": [
            {"url": f"https://feed{n}.example/rss", "action": "add", "actor": "mod", "at": "now"}
            for n in range(1, 11)
        ],
    }
    discord, slack = discord_embeds(reply), slack_blocks(reply)
    assert discord_problems(discord) == []
    assert slack_problems(slack) == []
    assert len(discord) > 1
    shown_in_discord = "\n".join(discord_strings(discord)).replace("\\", "")
    shown_in_slack = "\n".join(slack_strings(slack))
    for n in range(1, 61):
        assert f"https://feed{n}.example/rss (Feed number {n})" in shown_in_discord
        assert f"https://feed{n}.example/rss (Feed number {n})" in shown_in_slack
    assert discord[0][0]["title"] == f"Feeds (part 1 of {len(discord)})"


def test_a_search_for_a_mention_shows_it_inert_in_the_title():
    """The zero-width space that keeps "@everyone" inert was stripped again from embed titles."""
    query = "@everyone <@&123> [x](https://p.example)\u202e"
    reply = {"kind": "search", "query": query, "results": [], "sources": []}
    [[embed]] = discord_embeds(reply)
    assert (
        embed["title"] == "Search: @\u200beveryone \\<@\u200b&123\\> \\[x\\]\\(https://p.example\\)"
    )
    assert not DISCORD_LIVE.search(embed["title"])
    [blocks] = slack_blocks(reply)
    assert blocks[0]["text"] == {
        "type": "plain_text",
        "text": "Search: @everyone <@&123> [x](https://p.example)",
        "emoji": False,
    }
