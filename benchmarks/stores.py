"""Where a benchmark phase keeps kfor-bot's store: a SQLite file in the scratch folder, or the
PostgreSQL database named by `--store`. Each phase that fills a store starts from an empty one,
so no run measures what an earlier run left behind.

The benchmark reads a few figures straight from the store's tables (the window holding N
articles, the texts LexRank summarises); those reads are here, one query text for both engines.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

POSTGRES_SCHEMES = ("postgresql://", "postgres://")


@dataclass(frozen=True)
class BenchStore:
    """One store location: a file path, or a postgresql:// URL."""

    location: str

    @property
    def is_postgres(self) -> bool:
        return self.location.startswith(POSTGRES_SCHEMES)

    def opened_as(self) -> Path | str:
        """What `open_corpus` takes for this location."""
        return self.location if self.is_postgres else Path(self.location)

    def reset(self) -> None:
        """Make the store empty: the SQLite file and its journals deleted, or every table of the
        PostgreSQL database dropped (the next open migrates it from nothing)."""
        if not self.is_postgres:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.location}{suffix}").unlink(missing_ok=True)
            return
        import psycopg

        with psycopg.connect(self.location, autocommit=True) as conn:
            conn.execute("DROP SCHEMA public CASCADE")
            conn.execute("CREATE SCHEMA public")

    def size_bytes(self) -> int:
        """The store's size on disk: the SQLite file with its WAL, or PostgreSQL's database size."""
        if self.is_postgres:
            (size,) = self.rows("SELECT pg_database_size(current_database())")[0]
            return int(size)
        return sum(
            p.stat().st_size
            for p in (Path(self.location), Path(f"{self.location}-wal"))
            if p.exists()
        )

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Every row of a read query written with `?` placeholders, on either engine."""
        if not self.is_postgres:
            with sqlite3.connect(self.location) as conn:
                return conn.execute(sql, params).fetchall()
        import psycopg

        with psycopg.connect(self.location) as conn:
            return conn.execute(sql.replace("?", "%s"), params).fetchall()
