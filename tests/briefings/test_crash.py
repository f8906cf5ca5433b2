"""Killing an ingest mid-way leaves a consistent database, and a re-run finishes with no duplicates."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import REPO_ROOT

FILES = 240
PLACES = ["Jarinje", "Brnjak", "Zubin Potok", "Leposavic", "Mitrovica", "Zvecan"]


def write_articles(folder):
    folder.mkdir()
    for n in range(FILES):
        place = PLACES[n % len(PLACES)]
        (folder / f"report-{n:03d}.md").write_text(
            f"# Patrol report {n} from {place}\n\n"
            f"date 2023-{n % 12 + 1:02d}-{n % 27 + 1:02d}\n\n"
            f"KFOR soldiers drove patrol number {n} along the road near {place} on a quiet morning. "
            f"The unit counted {n + 3} vehicles at the crossing and saw no roadblocks. "
            f"Residents told the soldiers that shop {n * 7} had reopened after the unrest.\n",
            encoding="utf-8",
        )


def counts(path):
    conn = sqlite3.connect(path)
    try:
        return {
            "integrity": conn.execute("PRAGMA integrity_check").fetchone()[0],
            "foreign_keys": conn.execute("PRAGMA foreign_key_check").fetchall(),
            "articles": conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0],
            "keys": conn.execute("SELECT COUNT(DISTINCT key) FROM articles").fetchone()[0],
            "indexed": conn.execute("SELECT COUNT(*) FROM article_search").fetchone()[0],
            "without_sentences": conn.execute(
                "SELECT COUNT(*) FROM articles a WHERE NOT EXISTS "
                "(SELECT 1 FROM sentences s WHERE s.article_id = a.id)"
            ).fetchone()[0],
            "unlinked": conn.execute(
                "SELECT COUNT(*) FROM articles a WHERE is_seed = 0 AND NOT EXISTS "
                "(SELECT 1 FROM imported_articles i WHERE i.article_id = a.id)"
            ).fetchone()[0],
        }
    finally:
        conn.close()


def ingest(db, folder):
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "--db", str(db), "ingest", str(folder)],
        cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )


def article_count(db):
    try:
        conn = sqlite3.connect(db, timeout=1)
        try:
            return conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def assert_no_process_left_using(db, seconds=10):
    """The killed ingest's worker processes (forks with the same command line) leave too."""
    deadline = time.monotonic() + seconds
    while True:
        left = []
        for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
            try:
                if str(db).encode() in cmdline.read_bytes():
                    left.append(cmdline.parent.name)
            except OSError:
                continue
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert left == [], "worker processes outlived the killed ingest"


def test_killed_ingest_leaves_a_consistent_database_and_rerun_completes(tmp_path):
    folder = tmp_path / "articles"
    write_articles(folder)
    db = tmp_path / "kfor.sqlite3"
    process = ingest(db, folder)
    deadline = time.monotonic() + 90
    while article_count(db) < 40 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert_no_process_left_using(db)

    after_kill = counts(db)
    assert after_kill["integrity"] == "ok"
    assert after_kill["foreign_keys"] == []
    assert 40 <= after_kill["articles"] < 5 + FILES, "the kill should land mid-way"
    assert after_kill["indexed"] == after_kill["articles"]
    assert after_kill["without_sentences"] == 0
    assert after_kill["unlinked"] == 0

    assert ingest(db, folder).wait(timeout=240) == 0
    final = counts(db)
    assert final["articles"] == final["keys"] == final["indexed"] == 5 + FILES
    assert final["without_sentences"] == 0
    assert final["unlinked"] == 0
