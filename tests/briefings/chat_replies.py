"""Replies for the chat-shape tests, shared by the tests over every registered platform and the
per-platform test files: hostile feed items, long briefings and feed lists, and one of each kind."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import feedparser

from bot.service import Caller, Invocation, Service
from briefings.render.chat import Message, Platform
from briefings.reply_types import REPLY_TYPES, ReplyData
from tests.conftest import shared_path

from .corpus_helpers import corpus_at

# Chat commands that answer on the bundled seeds, one per kind they answer with.
CHAT_COMMANDS = [
    ("status", {}),
    ("brief", {"since": "2000-01-01"}),
    ("timeline", {}),
    ("search", {"words": "license plates"}),
    ("sources", {}),
    ("feeds list", {}),
    ("schedule set", {"time": "07:00"}),
    ("schedule show", {}),
    ("help", {}),
    ("timeline", {"topic": "weather"}),
]


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


def terminal_replies() -> list[dict[str, Any]]:
    """The kinds only the command line answers with (or that need a feed server), written by hand."""
    return [
        {
            "kind": "feed_added",
            "workspace": "guild-1",
            "url": "https://feed.example/rss",
            "title": "@everyone <!channel> Feed",
            "added": 4,
            "known": 1,
            "rejected": 2,
            "cut": ["https://feed.example/a-very-long-one"],
            "text_limit": 200_000,
        },
        {"kind": "feed_removed", "workspace": "guild-1", "url": "https://feed.example/rss"},
        {
            "kind": "poll",
            "text_limit": 200_000,
            "feeds": [
                {
                    "url": f"https://feed{n}.example/rss",
                    "error": "the server answered 503" if n % 3 == 0 else None,
                    "not_modified": n % 3 == 1,
                    "added": n,
                    "known": 2,
                    "cut": [],
                }
                for n in range(1, 13)
            ],
            "added": 60,
            "errors": 4,
        },
        {
            "kind": "ingest",
            "text_limit": 200_000,
            "files": [
                {
                    "path": "exports/plates.json",
                    "reason": None,
                    "added": 3,
                    "known": 0,
                    "rejected": ["entry 4: no date"],
                    "cut": [],
                },
                {
                    "path": "exports/notes.txt",
                    "reason": "not a feed",
                    "added": 0,
                    "known": 0,
                    "rejected": [],
                    "cut": [],
                },
            ],
            "added": 3,
            "known": 0,
            "rejected": 1,
        },
        {"kind": "rederive", "rederived": 120, "kept": ["https://news.example/empty"]},
    ]


async def every_kind(folder: Path) -> list[ReplyData]:
    """One reply of every kind: the chat commands' answers on the seeds, the rest by hand."""
    caller = Caller(workspace="local", user="U1", moderator=True, channel="C1", platform="slack")
    replies: list[ReplyData] = []
    async with corpus_at(folder / "kfor.db") as corpus:
        service = Service(corpus)
        for name, args in CHAT_COMMANDS:
            replies.append((await service.handle(Invocation(name, args), caller)).data)
    replies += terminal_replies()  # type: ignore[arg-type]
    assert {r["kind"] for r in replies} == set(REPLY_TYPES)
    return replies


def all_text(messages: list[Message]) -> str:
    """Every text in the messages, one per line, whatever the platform's shape: its string values."""
    texts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, str):
            texts.append(node)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(messages)
    return "\n".join(texts)


def fitting_messages(chat: Platform, reply: ReplyData) -> list[Message]:
    """The reply on the platform, checked to be within its limits and not empty."""
    messages = chat.messages(reply)
    assert messages, f"{reply['kind']} gave no {chat.name} message"
    assert chat.problems(messages) == [], reply["kind"]
    json.dumps(messages)
    return messages
