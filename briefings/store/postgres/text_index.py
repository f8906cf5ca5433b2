"""The PostgreSQL store's way with article texts (plain text: the server compresses long values
itself) and its search index: one tsvector row per article in `article_search` (migration 0002).
The `TextIndex` of `PostgresStore`; searches read it through `text_search.POSTGRES_SEARCH`.
"""

from __future__ import annotations

from collections.abc import Sequence

from briefings.store.connection import Connection
from briefings.store.postgres.text_search import document


class TsvectorIndex:
    """Search documents weigh the folded title above the folded text (see `text_search`)."""

    def stored_text(self, text: str) -> str:
        return text

    async def add(self, conn: Connection, rows: Sequence[tuple[int, str, str]]) -> None:
        await conn.executemany(
            f"INSERT INTO article_search (article_id, document) VALUES (?, {document('?', '?')})",  # noqa: S608 - constant SQL
            rows,
        )

    async def rebuild(self, conn: Connection, staged: str) -> None:
        await conn.execute("DELETE FROM article_search")
        await conn.execute(
            f"""INSERT INTO article_search (article_id, document)
                SELECT id, {document("title", "text")} FROM {staged} ORDER BY id"""  # noqa: S608 - names of ours
        )


TSVECTOR = TsvectorIndex()
