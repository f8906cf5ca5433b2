"""Smoke test: the benchmark still runs end to end on a tiny corpus and prints its table."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
RUN = REPO_ROOT / "benchmarks" / "run.py"


def _require(module: str) -> None:
    """The benchmark compares against peers; without them it cannot run, so say so and skip."""
    if importlib.util.find_spec(module) is None:
        pytest.skip(
            f"{module} is not installed: the benchmark's peers come with the 'bench' extra "
            "(pip install 'reader>=3.12,<4' 'sumy>=0.11,<1')"
        )


@pytest.mark.timeout(600)
def test_benchmark_quick_runs_and_prints_the_table(tmp_path: Path) -> None:
    """`--quick` (2,000 articles, 20 feeds), as the issue asks CI to run it. Figures are not
    asserted (they depend on the machine), only that every phase completed."""
    _require("reader")
    _require("sumy")
    done = subprocess.run(
        [
            sys.executable,
            str(RUN),
            "--quick",
            "--runs",
            "1",
            "--samples",
            "5",
            "--work",
            str(tmp_path),
            "--no-results",
        ],
        capture_output=True,
        text=True,
        timeout=580,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    assert "| measure | kfor-bot | peer | target |" in out
    for row in ("Ingest, articles/s", "`status` latency", "`brief` (7-day window)", "`search`"):
        assert row in out, f"missing row {row!r} in:\n{out}"
    assert "Poll round over HTTP" in out
    assert "Ingest of every file by 3 processes sharing one store" in out
    assert "reader" in out
    assert not (tmp_path / "RESULTS.md").exists()


def test_startup_benchmark_times_every_read_only_command_beside_the_stack_alone() -> None:
    """One round: the table has the baseline, the floor the client's stack sets (aiosqlite and
    Jinja2 imported, nothing of kfor-bot), and a verdict for each read-only command."""
    done = subprocess.run(
        [sys.executable, str(REPO_ROOT / "benchmarks" / "startup.py"), "--rounds", "1"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    rows = [line for line in done.stdout.splitlines() if line.startswith("| `")]
    assert [row.split(" | ")[0] for row in rows] == [
        "| `python -c pass`",
        '| `python -c "import aiosqlite, jinja2"`',
        "| `kfor-bot status`",
        "| `kfor-bot brief`",
        "| `kfor-bot search KFOR troops`",
        "| `kfor-bot timeline`",
        "| `kfor-bot export`",
    ]
    assert all(("<= 8x: met" in row) != ("MISSED" in row) for row in rows[2:])


def test_a_stopped_ingest_process_is_reported_in_its_row_and_the_run_goes_on(
    tmp_path: Path,
) -> None:
    """A process of the multi-process ingest that stops (at 100,000 articles SQLite's write lock
    outlasted a writer's wait) used to end the whole benchmark run, losing every figure measured
    before it. Here one feed file is not a feed, so each run's process that reads it stops: the
    row says which run stopped and why, and no further runs are started."""
    from benchmarks import corpus_gen, run

    args = run.parse_args(["--work", str(tmp_path), "--runs", "2", "--processes", "2"])
    args.data = tmp_path / "corpus"
    corpus_gen.write_corpus(args.data, 20, 2)
    (args.data / "feed_0001.xml").write_text("this is not a feed\n")

    runs = run.ingest_in_processes(args, str(tmp_path / "kfor.sqlite"), time.perf_counter() + 600)

    assert [r["processes"] for r in runs] == [1, 2]
    [(label, ours, _, verdict)] = run.ingest_processes_rows(runs)
    assert label.startswith("Ingest of every file by 2 processes")
    assert "a run stopped (1 of 1 stopped: " in ours
    assert "feed_0001.xml" in ours
    assert verdict.endswith("**MISSED** (a run stopped)")
