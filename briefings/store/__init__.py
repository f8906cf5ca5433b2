"""Storage: the interface the core uses (`interface.Store`) and its backends; all SQL lives here."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from briefings.errors import StoreError

if TYPE_CHECKING:
    from briefings.store.interface import Store


async def open_store(location: Path | str) -> Store:
    """Open (creating and migrating if needed) the store at `location`: a SQLite file's path, or
    a postgresql:// URL. The one place that picks a backend; the backend loads here, so importing
    the interface loads no database driver."""
    if isinstance(location, str):
        from briefings.store.postgres.connect import is_postgres_url

        if is_postgres_url(location):
            from briefings.store.postgres.store import PostgresStore

            return await PostgresStore.open(location)
    from briefings.store.sqlite_store import SqliteStore

    return await SqliteStore.open(Path(location))


async def copy_store(source: Path, url: str) -> tuple[dict[str, int], str, str]:
    """Copy the SQLite store at `source` into the PostgreSQL store at `url` (`kfor-bot
    migrate-store`): rows per table, one checksum over them all, and the URL as it may be shown
    (without its password)."""
    from briefings.store.postgres.connect import is_postgres_url, redacted

    if not is_postgres_url(url):
        raise StoreError(f"--to must be a postgresql:// URL, not {redacted(url)}")
    from briefings.store.postgres.copy import copy_store as copy_to

    copied = await copy_to(source, url)
    return copied.rows, copied.checksum, redacted(url)
