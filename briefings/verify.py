"""The reply checker: guarantees 1-3 and 6 of the design note, checked against the stored articles.

Every test that produces a reply runs it through `verify`, so a broken guarantee fails loudly
wherever it shows up, not only in the tests written for it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
import json
import re
from collections.abc import Iterator
from typing import Any

from briefings.anchors import anchors
from briefings.fact_kinds import DATES
from briefings.fold import fold
from briefings.furniture import is_furniture_line
from briefings.numbers import find_numbers
from briefings.render import render
from briefings.render.platforms import platforms
from briefings.reply_types import ReplyData
from briefings.store.interface import Store
from briefings.text import split_sentences

Reply = ReplyData
# Points whose word sets overlap this much (Jaccard) say the same thing twice.
DUPLICATE_JACCARD = 0.8
# A cited article that does not contain the point must have a sentence with this share of its words.
SUPPORT_SHARE = 0.5
_WORD = re.compile(r"[^\W_]+")
_TRIMMED = "…"
_RENDERED_FORMATS = ("text", "markdown", "json")


class ReplyCheckFailed(AssertionError):
    """A reply broke a guarantee; the message lists every problem found, one per line."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("reply check failed:\n" + "\n".join(f"- {p}" for p in problems))
        self.problems = problems


def _words(text: str) -> set[str]:
    return set(_WORD.findall(fold(text)))


def _squash(text: str) -> str:
    return " ".join(text.split())


def jaccard(a: str, b: str) -> float:
    """Overlap of the two texts' folded word sets: 1.0 for the same words in any order."""
    wa, wb = _words(a), _words(b)
    return len(wa & wb) / len(wa | wb) if wa | wb else 1.0


def points(reply: Reply) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every point of a reply with where it sits, for messages a reader of the test can follow."""
    for s, section in enumerate(reply.get("sections") or []):
        for p, point in enumerate(section.get("points") or []):
            yield f"sections[{s}].points[{p}]", point
    for d, development in enumerate(reply.get("developments") or []):
        yield f"developments[{d}].point", development["point"]
    for which in ("upcoming", "passed", "unknown"):
        for d, deadline in enumerate((reply.get("deadlines") or {}).get(which) or []):
            yield f"deadlines.{which}[{d}].point", deadline["point"]
    for e, event in enumerate(reply.get("events") or []):
        yield f"events[{e}].point", event["point"]


def fact_lines(reply: Reply) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every line composed from facts: strength, history, facts, and each value of a conflict.

    A feed list's `history` is its audit trail (who added which feed), not figures.
    """
    if reply.get("strength"):
        yield "strength", reply["strength"]
    for key in ("history", "facts"):
        if key == "history" and reply.get("kind") == "feeds":
            continue
        for i, fact in enumerate(reply.get(key) or []):
            yield f"{key}[{i}]", fact
    for c, conflict in enumerate(reply.get("conflicts") or []):
        for v, value in enumerate(conflict.get("values") or []):
            yield f"conflicts[{c}].values[{v}]", {"kind": conflict.get("kind"), **value}


def _stored_date(article: dict[str, Any]) -> str | None:
    """The stored publication date written only as far as its precision goes."""
    width = {"day": 10, "month": 7, "year": 4}.get(article["published_precision"])
    return article["published"][:width] if width and article["published"] else None


def _source_problems(reply: Reply, articles: dict[int, dict[str, Any]]) -> list[str]:
    problems = []
    for source in reply.get("sources") or []:
        article = articles.get(source.get("article_id"))
        if article is None:
            problems.append(
                f"source [{source.get('ref')}] names article {source.get('article_id')}, "
                "which is not stored"
            )
            continue
        stored = {
            "title": article["title"],
            "publisher": article["publisher"],
            "published": _stored_date(article),
            "url": article["url"],
        }
        for key, value in stored.items():
            if source.get(key) != value:
                problems.append(
                    f"source [{source['ref']}] {key} is {source.get(key)!r} "
                    f"but the stored article has {value!r}"
                )
    return problems


def _contains(article_text: str, point_text: str) -> bool:
    """Whether the point is a sentence or trimmed span ("…" at either end) of the article."""
    needle = _squash(point_text).strip(_TRIMMED).strip()
    return bool(needle) and needle in _squash(article_text)


def _supports(article_text: str, point_text: str) -> bool:
    """A syndicated rewording: one of the article's sentences shares most of the point's words and
    states every figure and name the point states, so a citation never vouches for another event."""
    words, stated = _words(point_text), anchors(point_text)
    return bool(words) and any(
        len(words & _words(sentence)) >= SUPPORT_SHARE * len(words) and stated <= anchors(sentence)
        for sentence in split_sentences(article_text)
    )


_MONTHS = {
    i: (calendar.month_name[i].lower(), calendar.month_abbr[i].lower()) for i in range(1, 13)
}


def _date_in(article: dict[str, Any], iso: str) -> bool:
    """Whether an ISO date (to any precision) is the article's own date, its story's date (the
    earliest dated copy's), or is written in it.

    "2022-09-20" is found as "Sep 20", "20 September", "September 20, 2022" or as written; a
    month as its name; a year as its digits; a day up to six days before the article's (or its
    story's) date as its weekday ("on Tuesday"), a week before as "last Tuesday", or, the day
    before, as "yesterday".
    """
    text = article["text"]
    dates = [d for d in (_stored_date(article), article.get("story_published")) if d]
    if any(d.startswith(iso) for d in dates):
        return True
    if any(_named_relative_day(text.lower(), iso, d) for d in dates):
        return True
    lowered = text.lower()
    if iso in lowered:
        return True
    parts = iso.split("-")
    if len(parts) == 1:
        return re.search(rf"\b{parts[0]}\b", lowered) is not None
    names = "|".join(_MONTHS[int(parts[1])])
    if len(parts) == 2:
        return re.search(rf"\b(?:{names})\b", lowered) is not None
    day = int(parts[2])
    return (
        re.search(rf"\b(?:{names})\.?\s+{day}(?:st|nd|rd|th)?\b", lowered) is not None
        or re.search(rf"\b{day}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{names})\b", lowered) is not None
    )


def _named_relative_day(lowered: str, iso: str, published: str) -> bool:
    """Whether a day-precise date is named relative to a day-precise article's date."""
    if len(iso) != 10 or len(published) < 10:
        return False
    day, report = dt.date.fromisoformat(iso), dt.date.fromisoformat(published[:10])
    back = (report - day).days
    named = calendar.day_name[day.weekday()].lower()
    if back == 7:
        return re.search(rf"\b(?:last|past)\s+{named}\b", lowered) is not None
    if not 0 <= back <= 6:
        return False
    if re.search(rf"\b{named}\b", lowered):
        return True
    return (report - day).days == 1 and "yesterday" in lowered


def _number_in(text: str, value: Any) -> bool:
    try:
        wanted = int(value)
    except (TypeError, ValueError):
        return _squash(str(value)).lower() in _squash(text).lower()
    return any(match.value == wanted for match in find_numbers(text))


def _resolve(
    reply: Reply, articles: dict[int, dict[str, Any]], where: str, citations: list[Any]
) -> tuple[list[dict[str, Any]], list[str]]:
    """The stored articles a line cites, and the problems with its citations."""
    by_ref = {s.get("ref"): s for s in reply.get("sources") or []}
    problems = []
    cited = []
    if not citations:
        problems.append(f"{where} has no citation")
    for ref in citations:
        source = by_ref.get(ref)
        if source is None:
            problems.append(f"{where} cites [{ref}], which is not in the sources")
        elif (article := articles.get(source.get("article_id"))) is not None:
            cited.append(article)
    return cited, problems


def _point_room() -> int:
    """A point must be shown whole in every chat message: the smallest text room among them."""
    return min(platform.point_room for platform in platforms())


def _point_problems(reply: Reply, articles: dict[int, dict[str, Any]]) -> list[str]:
    problems = []
    room = _point_room()
    for where, point in points(reply):
        text = point.get("text") or ""
        cited, wrong = _resolve(reply, articles, where, point.get("citations") or [])
        problems += wrong
        if is_furniture_line(text):
            problems.append(f"{where} is page furniture: {text[:80]!r}")
        if len(text) > room:
            problems.append(
                f"{where} is {len(text)} characters: too long to show whole in one chat message "
                f"(most {room})"
            )
        if not cited:
            continue
        date = point.get("date")
        if date and not any(_date_in(a, date) for a in cited):
            problems.append(f"{where}: the date {date} is in no article it cites")
        if not any(_contains(a["text"], text) for a in cited):
            problems.append(f"{where} is not found in any article it cites: {text[:80]!r}")
            continue
        for article in cited:
            if not _supports(article["text"], text):
                problems.append(f"{where} cites article {article['id']}, which does not support it")
    return problems


def _fact_problems(reply: Reply, articles: dict[int, dict[str, Any]]) -> list[str]:
    problems = []
    for where, fact in fact_lines(reply):
        cited, wrong = _resolve(reply, articles, where, fact.get("citations") or [])
        problems += wrong
        if not cited:
            continue
        dates = [fact.get("as_of")]
        figures = [fact.get("countries")]
        (dates if fact.get("kind") in DATES else figures).append(fact.get("value"))
        for figure in filter(None, figures):
            if not any(_number_in(a["text"], figure) for a in cited):
                problems.append(f"{where}: the figure {figure} is in no article it cites")
        for date in filter(None, dates):
            if not any(_date_in(a, str(date)) for a in cited):
                problems.append(f"{where}: the date {date} is in no article it cites")
    return problems


def _dated_problems(reply: Reply, articles: dict[int, dict[str, Any]]) -> list[str]:
    """Deadline and timeline dates: each must be written in, or be the date of, a cited article."""
    dated = [
        (f"deadlines.{which}[{i}]", item)
        for which in ("upcoming", "passed", "unknown")
        for i, item in enumerate((reply.get("deadlines") or {}).get(which) or [])
    ] + [(f"events[{i}]", event) for i, event in enumerate(reply.get("events") or [])]
    problems = []
    for where, item in dated:
        date = item.get("date")
        cited, _ = _resolve(reply, articles, where, item["point"].get("citations") or [])
        if date and cited and not any(_date_in(a, date) for a in cited):
            problems.append(f"{where}: the date {date} is in no article it cites")
    return problems


def _search_problems(reply: Reply, articles: dict[int, dict[str, Any]]) -> list[str]:
    problems = []
    for r, result in enumerate(reply.get("results") or []):
        problems += _resolve(reply, articles, f"results[{r}]", result.get("citations") or [])[1]
    return problems


def _duplicate_problems(reply: Reply) -> list[str]:
    problems = []
    listed = list(points(reply))
    for (wa, a), (wb, b) in itertools.combinations(listed, 2):
        score = jaccard(a.get("text") or "", b.get("text") or "")
        if score >= DUPLICATE_JACCARD:
            problems.append(f"{wa} and {wb} say the same thing (word overlap {score:.2f})")
    return problems


def rendered_problems(reply: Reply) -> list[str]:
    """Whether every format renders, and each chat shape within its platform's limits."""
    problems = []
    for fmt in _RENDERED_FORMATS:
        try:
            rendered = render(reply, fmt)
        except Exception as exc:
            problems.append(f"the {fmt} format does not render: {exc!r}")
            continue
        if fmt == "json" and json.loads(rendered) != reply:
            problems.append("the json format does not read back as the same reply")
    for platform in platforms():
        try:
            problems += platform.problems(platform.messages(reply))
        except Exception as exc:
            problems.append(f"the {platform.name} shape does not render: {exc!r}")
    return problems


async def verify(reply: Reply, store: Store) -> list[str]:
    """Every broken guarantee in the reply, as one readable line each; empty when all hold."""
    ids = {s.get("article_id") for s in reply.get("sources") or []}
    articles = await store.cited_articles(i for i in ids if isinstance(i, int))
    problems = _source_problems(reply, articles)
    problems += _point_problems(reply, articles)
    problems += _fact_problems(reply, articles)
    problems += _dated_problems(reply, articles)
    problems += _search_problems(reply, articles)
    problems += _duplicate_problems(reply)
    problems += rendered_problems(reply)
    return problems


async def assert_valid(reply: Reply, store: Store) -> None:
    """Raise ReplyCheckFailed listing every problem, so a test shows all of them at once."""
    if problems := await verify(reply, store):
        raise ReplyCheckFailed(problems)
