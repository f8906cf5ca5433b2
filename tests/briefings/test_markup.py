"""Feed bodies to text: plain text keeps its lines, HTML its blocks, whatever the feed declares."""

from __future__ import annotations

import datetime as dt

import pytest

from briefings.ingest.feeds import parse_feed
from briefings.ingest.markup import body_to_text, html_to_text, looks_like_html
from tests.briefings.corpus_helpers import rss

NOW = dt.datetime(2026, 11, 25, 16, 0, tzinfo=dt.UTC)


def _feed_body(description: str) -> str:
    """The text parse_feed gives for one RSS item whose description is `description`."""
    item = ("Stones thrown at a patrol", "https://north-desk.example/a/1", "", description)
    return parse_feed(rss("North Desk", [item]), {}, None, NOW).entries[0].text


def test_a_plain_text_description_keeps_its_line_breaks() -> None:
    description = (
        "Wed 25.11.2026 09:12\n"
        "Stones thrown at a patrol\n"
        "Share | Copy link\n"
        "Youths threw stones at a KFOR patrol near Zubin Potok on Tuesday evening.\n"
        "\n"
        "Nobody was hurt, the mission said."
    )
    assert _feed_body(description) == description


def test_an_html_description_keeps_its_block_boundaries() -> None:
    description = (
        "<h2>Stones thrown at a patrol</h2><p>Youths threw stones at a KFOR patrol.</p>"
        "<div>Nobody was hurt.<br>The road stayed open.</div>"
        "<ul><li>Patrols continue</li><li>Talks on Friday</li></ul>"
    )
    assert _feed_body(description) == (
        "Stones thrown at a patrol\n\nYouths threw stones at a KFOR patrol.\n\n"
        "Nobody was hurt.\nThe road stayed open.\n\n\u2022 Patrols continue\n\n\u2022 Talks on Friday"
    )


def test_text_with_only_a_link_in_it_keeps_its_own_lines() -> None:
    body = 'Police closed the crossing.\nDrivers queued for <a href="/q">hours</a>.'
    assert html_to_text(body) == "Police closed the crossing.\nDrivers queued for hours."


def test_two_line_breaks_in_a_row_make_a_paragraph() -> None:
    assert html_to_text("First paragraph.<br><br>Second one.<br>Its second line.") == (
        "First paragraph.\n\nSecond one.\nIts second line."
    )


def test_navigation_captions_and_scripts_are_not_text() -> None:
    body = (
        "<nav><a>Home</a> <a>World</a></nav><figure><img src=x.jpg>"
        "<figcaption>Trucks at the crossing. Photo: Jane Roe</figcaption></figure>"
        "<p>The crossing reopened on Monday.</p><script>var x = 1;</script>"
    )
    assert html_to_text(body) == "The crossing reopened on Monday."


def test_a_navigation_element_left_open_swallows_nothing() -> None:
    assert html_to_text("<nav>Home<p>The crossing reopened on Monday.</p>") == (
        "Home\n\nThe crossing reopened on Monday."
    )


def test_html_escaped_twice_is_read_as_html() -> None:
    body = "<p>&lt;p&gt;The crossing reopened on Monday.&lt;/p&gt;</p>"
    assert body_to_text(body) == "The crossing reopened on Monday."


def test_angle_brackets_in_plain_text_are_not_markup() -> None:
    text = "Turnout was < 4% in the north, and the score was 3<5 at half time."
    assert not looks_like_html(text)
    assert body_to_text(text) == text


def test_a_character_reference_left_in_plain_text_is_decoded() -> None:
    assert body_to_text("Kosovo &amp; Serbia agreed.\nAT&T was not involved.") == (
        "Kosovo & Serbia agreed.\nAT&T was not involved."
    )


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "body",
    ["# a" + " " * 50_000 + "b", "<p" + " a" * 50_000, "<a href='" + "x" * 100_000, "&" * 100_000],
)
def test_hostile_bodies_are_read_in_linear_time(body: str) -> None:
    body_to_text(body)


def test_spaces_around_line_breaks_go() -> None:
    assert body_to_text("One line.  \n   Next line.\t\n\nLast.") == "One line.\nNext line.\n\nLast."
