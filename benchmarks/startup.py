"""How long a user waits for a read-only command, whole process, against `python -c pass`.

Usage: python benchmarks/startup.py [--rounds N] [--db PATH]

Each round runs `python -c pass` and then every read-only command once (status, brief, search,
timeline, export) on a database holding the bundled seeds, each a fresh process from the same
interpreter, so that machine drift falls on all of them alike. Prints the median wall time of each
and its ratio to `python -c pass`; the target is 8x. Each round also times a process that only
imports the libraries every read-only command needs by the client's choice of stack (asyncio
under aiosqlite, and Jinja2 for every message), with none of kfor-bot: the floor of any ratio.
The database is made (the seeds loaded) once, before the first round, since that first command
is a one-time write. Children run with bytecode caches on (PYTHONDONTWRITEBYTECODE unset), as
an installed package has them.

Children run in a scratch folder, so that `python -m bot` imports the installed package rather
than a checkout in the current folder. The table says when that package is not a regular install:
an editable one (`pip install -e`) slows every start of its interpreter, `python -c pass`
included, by about 12 ms, which flatters the ratio.
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
BASELINE = "python -c pass"
# What every read-only command must import whatever kfor-bot's own code does: aiosqlite reads the
# store (and brings asyncio), Jinja2 writes every reply.
STACK = "import aiosqlite, jinja2"
COMMANDS = (
    ("status",),
    ("brief",),
    ("search", "KFOR", "troops"),
    ("timeline",),
    ("export",),
)


ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def wall_time(argv: Sequence[str], cwd: Path) -> float:
    """Seconds from start to exit of one process run in `cwd`; its output is discarded."""
    start = time.perf_counter()
    subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=ENV, cwd=cwd
    )
    return time.perf_counter() - start


def not_installed(cwd: Path) -> Path | None:
    """The folder this interpreter imports kfor-bot from, run in `cwd`, when that folder is not
    in its installed packages (an editable install or a checkout); None for a regular install."""
    probe = (
        "import bot, pathlib, sysconfig; found = pathlib.Path(bot.__file__).resolve().parent; "
        "site = pathlib.Path(sysconfig.get_paths()['purelib']).resolve(); "
        "print('' if site in found.parents else found)"
    )
    done = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=cwd
    )
    found = done.stdout.strip()
    return Path(found) if found else None


def cli(db: Path, command: Sequence[str]) -> list[str]:
    """The console script's command line, run by this interpreter (as `kfor-bot` would be)."""
    return [sys.executable, "-m", "bot", "--db", str(db), *command]


def measure(db: Path, rounds: int, cwd: Path) -> dict[str, list[float]]:
    """Wall times per command over interleaved rounds, `python -c pass` first in each."""
    wall_time(cli(db, ("status",)), cwd)  # loads the seeds: a one-time write, not measured
    found: dict[str, list[float]] = {BASELINE: [], STACK: []}
    for command in COMMANDS:
        found[" ".join(command)] = []
    for _ in range(rounds):
        found[BASELINE].append(wall_time([sys.executable, "-c", "pass"], cwd))
        found[STACK].append(wall_time([sys.executable, "-c", STACK], cwd))
        for command in COMMANDS:
            found[" ".join(command)].append(wall_time(cli(db, command), cwd))
    return found


def table(found: dict[str, list[float]]) -> str:
    """Median wall time of each command and its ratio to `python -c pass`, as Markdown."""
    base = statistics.median(found[BASELINE])
    lines = [
        "| command | median wall time, ms | / `python -c pass` | target |",
        "|---|---|---|---|",
    ]
    for name, samples in found.items():
        median = statistics.median(samples)
        ratio = median / base
        if name == BASELINE:
            label, verdict = f"`{name}`", "-"
        elif name == STACK:
            label, verdict = f'`python -c "{name}"`', "- (the stack alone)"
        else:
            label, verdict = f"`kfor-bot {name}`", _verdict(ratio)
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
        found = measure(db, args.rounds, Path(scratch))
        source = not_installed(Path(scratch))
    print(f"Start-up, {args.rounds} interleaved rounds, bundled seeds only:\n")
    print(table(found))
    if source is not None:
        print(
            f"\nkfor-bot was imported from {source}, not from a regular install: an editable "
            "install slows every start of this interpreter, `python -c pass` included, so the "
            "ratios flatter it. Measure from `pip install .` into a fresh environment."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
