"""The core must never load the chat platforms, the scheduler or the entry points; the entry points
reach storage only through the core's facade (Corpus), never briefings.store."""

import ast
import pkgutil
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
