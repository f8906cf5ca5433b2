"""The core must never load the chat platforms, the scheduler or the entry points; the entry points
reach storage only through the core's facade (Corpus), never briefings.store; and only
briefings/store/ holds SQL or names a database driver or backend, so a second backend is a change
to that folder alone."""

import ast
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import bot
import briefings

FORBIDDEN = ("bot", "discord", "slack_bolt", "slack_sdk", "apscheduler")


def core_modules() -> list[str]:
    return [
        info.name
        for info in pkgutil.walk_packages(briefings.__path__, prefix="briefings.")
        if not info.name.endswith("__main__")
    ]


def test_the_core_has_modules_to_check():
    assert "briefings.corpus" in core_modules()


def test_importing_any_core_module_loads_no_adapter_or_scheduler():
    script = (
        "import importlib, sys\n"
        f"for name in {core_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def imported_names(path: Path) -> set[str]:
    """Every module a file imports, written out in full (`from a import b` gives a and a.b)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_the_entry_points_reach_storage_only_through_the_core_facade():
    adapters = sorted((Path(bot.__file__).parent).glob("*.py"))
    assert adapters, "bot/ has modules to check"
    reaching = {
        path.name: sorted(n for n in imported_names(path) if n.startswith("briefings.store"))
        for path in adapters
    }
    assert {name: found for name, found in reaching.items() if found} == {}


STORE = Path(briefings.__file__).parent / "store"
# What only the store may import: the drivers and the backends themselves.
BACKEND_MODULES = (
    "sqlite3",
    "aiosqlite",
    "psycopg",
    "briefings.store.sqlite",
    "briefings.store.sqlite_store",
    "briefings.store.postgres",
)
# A string that is a statement of SQL: the shapes every query and schema change here takes.
SQL = re.compile(
    r"\bSELECT\b[\s\S]*\bFROM\b|\bINSERT\s+(OR\s+\w+\s+)?INTO\b|\bUPDATE\s+\w+\s+SET\b"
    r"|\bDELETE\s+FROM\b|\bCREATE\s+(TABLE|INDEX|VIEW|TRIGGER)\b|\bDROP\s+TABLE\b"
    r"|\bPRAGMA\s+\w+|\bBEGIN\s+IMMEDIATE\b|\bINDEXED\s+BY\b|\bjson_each\("
)


def sources_outside_the_store() -> list[Path]:
    """Every module of the core and the entry points, but the store's own."""
    roots = (Path(briefings.__file__).parent, Path(bot.__file__).parent)
    return sorted(
        path for root in roots for path in root.rglob("*.py") if STORE not in path.parents
    )


def sql_strings(path: Path) -> list[str]:
    """The string literals of a module (f-string parts too) that read as SQL statements."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL.search(node.value)
    ]


def test_the_sql_check_recognises_the_store_s_queries():
    found = [text for path in sorted(STORE.glob("*.py")) for text in sql_strings(path)]
    assert any("INDEXED BY" in text for text in found)
    assert any(text.lstrip().startswith("INSERT INTO") for text in found)


def test_only_the_store_imports_a_database_driver_or_backend():
    sources = sources_outside_the_store()
    assert Path(briefings.__file__).parent / "corpus.py" in sources
    reaching = {
        str(path): sorted(
            name
            for name in imported_names(path)
            if any(name == m or name.startswith(f"{m}.") for m in BACKEND_MODULES)
        )
        for path in sources
    }
    assert {name: found for name, found in reaching.items() if found} == {}


def test_sql_is_written_only_in_the_store():
    found = {str(path): sql_strings(path) for path in sources_outside_the_store()}
    assert {name: texts for name, texts in found.items() if texts} == {}
