"""The labelled real-article development set in ../shared, read in place and served as feeds.

The set is third-party text for internal testing: this module only reads it from beside the
clone, never copies it into the repository, and every caller skips when it is absent.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
DEV_SET = ROOT.parent / "shared" / "fixtures" / "real-articles"
ARTICLES = DEV_SET / "articles.jsonl"
FACTS = DEV_SET / "facts.jsonl"
ABSENT = f"{DEV_SET} is absent: the shared fixtures sit beside the repository only in CI"
# Where the served feed pretends to live: the link of every item without its own URL.
FEED_URL = "https://devset.invalid/feed.xml"


@dataclass(frozen=True)
class DevArticle:
    """One labelled excerpt (see the set's README for what each label means)."""

    id: str
    url: str | None
    title: str | None
    published: str | None
    source: str
    text: str
    topics: tuple[str, ...]
    near_duplicate_of: str | None
    furniture: tuple[str, ...]
    furniture_spans: tuple[tuple[int, int], ...]
    same_event: str | None
    lang: str
    note: str | None


@dataclass(frozen=True)
class GoldFact:
    """One hand-labelled figure or deadline and the exact sentence it is written in."""

    article: str
    kind: str
    value: int | str
    as_of: str | None
    quote: str


def available() -> bool:
    """Whether the development set is beside the clone."""
    return ARTICLES.exists() and FACTS.exists()


def load_articles(path: Path = ARTICLES) -> list[DevArticle]:
    """Every labelled article, in the set's order."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        found.append(
            DevArticle(
                id=row["id"],
                url=row.get("url"),
                title=row.get("title"),
                published=row.get("published"),
                source=row["source"],
                text=row["text"],
                topics=tuple(row.get("topics") or ()),
                near_duplicate_of=row.get("near_duplicate_of"),
                furniture=tuple(row.get("furniture") or ()),
                furniture_spans=tuple(tuple(span) for span in row.get("furniture_spans") or ()),
                same_event=row.get("same_event"),
                lang=row.get("lang") or "en",
                note=row.get("note"),
            )
        )
    return found


def load_facts(path: Path = FACTS) -> list[GoldFact]:
    """Every gold fact, in the set's order."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            found.append(
                GoldFact(row["article"], row["kind"], row["value"], row.get("as_of"), row["quote"])
            )
    return found


def as_rss(articles: Iterable[DevArticle], *, html: bool = False, dated: bool = True) -> bytes:
    """The articles as one RSS 2.0 document, the way real sites publish them.

    Descriptions are the excerpts as plain text with their line breaks (most real feeds with
    full text do this); with `html`, each line becomes a <p> paragraph instead. Items carry a
    pubDate only when the set gives the article a date and `dated` is true.
    """
    items = []
    for article in articles:
        parts = [f"<title>{escape(article.title or '')}</title>"]
        if article.url:
            parts.append(f"<link>{escape(article.url)}</link>")
        parts.append(f'<guid isPermaLink="false">{article.id}</guid>')
        if dated and article.published:
            parts.append(f"<pubDate>{_rfc822(article.published)}</pubDate>")
        body = _paragraphs(article.text) if html else article.text
        parts.append(f"<description>{escape(body)}</description>")
        items.append("<item>" + "".join(parts) + "</item>")
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>Development set</title><link>{FEED_URL}</link>"
        "<description>Labelled real articles</description>" + "\n".join(items) + "</channel></rss>"
    ).encode()


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(line)}</p>" for line in text.split("\n") if line.strip())


def _rfc822(iso: str) -> str:
    day = dt.datetime.fromisoformat(iso).replace(hour=12, tzinfo=dt.UTC)
    return email.utils.format_datetime(day)


def by_id(articles: Sequence[DevArticle]) -> dict[str, DevArticle]:
    """The articles keyed by their set id."""
    return {article.id: article for article in articles}
