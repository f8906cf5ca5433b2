"""docs/replies.md, the typed reply definitions and the replies the code builds say the same keys."""

import re
import types
import typing
from typing import Any, NotRequired, get_args, get_origin, is_typeddict

import pytest

from bot.service import Caller, Invocation, Service
from briefings import reply_types
from briefings.reply_types import REPLY_TYPES
from tests.conftest import REPO_ROOT

from .corpus_helpers import corpus_at

DOCS = REPO_ROOT / "docs" / "replies.md"
# Sections that document a shared piece rather than a reply kind, by the type they describe.
PIECES = {"figure": reply_types.Figure}
# Sections about something other than a reply object.
OTHER_SECTIONS = {"export", "Fact kinds"}
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def sections() -> dict[str, str]:
    """Each `## name` section of the docs, by name."""
    parts = re.split(r"^## (.+)$", DOCS.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def documented_keys(section: str) -> set[str]:
    """The keys of the outermost object in a section's first code block: quoted names followed by
    a colon at the first level of braces (values such as "since 2023:" are skipped whole)."""
    block = section.split("```", 2)[1]
    keys, depth, at = set(), 0, 0
    while at < len(block):
        char = block[at]
        if char == '"':
            string = _STRING.match(block, at)
            assert string, f"unclosed string in {block!r}"
            at = string.end()
            if depth == 1 and block[at:].lstrip().startswith(":"):
                keys.add(string.group()[1:-1])
            continue
        depth += {"{": 1, "[": 1, "}": -1, "]": -1}.get(char, 0)
        at += 1
    return keys


def all_keys(typed: type) -> set[str]:
    return set(typed.__required_keys__ | typed.__optional_keys__)  # type: ignore[attr-defined]


def test_every_reply_kind_has_a_section_and_every_section_a_definition() -> None:
    names = set(sections())
    assert set(REPLY_TYPES) <= names
    assert names == set(REPLY_TYPES) | set(PIECES) | OTHER_SECTIONS


@pytest.mark.parametrize("name", sorted({*REPLY_TYPES, *PIECES}))
def test_documented_keys_are_the_definitions_keys(name: str) -> None:
    typed = REPLY_TYPES.get(name) or PIECES[name]
    assert documented_keys(sections()[name]) == all_keys(typed)


def test_each_definition_names_its_kind() -> None:
    for kind, typed in REPLY_TYPES.items():
        assert typing.get_type_hints(typed)["kind"] == typing.Literal[kind]


def shape_problems(value: Any, expected: Any, where: str) -> list[str]:
    """Where `value` has keys its definition lacks, or lacks keys it requires (nested too)."""
    if get_origin(expected) is NotRequired:
        expected = get_args(expected)[0]
    if is_typeddict(expected):
        if not isinstance(value, dict):
            return [f"{where}: {type(value).__name__}, not an object"]
        problems = [f"{where}: unknown key {k!r}" for k in value.keys() - all_keys(expected)]
        problems += [f"{where}: no {k!r}" for k in expected.__required_keys__ - value.keys()]
        hints = typing.get_type_hints(expected, include_extras=True)
        for key in value.keys() & hints.keys():
            problems += shape_problems(value[key], hints[key], f"{where}.{key}")
        return problems
    if get_origin(expected) is list and isinstance(value, list):
        return [
            p
            for i, v in enumerate(value)
            for p in shape_problems(v, get_args(expected)[0], f"{where}[{i}]")
        ]
    if isinstance(expected, types.UnionType) and value is not None:
        typed = [t for t in get_args(expected) if t is not type(None)]
        if len(typed) == 1:
            return shape_problems(value, typed[0], where)
    return []


def test_the_checker_finds_a_missing_and_an_unknown_key() -> None:
    point = {"text": "x", "citations": [], "date": None, "colour": "red"}
    assert shape_problems(point, reply_types.Point, "point") == [
        "point: unknown key 'colour'",
        "point: no 'background'",
    ]


# Commands a chat user can run without a feed server, with arguments that give content on the
# seeds, and the kind each answers with; an unknown topic is refused with an `error` reply.
COMMANDS = [
    ("status", {}, "status"),
    ("brief", {"since": "2000-01-01"}, "brief"),
    ("timeline", {}, "timeline"),
    ("search", {"words": "license plates"}, "search"),
    ("sources", {}, "sources"),
    ("feeds list", {}, "feeds"),
    ("schedule set", {"time": "07:00"}, "schedule"),
    ("schedule show", {}, "schedules"),
    ("help", {}, "help"),
    ("timeline", {"topic": "weather"}, "error"),
]


@pytest.mark.parametrize(("name", "args", "kind"), COMMANDS)
async def test_replies_built_on_the_seeds_have_their_definitions_keys(
    tmp_path, name, args, kind
) -> None:
    caller = Caller(workspace="local", user="U1", moderator=True, channel="C1", platform="slack")
    async with corpus_at(tmp_path / "kfor.db") as corpus:
        reply = await Service(corpus).handle(Invocation(name, args), caller)
    assert reply.data["kind"] == kind
    assert shape_problems(reply.data, REPLY_TYPES[kind], kind) == []
    if kind in ("status", "brief", "timeline", "search"):
        assert reply.data["sources"], "the seeds give this reply content to check"
