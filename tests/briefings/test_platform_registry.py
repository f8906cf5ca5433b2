"""A platform registered from outside the core is rendered, fitted and checked like the built-in
ones: here a made-up teletype, with its own limits, escaping and style in a temporary folder."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from briefings.corpus import open_corpus
from briefings.render.chat import Message, Platform, Reply, body_blocks, footer, references, title
from briefings.render.escape import clip, one_line
from briefings.render.platforms import REGISTRY, platform, platforms, register
from briefings.verify import rendered_problems, verify

from .chat_replies import all_text, every_kind, fitting_messages, long_reply
from .test_verify import TOTAL, good_brief

# Everything bodies/, references.j2 and title.j2 ask of a style, in the teletype's own markup.
STYLE = """\
{% import "_macros.j2" as m %}
{% set inline_references = false %}
{% set piece = PIECE_BREAK %}
{% set block = BLOCK_BREAK %}
{% set point_limit = 200 %}
{% macro esc(text, limit=none) %}{{ escape(text, limit) }}{% endmacro %}
{% macro strong(text) %}=={{ esc(text) }}=={% endmacro %}
{% macro heading(text) %}== {{ esc(text) }} =={% endmacro %}
{% macro item() %}> {{ caller() }}{% endmacro %}
{% macro title(text) %}{{ text }}{% endmacro %}
{% macro references_label() %}SOURCES{% endmacro %}
{% macro reference(source) %}#{{ source.ref }} {{ esc(source.title, 80) }} / {{ esc(source.publisher, 40) if source.publisher else "publisher unknown" }}{{ m.missing_link(source, source.url | web_url(120)) }}{% endmacro %}
{% macro footer(reply) %}{% if reply.get("briefing_id") is not none %}post {{ reply.briefing_id }}{% endif %}{% endmacro %}
"""


class Teletype(Platform):
    """Messages of at most 40 lines of at most 500 characters; "@" and "*" would signal the line."""

    name = "teletype"
    display_name = "Teletype"
    style = "teletype.j2"
    point_room = 280
    line = 500
    lines = 40

    def escape(self, text: str | None, limit: int | None = None) -> str:
        swapped = {"@": "(at)", "*": "(star)"}
        return clip((swapped.get(c, c) for c in one_line(text or "")), limit)

    def message(self, reply: Reply) -> Message:
        style = self.style_module
        pieces = [title(reply, style, self.line)]
        pieces += [piece for block in body_blocks(reply, self) for piece in block]
        pieces += references(reply, style)
        pieces.append(footer(reply, style))
        return [{"line": line} for piece in pieces for line in piece.splitlines() if line]

    def message_problems(self, message: Message, where: str) -> list[str]:
        problems = [f"{where} has {len(message)} lines"] if len(message) > self.lines else []
        return problems + [
            f"{where} has a line too long" for x in message if len(x["line"]) > self.line
        ]


@pytest.fixture
def teletype(tmp_path: Path) -> Iterator[Platform]:
    folder = tmp_path / "styles"
    folder.mkdir()
    (folder / "teletype.j2").write_text(STYLE, encoding="utf-8")
    teletype = Teletype()
    teletype.templates = folder
    yield register(teletype)
    del REGISTRY["teletype"]


def brief_citing(count: int) -> dict[str, Any]:
    """One point citing `count` sources: a unit the teletype cannot show in 40 lines beyond about 38."""
    reply = long_reply(points_per_section=count, sections=1)
    reply["sections"][0]["points"] = reply["sections"][0]["points"][:1]
    reply["sections"][0]["points"][0]["citations"] = list(range(1, count + 1))
    return reply


async def test_every_reply_kind_is_shown_on_a_registered_platform_within_its_limits(
    tmp_path: Path, teletype: Platform
) -> None:
    assert platform("teletype") is teletype
    assert teletype in platforms()
    for reply in await every_kind(tmp_path):
        messages = fitting_messages(teletype, reply)
        assert all(set(line) == {"line"} for message in messages for line in message)
    long = fitting_messages(teletype, long_reply(points_per_section=30))
    assert len(long) > 1
    assert "== Topic 2 ==" in all_text(long)
    assert "(at)everyone" in all_text(
        fitting_messages(teletype, {"kind": "error", "message": "@everyone"})
    )


def test_the_reply_checker_renders_on_a_registered_platform_too(teletype: Platform) -> None:
    reply = brief_citing(50)
    [problem] = rendered_problems(reply)
    assert problem.startswith("the teletype shape does not render: DoesNotFit(")
    assert rendered_problems(brief_citing(5)) == []


async def test_the_reply_checker_holds_points_to_a_registered_platforms_room(
    tmp_path: Path, teletype: Platform
) -> None:
    async with open_corpus(tmp_path / "kfor.sqlite3") as corpus:
        reply = await good_brief(corpus.store)
        reply["sections"][0]["points"][0]["text"] = " ".join([TOTAL] * 2)
        problems = await verify(reply, corpus.store)
        assert any("too long to show whole in one chat message (most 280)" in p for p in problems)
        del REGISTRY["teletype"]
        try:
            assert not any("too long to show" in p for p in await verify(reply, corpus.store))
        finally:
            register(teletype)


def test_a_second_platform_under_a_taken_name_is_refused(teletype: Platform) -> None:
    with pytest.raises(ValueError, match="'teletype' is already registered"):
        register(Teletype())
    with pytest.raises(KeyError, match="registered: discord, slack, teletype"):
        platform("telex")
