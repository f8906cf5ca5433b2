"""The /kfor slash-command group, built from the service's command table, and its thin conversions in and out."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Collection
from typing import Any

import discord
from discord import app_commands

from bot.service import COMMANDS, Caller, CommandSpec, Invocation, Option, Reply, Service
from briefings.render.platforms import platform
from briefings.reply_types import ReplyData

NO_MENTIONS = discord.AllowedMentions.none()
GROUP = "kfor"
# Discord drops an interaction not answered within 3 s; a quicker answer is sent directly.
DEFER_AFTER_SECONDS = 1.0
MAX_CHOICES = 25
DESCRIPTION_LIMIT = 100
SUBGROUPS = {
    "feeds": "Moderators: the feeds this server draws on",
    "schedule": "Moderators: a daily briefing posted in a channel",
}
# Discord applies default permissions only to top-level commands (discord.py says so for
# Group.default_permissions), so the server-side check in `is_moderator` is what enforces this.
MODERATOR_PERMISSIONS = discord.Permissions(manage_guild=True)
DISCORD = platform("discord")


def _short(text: str) -> str:
    return text if len(text) <= DESCRIPTION_LIMIT else text[: DESCRIPTION_LIMIT - 1] + "…"


def _text_type(option: Option) -> Any:
    """A text option as discord.py reads it: Discord's client then refuses longer input itself."""
    bounded = app_commands.Range[str, None, option.max_length]
    return bounded if option.required else bounded | None


def is_moderator(interaction: discord.Interaction, role_names: Collection[str]) -> bool:
    """Manage Server (or Administrator), or a role named in config, from the interaction's own member data."""
    member = interaction.user
    if not isinstance(member, discord.Member):
        return False
    permissions = interaction.permissions
    if permissions.manage_guild or permissions.administrator:
        return True
    return any(role.name in role_names for role in member.roles)


def command_name(interaction: discord.Interaction) -> str:
    """The table name of the invoked command ("feeds add"), without the /kfor prefix."""
    command = interaction.command
    qualified = command.qualified_name if command is not None else ""
    return qualified.removeprefix(GROUP).strip()


def to_invocation(interaction: discord.Interaction) -> Invocation:
    """The interaction's command and option values, as text, in the service's terms."""
    args = {name: str(value) for name, value in interaction.namespace if value is not None}
    return Invocation(command_name(interaction), args)


def to_caller(interaction: discord.Interaction, role_names: Collection[str]) -> Caller:
    """Who asked and where: the guild is the workspace; DMs (not offered) get a per-user one."""
    workspace = str(interaction.guild_id or f"dm-{interaction.user.id}")
    channel = str(interaction.channel_id) if interaction.channel_id is not None else None
    return Caller(
        workspace=workspace,
        user=str(interaction.user.id),
        channel=channel,
        moderator=is_moderator(interaction, role_names),
        platform="discord",
    )


def to_messages(reply: ReplyData) -> list[list[discord.Embed]]:
    """Reply data as Discord messages of embeds, split by the renderer within Discord's limits."""
    return [[discord.Embed.from_dict(e) for e in message] for message in DISCORD.messages(reply)]


class KforCommands:
    """The /kfor group, made from the command table so a new command there is a new subcommand here."""

    def __init__(
        self,
        service: Service,
        moderator_roles: Collection[str],
        *,
        defer_after: float = DEFER_AFTER_SECONDS,
    ) -> None:
        self.service = service
        self.moderator_roles = tuple(moderator_roles)
        self.defer_after = defer_after
        self.group = app_commands.Group(
            name=GROUP, description="KFOR news briefings, every point cited", guild_only=True
        )
        subgroups: dict[str, app_commands.Group] = {}
        for spec in COMMANDS:
            *parents, leaf = spec.name.split()
            parent = self.group
            if parents:
                [name] = parents
                if name not in subgroups:
                    subgroups[name] = app_commands.Group(
                        name=name,
                        description=_short(SUBGROUPS.get(name, spec.help)),
                        parent=self.group,
                        default_permissions=MODERATOR_PERMISSIONS if spec.moderator else None,
                    )
                parent = subgroups[name]
            parent.add_command(self._command(spec, leaf, parent))

    def _command(
        self, spec: CommandSpec, leaf: str, parent: app_commands.Group
    ) -> app_commands.Command[Any, ..., None]:
        async def run(interaction: discord.Interaction, /, **options: str | None) -> None:
            await self.answer(interaction, spec)

        # discord.py reads option names, types and requiredness from the callback's signature.
        run.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [inspect.Parameter("interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
            + [
                inspect.Parameter(
                    option.name,
                    inspect.Parameter.KEYWORD_ONLY,
                    annotation=_text_type(option),
                    default=inspect.Parameter.empty if option.required else None,
                )
                for option in spec.options
            ]
        )
        descriptions = {option.name: _short(option.help) for option in spec.options}
        run = app_commands.describe(**descriptions)(run) if descriptions else run
        command: app_commands.Command[Any, ..., None] = app_commands.Command(
            name=leaf, description=_short(spec.help), callback=run, parent=parent
        )
        for option in spec.options:
            if option.autocomplete is not None:
                completer = self._completer(option.autocomplete, moderator_only=spec.moderator)
                command.autocomplete(option.name)(completer)
        return command

    def _completer(self, kind: str, *, moderator_only: bool) -> Any:
        async def complete(
            interaction: discord.Interaction, current: str
        ) -> list[app_commands.Choice[str]]:
            """Choices, none for who may not run the command; Discord refuses values over 100 characters."""
            if moderator_only and not is_moderator(interaction, self.moderator_roles):
                return []
            caller = to_caller(interaction, self.moderator_roles)
            values = await self.service.suggest(kind, caller.workspace, current)
            fitting = [v for v in values if len(v) <= DESCRIPTION_LIMIT][:MAX_CHOICES]
            return [app_commands.Choice(name=v, value=v) for v in fitting]

        return complete

    async def answer(self, interaction: discord.Interaction, spec: CommandSpec) -> None:
        """Run the command; answer directly if quick, else defer first and follow up.

        A public deferral cannot turn private, so an ephemeral reply after one (an error) replaces
        the "thinking" message with an ephemeral follow-up.
        """
        caller = to_caller(interaction, self.moderator_roles)
        work = asyncio.ensure_future(self.service.handle(to_invocation(interaction), caller))
        done, _ = await asyncio.wait({work}, timeout=self.defer_after)
        if done:
            await self._send(interaction, work.result(), deferred=None)
            return
        private = spec.moderator or spec.name == "help"
        await interaction.response.defer(thinking=True, ephemeral=private)
        await self._send(interaction, await work, deferred=private)

    async def _send(
        self, interaction: discord.Interaction, reply: Reply, *, deferred: bool | None
    ) -> None:
        messages = to_messages(reply.data)
        if deferred is False and reply.ephemeral:
            await interaction.delete_original_response()
        for n, embeds in enumerate(messages):
            if n == 0 and deferred is None:
                await interaction.response.send_message(
                    embeds=embeds, ephemeral=reply.ephemeral, allowed_mentions=NO_MENTIONS
                )
            else:
                await interaction.followup.send(
                    embeds=embeds, ephemeral=reply.ephemeral, allowed_mentions=NO_MENTIONS
                )
