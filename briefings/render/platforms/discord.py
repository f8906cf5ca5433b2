"""Discord: a reply as messages of embeds, feed text escaped for Discord's Markdown, and its limits."""

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
    references,
    title,
)
from briefings.render.escape import clip, one_line, web_url

# Markdown Discord reads anywhere in a line, plus "<" (mentions, channels, timestamps) and "#".
_SPECIAL = frozenset("\\*_~`|>[]()<#")
# Zero-width space after "@" so "@everyone", "@here" and "<@id>" are shown, not acted on.
_INERT_AT = "@\u200b"


def embed_size(embed: dict[str, Any]) -> int:
    """Characters Discord counts toward its per-message embed total."""
    fields = embed.get("fields") or []
    return (
        len(embed.get("title", ""))
        + len(embed.get("description", ""))
        + sum(len(f["name"]) + len(f["value"]) for f in fields)
        + len((embed.get("footer") or {}).get("text", ""))
        + len((embed.get("author") or {}).get("name", ""))
    )


class Discord(Platform):
    """Embeds, one per part of a reply, several to a message while they fit together."""

    name = "discord"
    display_name = "Discord"
    style = "styles/discord.j2"
    # Discord answers 400 (error 50035) to a whole message when any one of these is exceeded; the
    # embed total counts title, description, field names and values and footer text of all embeds
    # together.
    embed_title = 256
    embed_description = 4096
    embed_total = 6000
    embed_fields = 25
    field_name = 256
    field_value = 1024
    footer_text = 2048
    embeds_per_message = 10
    url = 2048
    point_room = embed_description

    def escape(self, text: str | None, limit: int | None = None) -> str:
        """Feed text that shows as written in Discord: no formatting, masked link or mention."""
        pieces = []
        for char in one_line(text or ""):
            if char in _SPECIAL:
                pieces.append("\\" + char)
            elif char == "@":
                pieces.append(_INERT_AT)
            else:
                pieces.append(char)
        return clip(pieces, limit)

    def embed(self, reply: Reply) -> dict[str, Any]:
        """The reply (or one part of it) as one embed."""
        style = self.style_module
        description = "\n\n".join("\n".join(block) for block in body_blocks(reply, self))
        embed: dict[str, Any] = {"title": title(reply, style, self.embed_title)}
        if description:
            embed["description"] = description
        sources = reply.get("sources") or []
        if len(sources) == 1 and (link := web_url(sources[0].get("url"), self.url)):
            embed["url"] = link
        values = pack(references(reply, style), self.field_value)
        label = str(style.references_label())
        embed["fields"] = [{"name": label, "value": value, "inline": False} for value in values]
        if text := footer(reply, style):
            embed["footer"] = {"text": text}
        return embed

    def message(self, reply: Reply) -> Message:
        return [self.embed(reply)]

    def messages(self, reply: Reply) -> list[Message]:
        """Parts as embeds, packed several to a message in order while the message stays sendable."""
        messages: list[Message] = []
        for [embed] in super().messages(reply):
            last = messages[-1] if messages else None
            if last is not None and not self.problems([[*last, embed]]):
                last.append(embed)
            else:
                messages.append([embed])
        return messages

    def message_problems(self, message: Message, where: str) -> list[str]:
        problems = []
        if len(message) > self.embeds_per_message:
            problems.append(f"{where} has {len(message)} embeds (most {self.embeds_per_message})")
        total = sum(embed_size(e) for e in message)
        if total > self.embed_total:
            problems.append(f"{where} has {total} embed characters (most {self.embed_total})")
        for e, embed in enumerate(message, start=1):
            problems.extend(self._embed_problems(embed, f"{where} embed {e}"))
        return problems

    def _embed_problems(self, embed: dict[str, Any], where: str) -> list[str]:
        problems = over(where, "title", embed.get("title", ""), self.embed_title)
        problems += over(where, "description", embed.get("description", ""), self.embed_description)
        problems += over(
            where, "footer", (embed.get("footer") or {}).get("text", ""), self.footer_text
        )
        if embed_size(embed) > self.embed_total:
            problems.append(f"{where} has {embed_size(embed)} characters (most {self.embed_total})")
        fields = embed.get("fields") or []
        if len(fields) > self.embed_fields:
            problems.append(f"{where} has {len(fields)} fields (most {self.embed_fields})")
        for f, field in enumerate(fields, start=1):
            problems += over(where, f"field {f} name", field["name"], self.field_name)
            problems += over(where, f"field {f} value", field["value"], self.field_value)
        if "url" in embed and web_url(embed["url"], self.url) != embed["url"]:
            problems.append(f"{where} url is not a plain http(s) link: {embed['url'][:80]!r}")
        return problems
