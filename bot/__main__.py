"""`python -m bot` and the `kfor-bot` console script: the CLI, imported with the collector paused."""

import gc
import sys


def run() -> int:
    """Import the CLI and run it: the entry point of a process."""
    # The imports build about 30,000 objects that live until exit: collecting while they are made
    # frees nothing and cost every command about 10 ms. `main` then freezes them.
    gc.disable()
    try:
        from bot.cli import main
    finally:
        gc.enable()
    return main()


if __name__ == "__main__":
    sys.exit(run())
