"""Measure kfor-bot at scale beside feedparser, reader and LexRank, and write benchmarks/RESULTS.md.

Usage: python benchmarks/run.py [--quick | --articles N --feeds F] [--runs R] [--profile]

Each phase runs in its own subprocess so that its peak RSS (VmHWM) is its own.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gc
import io
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import corpus_gen  # noqa: E402
from benchmarks.stores import BenchStore  # noqa: E402

WORKSPACE = "bench"
NOW = corpus_gen.END + dt.timedelta(days=1)
WINDOW = dt.timedelta(days=7)
QUERIES = (
    "KFOR troops",
    "Jarinje border crossing",
    "barricades Zvecan",
    "license plates deadline",
    "inflation",
    "elections Montenegro",
)
DEFAULT_POLL_CONCURRENCY = 8  # the product's default cap
LEXRANK_MAX_ARTICLES = 50
# Articles in the window of the wide brief: the scale at which the brief must still be fast.
BRIEF_SCALE_ARTICLES = 5_000
LEXRANK_SENTENCES = 10
CHANGED_SHARE = 0.05
NOTES_MARKER = "<!-- notes: text below this line is kept when the table is rewritten -->"
TARGETS = {
    "ingest": 1_000.0,
    "ratio": 2.0,
    "poll304": 30.0,
    "status": 50.0,
    "search": 50.0,
    "brief": 300.0,
    "rss_serve": 400.0,
    "db_ratio": 3.0,
    "processes": 2.0,
}


def clock() -> dt.datetime:
    """The benchmark's fixed 'now': a day after the newest generated article."""
    return NOW


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM), in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """CPU time (user + system) of this process and of its children that have exited."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


class TreeRss:
    """Peak resident memory of this process and its children together, sampled every 20 ms.

    VmHWM is per process: the workers' memory comes on top of the main process's, at the same
    time, so the peak of the sum is what the machine must have.
    """

    def __init__(self) -> None:
        import threading

        self.peak_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> TreeRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        while not self._stop.wait(0.02):
            self.peak_mb = max(self.peak_mb, _tree_rss_mb(os.getpid()))


def _tree_rss_mb(pid: int) -> float:
    """Current resident memory of `pid` and all its descendants, in MB (0 where unreadable)."""
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return total


def feed_files(data: Path) -> list[Path]:
    """The generated feed files, in name order."""
    return sorted(data.glob("feed_*.xml"))


def newest(data: Path) -> dt.datetime:
    """The newest article date in the generated corpus: the end of the 7-day brief window."""
    return dt.datetime.fromisoformat(json.loads((data / "manifest.json").read_text())["newest"])


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile; enough for a few dozen samples."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


# Phases: each runs in its own subprocess, started by `child`.


def phase_feedparser(args: argparse.Namespace) -> dict[str, Any]:
    """feedparser's parse alone on the same files, read from disk: the floor for our ingest.

    Timed with its defaults (what a user of feedparser gets) and as the pipeline calls it.
    """
    import feedparser

    from briefings.ingest.feeds import PARSE_OPTIONS

    found: dict[str, Any] = {}
    for name, options in (("seconds", {}), ("pipeline_seconds", PARSE_OPTIONS)):
        samples, cpu, entries = [], [], 0
        for _ in range(args.runs):
            start, start_cpu = time.perf_counter(), time.process_time()
            entries = 0
            for path in feed_files(args.data):
                entries += len(feedparser.parse(io.BytesIO(path.read_bytes()), **options).entries)
            samples.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        found[name] = samples
        found[f"{name}_cpu"] = cpu
    return {**found, "entries": entries, "rss_mb": peak_rss_mb()}


async def _ingest(args: argparse.Namespace, files: Sequence[Path]) -> tuple[float, int]:
    from briefings.corpus import open_corpus
    from briefings.ingest.fetch import FetchLimits

    added = 0
    async with open_corpus(
        BenchStore(args.db).opened_as(),
        limits=FetchLimits(allow_private_networks=True),
        clock=clock,
    ) as corpus:
        profiler = _profiler(args)
        start = time.perf_counter()
        async for outcome in corpus.ingest_files(files, workspace=WORKSPACE):
            if outcome.report is None:
                raise RuntimeError(f"{outcome.path}: {outcome.reason}")
            added += outcome.report.added
        seconds = time.perf_counter() - start
        _save_profile(profiler, args, "ingest")
    return seconds, added


def phase_ingest(args: argparse.Namespace) -> dict[str, Any]:
    """Every feed file through Corpus.ingest_files into a fresh database (seeds loaded untimed).

    CPU counts the main process and the workers (children, counted once they exit: the corpus
    shuts its pool down on close), opening the database and loading the seeds included.
    """
    BenchStore(args.db).reset()
    start_cpu = cpu_seconds()
    with TreeRss() as tree:
        seconds, added = asyncio.run(_ingest(args, feed_files(args.data)))
    return {
        "seconds": seconds,
        "added": added,
        "cpu_s": cpu_seconds() - start_cpu,
        "rss_mb": peak_rss_mb(),
        "tree_rss_mb": tree.peak_mb,
    }


def phase_ingest_part(args: argparse.Namespace) -> dict[str, Any]:
    """One of --processes processes sharing a store: every --processes-th feed file, from --part."""
    seconds, added = asyncio.run(_ingest(args, feed_files(args.data)[args.part :: args.processes]))
    return {"seconds": seconds, "added": added}


def phase_stages(args: argparse.Namespace) -> dict[str, Any]:
    """Ingest split into parse, derive and store, timed apart, to show where ingest time goes."""
    from briefings.corpus import _derive_each, _split
    from briefings.ingest.files import read_file
    from briefings.topics import load_profiles

    files = feed_files(args.data)
    profiles = load_profiles(())
    start = time.perf_counter()
    drafts = [d for path in files for d in read_file(path, NOW)]
    parsed = time.perf_counter()
    profiler = _profiler(args)
    derived, _ = _split(_derive_each(drafts, profiles))
    _save_profile(profiler, args, "derive")
    done = time.perf_counter()
    return {
        "parse_s": parsed - start,
        "derive_s": done - parsed,
        "drafts": len(drafts),
        "derived": len(derived),
    }


async def _serve(args: argparse.Namespace) -> tuple[dict[str, list[float]], int]:
    from briefings.corpus import open_corpus
    from briefings.ingest.fetch import FetchLimits

    until = newest(args.data)
    since = until - WINDOW
    store = BenchStore(args.db)
    wide_since, wide_articles = window_holding(store, until, BRIEF_SCALE_ARTICLES)
    timings: dict[str, list[float]] = {}
    async with open_corpus(
        store.opened_as(), limits=FetchLimits(allow_private_networks=True), clock=clock
    ) as corpus:
        gc.freeze()  # as the bot does once started (bot.run.freeze_start_up)
        commands: dict[str, Callable[[int], Any]] = {
            "status": lambda i: corpus.status(WORKSPACE),
            "brief": lambda i: corpus.brief(WORKSPACE, since=since, until=until),
            "brief_wide": lambda i: corpus.brief(WORKSPACE, since=wide_since, until=until),
            "search": lambda i: corpus.search(WORKSPACE, QUERIES[i % len(QUERIES)], 10),
            "timeline": lambda i: corpus.timeline(WORKSPACE),
        }
        for name, command in commands.items():
            profiler = _profiler(args)
            samples: list[float] = []
            spent = 0.0
            warm = False
            # The first call warms caches and is dropped, unless the command is so slow that a
            # warm cache cannot matter and the budget allows only a couple of calls.
            while len(samples) < args.samples and (spent < args.command_budget or len(samples) < 2):
                start = time.perf_counter()
                await command(len(samples))
                took = time.perf_counter() - start
                spent += took
                if warm or took > args.command_budget / 4:
                    samples.append(took * 1000)
                warm = True
            _save_profile(profiler, args, f"serve_{name}")
            timings[name] = samples
    return timings, wide_articles


def window_holding(store: BenchStore, until: dt.datetime, articles: int) -> tuple[dt.datetime, int]:
    """The start of a window ending at `until` that holds about `articles` stored articles (all
    of them, in a smaller corpus), and how many it holds."""
    found = store.rows(
        "SELECT published FROM articles WHERE is_seed = 0 AND published IS NOT NULL "
        "AND published <= ? ORDER BY published DESC LIMIT 1 OFFSET ?",
        (until.date().isoformat(), articles - 1),
    ) or store.rows("SELECT MIN(published) FROM articles WHERE is_seed = 0")
    since = dt.datetime.fromisoformat(found[0][0][:10]).replace(tzinfo=dt.UTC)
    ((held,),) = store.rows(
        "SELECT COUNT(*) FROM articles WHERE is_seed = 0 AND published >= ? AND published <= ?",
        (since.date().isoformat(), until.date().isoformat()),
    )
    return since, held


def phase_serve(args: argparse.Namespace) -> dict[str, Any]:
    """status, brief, search and timeline latency in-process on the ingested database; brief
    also over a window of BRIEF_SCALE_ARTICLES articles."""
    timings, wide_articles = asyncio.run(_serve(args))
    return {"ms": timings, "wide_articles": wide_articles, "rss_mb": peak_rss_mb()}


def phase_server(args: argparse.Namespace) -> dict[str, Any]:
    """A loopback feed server: serves each feed file with an ETag and answers 304 when unchanged.

    Before `/_control/full` it serves empty feeds, so feeds can be subscribed cheaply; each
    `/_control/bump?round=K` gives a share of the feeds one new item and a new ETag.
    """
    import random

    from aiohttp import web

    files = feed_files(args.data)
    state: dict[str, Any] = {"full": False, "generation": [0] * len(files)}

    def etag(index: int) -> str:
        prefix = "f" if state["full"] else "e"
        return f'"{prefix}{index}-{state["generation"][index]}"'

    async def feed(request: web.Request) -> web.Response:
        index = int(request.match_info["index"])
        if index >= len(files):
            raise web.HTTPNotFound
        tag = etag(index)
        if request.headers.get("If-None-Match") == tag:
            return web.Response(status=304, headers={"ETag": tag})
        if not state["full"]:
            body = corpus_gen.feed_xml(index, []).encode()
        else:
            body = files[index].read_bytes()
            extra = "".join(
                corpus_gen.extra_item(index, g) for g in range(1, state["generation"][index] + 1)
            ).encode()
            cut = body.find(b"<item>")
            cut = cut if cut >= 0 else body.rfind(b"</channel>")
            body = body[:cut] + extra + body[cut:]
        return web.Response(body=body, headers={"ETag": tag, "Content-Type": "application/rss+xml"})

    async def control(request: web.Request) -> web.Response:
        what = request.match_info["what"]
        if what in ("full", "reset"):
            state["full"] = what == "full"
            state["generation"] = [0] * len(files)
        else:
            rng = random.Random(int(request.query.get("round", "0")))
            share = float(request.query.get("share", str(CHANGED_SHARE)))
            count = max(1, round(share * len(files)))
            for index in rng.sample(range(len(files)), count):
                state["generation"][index] += 1
        return web.Response(text="ok")

    async def main() -> None:
        app = web.Application()
        app.router.add_get("/feed/{index}.xml", feed)
        app.router.add_post("/_control/{what}", control)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        print(json.dumps({"port": port}), flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)
        await runner.cleanup()

    asyncio.run(main())
    return {}


async def _poll(args: argparse.Namespace, base: str, concurrency: int) -> dict[str, Any]:
    import aiohttp

    from briefings.corpus import open_corpus
    from briefings.ingest.fetch import FetchLimits

    files = feed_files(args.data)
    store = BenchStore(args.db)
    store.reset()
    result: dict[str, Any] = {
        "rounds304": [],
        "probed_round": [],
        "during_ms": {"status": [], "search": []},
        "concurrency": concurrency,
    }
    async with (
        aiohttp.ClientSession() as control,
        open_corpus(
            store.opened_as(),
            limits=FetchLimits(allow_private_networks=True),
            clock=clock,
            poll_concurrency=concurrency,
        ) as corpus,
    ):
        gc.freeze()  # as the bot does once started (bot.run.freeze_start_up)
        (await control.post(f"{base}/_control/reset")).release()
        for index in range(len(files)):
            await corpus.add_feed(WORKSPACE, f"{base}/feed/{index}.xml", "bench")
        (await control.post(f"{base}/_control/full")).release()
        start = time.perf_counter()
        outcomes = await corpus.poll(due_only=False)
        result["first_s"] = time.perf_counter() - start
        result["first_added"] = sum(o.report.added for o in outcomes)
        rejected = [reason for o in outcomes for reason in o.report.rejected]
        result["first_rejected"] = len(rejected)
        result["first_rejected_examples"] = rejected[:3]
        result["first_errors"] = [o.error for o in outcomes if o.error][:3]
        # Clean rounds give the 304 figure; probed rounds run commands beside it, since a command
        # that holds the event loop also holds up the poll. The two alternate (ABAB), so machine
        # drift falls on both, and there are several probed rounds: one gave about 40 samples of
        # each command, too few for a p95.
        plan = [
            probed
            for i in range(max(args.runs, args.probed_rounds))
            for probed in (False, True)
            if i < (args.probed_rounds if probed else args.runs)
        ]
        for round_no, probed in enumerate(plan, start=1):
            (await control.post(f"{base}/_control/bump?round={round_no}")).release()
            done = asyncio.Event()
            prober = (
                asyncio.create_task(probe(corpus, done, result["during_ms"])) if probed else None
            )
            start = time.perf_counter()
            outcomes = await corpus.poll(due_only=False)
            seconds = time.perf_counter() - start
            done.set()
            if prober is not None:
                await prober
            result["probed_round" if probed else "rounds304"].append(
                {
                    "seconds": seconds,
                    "not_modified": sum(o.not_modified for o in outcomes),
                    "added": sum(o.report.added for o in outcomes),
                    "errors": sum(1 for o in outcomes if o.error),
                }
            )
    return result


async def probe(corpus: Any, done: asyncio.Event, during: dict[str, list[float]]) -> None:
    """status and search, one after the other, until the poll round is over."""
    i = 0
    while not done.is_set():
        for name in ("status", "search"):
            begin = time.perf_counter()
            if name == "status":
                await corpus.status(WORKSPACE)
            else:
                await corpus.search(WORKSPACE, QUERIES[i % len(QUERIES)], 10)
            during[name].append((time.perf_counter() - begin) * 1000)
        i += 1
        await asyncio.sleep(0.05)


def phase_poll(args: argparse.Namespace) -> dict[str, Any]:
    """Subscribe every feed over HTTP, poll once (all 200), then poll rounds where most are 304.

    If the default concurrency fails (a product bug, reported rather than hidden), the rounds are
    measured again with one feed at a time so the table still has a figure.
    """
    from briefings.errors import KforError

    server = subprocess.Popen(  # noqa: S603 - our own interpreter and script
        [sys.executable, __file__, "--phase", "server", "--data", str(args.data)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None  # noqa: S101 - set by Popen above
        port = json.loads(server.stdout.readline())["port"]
        base = f"http://127.0.0.1:{port}"
        try:
            result = asyncio.run(_poll(args, base, DEFAULT_POLL_CONCURRENCY))
        except KforError as exc:
            result = asyncio.run(_poll(args, base, 1))
            result["default_failed"] = f"{type(exc).__name__}: {exc}"
    finally:
        server.communicate(input="", timeout=30)
    result["rss_mb"] = peak_rss_mb()
    return result


def phase_reader(args: argparse.Namespace) -> dict[str, Any]:
    """reader on the same files: update_feeds without search, then update_search, then search."""
    from reader import make_reader

    # Every file of an earlier run, its search database (`reader.sqlite.search`) included: left
    # in place, the search index grew with each run and its figures with it.
    db = Path(args.db)
    for stale in db.parent.glob(f"{db.name}*"):
        stale.unlink()
    reader = make_reader(args.db, feed_root="", search_enabled=None)
    for path in feed_files(args.data):
        reader.add_feed(path.as_uri())
    start = time.perf_counter()
    reader.update_feeds()
    update_s = time.perf_counter() - start
    entries = reader.get_entry_counts().total
    rss_ingest = peak_rss_mb()
    start = time.perf_counter()
    reader.enable_search()
    reader.update_search()
    index_s = time.perf_counter() - start
    list(reader.search_entries(QUERIES[0], limit=10))
    samples = []
    for i in range(args.samples):
        start = time.perf_counter()
        list(reader.search_entries(QUERIES[i % len(QUERIES)], limit=10))
        samples.append((time.perf_counter() - start) * 1000)
    reader.close()
    return {
        "update_s": update_s,
        "index_s": index_s,
        "entries": entries,
        "search_ms": samples,
        "rss_ingest_mb": rss_ingest,
        "rss_mb": peak_rss_mb(),
        "db_bytes": BenchStore(args.db).size_bytes(),
        "search_db_bytes": BenchStore(f"{args.db}.search").size_bytes(),
    }


class WordTokenizer:
    """sumy's tokenizer interface on our own sentence splitter (NLTK data cannot be downloaded)."""

    language = "english"
    _word = re.compile(r"[^\W\d_]+(?:['\u2019-][^\W\d_]+)*|\d+(?:[.,]\d+)*")

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        """Sentences as the product splits them, so both summarisers see the same units."""
        from briefings.text import split_sentences

        return tuple(split_sentences(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        """Words and numbers; punctuation dropped."""
        return tuple(self._word.findall(sentence))


def phase_lexrank(args: argparse.Namespace) -> dict[str, Any]:
    """LexRank (sumy) over the on-topic articles of the same 7-day window the brief covers."""
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer

    from briefings.store.articles import decompress_text

    until = newest(args.data)
    since = until - WINDOW
    window = BenchStore(args.db).rows(
        "SELECT text, topics FROM articles WHERE is_seed = 0 AND published >= ? "
        "AND published <= ? ORDER BY published DESC",
        (since.date().isoformat(), until.date().isoformat()),
    )
    on_topic = [decompress_text(text) for text, topics in window if json.loads(topics)]
    chosen = on_topic[:LEXRANK_MAX_ARTICLES]
    parser = PlaintextParser.from_string("\n\n".join(chosen), WordTokenizer())
    summarizer = LexRankSummarizer(Stemmer("english"))
    samples = []
    for _ in range(args.runs):
        start = time.perf_counter()
        summarizer(parser.document, LEXRANK_SENTENCES)
        samples.append(time.perf_counter() - start)
    return {
        "seconds": samples,
        "window_articles": len(window),
        "on_topic": len(on_topic),
        "articles": len(chosen),
        "sentences": len(parser.document.sentences),
    }


def _profiler(args: argparse.Namespace) -> Any:
    if not args.profile:
        return None
    from pyinstrument import Profiler

    profiler = Profiler(async_mode="enabled")
    profiler.start()
    return profiler


def _save_profile(profiler: Any, args: argparse.Namespace, name: str) -> None:
    if profiler is None:
        return
    profiler.stop()
    out = args.work / "profiles"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.txt").write_text(profiler.output_text(unicode=False, color=False))


PHASES: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {
    "feedparser": phase_feedparser,
    "ingest": phase_ingest,
    "ingest_part": phase_ingest_part,
    "stages": phase_stages,
    "serve": phase_serve,
    "server": phase_server,
    "poll": phase_poll,
    "reader": phase_reader,
    "lexrank": phase_lexrank,
}


# Orchestration: runs the phases and turns their JSON into the table.


def child(phase: str, args: argparse.Namespace, **extra: Any) -> dict[str, Any]:
    """Run one phase in a fresh interpreter and return the JSON it printed last."""
    started = time.perf_counter()
    command = child_command(phase, args, **extra)
    done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    print(f"  {phase}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    return child_result(phase, done.returncode, done.stdout, done.stderr)


def child_result(phase: str, returncode: int, stdout: str, stderr: str) -> dict[str, Any]:
    """The JSON a phase printed last; its error output when it failed."""
    if returncode != 0:
        raise RuntimeError(f"phase {phase} failed:\n{stderr[-3000:]}")
    return dict(json.loads(stdout.strip().splitlines()[-1]))


def child_command(phase: str, args: argparse.Namespace, **extra: Any) -> list[str]:
    """The command line of one phase's interpreter."""
    command = [
        sys.executable,
        __file__,
        "--phase",
        phase,
        "--data",
        str(args.data),
        "--work",
        str(args.work),
        "--runs",
        str(extra.pop("runs", args.runs)),
        "--samples",
        str(args.samples),
        "--probed-rounds",
        str(args.probed_rounds),
        "--command-budget",
        str(args.command_budget),
    ]
    for key, value in extra.items():
        command += [f"--{key}", str(value)]
    if args.profile and phase in ("ingest", "serve", "stages"):
        command.append("--profile")
    return command


def ingest_in_processes(args: argparse.Namespace, db: str, deadline: float) -> list[dict[str, Any]]:
    """Wall time to ingest every feed file by one process and by --processes processes sharing
    the store, alternating (ABAB) while the time budget allows and no process has stopped."""
    runs: list[dict[str, Any]] = []
    for _ in range(args.runs if args.processes > 1 else 0):
        started = time.perf_counter()
        runs += [ingest_together(args, db, processes) for processes in (1, args.processes)]
        stopped = any(run["failed"] for run in runs)
        if stopped or time.perf_counter() + (time.perf_counter() - started) > deadline:
            break
    return runs


def ingest_together(args: argparse.Namespace, db: str, processes: int) -> dict[str, Any]:
    """Start `processes` ingesting a share of the files each into one empty store (its schema and
    the seeds made first, untimed), and time them from the first start to the last exit. A
    process that stops (SQLite's write lock can outlast its wait) is reported by its last error
    line in "failed", so the table says so instead of the whole benchmark run being lost."""
    BenchStore(db).reset()
    asyncio.run(_ingest(argparse.Namespace(**{**vars(args), "db": db}), []))
    extra = {"db": db, "processes": processes, "runs": 1}
    started = time.perf_counter()
    running = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and script
            child_command("ingest_part", args, part=part, **extra),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for part in range(processes)
    ]
    outputs = [p.communicate() for p in running]
    seconds = time.perf_counter() - started
    print(f"  ingest in {processes} process(es): {seconds:.1f} s", file=sys.stderr, flush=True)
    stopped: list[str] = []
    added = 0
    for p, (out, err) in zip(running, outputs, strict=True):
        if p.returncode:
            stopped.append((err.strip().splitlines() or ["no error output"])[-1])
        else:
            added += child_result("ingest_part", p.returncode, out, err)["added"]
    return {
        "processes": processes,
        "seconds": seconds,
        "added": added,
        "failed": f"{len(stopped)} of {processes} stopped: {stopped[0]}" if stopped else "",
    }


def spread(values: Sequence[float], fmt: str = "{:,.0f}") -> str:
    """'median (min-max)' of several runs, or the one value."""
    if not values:
        return "n/a"
    med = fmt.format(statistics.median(values))
    if len(values) == 1:
        return f"{med} (1 run)"
    return f"{med} ({fmt.format(min(values))}-{fmt.format(max(values))})"


def latency(runs: Sequence[Sequence[float]]) -> str:
    """p50 / p95 per run, each as the median of the runs with min-max."""
    p50 = [percentile(r, 0.50) for r in runs if r]
    p95 = [percentile(r, 0.95) for r in runs if r]
    return f"p50 {spread(p50, '{:,.1f}')} / p95 {spread(p95, '{:,.1f}')}"


def median_p95(runs: Sequence[Sequence[float]]) -> float:
    """The median over runs of each run's p95: the figure a latency target is judged on."""
    return statistics.median(percentile(r, 0.95) for r in runs if r)


def verdict(value: float, target: float, *, below: bool = True) -> str:
    """'met' or 'MISSED' for a median against its target."""
    ok = value <= target if below else value >= target
    return "met" if ok else "**MISSED**"


def repeat(
    phase: str, args: argparse.Namespace, deadline: float, **extra: Any
) -> list[dict[str, Any]]:
    """Up to --runs runs of an expensive phase, stopping early when one more would pass the budget.

    A slow product must not make the CI smoke run slow; the table marks such figures "(1 run)".
    """
    results: list[dict[str, Any]] = []
    for _ in range(args.runs):
        started = time.perf_counter()
        results.append(child(phase, args, **extra))
        if time.perf_counter() + (time.perf_counter() - started) > deadline:
            break
    return results


def measure(args: argparse.Namespace) -> dict[str, Any]:
    """Every phase, a few runs each; expensive phases repeat only while the time budget allows.

    Compared phases alternate run by run (ABAB): feedparser's parse, then our ingest; our
    commands, then reader's search. A change in the machine's speed then falls on both sides.
    """
    manifest = corpus_gen.write_corpus(args.data, args.articles, args.feeds)
    deadline = time.perf_counter() + args.budget
    found: dict[str, Any] = {"manifest": manifest.__dict__}
    db = args.store or str(args.work / "kfor.sqlite")
    for name in ("feedparser", "ingest", "serve", "reader"):
        found[name] = []
    for _ in range(args.runs):
        started = time.perf_counter()
        found["feedparser"].append(child("feedparser", args, runs=1))
        found["ingest"].append(child("ingest", args, db=db, runs=1))
        found["serve"].append(child("serve", args, db=db))
        if not args.no_peers:
            found["reader"].append(child("reader", args, db=args.work / "reader.sqlite", runs=1))
        if time.perf_counter() + (time.perf_counter() - started) > deadline - args.budget * 0.4:
            break
    found["db_bytes"] = BenchStore(db).size_bytes()
    if args.profile:
        found["stages"] = child("stages", args, runs=1)
    if not args.no_peers:
        found["lexrank"] = child("lexrank", args, db=db)
    found["ingest_processes"] = ingest_in_processes(args, db, deadline)
    if not args.no_poll:
        poll_db = args.store or str(args.work / "poll.sqlite")
        found["poll"] = repeat("poll", args, deadline, db=poll_db)
    return found


def table(found: dict[str, Any], args: argparse.Namespace) -> str:
    """The one results table, kfor-bot beside its peer and the target, as Markdown."""
    from briefings.store.search import MAX_RANKED

    manifest = found["manifest"]
    n = manifest["articles"]
    parsed = found["feedparser"]  # one run each, paired with the ingest run after it
    ingest = found["ingest"][: len(parsed)]
    entries = parsed[0]["entries"]
    fp_rate = [entries / r["seconds"][0] for r in parsed]
    fp_ours_rate = [entries / r["pipeline_seconds"][0] for r in parsed]
    ours_rate = [r["added"] / r["seconds"] for r in ingest]
    rows: list[tuple[str, str, str, str]] = []
    reader = found.get("reader") or []
    reader_rate = [r["entries"] / r["update_s"] for r in reader]
    reader_full = [r["entries"] / (r["update_s"] + r["index_s"]) for r in reader]
    rows.append(
        (
            "Ingest, articles/s (parse, clean, dedup, topics, facts, store, FTS)",
            spread(ours_rate),
            f"reader update_feeds: {spread(reader_rate)}; with update_search: "
            f"{spread(reader_full)}; feedparser parse alone: {spread(fp_rate)} with its "
            f"defaults, {spread(fp_ours_rate)} as kfor-bot calls it (no HTML sanitiser)",
            f">= {TARGETS['ingest']:,.0f}/s: {verdict(statistics.median(ours_rate), TARGETS['ingest'], below=False)}; "
            + (
                f"faster than reader: {verdict(statistics.median(ours_rate), statistics.median(reader_full), below=False)}"
                if reader
                else ""
            ),
        )
    )
    pairs = list(zip(parsed, ingest, strict=True))
    ratio_values = [i["seconds"] / f["seconds"][0] for f, i in pairs]
    ratio_ours = [i["seconds"] / f["pipeline_seconds"][0] for f, i in pairs]
    rows.append(
        (
            "Ingest wall time / feedparser parse time (its defaults; ingest on 2 cores, feedparser on 1)",
            spread(ratio_values, "{:,.1f}x"),
            f"1.0x by definition; against feedparser as kfor-bot calls it: "
            f"{spread(ratio_ours, '{:,.1f}x')}",
            "-",
        )
    )
    ours_cpu = [i["cpu_s"] / i["added"] * 1000 for i in ingest]
    fp_cpu = [f["seconds_cpu"][0] / entries * 1000 for f in parsed]
    fp_ours_cpu = [f["pipeline_seconds_cpu"][0] / entries * 1000 for f in parsed]
    cpu_ratio = [i["cpu_s"] / i["added"] / (f["seconds_cpu"][0] / entries) for f, i in pairs]
    cpu_ratio_ours = [
        i["cpu_s"] / i["added"] / (f["pipeline_seconds_cpu"][0] / entries) for f, i in pairs
    ]
    rows.append(
        (
            "Ingest CPU per article, ms (main process and workers; / feedparser's CPU per entry)",
            f"{spread(ours_cpu, '{:,.2f}')}; {spread(cpu_ratio, '{:,.1f}x')} feedparser's",
            f"feedparser parse alone: {spread(fp_cpu, '{:,.2f}')} with its defaults, "
            f"{spread(fp_ours_cpu, '{:,.2f}')} as kfor-bot calls it "
            f"(ours against that: {spread(cpu_ratio_ours, '{:,.1f}x')})",
            f"<= {TARGETS['ratio']:.0f}x feedparser's CPU: "
            + verdict(statistics.median(cpu_ratio), TARGETS["ratio"]),
        )
    )
    rows += ingest_processes_rows(found.get("ingest_processes") or [])
    polls = found.get("poll") or []
    if polls:
        first = [p["first_s"] for p in polls]
        rounds = [r for p in polls for r in p["rounds304"]]
        r304 = [r["seconds"] for r in rounds]
        nm = statistics.median([r["not_modified"] for r in rounds]) if rounds else 0
        scale = 1000 / manifest["feeds"]
        failed = [p["default_failed"] for p in polls if p.get("default_failed")]
        concurrency = polls[0]["concurrency"]
        if failed:
            rows.append(
                (
                    f"Poll at the default concurrency ({DEFAULT_POLL_CONCURRENCY})",
                    f"**FAILED** in every run: {failed[0][:160]}",
                    "-",
                    f"rows below measured with poll_concurrency={concurrency}",
                )
            )
        stored = [p["first_added"] for p in polls]
        refused = [p["first_rejected"] for p in polls if "first_rejected" in p]
        rows.append(
            (
                f"Poll round over HTTP, {manifest['feeds']} feeds, first fetch (all 200), s",
                spread(first, "{:,.1f}"),
                "-",
                f"stored {spread(stored)} of {n:,} articles, rejected {spread(refused)}: "
                + ("ok" if min(stored) >= n * 0.99 else "**ARTICLES LOST**"),
            )
        )
        r304_median = statistics.median(r304)
        extrapolated = (
            f"; x{scale:g} linear extrapolation to 1,000 feeds: {r304_median * scale:,.0f} s"
            if scale != 1
            else ""
        )
        rows.append(
            (
                f"Poll round, {nm:.0f} of {manifest['feeds']} answer 304 (the rest gained 1 item), s",
                spread(r304, "{:,.2f}"),
                "-",
                f"< {TARGETS['poll304']:.0f} s at 1,000 feeds: "
                + verdict(r304_median * scale, TARGETS["poll304"])
                + extrapolated,
            )
        )
        probed = [r["seconds"] for p in polls for r in p.get("probed_round", [])]
        if probed:
            rows.append(
                (
                    "Same 304 round while `status` and `search` run in-process, s",
                    spread(probed, "{:,.2f}"),
                    "-",
                    f"< {TARGETS['poll304']:.0f} s at 1,000 feeds: "
                    + verdict(statistics.median(probed) * scale, TARGETS["poll304"]),
                )
            )
        during = {
            name: [p["during_ms"][name] for p in polls if p["during_ms"][name]]
            for name in ("status", "search")
        }
        for name, values in during.items():
            if values:
                limit = TARGETS[name]
                rows.append(
                    (
                        f"`{name}` while the 304 round runs, ms",
                        latency(values),
                        "-",
                        f"p95 < {limit:.0f} ms: {verdict(median_p95(values), limit)}",
                    )
                )
    serve = found["serve"]
    reader_search = [r["search_ms"] for r in reader]
    lex = found.get("lexrank")
    for name in ("status", "brief", "search", "timeline"):
        runs = [s["ms"][name] for s in serve]
        p95 = median_p95(runs)
        peer, target = "-", "-"
        if name == "search":
            peer = (
                f"reader search_entries: {latency(reader_search)}. Not the same work: reader "
                f"ranks every match, kfor-bot the {MAX_RANKED:,} most recently stored"
                if reader
                else "-"
            )
            target = f"p95 < {TARGETS['search']:.0f} ms: {verdict(p95, TARGETS['search'])}"
            if reader:
                reader_p95 = median_p95(reader_search)
                target += f"; faster than reader: {verdict(p95, reader_p95)}"
        elif name == "status":
            target = f"p95 < {TARGETS['status']:.0f} ms: {verdict(p95, TARGETS['status'])}"
        elif name == "brief":
            target = f"p95 < {TARGETS['brief']:.0f} ms: {verdict(p95, TARGETS['brief'])}"
            if lex and lex["articles"]:
                peer = (
                    f"LexRank (sumy), {lex['articles']} on-topic articles / {lex['sentences']} "
                    f"sentences of the window: {spread([s * 1000 for s in lex['seconds']])} ms"
                )
                target += "; faster than LexRank: " + verdict(
                    p95, statistics.median(lex["seconds"]) * 1000
                )
        label = "`brief` (7-day window)" if name == "brief" else f"`{name}`"
        rows.append((f"{label} latency, ms", latency(runs), peer, target))
        if name == "brief" and all("brief_wide" in s["ms"] for s in serve):
            wide = [s["ms"]["brief_wide"] for s in serve]
            held = statistics.median(s["wide_articles"] for s in serve)
            rows.append(
                (
                    f"`brief` over a window of {held:,.0f} articles, ms",
                    latency(wide),
                    "-",
                    f"p95 < {TARGETS['brief']:.0f} ms"
                    + (f" at {BRIEF_SCALE_ARTICLES:,}" if held >= BRIEF_SCALE_ARTICLES else "")
                    + f": {verdict(median_p95(wide), TARGETS['brief'])}",
                )
            )
    rss_ingest = [r["rss_mb"] for r in found["ingest"]]
    rss_tree = [r["tree_rss_mb"] for r in found["ingest"]]
    rows.append(
        (
            "Peak RSS during ingest, MB: main process; with the workers (sum, sampled every 20 ms)",
            f"{spread(rss_ingest)}; {spread(rss_tree)}",
            f"reader: {spread([r['rss_ingest_mb'] for r in reader])}" if reader else "-",
            "-",
        )
    )
    rss_serve = [s["rss_mb"] for s in serve]
    rows.append(
        (
            "Peak RSS while serving commands, MB",
            spread(rss_serve),
            "-",
            f"< {TARGETS['rss_serve']:.0f} MB: {verdict(statistics.median(rss_serve), TARGETS['rss_serve'])}",
        )
    )
    raw = manifest["raw_chars"]
    db_ratio = found["db_bytes"] / raw
    rows.append(
        (
            "Database size / raw text size",
            f"{db_ratio:.2f}x ({found['db_bytes'] / 1e6:,.0f} MB / {raw / 1e6:,.0f} MB)",
            f"reader: {statistics.median(r['db_bytes'] + r['search_db_bytes'] for r in reader) / raw:.2f}x "
            f"with its search database, "
            f"{statistics.median(r['db_bytes'] for r in reader) / raw:.2f}x without"
            if reader
            else "-",
            f"< {TARGETS['db_ratio']:.0f}x: {verdict(db_ratio, TARGETS['db_ratio'])}",
        )
    )
    lines = ["| measure | kfor-bot | peer | target |", "|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    header = (
        f"{n:,} articles in {manifest['feeds']:,} feeds ({manifest['raw_bytes'] / 1e6:,.0f} MB of RSS); "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"up to {args.runs} run(s) per figure (marked '1 run' where only one fitted the time budget), "
        f"up to {args.samples} samples per latency run"
    )
    return header + "\n\n" + "\n".join(lines)


def ingest_processes_rows(runs: Sequence[dict[str, Any]]) -> list[tuple[str, str, str, str]]:
    """The row comparing one ingesting process with several sharing the store (paired runs)."""
    single = [r for r in runs if r["processes"] == 1]
    shared = [r for r in runs if r["processes"] > 1]
    if not single or not shared:
        return []
    label = (
        f"Ingest of every file by {shared[0]['processes']} processes sharing one store, s "
        "(/ one process, paired runs)"
    )
    target = f">= {TARGETS['processes']:.0f}x one process: "
    stopped = [r["failed"] for r in (*single, *shared) if r.get("failed")]
    if stopped:
        return [
            (label, f"a run stopped ({stopped[0]})", "-", target + "**MISSED** (a run stopped)")
        ]
    speed_up = [s["seconds"] / r["seconds"] for s, r in zip(single, shared, strict=False)]
    return [
        (
            label,
            f"{spread([r['seconds'] for r in shared], '{:,.1f}')}; "
            f"{spread(speed_up, '{:,.2f}x')} as fast as one process",
            f"one process: {spread([r['seconds'] for r in single], '{:,.1f}')} s; stored "
            f"{spread([r['added'] for r in shared])} articles",
            target + verdict(statistics.median(speed_up), TARGETS["processes"], below=False),
        )
    ]


def write_results(path: Path, text: str, found: dict[str, Any]) -> None:
    """Rewrite RESULTS.md with the new table, keeping the hand-written notes under the marker."""
    notes = ""
    if path.exists() and NOTES_MARKER in path.read_text():
        notes = path.read_text().split(NOTES_MARKER, 1)[1]
    stages = found.get("stages")
    stage_line = ""
    if stages:
        stage_line = (
            f"\nStages without the store, same files: parse (read_file) {stages['parse_s']:.1f} s, "
            f"derive {stages['derive_s']:.1f} s for {stages['drafts']:,} drafts.\n"
        )
    versions = _versions()
    command = found.get("command") or " ".join(sys.argv[1:])
    path.write_text(
        "# Benchmark results\n\n"
        f"Measured by `python benchmarks/run.py {command}`, finished "
        f"{found.get('finished', f'{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC')}. "
        f"Peers: {versions}.\n\n"
        f"{text}\n{stage_line}\n{NOTES_MARKER}{notes or chr(10)}"
    )


def _versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in ("feedparser", "reader", "sumy"):
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} not installed")
    return ", ".join(found)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Command-line options; the hidden --phase ones are how the orchestrator runs its children."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 articles, 20 feeds")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--feeds", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3, help="runs per figure")
    parser.add_argument(
        "--budget", type=float, default=None, help="seconds after which slow phases stop repeating"
    )
    parser.add_argument("--samples", type=int, default=100, help="calls per latency run")
    parser.add_argument(
        "--probed-rounds",
        type=int,
        default=4,
        help="304 rounds per poll run with status and search beside them",
    )
    parser.add_argument(
        "--command-budget",
        type=float,
        default=None,
        help="seconds per command per run after which sampling stops (at least 2 samples)",
    )
    parser.add_argument("--work", type=Path, default=None, help="scratch folder")
    parser.add_argument("--results", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    parser.add_argument("--no-results", action="store_true", help="print, do not write RESULTS.md")
    parser.add_argument("--profile", action="store_true", help="pyinstrument ingest and commands")
    parser.add_argument("--no-peers", action="store_true", help="skip reader and LexRank")
    parser.add_argument("--no-poll", action="store_true", help="skip the HTTP poll rounds")
    parser.add_argument(
        "--render", type=Path, help="rewrite the table from a saved last_run.json, running nothing"
    )
    parser.add_argument("--phase", choices=sorted(PHASES), help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument(
        "--store",
        help="a postgresql://… database to measure (emptied first!); default: SQLite in --work",
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=3,
        help="processes sharing one store for the multi-process ingest figure (0: skip it)",
    )
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--part", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.articles, args.feeds = 2_000, 20
    small = args.articles <= 2_000
    if args.budget is None:
        args.budget = 150.0 if small else 4 * 3600.0
    if args.command_budget is None:
        args.command_budget = 8.0 if small else 60.0
    if args.work is None:
        args.work = Path(tempfile.gettempdir()) / "kfor-bench"
    if args.data is None:
        args.data = args.work / f"corpus-{args.articles}-{args.feeds}-{corpus_gen.SEED}"
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark (or, with --phase, one of its children) and print the table."""
    args = parse_args(argv)
    if args.phase:
        print(json.dumps(PHASES[args.phase](args)), flush=True)
        return 0
    if args.render:
        found = json.loads(args.render.read_text())
        text = table(found, args)
        print(text)
        if not args.no_results:
            write_results(args.results, text, found)
        return 0
    args.work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    print(f"kfor-bot benchmark: {args.articles:,} articles, {args.feeds:,} feeds", file=sys.stderr)
    found = measure(args)
    found["command"] = " ".join(sys.argv[1:] if argv is None else argv)
    found["finished"] = f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
    text = table(found, args)
    print(text)
    (args.work / "last_run.json").write_text(json.dumps(found, indent=1, default=str))
    if not args.no_results:
        write_results(args.results, text, found)
    print(f"\ncompleted in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
