"""Read-only commands start fast: they load no network, feed-parsing, numeric, chat, scheduler or
process-pool library (nor the standard modules only fetching and importing use) and start no
worker process; an import does start the workers."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

HEAVY = (
    "aiohttp",
    "feedparser",
    "numpy",
    "discord",
    "slack_bolt",
    "slack_sdk",
    "apscheduler",
    "multiprocessing",
    # Standard modules that only fetching or importing use, each a few ms of start-up.
    "importlib.metadata",
    "email",
    "urllib.request",
)
# Runs the CLI as the console script would, then reports what the process loaded and forked.
PROBE = """
import json, os, sys
forks = []
os.register_at_fork(before=lambda: forks.append(1))
from bot.cli import main
out = sys.stdout
sys.stdout = open(os.devnull, "w")
code = main(sys.argv[1:])
sys.stdout = out
heavy = sorted({n for name in sys.modules for n in (name, name.split(".")[0]) if n in HEAVY})
print(json.dumps({"code": code, "heavy": heavy, "forks": len(forks)}))
"""


def probe(tmp_path, *args):
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO_ROOT),
        "KFOR_BOT_CONFIG": str(tmp_path / "absent.toml"),
        "XDG_DATA_HOME": str(tmp_path / "data-home"),
    }
    script = f"HEAVY = {HEAVY!r}\n{PROBE}"
    result = subprocess.run(
        [sys.executable, "-c", script, "--db", str(tmp_path / "kfor.sqlite3"), *args],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """A database with the seeds loaded (the first command's one-time write)."""
    path = tmp_path_factory.mktemp("startup")
    assert probe(path, "status")["code"] == 0
    return path


@pytest.mark.parametrize(
    "command",
    [["status"], ["brief"], ["search", "KFOR", "troops"], ["timeline"], ["export"]],
    ids=lambda c: c[0],
)
def test_a_read_only_command_loads_no_heavy_library_and_forks_no_worker(seeded, command):
    found = probe(seeded, *command)
    assert found == {"code": 0, "heavy": [], "forks": 0}


def test_an_import_starts_the_workers_and_reads_feeds(tmp_path):
    feed = tmp_path / "feed.xml"
    feed.write_text(
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Test wire</title>"
        "<item><title>Patrols resume at Jarinje</title><link>https://example.org/a</link>"
        "<pubDate>Mon, 02 Oct 2023 10:00:00 GMT</pubDate>"
        "<description>KFOR patrols resumed near the Jarinje crossing on Monday, the mission "
        "said, after a quiet weekend at the border.</description></item></channel></rss>"
    )
    found = probe(tmp_path, "ingest", str(feed))
    assert found["code"] == 0
    assert "feedparser" in found["heavy"]
    assert found["forks"] >= 1
