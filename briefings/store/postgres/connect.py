"""Opening a PostgreSQL connection from a `postgresql://` URL, never showing its password.

psycopg is an optional dependency (the `postgresql` extra): without it, opening says how to
install it rather than failing on an import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from briefings.errors import StoreError

if TYPE_CHECKING:
    import psycopg

SCHEMES = ("postgresql", "postgres")


def is_postgres_url(location: str) -> bool:
    """Whether a store location names a PostgreSQL server rather than a SQLite file."""
    return urlsplit(location).scheme in SCHEMES


def redacted(url: str) -> str:
    """The URL as it may be logged or shown: its password, if any, replaced by `***`."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


async def connect(url: str) -> psycopg.AsyncConnection[Any]:
    """An open connection (autocommit: each unit of work opens its own transaction)."""
    try:
        import psycopg
    except ImportError as exc:
        raise StoreError(
            "a postgresql:// store needs psycopg: pip install 'kfor-bot[postgresql]'"
        ) from exc
    try:
        return await psycopg.AsyncConnection.connect(url, autocommit=True)
    except psycopg.Error as exc:
        reason = str(exc).strip().replace(url, redacted(url))
        raise StoreError(f"cannot open the store at {redacted(url)}: {reason}") from exc
