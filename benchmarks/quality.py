"""Quality benchmark: our cited briefing against a LexRank summary of the same length, on labelled articles."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import importlib.resources
import itertools
import platform
import re
import sys
import tempfile
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `python benchmarks/quality.py` from a checkout
    sys.path.insert(0, str(ROOT))

from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence  # noqa: E402
from sumy.nlp.stemmers import Stemmer  # noqa: E402
from sumy.summarizers.lex_rank import LexRankSummarizer  # noqa: E402
from sumy.utils import get_stop_words  # noqa: E402

from briefings.corpus import Corpus, open_corpus  # noqa: E402
from briefings.fold import fold  # noqa: E402
from briefings.furniture import is_furniture_line  # noqa: E402
from briefings.store.articles import decompress_text  # noqa: E402
from briefings.text import split_sentences  # noqa: E402
from briefings.verify import jaccard, points, verify  # noqa: E402

LABELLED = ROOT / "tests" / "data" / "labelled"
LABELS = LABELLED / "labels.toml"
QUALITY_MD = Path(__file__).resolve().parent / "QUALITY.md"
WORKSPACE = "local"
DEFAULT_BUDGET = 3500
# Two points whose folded word sets overlap this much say the same thing.
NEAR_DUPLICATE = 0.6
# "Now" for the corpus, after every dated article: a fixed clock keeps the run deterministic.
CLOCK = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_DIGIT_GROUP = re.compile(r"(?<=\d)[,\u00a0\u202f ](?=\d{3}(?!\d))")


@dataclass(frozen=True)
class Label:
    """One article's hand-written labels (see labels.toml for what each field means)."""

    file: str
    seed: bool
    topics: tuple[str, ...]
    key_facts: tuple[str, ...]
    off_topic: bool = False
    republishes: str | None = None
    dateless: bool = False


@dataclass(frozen=True)
class Summary:
    """A summary as the metrics see it: its lines and the stored article each is checked against."""

    texts: list[str]
    valid: list[bool]
    origins: list[set[int]]


def load_labels(path: Path = LABELS) -> dict[str, Label]:
    """Labels by file name, seeds and articles alike; a republication must name a labelled file."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    labels: dict[str, Label] = {}
    for group, seed in (("seeds", True), ("articles", False)):
        for file, fields in data.get(group, {}).items():
            labels[file] = Label(
                file=file,
                seed=seed,
                topics=tuple(fields.get("topics", ())),
                key_facts=tuple(fields.get("key_facts", ())),
                off_topic=bool(fields.get("off_topic", False)),
                republishes=fields.get("republishes"),
                dateless=bool(fields.get("dateless", False)),
            )
    for label in labels.values():
        if label.republishes and label.republishes not in labels:
            raise ValueError(f"{label.file} republishes {label.republishes}, which is not labelled")
    return labels


def normalise(text: str) -> str:
    """Folded text with digit groups joined ("4,500" and "4 500" read "4500") and spaces squashed."""
    return " ".join(_DIGIT_GROUP.sub("", fold(text)).split())


def has_fact(normalised_text: str, fact: str) -> bool:
    """Whether the fact is in the text as a whole phrase: "30" is not found in "300" or "1930"."""
    pattern = r"(?<!\w)" + re.escape(normalise(fact)) + r"(?!\w)"
    return re.search(pattern, normalised_text) is not None


def key_facts(labels: dict[str, Label]) -> dict[str, str]:
    """The distinct key facts of the on-topic articles, normalised, each with its labelled spelling."""
    facts: dict[str, str] = {}
    for label in sorted(labels.values(), key=lambda lb: lb.file):
        if label.off_topic:
            continue
        for fact in label.key_facts:
            facts.setdefault(normalise(fact), fact)
    return dict(sorted(facts.items()))


def _squash(text: str) -> str:
    return " ".join(text.split())


async def _max_id(corpus: Corpus) -> int:
    row = await corpus.store.db.fetchone("SELECT COALESCE(MAX(id), 0) AS top FROM articles")
    return int(row["top"]) if row else 0


async def _seed_files(corpus: Corpus) -> dict[int, str]:
    """Stored seed articles by the seed file they came from (its text holds their first sentence)."""
    folder = importlib.resources.files("briefings") / "seeds"
    raw = {
        entry.name: _squash(entry.read_text(encoding="utf-8"))
        for entry in folder.iterdir()
        if entry.name.endswith(".txt")
    }
    found: dict[int, str] = {}
    for row in await corpus.store.db.fetchall("SELECT id, text FROM articles WHERE is_seed = 1"):
        first = split_sentences(decompress_text(row["text"]))[0]
        matches = [name for name, text in raw.items() if _squash(first) in text]
        if len(matches) != 1:
            raise ValueError(f"seed article {row['id']} matches seed files {matches}")
        found[row["id"]] = matches[0]
    return found


async def ingest_labelled(corpus: Corpus, labels: dict[str, Label]) -> dict[int, str]:
    """Import every labelled file, refusing unlabelled or unreadable ones; file name by article id.

    A republication whose clean text is byte for byte its source's is stored once, as the source.
    """
    files = sorted(LABELLED.glob("*.md"))
    unlabelled = [f.name for f in files if f.name not in labels]
    missing = {n for n, lb in labels.items() if not lb.seed} - {f.name for f in files}
    if unlabelled or missing:
        raise ValueError(f"unlabelled files {unlabelled}; labels without a file {sorted(missing)}")
    origin = await _seed_files(corpus)
    for file in files:
        # One file per call: an import commits several files together, and the newest id must
        # be read while it still belongs to this file.
        [outcome] = [o async for o in corpus.ingest_files([file], workspace=WORKSPACE)]
        report = outcome.report
        if report is not None and report.added == 1:
            origin[await _max_id(corpus)] = file.name
        elif not (report is not None and report.known == 1 and labels[file.name].republishes):
            # Only a republication may be known already: the same clean text under another header.
            raise ValueError(f"{file.name} was not stored as a new article: {outcome}")
    return origin


def check_labels(labels: dict[str, Label], texts: dict[int, str], origin: dict[int, str]) -> None:
    """Every key fact must be written in the article it labels: a typo would lower both recalls."""
    by_file = {origin[i]: normalise(t) for i, t in texts.items() if i in origin}
    wrong = [
        f"{label.file}: {fact!r}"
        for label in labels.values()
        for fact in label.key_facts
        if label.file not in by_file or not has_fact(by_file[label.file], fact)
    ]
    if wrong:
        raise ValueError("key facts not found in their own article: " + "; ".join(wrong))


class SplitterTokenizer:
    """The tokenizer sumy asks for, built on our sentence splitter: sumy's own needs NLTK data."""

    language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        """Sentences as the briefing engine splits them, so both summarisers pick from the same units."""
        return tuple(split_sentences(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        """Letters-and-digits words, keeping inner apostrophes ("Serbia's")."""
        return tuple(_WORD.findall(sentence))


def lexrank(articles: dict[int, str], budget_chars: int) -> Summary:
    """The best-rated sentences of all articles that fit in the budget, each traced to its article.

    The ratings are sumy's LexRank steps run on the sentence list directly: its `__call__` keys the
    ratings by sentence text, which would merge the identical sentences of republished stories.
    Sentences are taken best first; one that does not fit is skipped and the next tried.
    """
    tokenizer = SplitterTokenizer()
    order = sorted(articles)
    paragraphs = [
        Paragraph([Sentence(s, tokenizer) for s in tokenizer.to_sentences(articles[i])])
        for i in order
    ]
    document = ObjectDocumentModel(paragraphs)
    owners = [i for i, p in zip(order, paragraphs, strict=True) for _ in p.sentences]
    summarizer = LexRankSummarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    sentences = list(document.sentences)
    words = [summarizer._to_words_set(s) for s in sentences]
    matrix = summarizer._create_matrix(
        words, summarizer.threshold, summarizer._compute_tf(words), summarizer._compute_idf(words)
    )
    scores = summarizer.power_method(matrix, summarizer.epsilon)
    ranked = sorted(range(len(sentences)), key=lambda k: (-float(scores[k]), k))
    chosen: list[int] = []
    used = 0
    for k in ranked:
        size = len(str(sentences[k]))
        if used + size <= budget_chars:
            chosen.append(k)
            used += size
    texts = [str(sentences[k]) for k in chosen]
    valid = [_squash(t) in _squash(articles[owners[k]]) for t, k in zip(texts, chosen, strict=True)]
    return Summary(texts, valid, [{owners[k]} for k in chosen])


def _point_valid(where: str, citations: Iterable[int], problems: Sequence[str]) -> bool:
    """A point passes when no problem names it (apart from near-duplicates) or a source it cites."""
    for problem in problems:
        if " say the same thing " in problem:
            continue
        if problem.startswith((f"{where} ", f"{where}:")):
            return False
        if any(problem.startswith(f"source [{ref}] ") for ref in citations):
            return False
    return True


def ours_summary(reply: dict[str, Any], problems: Sequence[str]) -> Summary:
    """Our brief's points, each valid when it passes `verify`, with the articles it cites."""
    ids = {s["ref"]: s["article_id"] for s in reply.get("sources") or []}
    texts, valid, origins = [], [], []
    for where, point in points(reply):
        citations = point.get("citations") or []
        texts.append(point.get("text") or "")
        valid.append(_point_valid(where, citations, problems))
        origins.append({ids[ref] for ref in citations if ref in ids})
    return Summary(texts, valid, origins)


def score(summary: Summary, facts: dict[str, str], off_topic_ids: set[int]) -> dict[str, Any]:
    """The benchmark's figures for one summary."""
    text = normalise(" ".join(summary.texts))
    found = [fact for fact in facts if has_fact(text, fact)]
    pairs = list(itertools.combinations(summary.texts, 2))
    duplicates = [(a, b) for a, b in pairs if jaccard(a, b) >= NEAR_DUPLICATE]
    return {
        "points": len(summary.texts),
        "chars": sum(len(t) for t in summary.texts),
        "key_facts": len(facts),
        "key_facts_found": len(found),
        "recall": len(found) / len(facts) if facts else 0.0,
        "found": [facts[f] for f in found],
        "missed": [facts[f] for f in facts if f not in found],
        "valid": sum(summary.valid),
        "validity": sum(summary.valid) / len(summary.valid) if summary.valid else 0.0,
        "pairs": len(pairs),
        "duplicate_pairs": len(duplicates),
        "redundancy": len(duplicates) / len(pairs) if pairs else 0.0,
        "duplicates": duplicates,
        "furniture": sum(1 for t in summary.texts if is_furniture_line(t)),
        "off_topic_points": sum(1 for o in summary.origins if o and o <= off_topic_ids),
        "texts": summary.texts,
    }


async def measure(budget_chars: int = DEFAULT_BUDGET) -> dict[str, Any]:
    """Build the labelled corpus in a temporary folder and score our brief and LexRank on it."""
    labels = load_labels()
    facts = key_facts(labels)
    with tempfile.TemporaryDirectory(prefix="kfor-quality-") as tmp:
        async with open_corpus(Path(tmp) / "quality.db", clock=lambda: CLOCK) as corpus:
            origin = await ingest_labelled(corpus, labels)
            rows = await corpus.store.db.fetchall("SELECT id, text FROM articles ORDER BY id")
            texts = {row["id"]: decompress_text(row["text"]) for row in rows}
            check_labels(labels, texts, origin)
            reply = await corpus.brief(
                WORKSPACE, since=None, until=CLOCK, budget_chars=budget_chars
            )
            problems = await verify(reply, corpus.store)
    off_topic_ids = {i for i, name in origin.items() if labels[name].off_topic}
    return {
        "budget_chars": budget_chars,
        "articles": len(texts),
        "labelled_files": len(labels),
        "ours": score(ours_summary(reply, problems), facts, off_topic_ids),
        "lexrank": score(lexrank(texts, budget_chars), facts, off_topic_ids),
        "problems": list(problems),
    }


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.1f}%)" if whole else "0/0"


def table(result: dict[str, Any]) -> str:
    """The figures as one Markdown table, with the notes a reader needs to read it right."""
    ours, lex = result["ours"], result["lexrank"]
    rows = [
        ("metric", "ours (corpus.brief)", "LexRank (sumy)"),
        ("---", "---", "---"),
        (
            "key-fact recall",
            _share(ours["key_facts_found"], ours["key_facts"]),
            _share(lex["key_facts_found"], lex["key_facts"]),
        ),
        (
            "citation validity",
            _share(ours["valid"], ours["points"]) + " points pass `verify`",
            "n/a (no citations); traceable: " + _share(lex["valid"], lex["points"]),
        ),
        (
            f"redundancy (pairs with Jaccard >= {NEAR_DUPLICATE})",
            _share(ours["duplicate_pairs"], ours["pairs"]),
            _share(lex["duplicate_pairs"], lex["pairs"]),
        ),
        ("furniture lines", str(ours["furniture"]), str(lex["furniture"])),
        (
            "points from off-topic articles",
            str(ours["off_topic_points"]),
            str(lex["off_topic_points"]),
        ),
        (
            f"length used (budget {result['budget_chars']} chars)",
            f"{ours['chars']} chars, {ours['points']} points",
            f"{lex['chars']} chars, {lex['points']} sentences",
        ),
    ]
    lines = ["| " + " | ".join(row) + " |" for row in rows]
    notes = [
        "",
        f"Corpus: {result['articles']} stored articles from 5 seeds and "
        f"{result['labelled_files'] - 5} files in tests/data/labelled (a republication whose clean "
        "text is its source's is stored once), whole date range, all topics. Key facts: the "
        "distinct hand-labelled "
        "facts of on-topic articles, matched as whole phrases after folding. LexRank ranks the "
        "sentences of the same stored (cleaned) article texts and takes the best that fit the "
        "budget; it has no citations, so its validity is the share of sentences found verbatim in "
        "the article they came from. Lengths and recall count point text only, not the brief's "
        "composed fact lines.",
    ]
    if result["problems"]:
        notes.append(f"`verify` problems with our brief: {len(result['problems'])}")
    return "\n".join(lines + notes)


def details(result: dict[str, Any]) -> str:
    """What each summary missed and repeated, for whoever tunes the engine."""
    ours, lex = result["ours"], result["lexrank"]
    only_lex = sorted(set(lex["found"]) - set(ours["found"]))
    lines = [
        f"Missed by ours: {', '.join(ours['missed']) or 'none'}",
        f"Found by LexRank but not ours: {', '.join(only_lex) or 'none'}",
    ]
    for name, figures in (("ours", ours), ("LexRank", lex)):
        for a, b in figures["duplicates"]:
            lines.append(f"Near-duplicate in {name}: {a[:70]!r} ~ {b[:70]!r}")
    lines += [f"verify: {p}" for p in result["problems"]]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Print the table; with --write also save it to benchmarks/QUALITY.md."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--budget", type=int, default=DEFAULT_BUDGET, help="characters of points")
    parser.add_argument("--write", action="store_true", help="also write benchmarks/QUALITY.md")
    parser.add_argument("--details", action="store_true", help="list misses and near-duplicates")
    args = parser.parse_args(argv)
    result = asyncio.run(measure(args.budget))
    shown = table(result)
    print(shown)
    if args.details:
        print()
        print(details(result))
    if args.write:
        today = dt.datetime.now(dt.UTC).date().isoformat()
        QUALITY_MD.write_text(
            "# Briefing quality against LexRank\n\n"
            f"Measured {today} with Python {platform.python_version()} "
            "by `python benchmarks/quality.py --write`.\n\n"
            f"{shown}\n\n## Details\n\n```\n{details(result)}\n```\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
