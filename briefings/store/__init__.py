"""Storage: the interface the core uses (`interface.Store`) and its backends; all SQL lives here."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefings.store.interface import Store


async def open_store(path: Path) -> Store:
    """Open (creating and migrating if needed) the store at `path`: the one place that picks a
    backend. The backend loads here, so importing the interface loads no database driver."""
    from briefings.store.sqlite_store import SqliteStore

    return await SqliteStore.open(path)
