"""The Discord adapter's connection: the client, start-up against configured endpoints, and the Discord Publisher."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
import discord
import yarl
from discord import app_commands

from bot.config import ConfigError, DiscordSettings, Settings
from bot.discord_commands import DEFER_AFTER_SECONDS, NO_MENTIONS, KforCommands, to_messages
from bot.publish import ChannelUnavailable, PostFailed, holds_marker
from bot.service import Service
from briefings.reply_types import ReplyData

log = logging.getLogger(__name__)
READY_TIMEOUT_SECONDS = 60.0
HISTORY_LIMIT = 50
RESET_ADVICE = "copy the bot token again from the Developer Portal (Bot > Reset Token)"


def point_at(settings: DiscordSettings) -> None:
    """Aim discord.py at the configured REST base and gateway (proxies, compatible servers, test fakes).

    discord.py 2.7 keeps both as class attributes (`Route.BASE`, `DiscordWebSocket.DEFAULT_GATEWAY`;
    a plain Client never asks GET /gateway), so this is process-wide and is done once, before login.
    """
    discord.http.Route.BASE = settings.api_base.rstrip("/")
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.gateway_url)


class KforClient(discord.Client):
    """A gateway client with only the guilds intent: member roles and permissions come with each interaction."""

    def __init__(self, commands: KforCommands, guild_id: int = 0, **options: Any) -> None:
        # The bot never joins voice: discord.py's warnings that voice libraries are missing
        # (PyNaCl, davey) would only worry the person starting it.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        intents = discord.Intents.none()
        intents.guilds = True
        super().__init__(intents=intents, allowed_mentions=NO_MENTIONS, **options)
        self.tree = app_commands.CommandTree(self)
        self.guild_id = guild_id
        guild = discord.Object(guild_id) if guild_id else None
        self.tree.add_command(commands.group, guild=guild)

    async def setup_hook(self) -> None:
        """Sync commands: to one guild when configured (instant, for development), else globally."""
        guild = discord.Object(self.guild_id) if self.guild_id else None
        synced = await self.tree.sync(guild=guild)
        where = f"guild {self.guild_id}" if guild else "all guilds"
        log.info("synced %d Discord command(s) to %s", len(synced), where)


class ShardedKforClient(KforClient, discord.AutoShardedClient):
    """The client running some shards of a sharded bot: one gateway connection per shard."""


def client_for(commands: KforCommands, settings: DiscordSettings) -> KforClient:
    """An unsharded client, or one running this process's shards (every shard when none is named).

    discord.py's AutoShardedClient takes the shard count and ids as given; each shard's IDENTIFY
    carries its [id, count] pair, and Discord sends it only the guilds of that shard.
    """
    if not settings.shard_count:
        return KforClient(commands, settings.guild_id)
    return ShardedKforClient(
        commands,
        settings.guild_id,
        shard_count=settings.shard_count,
        shard_ids=list(settings.shard_ids) or None,
    )


class DiscordPublisher:
    """Posts scheduled briefings to a channel id over REST, through the client's own HTTP session."""

    platform = "discord"

    def __init__(self, client: discord.Client) -> None:
        self.client = client

    def _channel(self, channel: str) -> discord.PartialMessageable:
        if not channel.isdigit():
            raise ChannelUnavailable(f"Discord channel {channel!r} is not a channel id")
        return self.client.get_partial_messageable(int(channel))

    async def post(self, workspace: str, channel: str, reply: ReplyData) -> str:
        """Send each message of the reply in order; the first message's id identifies the post."""
        target = self._channel(channel)
        ids = []
        for embeds in to_messages(reply):
            try:
                message = await target.send(embeds=embeds, allowed_mentions=NO_MENTIONS)
            except discord.HTTPException as exc:
                raise _translated(exc, channel, "post in") from exc
            except (aiohttp.ClientError, TimeoutError) as exc:
                raise PostFailed(f"could not reach Discord: {type(exc).__name__}") from exc
            ids.append(str(message.id))
        return ids[0]

    async def find_marker(self, workspace: str, channel: str, marker: str) -> str | None:
        """The newest of the last few messages whose embed footer or text holds `marker`."""
        target = self._channel(channel)
        try:
            async for message in target.history(limit=HISTORY_LIMIT):
                footers = [e.footer.text or "" for e in message.embeds]
                if any(holds_marker(text, marker) for text in [message.content, *footers]):
                    return str(message.id)
        except discord.HTTPException as exc:
            raise _translated(exc, channel, "read") from exc
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise PostFailed(f"could not reach Discord: {type(exc).__name__}") from exc
        return None


def _translated(exc: discord.HTTPException, channel: str, action: str) -> Exception:
    if isinstance(exc, discord.NotFound):
        return ChannelUnavailable(
            f"Discord channel {channel} was not found (deleted, or not visible)"
        )
    if isinstance(exc, discord.Forbidden):
        return ChannelUnavailable(
            f"the bot may not {action} Discord channel {channel}: "
            "it needs View Channel, Send Messages and Embed Links there"
        )
    return PostFailed(f"Discord refused the request ({exc.status}): {exc.text[:200]}")


def _status(failure: discord.LoginFailure) -> str:
    """The HTTP status behind a refused login, as "401 Unauthorized"."""
    cause = failure.__cause__
    if isinstance(cause, discord.HTTPException):
        return f"{cause.status} {cause.response.reason or ''}".strip()
    return "login refused"


class DiscordApp:
    """The running adapter: `start(token)` logs in, syncs commands and connects; `close()` disconnects."""

    def __init__(
        self, service: Service, settings: Settings, *, defer_after: float = DEFER_AFTER_SECONDS
    ) -> None:
        self.settings = settings.discord
        self.commands = KforCommands(
            service, self.settings.moderator_roles, defer_after=defer_after
        )
        self.client = client_for(self.commands, self.settings)
        self.publisher = DiscordPublisher(self.client)
        self._connection: asyncio.Task[None] | None = None

    async def start(self, token: str) -> None:
        """Log in and wait until the gateway says READY; a refused token raises ConfigError naming
        the variable (never its value). A failed start closes the client's HTTP session."""
        point_at(self.settings)
        try:
            await self.client.login(token)
        except discord.LoginFailure as exc:
            await self.close()
            raise ConfigError(
                f"Discord refused DISCORD_TOKEN ({_status(exc)}): {RESET_ADVICE}"
            ) from None
        except BaseException:
            await self.close()
            raise
        self._connection = asyncio.create_task(self.client.connect())
        ready = asyncio.ensure_future(self.client.wait_until_ready())
        done, _ = await asyncio.wait(
            {ready, self._connection},
            timeout=READY_TIMEOUT_SECONDS,
            return_when=asyncio.FIRST_COMPLETED,
        )
        if ready not in done:
            ready.cancel()
            await self.close()
            raise ConnectionError("the Discord gateway did not become ready")

    async def close(self) -> None:
        """Disconnect and wait for the connection task to end."""
        await self.client.close()
        if self._connection is not None:
            await asyncio.gather(self._connection, return_exceptions=True)
            self._connection = None


async def start_discord(service: Service, settings: Settings, token: str) -> DiscordApp:
    """Start the adapter for `kfor-bot run`; its `publisher` goes to the scheduler, `close()` on shutdown."""
    app = DiscordApp(service, settings)
    await app.start(token)
    return app
