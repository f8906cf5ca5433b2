"""The shared store SQL (written for SQLite) as PostgreSQL reads it: one pure function, cached per
statement, so the store modules keep a single copy of every query.

Only what has no form both engines accept is translated here; the rest of the SQL is written
portably (`ON CONFLICT`, `RETURNING`, `NULLS FIRST`).
"""

from __future__ import annotations

import re
from functools import lru_cache

# Quoted text ('...' literals, "..." identifiers) keeps its `?` and `:`; everything between is SQL.
# psycopg reads `%` everywhere, inside quotes too.
_QUOTED = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"")
# `:name` parameters (not the `::` of a cast).
_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")
_PARAMETER = r"%(?:s|\(\w+\)s)"
# A SQLite planner hint: PostgreSQL plans for itself.
_INDEXED_BY = re.compile(r"\s+INDEXED\s+BY\s+\w+", re.IGNORECASE)
# SQLite's CROSS JOIN fixes the join order and may carry ON; PostgreSQL's may not.
_CROSS_JOIN = re.compile(r"\bCROSS\s+JOIN\b", re.IGNORECASE)
# A JSON object's member named by a parameter, read from a JSON-as-text column:
# `json_extract(col, '$.' || json_quote(:p))` (its value) and `json_type(...)` (NULL if absent).
_MEMBER = re.compile(
    r"\bjson_(?:extract|type)\(\s*([\w.]+)\s*,\s*'\$\.'\s*\|\|\s*json_quote\(("
    + _PARAMETER
    + r")\)\s*\)",
    re.IGNORECASE,
)
# A correlated `EXISTS (SELECT 1 FROM ...)` with no call inside (the visibility links, for one).
# PostgreSQL turns such an EXISTS under an OR into a hashed subplan when it expects many rows,
# reading the whole linked table (100,000 rows, 20 ms) even for a walk that a LIMIT stops after a
# few dozen; a scalar subquery is probed per row through the index, as SQLite does.
_EXISTS = re.compile(
    r"\bEXISTS\s*\(\s*(SELECT\s+1\s+FROM\s(?:[^()]|" + _PARAMETER + r")*?)\)", re.IGNORECASE
)
# The elements of a JSON array held as text, as a table with a `value` column.
_EACH = re.compile(
    r"\bjson_each\(\s*([^()]+?)\s*\)(?:\s+(?:AS\s+)?(?!WHERE\b)(\w+))?", re.IGNORECASE
)


@lru_cache(maxsize=2048)
def translate(sql: str) -> str:
    """`sql` as PostgreSQL (through psycopg) runs it with the same parameters."""
    parts = []
    end = 0
    for quoted in _QUOTED.finditer(sql):
        parts.append(_parameters(sql[end : quoted.start()]))
        parts.append(quoted.group().replace("%", "%%"))
        end = quoted.end()
    parts.append(_parameters(sql[end:]))
    return _functions("".join(parts))


def _parameters(code: str) -> str:
    """psycopg's placeholders for SQLite's, and a literal `%` doubled, in SQL outside quotes."""
    code = code.replace("%", "%%").replace("?", "%s")
    return _NAMED.sub(r"%(\1)s", code)


def _functions(sql: str) -> str:
    sql = _INDEXED_BY.sub("", sql)
    sql = _CROSS_JOIN.sub("JOIN", sql)
    sql = _EXISTS.sub(r"(\1 LIMIT 1) IS NOT NULL", sql)
    sql = _MEMBER.sub(r"(\1::jsonb -> \2::text)", sql)
    return _EACH.sub(_each, sql)


def _each(found: re.Match[str]) -> str:
    alias = found.group(2) or "json_each"
    return f"json_array_elements_text({found.group(1)}::json) AS {alias}(value)"
