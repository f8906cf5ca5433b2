"""Moving a SQLite store to a PostgreSQL server (`kfor-bot migrate-store`).

The entry points reach storage only through the core: this is their way to the store's copy. The
PostgreSQL backend (and psycopg) load only when a copy is asked for (see `copy_store`).
"""

from __future__ import annotations

from pathlib import Path

from briefings.store import copy_store


async def copy_to_postgresql(source: Path, url: str) -> tuple[dict[str, int], str, str]:
    """Copy the SQLite store at `source` to `url`: rows per table, the checksum, and the URL
    as it may be shown (without its password)."""
    return await copy_store(source, url)
