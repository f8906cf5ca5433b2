"""SQLite's way with article texts (zlib, see `articles.compress_text`) and its FTS5 search index
`article_search` (see migration 0004): the `TextIndex` of the SQLite store."""

from __future__ import annotations

from collections.abc import Sequence

from briefings.store.articles import compress_text
from briefings.store.connection import Connection


class Fts5Index:
    """Rows of the FTS5 table are addressed by the article's id as their rowid."""

    def stored_text(self, text: str) -> bytes:
        return compress_text(text)

    async def add(self, conn: Connection, rows: Sequence[tuple[int, str, str]]) -> None:
        await conn.executemany(
            "INSERT INTO article_search (rowid, title, text) VALUES (?, ?, ?)", rows
        )

    async def rebuild(self, conn: Connection, staged: str) -> None:
        # A contentless FTS5 table deletes a row only given its old text: empty it whole instead.
        await conn.execute("INSERT INTO article_search (article_search) VALUES ('delete-all')")
        await conn.execute(
            f"""INSERT INTO article_search (rowid, title, text)
                SELECT id, title, text FROM {staged} ORDER BY id"""  # noqa: S608 - a table name of ours
        )


FTS5 = Fts5Index()
