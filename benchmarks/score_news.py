"""News, not background: score what a reader sees after importing the labelled real-article set.

Usage: python benchmarks/score_news.py [--write] [--details] [--json OUT] [--before RUN.json]

The set (../shared/fixtures/real-articles, a third of it undated) is imported as a first read
of a feed would bring it (`devset.as_rss`, ingested as a file: backfill, not live news). Then
the status card, the default brief (the last 7 days), `brief --since 2000-01-01` and the
timelines are read as a reader would, and counted:
  - background sentences among the status card's latest developments and the briefs' points,
    judged against hand labels (benchmarks/news_labels.toml: the set's sentences judged to be
    standing facts or history, stored as hashes of word triples, never as text); and, over every
    stored on-topic sentence, the labelled ones the detector misses and the unlabelled ones it
    flags (to read: a flag there may be background nobody labelled, or news taken for it);
  - undated points a reply shows without saying "date unknown";
  - reprints shown as latest: a development or default-brief point dated later than the
    earliest dated copy of its story (copies as the set labels them), or undated when a copy
    is dated; and the same over every reply read;
  - undated points, and points dated before the window, that the default brief presents as the
    window's news;
  - a small search test: queries with the articles a reader would want, precision at 5, and how
    many of the first five places repeat a story already shown.
`--write` puts the table in its own section of benchmarks/QUALITY.md; `--details` prints each
counted point (set text: printed, never written). The clock is fixed, so runs are repeatable.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import hashlib
import json
import re
import sys
import tempfile
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `python benchmarks/score_news.py` from a checkout
    sys.path.insert(0, str(ROOT))

from benchmarks import devset  # noqa: E402
from briefings.corpus import open_corpus  # noqa: E402
from briefings.engine.background import background_reason  # noqa: E402
from briefings.fold import fold  # noqa: E402
from briefings.ingest.urls import canonical_url  # noqa: E402
from briefings.models import Published  # noqa: E402
from briefings.render import render  # noqa: E402

LABELS = Path(__file__).with_name("news_labels.toml")
QUALITY_MD = Path(__file__).with_name("QUALITY.md")
SECTION = "## News, not background (score_news.py)"
WORKSPACE = "local"
# "Now" for the run: after every dated article of the set, as a user importing it today.
NOW = dt.datetime(2026, 12, 5, 12, 0, tzinfo=dt.UTC)
WEEK = dt.timedelta(days=7)
EVERYTHING = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
# A labelled sentence is the point when at least this share of its sampled word triples is in it.
SHINGLE_MATCH = 0.5
TOP = 5
# The searches, each with the set's articles a reader wants from it (judged by reading them).
SEARCHES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Zvecan injured soldiers", ("d063", "d008", "d006", "d007", "d065", "d077", "d079")),
    ("Jarinje barricades removed", ("d032", "d033", "d034", "d036", "d035", "d003", "d004")),
    ("Merdare crossing reopened", ("d056", "d057", "d058", "d059", "d060", "d061", "d062")),
    ("Romanian troops KFOR", ("d075", "d076", "d077", "d078", "d079")),
    ("Swiss peacekeepers Swisscoy", ("d028", "d046", "d069", "d091")),
    ("grenade attack Brnjak crossing", ("d009", "d010")),
    ("plates stickers", ("d032", "d033", "d034", "d035", "d036")),
    ("Banjska monastery gunmen", ("d072", "d073", "d074", "d106", "d107", "d077")),
    ("150 euro fine plates", ("d047", "d048", "d050", "d051", "d052")),
    ("Turkish soldiers KFOR", ("d067", "d086", "d071")),
)
_WORD = re.compile(r"[^\W_]+")


def shingles(text: str) -> list[str]:
    """Hashes of a text's folded word triples, in order: enough to recognise a sentence, too
    little to rebuild it."""
    words = _WORD.findall(fold(text))
    triples = [" ".join(words[i : i + 3]) for i in range(max(1, len(words) - 2))]
    return [hashlib.sha1(t.encode(), usedforsecurity=False).hexdigest()[:8] for t in triples]


@dataclass(frozen=True)
class Gold:
    """A hand-labelled background sentence: its article and sampled word-triple hashes."""

    article: str
    reason: str
    shingles: tuple[str, ...]

    def is_in(self, text: str, stories: Iterable[str]) -> bool:
        """Whether the text is this sentence, in an article of its story (its copies count)."""
        if self.article not in stories:
            return False
        found = set(shingles(text))
        return sum(1 for s in self.shingles if s in found) >= SHINGLE_MATCH * len(self.shingles)


def load_gold(path: Path = LABELS) -> list[Gold]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [Gold(e["article"], e["reason"], tuple(e["shingles"])) for e in data["background"]]


@dataclass
class Shown:
    """One point as a reader meets it: where, its text and date, its set articles, its line."""

    where: str
    text: str
    date: str | None
    articles: tuple[str, ...]
    line: str
    labelled: bool


@dataclass
class Run:
    """What one run saw and counted."""

    counts: dict[str, int] = field(default_factory=dict)
    searches: list[dict[str, Any]] = field(default_factory=list)
    details: dict[str, list[str]] = field(default_factory=dict)

    def count(self, name: str, found: Sequence[str]) -> None:
        self.counts[name] = len(found)
        self.details[name] = list(found)


async def score(work: Path) -> Run:
    """Import the set into a fresh store under `work`, read every reply, and count."""
    articles = devset.load_articles()
    feed = work / "devset.xml"
    feed.write_bytes(devset.as_rss(articles))
    by_url = {canonical_url(a.url): a.id for a in articles if a.url}
    async with open_corpus(work / "news.sqlite3", clock=lambda: NOW, load_seeds=False) as corpus:
        async for _ in corpus.ingest_files([feed], workspace=WORKSPACE):
            pass
        dev_of = {row["id"]: by_url.get(row["url"] or "") async for row in corpus.export(WORKSPACE)}
        status = await corpus.status(WORKSPACE)
        week = await corpus.brief(WORKSPACE, since=NOW - WEEK)
        everything = await corpus.brief(WORKSPACE, since=EVERYTHING)
        timelines = [await corpus.timeline(WORKSPACE)] + [
            await corpus.timeline(WORKSPACE, topic=p.name) for p in corpus.profiles
        ]
        hits = {q: await corpus.search(WORKSPACE, q, TOP) for q, _ in SEARCHES}
        sentences = await corpus.store.db.fetchall(
            """SELECT a.id, a.published, a.story_published, s.text FROM sentences s
               JOIN articles a ON a.id = s.article_id
               WHERE s.topics <> '{}' AND a.topics <> '[]' ORDER BY a.id, s.idx"""
        )
    stored = set(dev_of.values()) - {None}
    developments = list(_points(status, dev_of, "status"))
    week_points = list(_points(week, dev_of, "brief 7 days"))
    all_points = list(_points(everything, dev_of, "brief since 2000"))
    timeline_points = [p for t in timelines for p in _points(t, dev_of, "timeline")]
    group = {a.id: a.near_duplicate_of or a.id for a in articles}
    gold = [Gold(group[g.article], g.reason, g.shingles) for g in load_gold()]
    run = Run()
    run.count("background_latest", _background(developments, gold, group))
    run.count("background_brief", _background([*week_points, *all_points], gold, group))
    run.count("background_timeline", _background(timeline_points, gold, group))
    missed, unlabelled = _detector(sentences, dev_of, gold, group)
    run.count("background_missed", missed)
    run.count("background_unlabelled", unlabelled)
    shown = [*developments, *week_points, *all_points, *timeline_points]
    run.count(
        "undated_unmarked",
        [_say(p) for p in shown if p.date is None and "date unknown" not in p.line],
    )
    run.count("reprints_latest", _reprints([*developments, *week_points], articles, stored))
    run.count("reprints_dated", _reprints(shown, articles, stored))
    as_news = week["note"] is None
    since = (NOW - WEEK).date().isoformat()
    run.count("undated_as_news", [_say(p) for p in week_points if as_news and p.date is None])
    run.count(
        "old_as_news",
        [_say(p) for p in week_points if as_news and p.date and _last_day(p.date) < since],
    )
    run.counts["points_checked"] = len(shown)
    run.details["week_note"] = [week["note"] or ""]
    run.searches = [_search_score(q, want, hits[q], dev_of, articles) for q, want in SEARCHES]
    return run


def _points(reply: dict[str, Any], dev_of: dict[int, str | None], kind: str) -> Iterable[Shown]:
    """Every point of a brief, status card or timeline, with the rendered line that shows it."""
    lines = render(reply, "text").splitlines()
    refs = {s["ref"]: s["article_id"] for s in reply["sources"]}
    found: list[tuple[str, dict[str, Any]]] = []
    if reply["kind"] == "brief":
        found = [(f"{kind} {s['topic']}", p) for s in reply["sections"] for p in s["points"]]
    elif reply["kind"] == "status":
        found = [(f"{kind} {d['topic']}", d["point"]) for d in reply["developments"]]
    elif reply["kind"] == "timeline":
        found = [(f"{kind} {reply['topic'] or 'all'}", e["point"]) for e in reply["events"]]
    for where, point in found:
        line = next((ln for ln in lines if point["text"][:60] in ln), "")
        cited = tuple(d for ref in point["citations"] if (d := dev_of.get(refs[ref])))
        yield Shown(
            where,
            point["text"],
            point["date"],
            cited,
            line,
            bool(point.get("background")),
        )


def _say(point: Shown) -> str:
    return f"{point.where} [{', '.join(point.articles)}] ({point.date or 'undated'}): {point.text}"


def _background(points: Sequence[Shown], gold: Sequence[Gold], group: dict[str, str]) -> list[str]:
    """The points that are a labelled background sentence (the labels name each copy's story)."""
    found = []
    for point in points:
        stories = {group[a] for a in point.articles}
        label = next((g for g in gold if g.is_in(point.text, stories)), None)
        if label is not None:
            marked = ", labelled background" if point.labelled else ""
            found.append(f"{label.reason}{marked}: {_say(point)}")
    return found


def _detector(
    sentences: Sequence[Any],
    dev_of: dict[int, str | None],
    gold: Sequence[Gold],
    group: dict[str, str],
) -> tuple[list[str], list[str]]:
    """Labelled sentences the background detector misses, and unlabelled ones it flags."""
    missed, unlabelled = [], []
    for row in sentences:
        dev = dev_of.get(row["id"])
        date = Published.from_iso(row["story_published"] or row["published"])
        reason = background_reason(row["text"], date)
        label = next((g for g in gold if dev and g.is_in(row["text"], {group[dev]})), None)
        said = f"[{dev}] ({date.iso or 'undated'}): {row['text']}"
        if label is not None and reason is None:
            missed.append(f"{label.reason}: {said}")
        elif label is None and reason is not None:
            unlabelled.append(f"{reason}: {said}")
    return missed, unlabelled


def _reprints(
    points: Sequence[Shown], articles: Sequence[devset.DevArticle], stored: set[str]
) -> list[str]:
    """Points dated after (or without) the earliest dated stored copy of their story."""
    group = {a.id: a.near_duplicate_of or a.id for a in articles}
    earliest: dict[str, str] = {}
    for a in articles:
        if a.published and a.id in stored:
            key = group[a.id]
            earliest[key] = min(earliest.get(key, a.published), a.published)
    found = []
    for point in points:
        dates = [earliest[group[a]] for a in point.articles if group[a] in earliest]
        if not dates:
            continue
        first = min(dates)
        if point.date is None or _first_day(point.date) > first:
            found.append(f"story dated {first}: {_say(point)}")
    return found


def _first_day(iso: str) -> str:
    return iso + "-01-01"[len(iso) - 4 :] if len(iso) < 10 else iso


def _last_day(iso: str) -> str:
    return iso + "-12-31"[len(iso) - 4 :] if len(iso) < 10 else iso


def _search_score(
    query: str,
    wanted: Sequence[str],
    hits: Sequence[Any],
    dev_of: dict[int, str | None],
    articles: Sequence[devset.DevArticle],
) -> dict[str, Any]:
    """Precision at 5 (over 5, or over the wanted stories when fewer), and repeated stories."""
    group = {a.id: a.near_duplicate_of or a.id for a in articles}
    wanted_stories = {group[i] for i in wanted}
    seen: set[str] = set()
    relevant = repeats = 0
    for hit in hits[:TOP]:
        cited = [dev_of.get(h.article_id) for h in (hit, *getattr(hit, "copies", ()))]
        stories = {group[d] for d in cited if d}
        if stories & seen:
            repeats += 1
        elif stories & wanted_stories:
            relevant += 1
        seen |= stories
    possible = min(TOP, len(wanted_stories))
    return {
        "query": query,
        "relevant": relevant,
        "possible": possible,
        "precision": relevant / possible,
        "repeats": repeats,
        "shown": len(hits[:TOP]),
    }


ROWS = (
    ("background_latest", "Background sentences among the status card's latest developments", 0),
    ("background_brief", "Background sentences among brief points (7 days, since 2000)", 0),
    ("background_timeline", "Background sentences among timeline events (all, per topic)", None),
    ("background_missed", "Labelled background sentences the detector misses (all stored)", None),
    ("background_unlabelled", "Unlabelled sentences the detector calls background", None),
    ("undated_unmarked", 'Undated points shown without "date unknown" (all replies)', 0),
    ("reprints_latest", "Reprints shown as latest (developments, 7-day brief)", 0),
    ("reprints_dated", "Points dated later than their story's first dated copy (all replies)", 0),
    ("undated_as_news", "Undated points the 7-day brief presents as the week's news", 0),
    ("old_as_news", "Points dated before the window that the 7-day brief presents as news", 0),
)


def table(run: Run, before: Run | None = None) -> str:
    """The scores as a markdown table (with a `before` column when given)."""
    head = "| measure | before | now | target |" if before else "| measure | now | target |"
    rule = "|---|---|---|---|" if before else "|---|---|---|"
    lines = [head, rule]
    for key, label, target in ROWS:
        cells = [label]
        if before:
            cells.append(str(before.counts.get(key, "-")))
        cells += [str(run.counts[key]), "-" if target is None else str(target)]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", _search_table(run, before)]
    return "\n".join(lines)


def _search_table(run: Run, before: Run | None) -> str:
    """Precision at 5 and repeated stories per search, with `before` beside them when given."""
    prior = {s["query"]: s for s in before.searches} if before else {}
    both = " (before, now)" if before else ""
    lines = [
        f"| search | precision at 5{both} | repeated stories in the first 5{both} |",
        "|---|---|---|",
    ]
    for s in run.searches:
        runs = [prior[s["query"]], s] if before else [s]
        precision = ", ".join(f"{r['relevant']}/{r['possible']}" for r in runs)
        repeats = ", ".join(str(r["repeats"]) for r in runs)
        lines.append(f"| {s['query']} | {precision} | {repeats} |")
    summaries = [("before", before.searches)] if before else []
    summaries.append(("now", run.searches))
    lines.append("")
    lines.append(
        "; ".join(
            f"{name}: mean precision at 5 {sum(s['precision'] for s in found) / len(found):.2f},"
            f" {sum(s['repeats'] for s in found)} repeated stories"
            for name, found in summaries
        )
    )
    return "\n".join(lines)


def write_section(text: str, path: Path = QUALITY_MD) -> None:
    """Replace (or add) this scorer's section of QUALITY.md, leaving the rest as it is."""
    current = path.read_text(encoding="utf-8")
    head, _, rest = current.partition(SECTION)
    ends = [i for mark in ("\n## ", "\n<!--") if (i := rest.find(mark)) >= 0]
    tail = rest[min(ends) :] if ends else ""
    path.write_text(head.rstrip("\n") + "\n\n" + SECTION + "\n\n" + text + "\n" + tail)


def _section_text(run: Run, before: Run | None, before_label: str) -> str:
    compared = f" The before column is {before_label}." if before else ""
    return (
        f"Measured {dt.datetime.now(dt.UTC).date().isoformat()} by `python benchmarks/score_news.py --write`"
        f" on the {len(devset.load_articles())} labelled real articles of"
        " ../shared/fixtures/real-articles, imported as a feed's first read (backfill), with"
        f" the clock at {NOW.date().isoformat()}; {run.counts['points_checked']} points read."
        f" Background is judged against hand labels ({len(load_gold())} sentences in"
        " benchmarks/news_labels.toml); reprints"
        " against the set's copy labels; search relevance by reading the articles. A repeated"
        " story is a copy the set labels that the store did not group with its original."
        + compared
        + "\n\n"
        + table(run, before)
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="update benchmarks/QUALITY.md")
    parser.add_argument("--details", action="store_true", help="print every counted point")
    parser.add_argument("--json", type=Path, help="save the run's figures as JSON")
    parser.add_argument("--before", type=Path, help="a saved run to show beside this one")
    parser.add_argument(
        "--before-label", default="an earlier run", help="what the saved run measured"
    )
    args = parser.parse_args(argv)
    if not devset.available():
        print(devset.ABSENT, file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        run = asyncio.run(score(Path(folder)))
    before = None
    if args.before:
        saved = json.loads(args.before.read_text())
        before = Run(saved["counts"], saved["searches"])
    print(table(run, before))
    if args.details:
        for key, found in run.details.items():
            print(f"\n{key}:")
            for item in found:
                print(f"  - {item}")
    if args.json:
        args.json.write_text(json.dumps({"counts": run.counts, "searches": run.searches}))
    if args.write:
        write_section(_section_text(run, before, args.before_label))
    return 0


if __name__ == "__main__":
    sys.exit(main())
