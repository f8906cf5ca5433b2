"""A throwaway PostgreSQL server for tests: initdb in a temporary folder, 127.0.0.1 on a free port.

initdb and pg_ctl refuse to run as root, so under root they run as the `postgres` user (through
runuser) in a folder that user owns. Durability is switched off: the data dies with the test run.
Where no server binaries (or no unprivileged user) exist, `start` says why instead of starting.

`python -m tests.pg_server` starts one to try kfor-bot's PostgreSQL store by hand: it prints the
URL of an empty database `kfor` and runs until Ctrl-C, then stops and deletes everything.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

# The server's own binaries; $KFOR_BOT_PG_BIN names another folder holding initdb and pg_ctl.
BIN_GLOB = "/usr/lib/postgresql/*/bin"
SERVER_USER = "postgres"
ROLE = "kfor"
START_SECONDS = 30


@dataclass(frozen=True)
class PgServer:
    """A running server: connect as `ROLE` without a password over TCP to `port`."""

    folder: Path
    bin_dir: Path
    port: int
    prefix: tuple[str, ...]

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{ROLE}@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        """Stop at once (nothing is kept) and remove the folder."""
        _run(self, "pg_ctl", "-D", str(self.folder / "data"), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def bin_dir() -> Path | None:
    """The newest installed server's binary folder, or None."""
    named = os.environ.get("KFOR_BOT_PG_BIN")
    found = [Path(named)] if named else sorted(Path("/").glob(BIN_GLOB.lstrip("/")))
    usable = [d for d in found if (d / "initdb").exists() and (d / "pg_ctl").exists()]
    return max(
        usable, key=lambda d: int(d.parent.name) if d.parent.name.isdigit() else 0, default=None
    )


def start() -> PgServer | str:
    """A started server, or the reason none can start here."""
    binaries = bin_dir()
    if binaries is None:
        return (
            f"no PostgreSQL server binaries (initdb, pg_ctl) under {BIN_GLOB} or $KFOR_BOT_PG_BIN"
        )
    prefix: tuple[str, ...] = ()
    owner = None
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        try:
            owner = pwd.getpwnam(SERVER_USER)
        except KeyError:
            return f"running as root and no {SERVER_USER!r} user to run initdb and pg_ctl as"
        if runuser is None:
            return "running as root and no runuser to run initdb and pg_ctl as another user"
        prefix = (runuser, "-u", SERVER_USER, "--")
    folder = Path(tempfile.mkdtemp(prefix="kfor-pg-"))
    if owner is not None:
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    server = PgServer(folder, binaries, _free_port(), prefix)
    try:
        _init(server)
    except subprocess.CalledProcessError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        return f"PostgreSQL did not start: {exc.stderr.strip()[-300:] or exc}"
    return server


def _init(server: PgServer) -> None:
    data = str(server.folder / "data")
    _run(server, "initdb", "-D", data, "-U", ROLE, "-A", "trust", "-E", "UTF8",
         "--locale=C.UTF-8", "--no-sync", "--no-instructions")  # fmt: skip
    options = " ".join(
        [
            f"-p {server.port}",
            "-c listen_addresses=127.0.0.1",
            f"-k {server.folder}",
            "-c fsync=off",
            "-c synchronous_commit=off",
            "-c full_page_writes=off",
        ]
    )
    log = str(server.folder / "server.log")
    _run(server, "pg_ctl", "-D", data, "-o", options, "-l", log, "-w",
         "-t", str(START_SECONDS), "start")  # fmt: skip


def _run(server: PgServer, program: str, *args: str) -> None:
    subprocess.run(
        [*server.prefix, str(server.bin_dir / program), *args],
        check=True,
        capture_output=True,
        text=True,
        cwd=server.folder,
        timeout=START_SECONDS * 2,
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def main() -> int:
    """Start a server with an empty database `kfor`, print its URL, and stop it on Ctrl-C."""
    server = start()
    if isinstance(server, str):
        sys.stderr.write(f"cannot start PostgreSQL: {server}\n")
        return 1
    stopping = {signal.SIGINT, signal.SIGTERM}
    signal.pthread_sigmask(signal.SIG_BLOCK, stopping)
    try:
        _run(server, "createdb", "-h", "127.0.0.1", "-p", str(server.port), "-U", ROLE, "kfor")
        sys.stdout.write(
            "PostgreSQL runs until Ctrl-C, then stops and deletes its data. Point kfor-bot at it:\n"
            f"export KFOR_BOT_DATABASE_URL={server.url('kfor')}\n"
        )
        sys.stdout.flush()
        signal.sigwait(stopping)
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
