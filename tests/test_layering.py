"""The core must never load the chat platforms, the scheduler or the entry points."""

import pkgutil
import subprocess
import sys

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
