"""How long a user waits for a read-only command, whole process, against `python -c pass`.

Usage: python benchmarks/startup.py [--rounds N] [--db PATH]

Each round runs `python -c pass` and then every read-only command once (status, brief, search,
timeline, export) on a database holding the bundled seeds, each a fresh process from the same
interpreter, so that machine drift falls on all of them alike. Prints the median wall time of each
and its ratio to `python -c pass`; the target is 8x. The database is made (the seeds loaded) once,
before the first round, since that first command is a one-time write. Children run with
bytecode caches on (PYTHONDONTWRITEBYTECODE unset), as an installed package has them.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

TARGET_RATIO = 8.0
COMMANDS = (
    ("status",),
    ("brief",),
    ("search", "KFOR", "troops"),
    ("timeline",),
    ("export",),
)


ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def wall_time(argv: Sequence[str]) -> float:
    """Seconds from start to exit of one process; its output is discarded."""
    start = time.perf_counter()
    subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=ENV
    )
    return time.perf_counter() - start


def cli(db: Path, command: Sequence[str]) -> list[str]:
    """The console script's command line, run by this interpreter (as `kfor-bot` would be)."""
    return [sys.executable, "-m", "bot", "--db", str(db), *command]


def measure(db: Path, rounds: int) -> dict[str, list[float]]:
    """Wall times per command over interleaved rounds, `python -c pass` first in each."""
    wall_time(cli(db, ("status",)))  # loads the seeds: a one-time write, not measured
    found: dict[str, list[float]] = {"python -c pass": []}
    for command in COMMANDS:
        found[" ".join(command)] = []
    for _ in range(rounds):
        found["python -c pass"].append(wall_time([sys.executable, "-c", "pass"]))
        for command in COMMANDS:
            found[" ".join(command)].append(wall_time(cli(db, command)))
    return found


def table(found: dict[str, list[float]]) -> str:
    """Median wall time of each command and its ratio to `python -c pass`, as Markdown."""
    base = statistics.median(found["python -c pass"])
    lines = [
        "| command | median wall time, ms | / `python -c pass` | target |",
        "|---|---|---|---|",
    ]
    for name, samples in found.items():
        median = statistics.median(samples)
        ratio = median / base
        verdict = "-" if name == "python -c pass" else _verdict(ratio)
        label = f"`{name}`" if name == "python -c pass" else f"`kfor-bot {name}`"
        lines.append(f"| {label} | {median * 1000:,.0f} | {ratio:.1f}x | {verdict} |")
    return "\n".join(lines)


def _verdict(ratio: float) -> str:
    return f"<= {TARGET_RATIO:.0f}x: " + ("met" if ratio <= TARGET_RATIO else "**MISSED**")


def main(argv: Sequence[str] | None = None) -> int:
    """Measure and print the start-up table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15, help="interleaved rounds")
    parser.add_argument("--db", type=Path, help="database to use (default: a new one)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        db = args.db or Path(scratch) / "seeds.sqlite"
        found = measure(db, args.rounds)
    print(f"Start-up, {args.rounds} interleaved rounds, bundled seeds only:\n")
    print(table(found))
    return 0


if __name__ == "__main__":
    sys.exit(main())
