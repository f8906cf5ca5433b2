"""Numbered schema migrations, applied on open so a database made by an older version upgrades in place."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from importlib import resources

import aiosqlite

from briefings.errors import StoreError

_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


@dataclass(frozen=True)
class Migration:
    """One schema step: the file `NNNN_reason.sql` brings the database to version NNNN."""

    version: int
    name: str
    sql: str


def bundled_migrations(package: str = "briefings.store") -> list[Migration]:
    """The migrations shipped in the `migrations/` folder of a backend's package, in version order."""
    folder = resources.files(package) / "migrations"
    found = []
    for entry in folder.iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), entry.name, entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise StoreError(f"migrations are not numbered 1..N without gaps: {versions}")
    return found


async def apply_migrations(conn: aiosqlite.Connection, migrations: list[Migration]) -> int:
    """Bring `conn` up to the newest version, all steps in one transaction: a failure leaves the old version.

    Statements run one by one because `executescript` would commit between them.
    """
    (row,) = await conn.execute_fetchall("PRAGMA user_version")
    current = int(row[0])
    newest = migrations[-1].version if migrations else 0
    if current > newest:
        raise StoreError(
            f"the database is at schema version {current}, newer than this kfor-bot knows "
            f"({newest}): upgrade kfor-bot"
        )
    pending = [m for m in migrations if m.version > current]
    if not pending:
        return current
    await conn.execute("BEGIN IMMEDIATE")
    try:
        for migration in pending:
            await _apply_one(conn, migration)
    except BaseException:
        await conn.execute("ROLLBACK")
        raise
    await conn.execute("COMMIT")
    return newest


async def _apply_one(conn: aiosqlite.Connection, migration: Migration) -> None:
    try:
        for statement in _statements(migration.sql):
            await conn.execute(statement)
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "readonly" in str(exc):
            raise
        raise StoreError(f"migration {migration.name} failed: {exc}") from exc
    problems = await conn.execute_fetchall("PRAGMA foreign_key_check")
    if problems:
        raise StoreError(f"migration {migration.name} broke foreign keys: {list(problems)[:3]}")
    await conn.execute(f"PRAGMA user_version = {migration.version:d}")


def _statements(script: str) -> list[str]:
    """Split a migration script into complete statements, using sqlite's own notion of completeness."""
    statements, buffer = [], ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip() and not buffer.strip().startswith("--"):
        statements.append(buffer.strip())
    return statements
