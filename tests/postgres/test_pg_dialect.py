"""The shared SQL as PostgreSQL reads it (`briefings.store.postgres.dialect`): no server needed."""

from briefings.store.postgres.dialect import translate


def test_placeholders_become_psycopg_s_and_a_percent_sign_is_kept():
    sql = "SELECT id FROM articles WHERE key = ? AND title LIKE '50%' AND story_id = :story"
    assert translate(sql) == (
        "SELECT id FROM articles WHERE key = %s AND title LIKE '50%%' AND story_id = %(story)s"
    )


def test_quoted_text_keeps_its_question_marks_and_colons_and_casts_stay_casts():
    sql = "SELECT '09:00?', value::jsonb FROM meta WHERE key = :key"
    assert translate(sql) == "SELECT '09:00?', value::jsonb FROM meta WHERE key = %(key)s"


def test_sqlite_planner_hints_are_dropped():
    sql = (
        "SELECT a.id FROM articles a INDEXED BY articles_by_story_published "
        "CROSS JOIN sentences s ON s.article_id = a.id"
    )
    assert translate(sql) == "SELECT a.id FROM articles a JOIN sentences s ON s.article_id = a.id"


def test_a_json_member_named_by_a_parameter_is_read_as_jsonb():
    sql = (
        "SELECT json_extract(s.topics, '$.' || json_quote(:topic0)) AS score0 FROM sentences s "
        "WHERE json_type(s.topics, '$.' || json_quote(:topic1)) IS NOT NULL"
    )
    assert translate(sql) == (
        "SELECT (s.topics::jsonb -> %(topic0)s::text) AS score0 FROM sentences s "
        "WHERE (s.topics::jsonb -> %(topic1)s::text) IS NOT NULL"
    )


def test_the_elements_of_a_json_array_keep_their_alias_and_value_column():
    sql = "EXISTS (SELECT 1 FROM json_each(a.topics) t WHERE t.value IN (:topic0))"
    assert translate(sql) == (
        "EXISTS (SELECT 1 FROM json_array_elements_text(a.topics::json) AS t(value) "
        "WHERE t.value IN (%(topic0)s))"
    )
    assert translate("SELECT value FROM json_each(?)") == (
        "SELECT value FROM json_array_elements_text(%s::json) AS json_each(value)"
    )


def test_a_correlated_exists_without_calls_becomes_a_probe_per_row():
    """PostgreSQL would hash the whole linked table for an EXISTS under OR; a scalar subquery is
    probed through the index for each row, as SQLite does."""
    sql = (
        "(EXISTS (SELECT 1 FROM imported_articles ia WHERE ia.article_id = a.id "
        "AND ia.workspace = :workspace) OR a.is_seed = 1)"
    )
    assert translate(sql) == (
        "((SELECT 1 FROM imported_articles ia WHERE ia.article_id = a.id "
        "AND ia.workspace = %(workspace)s LIMIT 1) IS NOT NULL OR a.is_seed = 1)"
    )
    # One with a call inside is left as it is (and its json_each translated as above).
    assert translate("EXISTS (SELECT 1 FROM json_each(a.topics) t)").startswith("EXISTS (")
