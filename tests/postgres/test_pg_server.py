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
