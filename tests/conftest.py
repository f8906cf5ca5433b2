"""Fixtures every test can use: where ../shared is, and skipping clearly when a fresh clone lacks it."""

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import pg_server as pg_server_module
from tests.pg_server import PgServer

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"


def shared_path(*parts: str) -> Path:
    """Path inside ../shared/, skipping the calling test when the folder is not beside the clone."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared fixtures sit beside the repository only in CI")
    return path


@pytest.fixture
def fixtures_dir() -> Path:
    """../shared/fixtures, or a skip with the reason."""
    return shared_path("fixtures")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A PostgreSQL server for this test session, started on first use; a skip when none can run."""
    pytest.importorskip("psycopg", reason="psycopg is absent: pip install 'kfor-bot[postgresql]'")
    started = pg_server_module.start()
    if isinstance(started, str):
        pytest.skip(started)
    yield started
    started.stop()


@pytest.fixture
def pg_url(pg_server: PgServer) -> str:
    """The URL of a new, empty database on the session's server (one per test)."""
    import psycopg
    from psycopg import sql

    name = f"test_{uuid.uuid4().hex}"
    with psycopg.connect(pg_server.url(), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return pg_server.url(name)
