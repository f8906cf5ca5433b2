"""Trim a reply, or split it into parts, at point boundaries so each part fits a platform's limits.

A "unit" is what a reader sees as one line with its citations: a briefing point, a timeline event,
a status history entry, development, deadline or conflict, a search result; in the listings, a
feed, a seed article, a schedule, a command. Units are only ever
kept or dropped whole, so no citation is cut and every part cites sources listed in that part.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

from briefings.reply_types import ReplyData

# A reply cut to fit: its own copy of some of its units, with `part` or `omitted` set.
Cut = dict[str, Any]
Fits = Callable[[ReplyData], bool]

# Where each kind keeps its units, in reading order: keys from the reply down to a list of units,
# "*" standing for every element of a list.
_UNIT_PATHS: dict[str, tuple[tuple[str, ...], ...]] = {
    "brief": (("sections", "*", "points"), ("facts",), ("conflicts",)),
    "timeline": (("events",),),
    "status": (
        ("history",),
        ("developments",),
        ("deadlines", "upcoming"),
        ("deadlines", "passed"),
        ("deadlines", "unknown"),
        ("conflicts",),
    ),
    "search": (("results",),),
    "feeds": (("feeds",), ("history",)),
    "sources": (("feeds",), ("seeds",)),
    "schedules": (("schedules",),),
    "help": (("commands",),),
}
# What only the first part of a split reply shows (the lead-in, not a unit).
_LEAD_IN = {"brief": "note", "status": "strength"}
# Kinds read oldest first: when cutting, the oldest go first so the newest are kept.
_OLDEST_FIRST = frozenset({"timeline"})
# A placeholder part count while measuring, as wide as any real count below 100.
_PROVISIONAL_COUNT = 99


class DoesNotFit(ValueError):
    """Even one unit on its own is too large for the limits: the renderer must clip harder."""


def _walk(node: Any, path: tuple[str, ...]) -> Iterator[list[Any]]:
    if not path:
        if isinstance(node, list):
            yield node
        return
    key, rest = path[0], path[1:]
    if key == "*":
        for item in node if isinstance(node, list) else ():
            yield from _walk(item, rest)
    elif isinstance(node, dict) and node.get(key) is not None:
        yield from _walk(node[key], rest)


def unit_lists(reply: ReplyData) -> list[list[Any]]:
    """The reply's lists of units in reading order (the lists themselves, not copies)."""
    return [units for path in _UNIT_PATHS.get(reply["kind"], ()) for units in _walk(reply, path)]


def count_units(reply: ReplyData) -> int:
    """How many units the reply has."""
    return sum(len(units) for units in unit_lists(reply))


def cited_refs(node: Any) -> set[int]:
    """Every citation number used anywhere in a reply (or any part of one)."""
    if isinstance(node, dict):
        found = {ref for ref in node.get("citations") or () if isinstance(ref, int)}
        for key, value in node.items():
            if key not in ("citations", "sources"):
                found |= cited_refs(value)
        return found
    if isinstance(node, list):
        return set().union(*(cited_refs(item) for item in node))
    return set()


def select(reply: ReplyData, keep: set[int], *, lead_in: bool = True) -> Cut:
    """A copy of the reply with only the units numbered in `keep` (reading order, from 0).

    Sources nobody cites any more are dropped; the rest keep their numbers, so "[3]" means the same
    article in every part of a split reply. Without `lead_in`, the note or strength line that opens
    the reply is left to the first part.
    """
    chosen: Cut = copy.deepcopy(dict(reply))
    index = 0
    for units in unit_lists(chosen):
        kept = [unit for offset, unit in enumerate(units) if index + offset in keep]
        index += len(units)
        units[:] = kept
    if chosen["kind"] == "brief":
        chosen["sections"] = [s for s in chosen.get("sections", []) if s["points"]]
    lead = _LEAD_IN.get(chosen["kind"])
    if not lead_in and lead in chosen:
        chosen[lead] = None
    cited = cited_refs(chosen)
    chosen["sources"] = [s for s in chosen.get("sources", []) if s["ref"] in cited]
    return chosen


def _removal_order(reply: ReplyData) -> list[int]:
    """Units in the order trimming drops them: oldest timeline events first; otherwise the last
    unit of whichever list is longest at that moment, so every topic keeps some points."""
    total = count_units(reply)
    if reply["kind"] in _OLDEST_FIRST:
        return list(range(total))
    remaining: list[list[int]] = []
    start = 0
    for units in unit_lists(reply):
        remaining.append(list(range(start, start + len(units))))
        start += len(units)
    order: list[int] = []
    while len(order) < total:
        longest = max(reversed(remaining), key=len)
        order.append(longest.pop())
    return order


def _largest(fits_first: Callable[[int], bool], most: int) -> int:
    """The largest n in 0..most with fits_first(n), for a test that holds up to some n and not after.

    Galloping then bisecting keeps the number of renders logarithmic in the reply's length.
    """
    good, step = 0, 1
    while good < most and fits_first(min(good + step, most)):
        good = min(good + step, most)
        step *= 2
    bad = min(good + step, most + 1)
    while bad - good > 1:
        middle = (good + bad) // 2
        good, bad = (middle, bad) if fits_first(middle) else (good, middle)
    return good


def trim(reply: ReplyData, fits: Fits) -> ReplyData:
    """The reply cut to fit in one piece, dropping whole units and counting them in `omitted`."""
    if fits(reply):
        return reply
    order = _removal_order(reply)
    already = reply.get("omitted") or 0

    def without(dropped: int) -> Cut:
        candidate = select(reply, set(order[dropped:]))
        candidate["omitted"] = already + dropped
        return candidate

    kept = _largest(lambda n: fits(without(len(order) - n)), len(order))
    candidate = without(len(order) - kept)
    if not fits(candidate):
        raise DoesNotFit(f"a {reply['kind']} reply does not fit even with every point left out")
    return candidate


def split(reply: ReplyData, fits: Fits) -> list[ReplyData]:
    """The reply as consecutive parts that each fit, every unit in exactly one part.

    Each part carries `part: [index, count]` (from 1) when there is more than one, so the renderer
    can say "part 2 of 3" and leave the lead-in to the first.
    """
    if fits(reply):
        return [reply]
    total = count_units(reply)

    def part(start: int, stop: int, number: int, count: int = _PROVISIONAL_COUNT) -> Cut:
        chosen = select(reply, set(range(start, stop)), lead_in=number == 1)
        chosen["part"] = [number, count]
        return chosen

    def largest_from(start: int, number: int) -> int:
        return _largest(lambda n: fits(part(start, start + n, number)), total - start)

    bounds: list[tuple[int, int]] = []
    start = 0
    while start < total or not bounds:
        number = len(bounds) + 1
        size = largest_from(start, number)
        if size == 0 and number > 1:
            raise DoesNotFit(f"unit {start} of a {reply['kind']} reply is too large on its own")
        bounds.append((start, start + size))
        start += size
    return [part(a, b, number, len(bounds)) for number, (a, b) in enumerate(bounds, start=1)]
