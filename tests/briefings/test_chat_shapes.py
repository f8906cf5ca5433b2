"""Every registered chat platform: each reply kind within its limits, long replies split at point
boundaries with nothing lost, links only as plain web links. Each platform's own markup is tested
in its own file (tests/bot/test_<platform>.py)."""

import re

import pytest

from briefings.render.chat import Platform
from briefings.render.escape import web_url
from briefings.render.platforms import platforms

from .chat_replies import (
    all_points,
    all_text,
    every_kind,
    feed_row,
    fitting_messages,
    hostile_reply,
    long_reply,
)
from .test_render import brief

HIDDEN = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\ufeff]")
every_platform = pytest.mark.parametrize("chat", platforms(), ids=lambda p: p.name)


@every_platform
async def test_every_reply_kind_is_shown_within_the_limits(tmp_path, chat: Platform):
    for reply in await every_kind(tmp_path):
        fitting_messages(chat, reply)


@every_platform
def test_hostile_feed_items_fit_and_lose_their_hidden_characters(chat: Platform):
    text = all_text(fitting_messages(chat, hostile_reply()))
    assert not HIDDEN.search(text)
    assert "javascript:" not in text


@every_platform
def test_a_long_briefing_shows_every_point_once_over_several_messages(chat: Platform):
    reply = long_reply(points_per_section=150)
    messages = fitting_messages(chat, reply)
    assert len(messages) > 1
    text = all_text(messages)
    for point in all_points(reply):
        assert text.count(chat.escape(point["text"])) == 1, point["text"][:40]
    assert "(part 1 of " in text


@every_platform
@pytest.mark.parametrize("length", [3_100, 5_000, 20_000])
def test_an_error_message_of_any_length_is_shown_cut_within_the_limits(chat: Platform, length):
    """Error text comes from what users type and what servers answer; escaping may double it."""
    message = "no topic '" + ("_<&" * length)[:length] + "': choose one of kfor, border, plates"
    text = all_text(fitting_messages(chat, {"kind": "error", "message": message}))
    assert chat.escape("no topic '_<&_") in text
    assert "…" in text


@every_platform
def test_a_long_feed_list_is_split_over_messages_with_every_feed_shown(chat: Platform):
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
    text = all_text(fitting_messages(chat, reply))
    for n in range(1, 61):
        assert chat.escape(f"https://feed{n}.example/rss (Feed number {n})") in text


@every_platform
def test_a_citation_without_a_link_says_so(chat: Platform):
    """Source 1 has no link, source 2 a web link, source 3 one that is not a web address."""
    text = all_text(fitting_messages(chat, brief()))
    assert text.count(", 2023 (no link)") == 1
    assert text.count("(link not shown: not a plain web address)") == 1


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
