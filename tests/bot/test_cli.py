import asyncio
import datetime as dt
import json
import os
import subprocess
import sys

import pytest

from tests.briefings.corpus_helpers import corpus_at, rss
from tests.conftest import REPO_ROOT
from tests.fakes.feed_server import Feed, FeedServer


def kfor_command(tmp_path, *args):
    """The command line and environment of `kfor-bot` on the test's own database."""
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO_ROOT),
        "KFOR_BOT_CONFIG": str(tmp_path / "absent.toml"),
        "XDG_DATA_HOME": str(tmp_path / "data-home"),
    }
    return [sys.executable, "-m", "bot", "--db", str(tmp_path / "kfor.sqlite3"), *args], env


def kfor(tmp_path, *args, check=True):
    command, env = kfor_command(tmp_path, *args)
    result = subprocess.run(
        command, capture_output=True, text=True, cwd=REPO_ROOT, env=env, timeout=120
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_search_plates_on_the_seeds_is_dated_attributed_and_clean(tmp_path):
    out = kfor(tmp_path, "search", "plates").stdout
    assert out.startswith('5 results for "plates"')
    assert "RFE/RL, 2021-09-27" in out
    assert "CNA (with Reuters), 2022-09-20" in out
    assert "publisher unknown, 2023-05" in out
    for furniture in ("Skip to main content", "please wait", "Hamburger Menu", "16x9"):
        assert furniture not in out


def test_search_json_is_the_reply_data(tmp_path):
    data = json.loads(kfor(tmp_path, "search", "Jarinje", "--format", "json").stdout)
    assert data["kind"] == "search"
    assert data["results"]
    refs = {s["ref"] for s in data["sources"]}
    assert all(r["citations"][0] in refs for r in data["results"])


def test_search_with_fts_syntax_characters_does_not_fail(tmp_path):
    result = kfor(tmp_path, "search", '"', "AND", "*", "Kosovo-Serbia")
    assert "Traceback" not in result.stderr


def test_default_database_goes_to_the_user_data_directory(tmp_path):
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO_ROOT),
        "XDG_DATA_HOME": str(tmp_path / "data-home"),
        "KFOR_BOT_CONFIG": str(tmp_path / "absent.toml"),
    }
    env.pop("KFOR_BOT_DB", None)
    subprocess.run(
        [sys.executable, "-m", "bot", "search", "kfor"],
        check=True,
        capture_output=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=120,
    )
    assert (tmp_path / "data-home" / "kfor-bot" / "kfor.sqlite3").exists()


def test_ingest_reports_each_file_and_a_total_and_is_idempotent(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "patrol.md").write_text(
        "# Night patrol at Brnjak\n\nKFOR troops from Poland patrolled the Brnjak crossing "
        "overnight after reports of a new roadblock. They found the road open by dawn.\n",
        encoding="utf-8",
    )
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blob.txt").write_bytes(bytes(range(256)) * 4)
    first = kfor(tmp_path, "ingest", str(folder), check=False)
    assert first.returncode == 2
    lines = first.stdout.splitlines()
    assert any(line.endswith("patrol.md: 1 added, 0 already known") for line in lines)
    assert any("empty.txt: rejected: empty file" in line for line in lines)
    assert any("blob.txt: rejected:" in line and "binary" in line for line in lines)
    assert lines[-1] == "Total: 1 added, 0 already known, 2 rejected."
    again = kfor(tmp_path, "ingest", str(folder / "patrol.md"))
    assert again.stdout.splitlines()[-1] == "Total: 0 added, 1 already known, 0 rejected."


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/x", "http://127.1/"])
def test_feeds_add_refuses_bad_urls_with_one_clear_line(tmp_path, url):
    result = kfor(tmp_path, "feeds", "add", url, check=False)
    assert result.returncode == 1
    assert result.stderr.startswith("kfor-bot: error: ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_feeds_list_is_empty_at_first_and_says_how_to_add(tmp_path):
    assert "feeds add URL" in kfor(tmp_path, "feeds", "list").stdout


def test_export_writes_one_json_object_per_article(tmp_path):
    lines = kfor(tmp_path, "export").stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 5
    assert {r["published_precision"] for r in records} == {"day", "month", "year"}


def test_a_locked_database_gives_a_clear_error(tmp_path):
    kfor(tmp_path, "search", "kfor")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys, time\n"
            "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "c.execute('BEGIN EXCLUSIVE'); print('locked', flush=True); time.sleep(60)\n",
            str(tmp_path / "kfor.sqlite3"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        note = tmp_path / "note.md"
        note.write_text("# A note\n\nKFOR opened a new base near Leposavic this week.\n")
        result = kfor(tmp_path, "ingest", str(note), check=False)
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 1
    assert "locked by another process" in result.stderr
    assert "Traceback" not in result.stderr


def test_python_dash_m_bot_and_the_help_list_the_commands(tmp_path):
    out = kfor(tmp_path, "--help").stdout
    for command in ("search", "ingest", "feeds", "export"):
        assert command in out


def test_global_options_are_read_after_the_command_too(tmp_path):
    """The README and config.example.toml write `kfor-bot run --config FILE`."""
    missing = tmp_path / "missing.toml"
    result = kfor(tmp_path, "run", "--config", str(missing), check=False)
    assert result.returncode == 1
    assert result.stderr.strip() == f"kfor-bot: error: config file {missing} not found"
    other = tmp_path / "other.sqlite3"
    kfor(tmp_path, "search", "plates", "--db", str(other))
    assert other.exists()


async def test_feeds_add_from_the_shell_polls_again_after_the_configured_interval(tmp_path):
    """The shell and `run` open the corpus from the settings the same way: `poll_interval_minutes`
    reaches `feeds add` too (it used to schedule the next poll at the default 15 minutes)."""
    config = tmp_path / "config.toml"
    config.write_text("[feeds]\npoll_interval_minutes = 60\nallow_private_networks = true\n")
    async with FeedServer() as server:
        command, env = kfor_command(tmp_path, "--config", str(config), "feeds", "add", server.url())
        adding = await asyncio.create_subprocess_exec(
            *command, cwd=REPO_ROOT, env=env, stderr=asyncio.subprocess.PIPE
        )
        _, stderr = await asyncio.wait_for(adding.communicate(), 120)
    assert adding.returncode == 0, stderr.decode()
    listed = kfor(tmp_path, "--config", str(config), "feeds", "list", "--format", "json")
    [feed] = json.loads(listed.stdout)["feeds"]
    wait = dt.datetime.fromisoformat(feed["next_poll"]) - dt.datetime.fromisoformat(
        feed["last_success"]
    )
    # The interval plus at most 10% of it as jitter (see briefings.ingest.backoff).
    assert dt.timedelta(minutes=60) <= wait <= dt.timedelta(minutes=66)


async def test_one_hostile_feed_does_not_stop_the_poll_of_the_others(tmp_path):
    """A redirect to a host name DNS cannot hold, and Retry-After and max-age beyond any clock,
    are each recorded against their feed, and the healthy feeds' new articles are stored."""
    config = tmp_path / "config.toml"
    config.write_text("[feeds]\nallow_private_networks = true\n")

    def items(name, count):
        return [
            (f"Patrol {n} at Jarinje", f"https://news.example/{name}/{n}",
             f"Mon, 23 Nov 2026 0{n}:00:00 GMT", f"KFOR troops patrolled the Jarinje crossing {n} times.")
            for n in range(1, count + 1)
        ]  # fmt: skip

    names = ("good", "redirect", "retry", "max-age")
    async with FeedServer() as server:
        good, max_age = server.url("/good.xml"), server.url("/max-age.xml")
        for name in names:
            server.add_feed(f"/{name}.xml", Feed(rss(name, items(name, 1))))
        async with corpus_at(tmp_path / "kfor.sqlite3") as corpus:
            for name in names:
                await corpus.add_feed("local", server.url(f"/{name}.xml"), "tester")
        huge = "9" * 20
        server.add_feed("/good.xml", Feed(rss("good", items("good", 2))))
        server.add_feed("/max-age.xml", Feed(rss("max-age", items("max-age", 2)), headers={"Cache-Control": f"max-age={huge}"}))  # fmt: skip
        server.add_feed("/retry.xml", Feed(b"", status=503, headers={"Retry-After": huge}))
        server.add_feed(
            "/redirect.xml",
            Feed(b"", status=302, headers={"Location": f"http://{'a' * 64}.example/"}),
        )
        command, env = kfor_command(tmp_path, "--config", str(config), "feeds", "poll", "--all")
        polling = await asyncio.create_subprocess_exec(
            *command, cwd=REPO_ROOT, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        stdout, stderr = await asyncio.wait_for(polling.communicate(), 120)
    assert polling.returncode == 0, stderr.decode()
    assert "Traceback" not in stderr.decode()
    out = stdout.decode()
    assert f"{good}: 1 new, 1 already known" in out
    assert f"{max_age}: 1 new, 1 already known" in out
    assert "redirected to a URL the bot will not fetch" in out
    assert "answered 503 Service Unavailable" in out
    listed = kfor(tmp_path, "--config", str(config), "feeds", "list", "--format", "json")
    feeds = {f["url"].rsplit("/", 1)[1]: f for f in json.loads(listed.stdout)["feeds"]}
    assert "host name has labels of 1 to 63 characters" in feeds["redirect.xml"]["last_error"]
    assert "retry after 604800 s" in feeds["retry.xml"]["last_error"]
    for healthy in ("good.xml", "max-age.xml"):
        assert feeds[healthy]["last_error"] is None
        assert feeds[healthy]["items_seen"] == 2
    # A max-age beyond any clock means "a long time": the next poll waits the longest, a day.
    wait = dt.datetime.fromisoformat(feeds["max-age.xml"]["next_poll"]) - dt.datetime.fromisoformat(
        feeds["max-age.xml"]["last_success"]
    )
    assert dt.timedelta(hours=24) <= wait <= dt.timedelta(hours=24, minutes=2)


def test_ingest_says_which_articles_were_cut_to_the_stored_size(tmp_path):
    long = tmp_path / "long.txt"
    paragraphs = (
        f"KFOR troops patrolled the Jarinje crossing for the {n}th night." for n in range(3000)
    )
    long.write_text("A very long patrol log\n\n" + "\n\n".join(paragraphs), encoding="utf-8")
    out = kfor(tmp_path, "ingest", str(long)).stdout
    assert (
        f"{long}: 1 added, 0 already known; 1 longer than 100,000 characters and cut there (A very long patrol log)"
        in out
    )
    [record] = [
        json.loads(line)
        for line in kfor(tmp_path, "export").stdout.splitlines()
        if "patrol log" in line
    ]
    assert record["text_cut"] is True
