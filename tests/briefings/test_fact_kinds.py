"""The fact-kind registry: every kind has its wording, the store's indexes cover the kinds the
status card reads, and a store whose index misses one fails with a message that says why."""

import sqlite3

import pytest

from briefings import fact_kinds
from briefings.engine.recent import NEWEST_KINDS
from briefings.errors import StoreError
from briefings.fact_kinds import FactKind
from briefings.render import render
from tests.conftest import REPO_ROOT

from .corpus_helpers import corpus_at


def test_every_kind_has_a_label() -> None:
    assert set(fact_kinds.TEXTS) == set(FactKind)
    assert all(text.label for text in fact_kinds.TEXTS.values())


def test_labels_and_units_as_replies_write_them() -> None:
    assert fact_kinds.label("kfor_troops") == "KFOR strength"
    assert fact_kinds.unit("troop_increase") == " more troops"
    assert fact_kinds.unit("killed") == ""
    # A kind only a newer version knows is shown by its name, not dropped or an error.
    assert fact_kinds.label("border_crossings") == "border crossings"
    assert fact_kinds.unit("border_crossings") == ""


def test_a_brief_labels_each_figure_from_the_registry() -> None:
    facts = [
        {"kind": kind, "value": 12, "qualifier": "exactly", "as_of": "2023-10", "citations": [1]}
        for kind in (FactKind.TROOPS, FactKind.INCREASE, FactKind.KILLED)
    ]
    reply = {
        "kind": "brief",
        "generated_at": "2026-11-23T09:00:00+00:00",
        "window": {"since": "2026-11-16", "until": "2026-11-23"},
        "note": None,
        "sections": [],
        "facts": facts,
        "conflicts": [],
        "sources": [],
    }
    text = render(reply, "text")
    assert "KFOR strength: 12 troops (2023-10) [1]" in text
    assert "Reinforcements: 12 more troops (2023-10) [1]" in text
    assert "Killed: 12 (2023-10) [1]" in text


async def test_the_status_index_covers_every_kind_the_card_reads(tmp_path) -> None:
    async with corpus_at(tmp_path / "kfor.db") as corpus:
        row = await corpus.store.db.fetchone(
            "SELECT sql FROM sqlite_master WHERE name = 'facts_newest_for_status'"
        )
    assert row is not None
    for kind in NEWEST_KINDS:
        assert f"'{kind}'" in row[0]


def test_the_postgresql_status_index_covers_every_kind_the_card_reads() -> None:
    """Read from the migrations' text (no server needed): the last statement that makes the index."""
    folder = REPO_ROOT / "briefings" / "store" / "postgres" / "migrations"
    made = [
        statement
        for migration in sorted(folder.glob("*.sql"))
        for statement in migration.read_text().split(";")
        if "INDEX facts_newest_for_status" in statement and "CREATE" in statement
    ]
    assert made, "no PostgreSQL migration creates facts_newest_for_status"
    for kind in NEWEST_KINDS:
        assert f"'{kind}'" in made[-1]


async def test_a_missing_index_migration_is_named_not_a_bare_sqlite_error(tmp_path) -> None:
    path = tmp_path / "kfor.db"
    async with corpus_at(path):
        pass
    # What a forgotten migration leaves: the partial index without one of the card's kinds.
    with sqlite3.connect(path) as conn:
        conn.execute("DROP INDEX facts_newest_for_status")
        conn.execute(
            """CREATE INDEX facts_newest_for_status ON facts (published DESC, id)
               WHERE kind IN ('kfor_troops', 'troop_increase') AND on_topic = 1"""
        )
    conn.close()
    async with corpus_at(path) as corpus:
        with pytest.raises(StoreError, match="schema migration is missing") as caught:
            await corpus.status("local")
    assert "no query solution" not in str(caught.value)


def test_docs_list_every_kind_with_its_label() -> None:
    docs = (REPO_ROOT / "docs" / "replies.md").read_text(encoding="utf-8")
    table = docs.split("## Fact kinds", 1)[1].split("\n## ", 1)[0]
    rows = {
        cells[0].strip("` "): cells[1].strip()
        for line in table.splitlines()
        if line.startswith("| `")
        for cells in [line.strip("|").split("|")]
    }
    assert rows == {kind.value: fact_kinds.label(kind) for kind in FactKind}
