"""Derive time on hostile text: every step must be linear, so no input can stall an import.

Usage: python benchmarks/adversarial.py [--sizes 100000,1000000] [--limit SECONDS] [--cases a,b]

Each input is a short unit repeated to the size asked (or built by its own rule), and each run
happens in a subprocess with a time limit, so one super-linear case shows as "> LIMIT s" instead
of stalling the table. Two times are printed per size:
- `derive`: the whole of `briefings.derive.derive` on a draft of that size, as ingest runs it
  (the stored text is capped, see `MAX_STORED_TEXT_CHARS`);
- `steps`: the derive steps run on the whole text, past the cap, with the slowest step named:
  linear steps take about ten times as long on ten times the text.
The last rows time the feed and file readers on their own hostile inputs.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

NOW = dt.datetime(2026, 11, 23, tzinfo=dt.UTC)

# Units repeated to the wanted size; each once made a derive step super-linear (issue 21).
UNITS = {
    "deadline words": "by 1 Jan ",
    "open single quotes": "'a ",
    "casualty figures": "killed 1 ",
    "casualty figures with dates": "killed 1 Jan ",
    "casualty lists": "deaths of 1 a, ",
    "force names before figures": "NATO Serbia 1 ",
    "troops by a figure": "KFOR troops rose by 1 ",
    "digits and number words": "killed 1 one ",
    "abbreviations": "Mr. ",
    "sentence stops": "a. ",
    "lines running on": "a\n",
    "capitalised lines running on": "A\n",
    "photo credit without its parenthesis": " photo:",
    "open parentheses": "(a ",
    "open double quotes": '"a ',
    "number words": "one hundred and ",
    "grouped digits": "a 100 ",
    "a single word": "a",
    "spaces": "a ",
}


def hostile_text(case: str, size: int) -> str:
    """The input `case` (a key of UNITS) at `size` characters."""
    unit = UNITS[case]
    body = unit * (size // len(unit))
    if case == "photo credit without its parenthesis":
        return "(" + body + "x"
    return body + "."


def _ordinary(size: int) -> str:
    """Plain news prose of `size` characters: the generated benchmark articles laid end to end."""
    from benchmarks import corpus_gen

    paragraphs: list[str] = []
    total = 0
    for item in corpus_gen.generate(max(1, size // 2000), 1):
        for paragraph in item.paragraphs:
            paragraphs.append(paragraph)
            total += len(paragraph) + 2
            if total >= size:
                return "\n\n".join(paragraphs)
    return "\n\n".join(paragraphs)


def _steps(text: str) -> dict[str, float]:
    """Seconds of each derive step on the whole text (not capped)."""
    from briefings import signature as sig
    from briefings.dates import date_from_text
    from briefings.facts import extract_facts
    from briefings.fold import fold
    from briefings.models import Precision, Published
    from briefings.text import clean_text, split_sentences, strip_controls
    from briefings.topics import load_profiles, score_sentences

    profiles = load_profiles(())
    times: dict[str, float] = {}

    def timed(name: str, step: Callable[[], object]) -> object:
        started = time.perf_counter()
        result = step()
        times[name] = time.perf_counter() - started
        return result

    clean = timed("clean_text", lambda: clean_text(strip_controls(text), "Title"))
    sentences = timed("split_sentences", lambda: split_sentences(str(clean)))
    assert isinstance(sentences, list)  # noqa: S101 - for the type checker
    timed("date_from_text", lambda: date_from_text(text))
    published = Published(NOW.date(), Precision.DAY)
    timed("extract_facts", lambda: extract_facts(sentences, published))
    timed("score_sentences", lambda: score_sentences(tuple(sentences), profiles))
    folded = timed("fold", lambda: fold(str(clean)))
    timed("signature", lambda: sig.signature(str(folded)))
    return times


def _derive_seconds(text: str) -> float:
    from briefings.derive import EmptyArticle, derive
    from briefings.models import ArticleDraft
    from briefings.topics import load_profiles

    profiles = load_profiles(())
    started = time.perf_counter()
    with contextlib.suppress(EmptyArticle):
        derive(ArticleDraft(title="Title", text=text), profiles)
    return time.perf_counter() - started


def _reader_seconds(case: str, size: int) -> float:
    """Seconds to read a hostile feed or Markdown file of about `size` bytes."""
    from briefings.errors import FeedError
    from briefings.ingest.feeds import parse_feed
    from briefings.ingest.files import read_file

    if case == "item with many attributes":
        attributes = " ".join(f'a{n}="x"' for n in range(size // 8))
        body = (
            '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
            f"<item {attributes}><title>x</title></item></channel></rss>"
        ).encode()
        started = time.perf_counter()
        with contextlib.suppress(FeedError):
            parse_feed(body, {}, None, NOW)
        return time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "heading.md"
        path.write_text("# a" + " " * size + "b\n\nKFOR patrolled the north.\n")
        started = time.perf_counter()
        read_file(path, NOW)
        return time.perf_counter() - started


READERS = ("item with many attributes", "markdown heading with many spaces")


def _one(case: str, size: int) -> dict[str, object]:
    """Run in the child process: the figures for one case and size."""
    if case in READERS:
        return {"read": _reader_seconds(case, size)}
    text = _ordinary(size) if case == "ordinary prose" else hostile_text(case, size)
    steps = _steps(text)
    slowest = max(steps, key=steps.__getitem__)
    return {
        "derive": _derive_seconds(text),
        "steps": sum(steps.values()),
        "slowest": slowest,
    }


def _measure(case: str, size: int, limit: float) -> dict[str, object] | None:
    try:
        done = subprocess.run(  # noqa: S603 - this script, run again with fixed arguments
            [sys.executable, __file__, "--one", case, str(size)],
            capture_output=True,
            text=True,
            timeout=limit,
            check=True,
        )
    except subprocess.TimeoutExpired:
        return None
    return json.loads(done.stdout)


def _shown(seconds: object, limit: float) -> str:
    return f"> {limit:g}" if seconds is None else f"{float(str(seconds)):.2f}"


def main() -> None:
    """Print one row per case: derive and whole-text step times at each size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--limit", type=float, default=60.0, help="seconds per run")
    parser.add_argument("--cases", help="comma-separated case names (default: all)")
    parser.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(_one(args.one[0], int(args.one[1]))))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    cases = args.cases.split(",") if args.cases else [*UNITS, "ordinary prose", *READERS]
    header = " | ".join(f"{n:,} chars: derive s / steps s (slowest)" for n in sizes)
    print(f"| input | {header} |")
    print("|---|" + "---|" * len(sizes))
    for case in cases:
        cells = []
        for size in sizes:
            figures = _measure(case, size, args.limit)
            if case in READERS:
                cells.append(f"read {_shown(figures and figures['read'], args.limit)}")
            elif figures is None:
                cells.append(f"> {args.limit:g}")
            else:
                derive_s = _shown(figures["derive"], args.limit)
                steps_s = _shown(figures["steps"], args.limit)
                cells.append(f"{derive_s} / {steps_s} ({figures['slowest']})")
        print(f"| {case} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
