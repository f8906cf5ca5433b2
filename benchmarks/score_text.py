"""Text-quality scorer on the labelled real-article set: furniture, rejections, copies and topics.

Serves the set as an RSS feed (plain-text descriptions with line breaks, and again as <p>
paragraphs), reads it as the bot reads a feed, and compares what is stored with the labels:

- furniture: the share of labelled furniture characters the clean text no longer holds, and the
  share of the other characters it lost (words aligned in order, so a repeated word is judged
  where it stands);
- rejections: articles refused as empty although they hold a real sentence outside furniture;
- starts: stored sentences, and reply points (timeline, brief and status), whose first word is
  furniture;
- copies: labelled copy pairs that share a story, and pairs of distinct articles that do;
- topics: precision, recall and F1 of each topic against the labels.

Run `python benchmarks/score_text.py` (add `--write` to put the table in QUALITY.md).
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import datetime as dt
import difflib
import itertools
import re
import sys
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `python benchmarks/score_text.py` from a checkout
    sys.path.insert(0, str(ROOT))

from benchmarks import devset  # noqa: E402
from briefings.corpus import open_corpus  # noqa: E402
from briefings.derive import DerivedArticle, EmptyArticle, derive  # noqa: E402
from briefings.ingest.feeds import parse_feed  # noqa: E402
from briefings.ingest.urls import canonical_url  # noqa: E402
from briefings.topics import load_profiles  # noqa: E402

QUALITY_MD = Path(__file__).resolve().parent / "QUALITY.md"
SECTION = "## Clean text, copies and topics on the real-article set"
END_OF_TABLE = "<!-- end of the score_text.py table -->"
TOPICS = ("kfor", "border", "plates")
WORKSPACE = "local"
# After every dated article of the set, so nothing counts as future news.
CLOCK = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
# A run of this many words ending in sentence punctuation is a real sentence.
SENTENCE_WORDS = 6
_REAL_SENTENCE = re.compile(rf"(?:[^\W\d_]\S*\s+){{{SENTENCE_WORDS - 1},}}\S*[.!?]")
_TOKEN = re.compile(r"\S+")
_INVISIBLE = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]")
MODES = {"plain": False, "html": True}


@dataclass
class Alignment:
    """Which characters of a labelled text survive in the clean text, and where each clean
    word came from."""

    kept: list[bool]
    origin: list[int | None]
    clean_tokens: list[str]


@dataclass
class ModeScore:
    """Every figure of one serving mode."""

    furniture_chars: int = 0
    furniture_removed: int = 0
    other_chars: int = 0
    other_lost: int = 0
    rejected_real: list[str] = field(default_factory=list)
    rejected_other: list[str] = field(default_factory=list)
    sentences: int = 0
    sentence_starts: list[str] = field(default_factory=list)
    points: int = 0
    point_starts: list[str] = field(default_factory=list)
    pairs: list[tuple[str, str, bool]] = field(default_factory=list)
    wrong_groups: list[tuple[str, str]] = field(default_factory=list)
    topics: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    topic_misses: dict[str, list[str]] = field(default_factory=dict)
    worst_lost: list[tuple[int, str]] = field(default_factory=list)
    worst_left: list[tuple[int, str]] = field(default_factory=list)


def _normal(token: str) -> str:
    return unicodedata.normalize("NFC", _INVISIBLE.sub("", token))


def align(
    original: str,
    clean: str,
    title: str = "",
    furniture: Sequence[tuple[int, int]] | None = None,
) -> Alignment:
    """Align the words of `clean` with those of `original`, in order.

    The caller puts the stored dateline before the clean text, so a dateline kept as metadata is
    not lost. The first place the stored `title` is written in `original` counts as kept: that
    headline is stored as the title (a later repeat of it is furniture).
    """
    spans = [(m.start(), m.end()) for m in _TOKEN.finditer(original)]
    source = [_normal(original[a:b]) for a, b in spans]
    target = [_normal(m.group()) for m in _TOKEN.finditer(clean)]
    kept = [False] * len(original)
    headline = [_normal(w) for w in title.split()]
    places = [
        i
        for i in range(len(source) - len(headline) + 1)
        if headline and source[i : i + len(headline)] == headline
    ]
    # The labels mark a repeat of the headline as furniture: prefer a place outside furniture.
    places.sort(key=lambda i: (furniture is not None and in_spans(spans[i][0], furniture), i))
    for i in places[:1]:
        for a, b in spans[i : i + len(headline)]:
            kept[a:b] = [True] * (b - a)
        source[i : i + len(headline)] = [None] * len(headline)
    origin: list[int | None] = [None] * len(target)
    matcher = difflib.SequenceMatcher(None, source, target, autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            a, b = spans[block.a + k]
            kept[a:b] = [True] * (b - a)
            origin[block.b + k] = a
    return Alignment(kept, origin, target)


def in_spans(offset: int, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether the character at `offset` lies in one of the sorted [start, end) spans."""
    i = bisect.bisect_right([s for s, _ in spans], offset) - 1
    return i >= 0 and spans[i][0] <= offset < spans[i][1]


def begins_with_furniture(
    text: str, alignment: Alignment, spans: Sequence[tuple[int, int]]
) -> bool | None:
    """Whether `text` (a sentence or point taken from the clean text) starts with a furniture
    word; None when it cannot be found in the clean text."""
    words = [_normal(w) for w in text.split()]
    if not words:
        return None
    head = words[: min(4, len(words))]
    tokens = alignment.clean_tokens
    for i in range(len(tokens) - len(head) + 1):
        if tokens[i : i + len(head)] == head:
            start = alignment.origin[i]
            return start is not None and in_spans(start, spans)
    return None


def derive_feed(
    articles: Sequence[devset.DevArticle], html: bool, profiles: Sequence[Any]
) -> dict[str, DerivedArticle | str]:
    """Each article read from the served feed and derived, or the reason it was refused."""
    document = parse_feed(devset.as_rss(articles, html=html), {}, devset.FEED_URL, CLOCK)
    found: dict[str, DerivedArticle | str] = {}
    for draft in document.entries:
        try:
            found[draft.guid or ""] = derive(draft, profiles)
        except EmptyArticle as exc:
            found[draft.guid or ""] = str(exc)
    return found


async def stored_replies(
    articles: Sequence[devset.DevArticle], html: bool, work: Path
) -> tuple[dict[str, dict[str, Any]], list[tuple[str, list[str]]]]:
    """The articles ingested from the served feed (export records by set id) and every point of
    the timeline, the all-time brief and the status card, with the set ids it cites."""
    path = work / f"score-{'html' if html else 'plain'}.sqlite3"
    feed = work / f"devset-{'html' if html else 'plain'}.xml"
    feed.write_bytes(devset.as_rss(articles, html=html))
    async with open_corpus(path, clock=lambda: CLOCK, load_seeds=False) as corpus:
        async for _ in corpus.ingest_files([feed], workspace=WORKSPACE):
            pass
        records = [r async for r in corpus.export(WORKSPACE)]
        replies = [await corpus.timeline(WORKSPACE, topic=topic) for topic in (None, *TOPICS)]
        replies.append(
            await corpus.brief(
                WORKSPACE, since=dt.datetime(1990, 1, 1, tzinfo=dt.UTC), budget_chars=20_000
            )
        )
        replies.append(await corpus.status(WORKSPACE))
    by_url = {canonical_url(a.url): a.id for a in articles if a.url}
    by_id = {by_url[r["url"]]: r for r in records if r["url"] in by_url}
    id_of_row = {r["id"]: set_id for set_id, r in by_id.items()}
    points = []
    for reply in replies:
        refs = {s["ref"]: id_of_row.get(s["article_id"]) for s in reply["sources"]}
        for point in _points(reply):
            points.append((point["text"], [refs[c] for c in point["citations"] if refs.get(c)]))
    return by_id, points


def _points(reply: dict[str, Any]) -> Iterable[dict[str, Any]]:
    for event in reply.get("events", ()):
        yield event["point"]
    for section in reply.get("sections", ()):
        yield from section["points"]
    for development in reply.get("developments", ()):
        yield development["point"]


@dataclass(frozen=True)
class Counts:
    """One article's non-blank characters: labelled furniture, and the rest, and how many of
    each the clean text no longer holds."""

    furniture: int
    furniture_removed: int
    other: int
    other_lost: int


def alignment_of(article: devset.DevArticle, result: DerivedArticle) -> Alignment:
    """The article's labelled text aligned with what was stored (dateline and title included)."""
    # Versions before datelines were kept as metadata have none.
    kept = getattr(result, "dateline", None)
    dateline = f"{kept}\n\n" if kept else ""
    return align(article.text, dateline + result.text, result.title, article.furniture_spans)


def character_counts(article: devset.DevArticle, result: DerivedArticle | None) -> Counts:
    """The article's characters kept and lost; all lost when it was rejected (None)."""
    kept = alignment_of(article, result).kept if result else [False] * len(article.text)
    furniture = removed = other = lost = 0
    for offset, (char, is_kept) in enumerate(zip(article.text, kept, strict=True)):
        if char.isspace():
            continue
        if in_spans(offset, article.furniture_spans):
            furniture += 1
            removed += not is_kept
        else:
            other += 1
            lost += not is_kept
    return Counts(furniture, removed, other, lost)


def has_real_sentence(article: devset.DevArticle) -> bool:
    """Whether the article holds a sentence of SENTENCE_WORDS words or more outside furniture."""
    content = "".join(
        " " if in_spans(i, article.furniture_spans) else c for i, c in enumerate(article.text)
    )
    return bool(_REAL_SENTENCE.search(content))


def score_mode(
    articles: Sequence[devset.DevArticle], html: bool, profiles: Sequence[Any], work: Path
) -> ModeScore:
    """Every figure of one serving mode."""
    score = ModeScore()
    derived = derive_feed(articles, html, profiles)
    alignments: dict[str, Alignment] = {}
    for article in articles:
        result = derived.get(article.id, "not in the feed")
        if isinstance(result, str):
            bucket = score.rejected_real if has_real_sentence(article) else score.rejected_other
            bucket.append(article.id)
            counts = character_counts(article, None)
        else:
            alignments[article.id] = alignment = alignment_of(article, result)
            for sentence in result.sentences:
                score.sentences += 1
                if begins_with_furniture(sentence, alignment, article.furniture_spans):
                    score.sentence_starts.append(f"{article.id}: {sentence[:90]}")
            counts = character_counts(article, result)
        score.furniture_chars += counts.furniture
        score.furniture_removed += counts.furniture_removed
        score.other_chars += counts.other
        score.other_lost += counts.other_lost
        score.worst_lost.append((counts.other_lost, article.id))
        score.worst_left.append((counts.furniture - counts.furniture_removed, article.id))
    stored, points = asyncio.run(stored_replies(articles, html, work))
    spans_of = {a.id: a.furniture_spans for a in articles}
    for text, cited in points:
        score.points += 1
        if any(
            begins_with_furniture(text, alignments[i], spans_of[i])
            for i in cited
            if i in alignments
        ):
            score.point_starts.append(f"{','.join(cited)}: {text[:90]}")
    _score_copies(articles, stored, score)
    _score_topics(articles, stored, score)
    return score


def _score_copies(
    articles: Sequence[devset.DevArticle], stored: dict[str, dict[str, Any]], score: ModeScore
) -> None:
    group = {a.id: a.near_duplicate_of or a.id for a in articles}
    story = {set_id: record["story_id"] for set_id, record in stored.items()}
    for article in articles:
        if article.near_duplicate_of:
            pair = (article.id, article.near_duplicate_of)
            joined = pair[0] in story and story.get(pair[0]) == story.get(pair[1])
            score.pairs.append((*pair, joined))
    for a, b in itertools.combinations(sorted(story), 2):
        if story[a] == story[b] and group[a] != group[b]:
            score.wrong_groups.append((a, b))


def _score_topics(
    articles: Sequence[devset.DevArticle], stored: dict[str, dict[str, Any]], score: ModeScore
) -> None:
    for topic in TOPICS:
        tp = fp = fn = 0
        misses = []
        for article in articles:
            found = topic in stored.get(article.id, {}).get("topics", ())
            wanted = topic in article.topics
            tp += found and wanted
            fp += found and not wanted
            fn += wanted and not found
            if found != wanted:
                misses.append(f"{'+' if found else '-'}{article.id}")
        score.topics[topic] = (tp, fp, fn)
        score.topic_misses[topic] = misses


def _share(part: int, whole: int) -> str:
    return f"{part:,}/{whole:,} ({100 * part / whole:.1f}%)" if whole else "n/a"


def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def table(scores: dict[str, ModeScore]) -> str:
    """The figures of each mode side by side, with the issue's targets."""
    names = list(scores)
    rows: list[tuple[str, list[str], str]] = []

    def row(label: str, target: str, cell: Any) -> None:
        rows.append((label, [cell(scores[n]) for n in names], target))

    row(
        "labelled furniture characters removed",
        ">= 95%",
        lambda s: _share(s.furniture_removed, s.furniture_chars),
    )
    row("other characters lost", "<= 1%", lambda s: _share(s.other_lost, s.other_chars))
    row("articles with a real sentence rejected", "0", lambda s: str(len(s.rejected_real)))
    row(
        "stored sentences that begin with furniture",
        "0",
        lambda s: _share(len(s.sentence_starts), s.sentences),
    )
    row(
        "reply points that begin with furniture",
        "0",
        lambda s: _share(len(s.point_starts), s.points),
    )
    row(
        "copy pairs grouped",
        ">= 13 of 15",
        lambda s: f"{sum(j for *_, j in s.pairs)} of {len(s.pairs)}",
    )
    row("pairs of distinct articles grouped", "0", lambda s: str(len(s.wrong_groups)))
    for topic in TOPICS:
        row(
            f"topic {topic}: precision / recall / F1",
            "P >= 0.97, F1 >= 0.95",
            lambda s, t=topic: "{:.2f} / {:.2f} / {:.2f}".format(*_f1(*s.topics[t])),
        )
    header = "| measure | " + " | ".join(f"{n} descriptions" for n in names) + " | target |"
    lines = [header, "|" + " --- |" * (len(names) + 2)]
    lines += [
        f"| {label} | " + " | ".join(cells) + f" | {target} |" for label, cells, target in rows
    ]
    return "\n".join(lines)


def details(scores: dict[str, ModeScore]) -> str:
    """What each figure is made of, to find the cause of a miss."""
    out = []
    for name, s in scores.items():
        out.append(f"[{name}]")
        out.append(
            f"rejected with a real sentence: {s.rejected_real}; other rejected: {s.rejected_other}"
        )
        out.append(
            "most content lost: "
            + ", ".join(f"{i} {n}" for n, i in sorted(s.worst_lost, reverse=True)[:8])
        )
        out.append(
            "most furniture left: "
            + ", ".join(f"{i} {n}" for n, i in sorted(s.worst_left, reverse=True)[:8])
        )
        out.append(f"copy pairs not grouped: {[(a, b) for a, b, j in s.pairs if not j]}")
        out.append(f"distinct articles grouped: {s.wrong_groups}")
        for topic, misses in s.topic_misses.items():
            out.append(f"topic {topic} misses (+ false, - missed): {' '.join(misses)}")
        out.extend(f"sentence starts with furniture: {x}" for x in s.sentence_starts)
        out.extend(f"point starts with furniture: {x}" for x in s.point_starts)
    return "\n".join(out)


def write_section(path: Path, text: str) -> None:
    """Replace this scorer's table in QUALITY.md (its section up to END_OF_TABLE; notes after
    that stay), or append the section; other sections are left alone."""
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    start = current.find(SECTION)
    if start < 0:
        updated = current.rstrip("\n") + "\n\n" + text + "\n" + END_OF_TABLE + "\n"
    else:
        marker = current.find(END_OF_TABLE, start)
        section_end = current.find("\n## ", start + len(SECTION))
        end = marker if marker >= 0 and (section_end < 0 or marker < section_end) else section_end
        rest = current[end:] if end >= 0 else ""
        if not rest.startswith(END_OF_TABLE):
            rest = END_OF_TABLE + "\n" + rest
        updated = current[:start] + text + "\n" + rest
    path.write_text(updated.rstrip("\n") + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="put the table in QUALITY.md")
    parser.add_argument("--details", action="store_true", help="list every miss")
    parser.add_argument("--mode", choices=sorted(MODES), action="append", help="only this mode")
    args = parser.parse_args(argv)
    if not devset.available():
        print(devset.ABSENT, file=sys.stderr)
        return 2
    articles = devset.load_articles()
    profiles = load_profiles(())
    with tempfile.TemporaryDirectory() as work:
        scores = {
            name: score_mode(articles, html, profiles, Path(work))
            for name, html in MODES.items()
            if not args.mode or name in args.mode
        }
    result = table(scores)
    print(result)
    if args.details:
        print(details(scores))
    if args.write:
        when = dt.datetime.now(dt.UTC).date().isoformat()
        write_section(
            QUALITY_MD,
            f"{SECTION}\n\nMeasured {when} by `python benchmarks/score_text.py --write` on the "
            f"{len(articles)} labelled articles of ../shared/fixtures/real-articles, served as one "
            "RSS feed with plain-text descriptions (line breaks kept) and again with <p> "
            "paragraphs.\n\n" + result + "\n",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
