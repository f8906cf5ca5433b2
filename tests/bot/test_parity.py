"""Every command of the table is reachable from the CLI, Slack and Discord."""

import argparse

from discord import app_commands

from bot.cli import build_parser
from bot.discord_commands import KforCommands
from bot.service import COMMANDS, parse_text

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


def discord_commands() -> set[str]:
    group = KforCommands(service=None, moderator_roles=()).group  # type: ignore[arg-type]
    names: set[str] = set()

    def walk(node: app_commands.Group, prefix: str) -> None:
        for command in node.commands:
            name = f"{prefix} {command.name}".strip()
            if isinstance(command, app_commands.Group):
                walk(command, name)
            else:
                names.add(name)

    walk(group, "")
    return names


def test_the_cli_reaches_every_command_not_bound_to_a_chat_channel():
    table = {spec.name for spec in COMMANDS}
    assert table >= CHANNEL_BOUND
    assert table - CHANNEL_BOUND <= cli_commands()


def test_slack_text_reaches_every_command():
    for spec in COMMANDS:
        words = [spec.name] + [f"x{o.name}" for o in spec.options if o.required]
        assert parse_text(" ".join(words)).name == spec.name


def test_discord_has_a_slash_command_for_every_command():
    assert discord_commands() == {spec.name for spec in COMMANDS}
