"""Replies as Discord embeds and Slack Block Kit messages, split at point boundaries within limits.

Only plain dicts in each platform's JSON shape come out; the adapters send them. All wording comes
from the templates (bodies/, styles/discord.j2, styles/slack.j2); this module only arranges it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from briefings.render import BLOCK_BREAK, PIECE_BREAK, environment, render
from briefings.render.escape import discord_text, slack_text, web_url
from briefings.render.fit import split
from briefings.render.limits import DISCORD, SLACK, Limits
from briefings.reply_types import ReplyData

Reply = ReplyData
Message = list[dict[str, Any]]
_KINDS_WITH_BODY = ("brief", "status", "timeline", "search")
_ESCAPES = {"discord": discord_text, "slack": slack_text}


def _style(name: str) -> Any:
    return environment().get_template(f"styles/{name}.j2").module


def _render(template: str, reply: Reply, style: Any) -> str:
    return environment().get_template(template).render(reply=reply, s=style)


def _body_blocks(reply: Reply, style: Any) -> list[list[str]]:
    """The body as blocks (topic sections) of pieces (points), empty ones dropped.

    Kinds without a chat body (feeds, errors, ingest, poll, ...) show their terminal text, each
    line escaped as feed text, since feed titles and error messages come from outside, and cut
    to a point's room, so even an error quoting a whole page of input fits one message.
    """
    if reply["kind"] not in _KINDS_WITH_BODY:
        escape = _ESCAPES[style.name]
        lines = render(reply, "text").splitlines()
        return [[escape(line, style.point_limit) for line in lines if line.strip()]]
    blocks = []
    for block in _render(f"bodies/{reply['kind']}.j2", reply, style).split(BLOCK_BREAK):
        pieces = [p.strip() for p in block.split(PIECE_BREAK)]
        if pieces := [p for p in pieces if p]:
            blocks.append(pieces)
    return blocks


def _references(reply: Reply, style: Any) -> list[str]:
    pieces = _render("references.j2", reply, style).split(PIECE_BREAK)
    return [p.strip() for p in pieces if p.strip()]


def _pack(pieces: Iterable[str], limit: int, separator: str = "\n") -> list[str]:
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


def _title(reply: Reply, style: Any, limit: int) -> str:
    """The title on one line. Outside text in it is already escaped by the style, so hidden
    characters are not stripped again here: that would take out the zero-width space that keeps
    "@everyone" from being read as a mention."""
    return " ".join(_render("title.j2", reply, style).split())[:limit]


# Discord


def _embed(reply: Reply) -> dict[str, Any]:
    style = _style("discord")
    description = "\n\n".join("\n".join(block) for block in _body_blocks(reply, style))
    embed: dict[str, Any] = {"title": _title(reply, style, DISCORD.embed_title or 256)}
    if description:
        embed["description"] = description
    sources = reply.get("sources") or []
    if len(sources) == 1 and (link := web_url(sources[0].get("url"), DISCORD.url)):
        embed["url"] = link
    values = _pack(_references(reply, style), DISCORD.field_value or 1024)
    label = str(style.references_label())
    embed["fields"] = [{"name": label, "value": value, "inline": False} for value in values]
    if footer := str(style.footer(reply)).strip():
        embed["footer"] = {"text": footer}
    return embed


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


def discord_problems(messages: list[Message], limits: Limits = DISCORD) -> list[str]:
    """Every way these messages would be refused by Discord; empty when they would all be sent."""
    problems = []
    for m, embeds in enumerate(messages, start=1):
        where = f"Discord message {m}"
        if limits.embeds_per_message is not None and len(embeds) > limits.embeds_per_message:
            problems.append(f"{where} has {len(embeds)} embeds (most {limits.embeds_per_message})")
        total = sum(embed_size(e) for e in embeds)
        if limits.embed_total is not None and total > limits.embed_total:
            problems.append(f"{where} has {total} embed characters (most {limits.embed_total})")
        for e, embed in enumerate(embeds, start=1):
            problems.extend(_embed_problems(embed, f"{where} embed {e}", limits))
    return problems


def _over(where: str, what: str, text: str, limit: int | None) -> list[str]:
    if limit is not None and len(text) > limit:
        return [f"{where} {what} is {len(text)} characters (most {limit})"]
    return []


def _embed_problems(embed: dict[str, Any], where: str, limits: Limits) -> list[str]:
    problems = _over(where, "title", embed.get("title", ""), limits.embed_title)
    problems += _over(where, "description", embed.get("description", ""), limits.embed_description)
    problems += _over(where, "footer", (embed.get("footer") or {}).get("text", ""), limits.footer)
    if limits.embed_total is not None and embed_size(embed) > limits.embed_total:
        problems.append(f"{where} has {embed_size(embed)} characters (most {limits.embed_total})")
    fields = embed.get("fields") or []
    if limits.embed_fields is not None and len(fields) > limits.embed_fields:
        problems.append(f"{where} has {len(fields)} fields (most {limits.embed_fields})")
    for f, field in enumerate(fields, start=1):
        problems += _over(where, f"field {f} name", field["name"], limits.field_name)
        problems += _over(where, f"field {f} value", field["value"], limits.field_value)
    if "url" in embed and web_url(embed["url"], limits.url) != embed["url"]:
        problems.append(f"{where} url is not a plain http(s) link: {embed['url'][:80]!r}")
    return problems


def _fits_discord(reply: Reply) -> bool:
    return not discord_problems([[_embed(reply)]])


def discord_embeds(reply: Reply) -> list[Message]:
    """The reply as Discord messages, each a list of embed dicts; long replies over several."""
    embeds = [_embed(part) for part in split(reply, _fits_discord)]
    messages: list[Message] = []
    for embed in embeds:
        last = messages[-1] if messages else None
        if last is not None and not discord_problems([[*last, embed]]):
            last.append(embed)
        else:
            messages.append([embed])
    return messages


# Slack


def _text(text: str) -> dict[str, Any]:
    """A mrkdwn text object; `verbatim` stops Slack from turning bare names into mentions."""
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def _blocks(reply: Reply) -> Message:
    style = _style("slack")
    header = {
        "type": "header",
        "text": {
            "type": "plain_text",
            "text": _title(reply, _style("plain"), SLACK.header or 150),
            "emoji": False,
        },
    }
    blocks: Message = [header]
    for pieces in _body_blocks(reply, style):
        for chunk in _pack(pieces, SLACK.section_text or 3000):
            blocks.append({"type": "section", "text": _text(chunk)})
    elements = [_text(e) for e in _pack(_references(reply, style), SLACK.context_element or 2000)]
    per_block = SLACK.context_elements or 10
    for start in range(0, len(elements), per_block):
        blocks.append({"type": "context", "elements": elements[start : start + per_block]})
    if footer := str(style.footer(reply)).strip():
        blocks.append({"type": "context", "elements": [_text(footer)]})
    return blocks


def slack_problems(messages: list[Message], limits: Limits = SLACK) -> list[str]:
    """Every way these messages would be refused by Slack; empty when they would all be sent."""
    problems = []
    for m, blocks in enumerate(messages, start=1):
        where = f"Slack message {m}"
        if limits.blocks is not None and len(blocks) > limits.blocks:
            problems.append(f"{where} has {len(blocks)} blocks (most {limits.blocks})")
        for b, block in enumerate(blocks, start=1):
            at = f"{where} block {b}"
            if block["type"] == "header":
                problems += _over(at, "header", block["text"]["text"], limits.header)
            elif block["type"] == "section":
                problems += _over(at, "section text", block["text"]["text"], limits.section_text)
            elif block["type"] == "context":
                elements = block["elements"]
                if limits.context_elements is not None and len(elements) > limits.context_elements:
                    problems.append(f"{at} has {len(elements)} context elements")
                for element in elements:
                    problems += _over(
                        at, "context element", element["text"], limits.context_element
                    )
    return problems


def _fits_slack(reply: Reply) -> bool:
    return not slack_problems([_blocks(reply)])


def slack_blocks(reply: Reply) -> list[Message]:
    """The reply as Slack messages, each a list of Block Kit blocks; long replies over several."""
    return [_blocks(part) for part in split(reply, _fits_slack)]
