"""Slack: a reply as Block Kit messages, feed text escaped for mrkdwn, and Slack's block limits."""

from __future__ import annotations

from typing import Any

from briefings.render.chat import (
    Message,
    Platform,
    Reply,
    body_blocks,
    footer,
    over,
    pack,
    plain_style,
    references,
    title,
)
from briefings.render.escape import clip, one_line

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def _text(text: str) -> dict[str, Any]:
    """A mrkdwn text object; `verbatim` stops Slack from turning bare names into mentions."""
    return {"type": "mrkdwn", "text": text, "verbatim": True}


class Slack(Platform):
    """A header, a section per topic (more when long) and context blocks for the references."""

    name = "slack"
    display_name = "Slack"
    style = "styles/slack.j2"
    # Slack rejects a message (invalid_blocks) over any of these.
    blocks = 50
    section_text = 3000
    header = 150
    context_element = 2000
    context_elements = 10
    point_room = section_text

    def escape(self, text: str | None, limit: int | None = None) -> str:
        """Feed text for Slack mrkdwn: "&", "<", ">" as entities, so "<!channel>" cannot ping."""
        return clip((_ENTITIES.get(c, c) for c in one_line(text or "")), limit)

    def message(self, reply: Reply) -> Message:
        style = self.style_module
        header = {
            "type": "header",
            "text": {
                "type": "plain_text",
                "text": title(reply, plain_style(), self.header),
                "emoji": False,
            },
        }
        blocks: Message = [header]
        for pieces in body_blocks(reply, self):
            for chunk in pack(pieces, self.section_text):
                blocks.append({"type": "section", "text": _text(chunk)})
        elements = [_text(e) for e in pack(references(reply, style), self.context_element)]
        for start in range(0, len(elements), self.context_elements):
            group = elements[start : start + self.context_elements]
            blocks.append({"type": "context", "elements": group})
        if text := footer(reply, style):
            blocks.append({"type": "context", "elements": [_text(text)]})
        return blocks

    def message_problems(self, message: Message, where: str) -> list[str]:
        problems = []
        if len(message) > self.blocks:
            problems.append(f"{where} has {len(message)} blocks (most {self.blocks})")
        for b, block in enumerate(message, start=1):
            problems += self._block_problems(block, f"{where} block {b}")
        return problems

    def _block_problems(self, block: dict[str, Any], at: str) -> list[str]:
        if block["type"] == "header":
            return over(at, "header", block["text"]["text"], self.header)
        if block["type"] == "section":
            return over(at, "section text", block["text"]["text"], self.section_text)
        if block["type"] != "context":
            return []
        elements = block["elements"]
        problems = []
        if len(elements) > self.context_elements:
            problems.append(f"{at} has {len(elements)} context elements")
        for element in elements:
            problems += over(at, "context element", element["text"], self.context_element)
        return problems
