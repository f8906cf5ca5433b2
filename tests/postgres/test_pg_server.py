"""The tests' own PostgreSQL server: started where it can be, on loopback only, gone when stopped."""

import psycopg
import pytest

from tests import pg_server as servers


def test_without_server_binaries_the_reason_to_skip_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv("KFOR_BOT_PG_BIN", str(tmp_path))
    reason = servers.start()
    assert isinstance(reason, str)
    assert reason.startswith("no PostgreSQL server binaries (initdb, pg_ctl)")


def test_a_started_server_listens_on_loopback_and_is_gone_once_stopped(pg_server):
    """Asks for the session server only to be skipped where none can start."""
    server = pg_server_started()
    with psycopg.connect(server.url()) as conn:
        (listening,) = conn.execute("SHOW listen_addresses").fetchone()
    server.stop()
    assert listening == "127.0.0.1"
    assert not server.folder.exists()
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(server.url(), connect_timeout=2)


def pg_server_started():
    """A second server of the test's own (the session's keeps running for the other tests)."""
    started = servers.start()
    assert not isinstance(started, str), started
    return started


def test_the_try_it_command_prints_a_working_url_and_cleans_up_on_ctrl_c(pg_server):
    """`python -m tests.pg_server`, as the README tells a user to run it."""
    import signal
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parents[2]
    command = subprocess.Popen(
        [sys.executable, "-m", "tests.pg_server"], cwd=repo, stdout=subprocess.PIPE, text=True
    )
    try:
        assert command.stdout is not None
        command.stdout.readline()
        export = command.stdout.readline().strip()
        assert export.startswith("export KFOR_BOT_DATABASE_URL=postgresql://")
        url = export.partition("=")[2]
        with psycopg.connect(url) as conn:
            (database,) = conn.execute("SELECT current_database()").fetchone()
        assert database == "kfor"
    finally:
        command.send_signal(signal.SIGINT)
        assert command.wait(timeout=60) == 0
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(url, connect_timeout=2)
