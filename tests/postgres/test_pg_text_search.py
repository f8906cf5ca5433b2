"""PostgreSQL's text search as the store configures it: what a search finds and in which order.

Each test stores short articles of its own (title and text as the store folds them, or with the
diacritics a careless writer keeps), visible to every workspace, and searches them.
"""

import pytest

from briefings.fold import fold
from briefings.store.postgres.database import PgDatabase
from briefings.store.postgres.text_search import DOCUMENT, POSTGRES_SEARCH
from briefings.store.search import MAX_RANKED, search


@pytest.fixture
async def db(pg_url):
    opened = await PgDatabase.open(pg_url)
    yield opened
    await opened.close()


async def _store(db, article_id, title, text):
    async with db.transaction() as conn:
        await conn.execute(
            """INSERT INTO articles (id, key, title, published_precision, text, content_hash,
                                     signature, story_id, added_at, is_seed)
               VALUES (?, ?, ?, 'unknown', ?, '', '', ?, '2026-12-01T00:00:00+00:00', 1)""",
            (article_id, f"key-{article_id}", title, text, article_id),
        )
    await _index(db, f"id = {article_id:d}")


async def _index(db, condition):
    """Index the articles meeting `condition` as they are stored (title, text)."""
    async with db.transaction() as conn:
        await conn.execute(
            f"""INSERT INTO article_search (article_id, document)
                SELECT id, {DOCUMENT % ("title", "text")} FROM articles WHERE {condition}"""  # noqa: S608
        )


async def _found(db, typed, *, limit=10):
    return [hit.article_id for hit in await search(db, "any", typed, limit, POSTGRES_SEARCH)]


async def test_letters_with_and_without_diacritics_find_each_other(db):
    await _store(db, 1, "Barricades near Zvečan", "Police waited at Jarinje.")
    await _store(db, 2, "Crowds in Leposavić", "Hundreds gathered in the north.")
    assert await _found(db, "Zvecan") == [1]
    assert await _found(db, "ZVEČAN") == [1]
    assert await _found(db, "leposavic") == [2]


async def test_albanian_and_serbian_names_of_a_place_find_each_other_once_folded(db):
    await _store(db, 1, fold("Bridge in Mitrovica reopened"), fold("The Ibar bridge reopened."))
    await _store(db, 2, fold("Protest in Mitrovicë"), fold("Hundreds gathered in the north."))
    assert sorted(await _found(db, "Mitrovicë")) == [1, 2]
    assert sorted(await _found(db, "mitrovica")) == [1, 2]


async def test_other_forms_and_synonyms_of_a_word_are_found(db):
    await _store(db, 1, "Two peacekeepers hurt", "Two soldiers were injured in a clash.")
    await _store(db, 2, "Talks in Brussels", "The injuries of last year were not discussed.")
    await _store(db, 3, "New registration rules", "Drivers must change their licence plates.")
    assert sorted(await _found(db, "wounded")) == [1, 2]
    assert await _found(db, "soldier") == [1]
    assert await _found(db, "plates") == [3]


async def test_a_match_of_every_word_comes_before_one_lacking_a_word(db):
    await _store(db, 1, "KFOR statement", "The mission spoke in Pristina.")
    await _store(db, 2, "KFOR troops at Jarinje", "A patrol reached the crossing.")
    hits = await search(db, "any", "kfor jarinje", 10, POSTGRES_SEARCH)
    assert [(hit.article_id, hit.missing) for hit in hits] == [(2, ()), (1, ("jarinje",))]


async def test_a_word_in_the_title_ranks_above_the_same_word_in_the_text(db):
    await _store(db, 1, "Border crossing closed", "Traffic stopped for the day.")
    await _store(db, 2, "Traffic news", "Trucks waited as a crossing closed for the day.")
    assert await _found(db, "crossing") == [1, 2]


async def test_equally_relevant_undated_articles_come_in_the_order_stored_as_on_sqlite(db):
    for article_id in (4, 9, 6):
        await _store(db, article_id, "Roadblock removed", "The road is open again.")
    assert await _found(db, "roadblock") == [4, 6, 9]


async def test_only_the_most_recently_stored_matches_are_ranked(db):
    await _store(db, 1, "Barricade barricade barricade", "Barricade at the barricade.")
    async with db.transaction() as conn:
        await conn.execute(
            """INSERT INTO articles (id, key, title, published_precision, text, content_hash,
                                     signature, story_id, added_at, is_seed)
               SELECT n, 'key-' || n, 'Traffic news', 'unknown', 'a barricade', '', '', n, '', 1
               FROM generate_series(2, ?) AS n""",
            (MAX_RANKED + 1,),
        )
    await _index(db, "id > 1")
    found = await _found(db, "barricade", limit=5)
    assert len(found) == 5
    assert 1 not in found


@pytest.mark.parametrize("typed", ["o'brien", "back\\slash", "a & b | !c", "x:* <-> (y"])
async def test_any_input_is_a_valid_query(db, typed):
    await _store(db, 1, "O'Brien at the back slash", "A and b, not c, x and y.")
    assert isinstance(await _found(db, typed), list)
