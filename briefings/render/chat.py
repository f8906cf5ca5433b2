"""What every chat platform's messages are made of, and the `Platform` each one is described by.

A platform (one module in briefings/render/platforms/, registered there) says how one part of a
reply becomes one of its messages and every way a message breaks its limits. Splitting a reply
into parts that fit, and the wording (bodies/, references.j2, title.j2 and the platform's style),
are shared here. Only plain dicts in each platform's JSON shape come out; the adapters send them.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import jinja2

from briefings.render import BLOCK_BREAK, PIECE_BREAK, environment, render
from briefings.render.fit import split
from briefings.reply_types import ReplyData

Reply = ReplyData
Message = list[dict[str, Any]]
# A style template as a module: its settings (point_limit, ...) and macros (esc, reference, ...).
Style = Any
_KINDS_WITH_BODY = ("brief", "status", "timeline", "search")


class Platform(ABC):
    """One chat platform as the core renders for it: its name, style, escaping and limits.

    A subclass sets the class attributes, writes `escape`, `message` and `message_problems`, and is
    registered in briefings/render/platforms/; rendering, fitting and the reply checker then
    cover it without naming it.
    """

    # The name adapters and schedules use for it ("discord"), and the one people read ("Discord").
    name: str
    display_name: str
    # Its style template: in the package's templates unless `templates` names another folder.
    style: str
    # The most characters a point may have and still be shown whole in one of its messages.
    point_room: int
    templates: Path | None = None

    @abstractmethod
    def escape(self, text: str | None, limit: int | None = None) -> str:
        """Outside text made inert in this platform's markup, on one line, clipped to `limit`."""

    @abstractmethod
    def message(self, reply: Reply) -> Message:
        """The reply (or one part of it) as one message, however long that comes out."""

    @abstractmethod
    def message_problems(self, message: Message, where: str) -> list[str]:
        """Every way this one message would be refused, each line starting with `where`."""

    def problems(self, messages: list[Message]) -> list[str]:
        """Every way these messages would be refused; empty when they would all be sent."""
        return [
            problem
            for m, message in enumerate(messages, start=1)
            for problem in self.message_problems(message, f"{self.display_name} message {m}")
        ]

    def fits(self, reply: Reply) -> bool:
        """Whether the reply goes in one message."""
        return not self.problems([self.message(reply)])

    def messages(self, reply: Reply) -> list[Message]:
        """The reply as messages within the limits; a long reply over several, at point boundaries."""
        return [self.message(part) for part in split(reply, self.fits)]

    @cached_property
    def style_module(self) -> Style:
        """The style template, its `escape` calls going to this platform's `escape`."""
        env = environment()
        if self.templates is not None:
            folder = jinja2.FileSystemLoader(self.templates)
            env = env.overlay(loader=jinja2.ChoiceLoader([folder, env.loader or folder]))
        return env.get_template(self.style).make_module(vars={"escape": self.escape})


@cache
def plain_style() -> Style:
    """The style of plain-text fields, which show markup as typed (a Slack header)."""
    return environment().get_template("styles/plain.j2").module


def _render(template: str, reply: Reply, style: Style) -> str:
    return environment().get_template(template).render(reply=reply, s=style)


def body_blocks(reply: Reply, platform: Platform) -> list[list[str]]:
    """The body as blocks (topic sections) of pieces (points), empty ones dropped.

    Kinds without a chat body (feeds, errors, ingest, poll, ...) show their terminal text, each
    line escaped as feed text, since feed titles and error messages come from outside, and cut
    to a point's room, so even an error quoting a whole page of input fits one message.
    """
    style = platform.style_module
    if reply["kind"] not in _KINDS_WITH_BODY:
        lines = render(reply, "text").splitlines()
        return [[platform.escape(line, style.point_limit) for line in lines if line.strip()]]
    blocks = []
    for block in _render(f"bodies/{reply['kind']}.j2", reply, style).split(BLOCK_BREAK):
        pieces = [p.strip() for p in block.split(PIECE_BREAK)]
        if pieces := [p for p in pieces if p]:
            blocks.append(pieces)
    return blocks


def references(reply: Reply, style: Style) -> list[str]:
    """The reply's sources, one piece each, as the style writes them."""
    pieces = _render("references.j2", reply, style).split(PIECE_BREAK)
    return [p.strip() for p in pieces if p.strip()]


def footer(reply: Reply, style: Style) -> str:
    """What goes under the reply (a scheduled briefing's marker), or "" for nothing."""
    return str(style.footer(reply)).strip()


def pack(pieces: Iterable[str], limit: int, separator: str = "\n") -> list[str]:
    """Pieces joined into as few chunks of at most `limit` characters as they allow, in order.

    A piece is never cut; one longer than `limit` on its own stays whole and over the limit, for
    the caller's limit check to reject rather than a message sent with half a citation.
    """
    chunks: list[str] = []
    for piece in pieces:
        if chunks and len(chunks[-1]) + len(separator) + len(piece) <= limit:
            chunks[-1] += separator + piece
        else:
            chunks.append(piece)
    return chunks


def title(reply: Reply, style: Style, limit: int) -> str:
    """The title on one line. Outside text in it is already escaped by the style, so hidden
    characters are not stripped again here: that would take out the zero-width space that keeps
    "@everyone" from being read as a mention."""
    return " ".join(_render("title.j2", reply, style).split())[:limit]


def over(where: str, what: str, text: str, limit: int) -> list[str]:
    """The problem of a text longer than its limit, as a limit check reports it; none if it fits."""
    if len(text) > limit:
        return [f"{where} {what} is {len(text)} characters (most {limit})"]
    return []
