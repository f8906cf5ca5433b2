"""Large feeds, fetched or imported, are read, derived and stored a slice at a time, so memory is
bounded whatever a feed's size; hostile encodings cannot buy memory either (peak RSS measured in a
subprocess, with a wide margin)."""

import subprocess
import sys
import tracemalloc

import pytest

from benchmarks.feed_memory import items_feed
from briefings.ingest import files, slices
from tests.briefings.corpus_helpers import corpus_at
from tests.conftest import REPO_ROOT
from tests.fakes.feed_server import Feed, FeedServer

MEMORY_BOUND_MB = 300


@pytest.fixture
def small_slices(monkeypatch):
    """Slices of 40 entries and files "large" from 10 KB, so a few hundred items make several.
    Set before the corpus forks its workers, which inherit them."""
    monkeypatch.setattr(slices, "SLICE_ENTRIES", 40)
    monkeypatch.setattr(files, "SLICE_BYTES", 10_000)


async def test_a_large_feed_file_is_imported_slice_by_slice(tmp_path, small_slices):
    path = tmp_path / "archive.xml"
    path.write_bytes(items_feed(300))
    async with corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        [outcome] = [o async for o in corpus.ingest_files([path], workspace="local")]
        records = [r async for r in corpus.export("local") if r["url"]]
    assert outcome.reason is None
    assert (outcome.report.added, outcome.report.known) == (300, 0)
    assert sorted(r["title"] for r in records) == sorted(f"Patrol report {n}" for n in range(300))
    assert {r["publisher"] for r in records} == {"Big"}


async def test_a_large_file_that_is_not_a_feed_is_refused_with_the_reason(tmp_path, small_slices):
    path = tmp_path / "page.xml"
    path.write_bytes(b"<html><body>" + b"<p>KFOR</p>" * 2000 + b"</body></html>")
    async with corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        [outcome] = [o async for o in corpus.ingest_files([path], workspace="local")]
    assert outcome.reason.startswith("not a feed")


async def test_a_large_fetched_feed_is_stored_slice_by_slice_on_add_and_poll(
    tmp_path, small_slices
):
    async with FeedServer() as server, corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        server.add_feed("/big.xml", Feed(items_feed(300)))
        feed, report = await corpus.add_feed("local", server.url("/big.xml"), "tester")
        assert (report.added, feed.title, feed.items_seen) == (300, "Big", 300)
        server.add_feed("/big.xml", Feed(items_feed(350)))
        [outcome] = await corpus.poll("local", due_only=False)
        records = [r async for r in corpus.export("local") if r["url"]]
    assert outcome.error is None
    assert (outcome.report.added, outcome.report.known) == (50, 300)
    assert len(records) == 350
    assert {r["publisher"] for r in records} == {"Big"}


async def test_a_large_feed_broken_halfway_keeps_every_readable_entry_and_says_so(
    tmp_path, small_slices
):
    """Past the error the slices are read leniently, as the whole document was; the poll counts
    as failed, so `feeds list` shows why."""
    body = items_feed(300).replace(
        b"<title>Patrol report 150</title>", b"<title>Patrol <b x></title>"
    )
    async with FeedServer() as server, corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        server.add_feed("/big.xml", Feed(items_feed(10)))
        await corpus.add_feed("local", server.url("/big.xml"), "tester")
        server.add_feed("/big.xml", Feed(body))
        [outcome] = await corpus.poll("local", due_only=False)
        [feed] = await corpus.feeds("local")
    assert (outcome.report.added, outcome.report.known) == (290, 10)
    assert "not well-formed" in outcome.error
    assert "not well-formed" in feed.last_error


async def import_peak(tmp_path, items: int) -> int:
    """The most the bot's own process held at once, in bytes, importing a feed file of `items`
    items (the workers, forked when the corpus opens, are not traced)."""
    path = tmp_path / f"archive-{items}.xml"
    path.write_bytes(items_feed(items))
    async with corpus_at(tmp_path / f"kfor-{items}.sqlite3") as corpus:
        tracemalloc.start()
        try:
            [outcome] = [o async for o in corpus.ingest_files([path], workspace="local")]
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert outcome.report.added == items
    return peak


async def test_importing_a_feed_file_ten_times_larger_holds_about_as_much(tmp_path, small_slices):
    """The bot's own process held every derived article of a feed file at once, so its peak grew
    with the file: a 100,000-item file (11 MB) peaked at 737 MB. Slice by slice, it holds a slice
    or two (`python benchmarks/feed_memory.py` measures the whole bot at full size)."""
    small = await import_peak(tmp_path, 150)
    large = await import_peak(tmp_path, 1_500)
    assert large < 3 * small


# Runs the code given in argv[1] in a child of its own and prints that child's peak RSS in KiB:
# RUSAGE_CHILDREN of the test process would also count the worker pools other tests forked.
_MEASURE = (
    "import resource, subprocess, sys\n"
    "subprocess.run([sys.executable, '-c', sys.argv[1]], check=True)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def peak_rss_mb(code: str) -> float:
    """Run `code` in a fresh interpreter and return the peak resident set of that process."""
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, code],
        cwd=REPO_ROOT, check=True, timeout=240, capture_output=True, text=True,
    )  # fmt: skip
    return int(done.stdout.split()[-1]) / 1024


@pytest.mark.timeout(300)
def test_a_10_mb_document_hiding_entities_behind_utf_7_costs_no_memory():
    """3 MB of such a document took 1.1 GB to parse, 10 MB 3.6 GB."""
    code = (
        "import datetime as dt\n"
        "from benchmarks.feed_memory import hidden_entities\n"
        "from briefings.errors import UnsafeDocument\n"
        "from briefings.ingest.feeds import parse_feed\n"
        "body, content_type = hidden_entities(10 * 10**6, 'utf-7')\n"
        "try:\n"
        "    parse_feed(body, {'Content-Type': content_type}, None, dt.datetime.now(dt.UTC))\n"
        "except UnsafeDocument:\n"
        "    pass\n"
        "else:\n"
        "    raise SystemExit('the document was read')\n"
    )
    assert peak_rss_mb(code) < MEMORY_BOUND_MB
