"""`python -m bot` and the `kfor-bot` console script: the CLI, imported with the collector paused."""

import gc
import sys


def run() -> int:
    """Import the CLI and run it: the entry point of a process."""
    # The imports build about 30,000 objects that live until exit. Collecting while they are made
    # freed nothing (about 10 ms of every command), and walking them again in the passes at exit
    # cost 25 ms more: the collector is paused for the imports, then what they built is frozen.
    gc.disable()
    try:
        from bot.cli import main

        gc.freeze()
    finally:
        gc.enable()
    return main()


if __name__ == "__main__":
    sys.exit(run())
