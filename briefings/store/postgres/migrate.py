"""Numbered schema migrations of the PostgreSQL store, applied on open.

Several processes may open the store at once: a transaction-scoped advisory lock lets one apply
the pending steps while the others wait and then find nothing left to do. All pending steps run
in one transaction, so a failure leaves the old version (PostgreSQL's DDL is transactional).
"""

from __future__ import annotations

from typing import Any

import psycopg

from briefings.errors import StoreError
from briefings.store.migrate import Migration, bundled_migrations

# Any constant both sides agree on: the ASCII of "kfor".
MIGRATION_LOCK = 0x6B666F72


def postgres_migrations() -> list[Migration]:
    """The PostgreSQL migrations shipped in `briefings/store/postgres/migrations/`."""
    return bundled_migrations("briefings.store.postgres")


async def schema_version(conn: psycopg.AsyncConnection[Any]) -> int:
    """The newest step applied to the database (0 for an empty one)."""
    cursor = await conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL")
    exists = await cursor.fetchone()
    if not exists or not exists[0]:
        return 0
    cursor = await conn.execute("SELECT coalesce(max(version), 0) FROM schema_migrations")
    row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def apply_migrations(conn: psycopg.AsyncConnection[Any], migrations: list[Migration]) -> int:
    """Bring the database up to the newest version; the version it is at afterwards."""
    newest = migrations[-1].version if migrations else 0
    async with conn.transaction():
        await conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        await conn.execute(
            """CREATE TABLE IF NOT EXISTS schema_migrations (
                   version INTEGER PRIMARY KEY,
                   name TEXT NOT NULL,
                   applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
               )"""
        )
        current = await schema_version(conn)
        if current > newest:
            raise StoreError(
                f"the database is at schema version {current}, newer than this kfor-bot knows "
                f"({newest}): upgrade kfor-bot"
            )
        for migration in (m for m in migrations if m.version > current):
            try:
                # No parameters: psycopg sends the script as one simple query, all statements.
                await conn.execute(migration.sql.encode())
            except psycopg.Error as exc:
                raise StoreError(f"migration {migration.name} failed: {exc}") from exc
            await conn.execute(
                "INSERT INTO schema_migrations (version, name) VALUES (%s, %s)",
                (migration.version, migration.name),
            )
    return max(current, newest)
