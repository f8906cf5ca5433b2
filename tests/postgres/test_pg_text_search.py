"""PostgreSQL's text search as the store configures it: what a search finds and in which order.

Each test stores short articles of its own (title and text as the store folds them, or with the
diacritics a careless writer keeps) and asks the ranked query what it finds.
"""

import pytest

from briefings import query as words
from briefings.fold import fold
from briefings.store.postgres.connect import connect
from briefings.store.postgres.migrate import apply_migrations, postgres_migrations
from briefings.store.postgres.text_search import DOCUMENT, RANKED, tsquery
from briefings.store.search import MAX_RANKED


@pytest.fixture
async def conn(pg_url):
    async with await connect(pg_url) as opened:
        await apply_migrations(opened, postgres_migrations())
        yield opened


async def _store(conn, article_id, title, text):
    await conn.execute(
        """INSERT INTO articles (id, key, title, published_precision, text, content_hash,
                                 signature, story_id, added_at)
           VALUES (%s, %s, %s, 'unknown', %s, '', '', %s, '2026-12-01T00:00:00+00:00')""",
        (article_id, f"key-{article_id}", title, text, article_id),
    )
    await conn.execute(
        f"INSERT INTO article_search (article_id, document) VALUES (%s, {DOCUMENT})",  # noqa: S608
        (article_id, title, text),
    )


async def _found(conn, typed, *, every=True, limit=10):
    query = tsquery(words.parse(typed), every=every)
    rows = await (await conn.execute(RANKED, {"query": query, "limit": limit})).fetchall()
    return [article_id for article_id, _score in rows]


async def test_letters_with_and_without_diacritics_find_each_other(conn):
    await _store(conn, 1, "Barricades near Zvečan", "Police waited at Jarinje.")
    await _store(conn, 2, "Crowds in Leposavić", "Hundreds gathered in the north.")
    assert await _found(conn, "Zvecan") == [1]
    assert await _found(conn, "ZVEČAN") == [1]
    assert await _found(conn, "leposavic") == [2]


async def test_albanian_and_serbian_names_of_a_place_find_each_other_once_folded(conn):
    await _store(conn, 1, fold("Bridge in Mitrovica reopened"), fold("The Ibar bridge reopened."))
    await _store(conn, 2, fold("Protest in Mitrovicë"), fold("Hundreds gathered in the north."))
    assert sorted(await _found(conn, "Mitrovicë")) == [1, 2]
    assert sorted(await _found(conn, "mitrovica")) == [1, 2]


async def test_other_forms_and_synonyms_of_a_word_are_found(conn):
    await _store(conn, 1, "Two peacekeepers hurt", "Two soldiers were injured in a clash.")
    await _store(conn, 2, "Talks in Brussels", "The injuries of last year were not discussed.")
    await _store(conn, 3, "New registration rules", "Drivers must change their licence plates.")
    assert sorted(await _found(conn, "wounded")) == [1, 2]
    assert await _found(conn, "soldier") == [1]
    assert await _found(conn, "plates") == [3]


async def test_every_word_must_match_unless_any_is_asked_for(conn):
    await _store(conn, 1, "KFOR troops at Jarinje", "A patrol reached the crossing.")
    await _store(conn, 2, "KFOR statement", "The mission spoke in Pristina.")
    assert await _found(conn, "kfor jarinje") == [1]
    assert await _found(conn, "kfor jarinje", every=False) == [1, 2]


async def test_a_word_in_the_title_ranks_above_the_same_word_in_the_text(conn):
    await _store(conn, 1, "Border crossing closed", "Traffic stopped for the day.")
    await _store(conn, 2, "Traffic news", "Trucks waited as a crossing closed for the day.")
    assert await _found(conn, "crossing") == [1, 2]


async def test_equally_relevant_articles_come_newest_stored_first(conn):
    for article_id in (4, 9, 6):
        await _store(conn, article_id, "Roadblock removed", "The road is open again.")
    assert await _found(conn, "roadblock") == [9, 6, 4]


async def test_only_the_most_recently_stored_matches_are_ranked(conn):
    await _store(conn, 1, "Barricade barricade barricade", "Barricade at the barricade.")
    await conn.execute(
        """INSERT INTO articles (id, key, title, published_precision, text, content_hash,
                                 signature, story_id, added_at)
           SELECT n, 'key-' || n, 'Traffic news', 'unknown', 'a barricade', '', '', n, ''
           FROM generate_series(2, %s) AS n""",
        (MAX_RANKED + 1,),
    )
    await conn.execute(
        f"""INSERT INTO article_search (article_id, document)
            SELECT id, {DOCUMENT % ("title", "text")} FROM articles WHERE id > 1"""  # noqa: S608
    )
    found = await _found(conn, "barricade", limit=MAX_RANKED + 5)
    assert len(found) == MAX_RANKED
    assert 1 not in found


@pytest.mark.parametrize("typed", ["o'brien", "back\\slash", "a & b | !c", "x:* <-> (y"])
async def test_any_input_is_a_valid_query(conn, typed):
    await _store(conn, 1, "O'Brien at the back slash", "A and b, not c, x and y.")
    assert isinstance(await _found(conn, typed), list)
