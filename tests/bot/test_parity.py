"""Every command of the table is reachable from the CLI; each chat platform's test file checks
that it reaches every command too (tests/bot/test_<platform>.py)."""

import argparse

from bot.cli import build_parser
from bot.service import COMMANDS

# Bound to the chat channel they are typed in; the CLI shows them all with `schedule list`.
CHANNEL_BOUND = {"schedule set", "schedule off", "schedule show"}


def cli_commands() -> set[str]:
    names: set[str] = set()

    def walk(parser: argparse.ArgumentParser, prefix: str) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    walk(sub, f"{prefix} {name}".strip())
                return
        names.add(prefix)

    walk(build_parser(), "")
    return names | {"help"}  # `kfor-bot --help`


def test_the_cli_reaches_every_command_not_bound_to_a_chat_channel():
    table = {spec.name for spec in COMMANDS}
    assert table >= CHANNEL_BOUND
    assert table - CHANNEL_BOUND <= cli_commands()
