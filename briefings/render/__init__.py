"""One Jinja2 environment for every reply: the template is chosen by reply kind and output format."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

import jinja2

from briefings import fact_kinds
from briefings.fact_kinds import FactKind
from briefings.render.escape import one_line, plain_text, web_url
from briefings.reply_types import ReplyData

FORMATS = ("text", "markdown", "json")
# Chat templates mark where a message may be cut: between pieces (points, references) and between
# blocks (topic sections). Both are control characters, which feed text never keeps.
PIECE_BREAK = "\x1f"
BLOCK_BREAK = "\x1e"
# Templates join optional parts with blank lines; more than one blank line in a row is never meant.
_BLANK_LINES = re.compile(r"\n\s*\n(?:\s*\n)+")


def thousands(value: int | str) -> str:
    """A count as news prose writes it ("4,500"); anything that is not a whole number as it is."""
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        return f"{int(value):,}"
    return str(value)


def by_date(items: list[dict[str, Any]], key: str = "as_of") -> list[dict[str, Any]]:
    """Items oldest first, a date known only to the month or year at the end of that period
    ("2023-05-30", "2023-05", "2023"), so the latest figure reads last; undated ones after all."""
    return sorted(items, key=lambda item: (item.get(key) is None, (item.get(key) or "") + "~"))


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between runs, in Jinja's per-user temporary folder (mode 0700).

    Compiling a reply's templates took three quarters of a command on a small database. An entry
    is used only while its template's source is unchanged; one that cannot be read or written is
    compiled again, never an error.
    """

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError, TypeError):
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            return


def _template_cache() -> jinja2.BytecodeCache | None:
    try:
        return _CompiledTemplates(pattern="kfor-bot-%s.cache")
    except (OSError, RuntimeError):  # no private temporary folder: compile every time
        return None


@cache
def environment() -> jinja2.Environment:
    """Templates from the package; a missing value is an error, never a blank in a reply."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("briefings.render", "templates"),
        bytecode_cache=_template_cache(),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # noqa: S701 - plain text and chat markup; each format escapes in its filters
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["date_or_unknown"] = lambda iso: iso or "date unknown"
    env.filters["day"] = lambda iso: iso[:10] if iso else iso
    env.filters["thousands"] = thousands
    env.filters["by_date"] = by_date
    env.filters["one_line"] = one_line
    env.filters["plain_text"] = plain_text
    env.filters["web_url"] = web_url
    env.globals["PIECE_BREAK"] = PIECE_BREAK
    env.globals["BLOCK_BREAK"] = BLOCK_BREAK
    env.globals["FactKind"] = FactKind
    env.globals["MISSION_FIGURES"] = fact_kinds.MISSION_FIGURES
    env.globals["CASUALTIES"] = fact_kinds.CASUALTIES
    env.filters["fact_label"] = fact_kinds.label
    env.filters["fact_unit"] = fact_kinds.unit
    return env


def render(reply: ReplyData, fmt: str) -> str:
    """Render a reply's data in one format; `json` is the data itself."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if fmt == "json":
        return json.dumps(reply, ensure_ascii=False, indent=2)
    text = environment().get_template(f"{reply['kind']}.{fmt}.j2").render(reply=reply)
    return _BLANK_LINES.sub("\n\n", text).strip("\n") + "\n"
