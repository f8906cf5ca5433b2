"""Moving a SQLite store to a PostgreSQL server (`kfor-bot migrate-store`).

The entry points reach storage only through the core: this is their way to the store's copy. The
PostgreSQL backend (and psycopg) load only when a copy is asked for.
"""

from __future__ import annotations

from pathlib import Path

from briefings.errors import StoreError


async def copy_to_postgresql(source: Path, url: str) -> tuple[dict[str, int], str, str]:
    """Copy the SQLite store at `source` to `url`: rows per table, the checksum, and the URL
    as it may be shown (without its password)."""
    from briefings.store.postgres.connect import is_postgres_url, redacted
    from briefings.store.postgres.copy import copy_store

    if not is_postgres_url(url):
        raise StoreError(f"--to must be a postgresql:// URL, not {redacted(url)}")
    copied = await copy_store(source, url)
    return copied.rows, copied.checksum, redacted(url)
