"""Pieces every reply shares: the topics asked for, and a point in its reply shape."""

from __future__ import annotations

from collections.abc import Sequence

from briefings.engine.candidates import ArticleInfo
from briefings.engine.select import Point
from briefings.engine.sources import Sources
from briefings.errors import NotFound
from briefings.language import language_of, name_of
from briefings.models import Published
from briefings.reply_types import Point as PointData
from briefings.topics import TopicProfile


def topic_names(profiles: Sequence[TopicProfile], wanted: Sequence[str] | None) -> list[str]:
    """The requested topics in the order asked (all profiles when none is), refusing unknown names."""
    known = [p.name for p in profiles]
    if not wanted:
        return known
    unknown = [name for name in wanted if name not in known]
    if unknown:
        raise NotFound(f"no topic {unknown[0]!r}; known topics: {', '.join(known)}")
    return list(dict.fromkeys(wanted))


def titles(profiles: Sequence[TopicProfile]) -> dict[str, str]:
    """Section headings by topic name."""
    return {p.name: p.title for p in profiles}


def point_dict(point: Point, sources: Sources) -> PointData:
    """A chosen point as replies show it: text, citation numbers, date, and whether it is context."""
    return sentence_point(
        point.text, point.articles, point.date, sources, background=point.background
    )


def sentence_point(
    text: str,
    articles: Sequence[ArticleInfo],
    date: Published,
    sources: Sources,
    *,
    background: bool = False,
) -> PointData:
    """A point from one stored sentence (or span) and the articles that carry it.

    `background` marks a sentence that gives context (standing facts, history) rather than news;
    `date` is None when no cited article is dated, which every template says ("date unknown").
    "language" names a language other than English: topics and facts are read by English rules,
    so a point in another language says so.
    """
    point: PointData = {
        "text": text,
        "citations": sources.cite(articles),
        "date": date.iso,
        "background": background,
    }
    lang = language_of(text)
    if lang != "en":
        point["language"] = name_of(lang)
    return point
