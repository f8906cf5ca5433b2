"""The Slack adapter: `/kfor` on slack-bolt (Socket Mode or HTTP), Block Kit replies, and the Slack publisher."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.arguments import UsageError
from bot.config import ConfigError, SlackSettings
from bot.publish import ChannelUnavailable, PostFailed, holds_marker
from bot.service import BY_NAME, Caller, Invocation, Reply, Service, error, our_fault, parse_text
from briefings.errors import KforError
from briefings.render.platforms import platform
from briefings.reply_types import ReplyData

log = logging.getLogger(__name__)

PLATFORM = "slack"
SLACK = platform(PLATFORM)
COMMAND = "/kfor"
# Slack signs each request with the time it was sent; older ones are refused as replays.
REPLAY_WINDOW_SECONDS = 300
# How long a command's trigger_id is remembered, so that a second delivery of it is recognised.
REDELIVERY_WINDOW = dt.timedelta(seconds=2 * REPLAY_WINDOW_SECONDS)
# A response_url takes at most five messages; more are refused by Slack.
MAX_RESPONSES = 5
# How long `start_slack` waits for the first Socket Mode connection before giving up.
SOCKET_CONNECT_SECONDS = 30.0
# Errors after which posting again cannot succeed until someone changes the channel or invites the bot.
_CHANNEL_PROBLEMS = {
    "channel_not_found": "the channel is gone or the bot cannot see it",
    "not_in_channel": "the bot is not in the channel: invite it with /invite",
    "is_archived": "the channel is archived",
    "channel_is_archived": "the channel is archived",
}
# Where to find a token Slack refused.
_TOKEN_HINTS = {
    "SLACK_BOT_TOKEN": "use the Bot User OAuth Token (xoxb-...) from the app's OAuth & Permissions page",
    "SLACK_APP_TOKEN": "use an app-level token (xapp-...) with the connections:write scope, from the app's Basic Information page",
}
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_TOKEN_VARIABLES = {
    "socket": ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN"),
    "http": ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"),
}


def to_invocation(body: Mapping[str, Any]) -> Invocation:
    """The slash command's text as an Invocation; raises UsageError for malformed text."""
    return parse_text(str(body.get("text") or ""))


def to_messages(reply: ReplyData) -> list[dict[str, Any]]:
    """The reply data as Slack messages: Block Kit blocks and an escaped plain-text fallback each.

    The fallback is what notifications and screen readers show, so it is escaped like feed text;
    link unfurling is off so a feed's link cannot bring its own preview into the channel.
    """
    messages = []
    for blocks in SLACK.messages(reply):
        header = next((b["text"]["text"] for b in blocks if b["type"] == "header"), "KFOR")
        messages.append(
            {
                "text": SLACK.escape(header),
                "blocks": blocks,
                "unfurl_links": False,
                "unfurl_media": False,
            }
        )
    return messages


def missing_credentials(settings: SlackSettings, env: Mapping[str, str]) -> list[str]:
    """Names of the environment variables the configured mode needs and does not have."""
    return [name for name in _TOKEN_VARIABLES[settings.mode] if not env.get(name)]


async def _slack_call(call: Awaitable[AsyncSlackResponse]) -> AsyncSlackResponse:
    """A Web API call whose failures become ChannelUnavailable or PostFailed, never a raw SDK error."""
    try:
        return await call
    except SlackApiError as exc:
        code = str(exc.response.get("error") or "unknown_error")
        if code in _CHANNEL_PROBLEMS:
            raise ChannelUnavailable(f"{code}: {_CHANNEL_PROBLEMS[code]}") from None
        raise PostFailed(f"Slack refused the call: {code}") from None
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise PostFailed(f"could not reach Slack: {type(exc).__name__}") from None


class SlackPublisher:
    """Posts scheduled briefings with chat.postMessage and finds earlier ones by their footer marker."""

    platform = PLATFORM

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    async def post(self, workspace: str, channel: str, reply: ReplyData) -> str:
        """Post every part of the reply in order; the first message's ts identifies the post."""
        first: str | None = None
        for message in to_messages(reply):
            response = await _slack_call(self.client.chat_postMessage(channel=channel, **message))
            first = first or str(response["ts"])
        if first is None:
            raise PostFailed("the reply rendered to no Slack message")
        return first

    async def find_marker(self, workspace: str, channel: str, marker: str) -> str | None:
        """The ts of one of the channel's last 50 messages whose text or blocks carry `marker`."""
        response = await _slack_call(self.client.conversations_history(channel=channel, limit=50))
        for message in response.get("messages") or []:
            if any(holds_marker(text, marker) for text in _message_texts(message)):
                return str(message["ts"])
        return None


def _message_texts(message: Mapping[str, Any]) -> list[str]:
    """The message's fallback text and the text of its section and context blocks."""
    texts = [str(message.get("text") or "")]
    for block in message.get("blocks") or []:
        if isinstance(block.get("text"), Mapping):
            texts.append(str(block["text"].get("text") or ""))
        texts.extend(str(e.get("text") or "") for e in block.get("elements") or [])
    return texts


class SlackCommands:
    """The `/kfor` handler: acknowledge, decide who is a moderator, ask the service, respond."""

    def __init__(self, service: Service, settings: SlackSettings) -> None:
        self.service = service
        self.moderator_ids = frozenset(settings.moderator_ids)

    async def on_command(
        self,
        ack: AsyncAck,
        body: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
    ) -> None:
        """Slack drops a command not acknowledged within 3 s, so ack comes before any work.

        Nothing may escape: bolt withdraws the acknowledgement when a handler raises, and the
        user would then see no answer at all.
        """
        await ack()
        if not await self.first_delivery(body):
            log.info(
                "acknowledged a repeated delivery of a Slack command without acting on it again"
            )
            return
        try:
            reply = await self.answer(body, client)
        except Exception:
            log.exception("the /kfor command could not be answered")
            reply = our_fault()
        try:
            await self.send(reply, respond)
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.warning("could not send a response to Slack: %s", type(exc).__name__)

    async def first_delivery(self, body: Mapping[str, Any]) -> bool:
        """Whether no process sharing the store took this command yet: a Slack retry
        (X-Slack-Retry-Num), a replay, or a Socket Mode delivery to another process's connection
        keeps the command's trigger_id. Keying on it rather than on the retry header still
        answers a retry whose first delivery never arrived. When the store cannot tell, the
        command is answered (twice, at worst, rather than never)."""
        trigger = body.get("trigger_id")
        if not trigger:
            return True
        corpus = self.service.corpus
        try:
            return await corpus.first_time_handled(
                f"slack-trigger:{trigger}", corpus.clock(), REDELIVERY_WINDOW
            )
        except KforError as exc:
            log.warning("could not check for a repeated Slack command: %s", exc)
            return True

    async def send(self, reply: Reply, respond: AsyncRespond) -> None:
        """The reply through the command's response_url, as many messages as Slack takes."""
        response_type = "ephemeral" if reply.ephemeral else "in_channel"
        messages = to_messages(reply.data)
        if len(messages) > MAX_RESPONSES:
            log.warning(
                "a %d-message reply was cut to %d: Slack's response_url takes no more",
                len(messages),
                MAX_RESPONSES,
            )
        for message in messages[:MAX_RESPONSES]:
            sent = await respond(response_type=response_type, **message)
            if sent.status_code != 200:
                log.warning("Slack refused a response (%s): %s", sent.status_code, sent.body)
                return

    async def answer(self, body: Mapping[str, Any], client: AsyncWebClient) -> Reply:
        """The service's reply to the command in `body`; malformed text gets the usage error."""
        try:
            invocation = to_invocation(body)
        except UsageError as exc:
            return error(str(exc))
        user = str(body.get("user_id") or "")
        spec = BY_NAME[invocation.name]
        caller = Caller(
            workspace=str(body.get("team_id") or ""),
            user=user,
            channel=body.get("channel_id") or None,
            moderator=spec.moderator and await self.is_moderator(client, user),
            platform=PLATFORM,
        )
        return await self.service.handle(invocation, caller)

    async def is_moderator(self, client: AsyncWebClient, user: str) -> bool:
        """A configured moderator id, or a workspace admin or owner as users.info reports."""
        if user in self.moderator_ids:
            return True
        try:
            response = await client.users_info(user=user)
        except SlackApiError as exc:
            log.warning("users.info for %s failed: %s", user, exc.response.get("error"))
            return False
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.warning("users.info for %s failed: %s", user, type(exc).__name__)
            return False
        profile = response.get("user") or {}
        return any(profile.get(flag) for flag in ("is_admin", "is_owner", "is_primary_owner"))


async def _checked(
    variable: str, call: Awaitable[AsyncSlackResponse], settings: SlackSettings
) -> AsyncSlackResponse:
    """The answer to a call made with the token in `variable`; ConfigError naming the variable
    (never its value) when Slack refuses the token or cannot be reached."""
    try:
        return await call
    except SlackApiError as exc:
        code = str(exc.response.get("error") or "unknown_error")
        raise ConfigError(f"Slack refused {variable} ({code}): {_TOKEN_HINTS[variable]}") from None
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise ConfigError(
            f"could not reach Slack at {settings.api_base_url} to check {variable}:"
            f" {type(exc).__name__}"
        ) from None


class _TokenSkippedNotice(logging.Filter):
    """Drops bolt's notice that SLACK_BOT_TOKEN "will be unused": bolt reads the variable itself,
    sees the client it is given too, and warns, though that client carries the same token."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep every record but that notice."""
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


_TOKEN_SKIPPED_NOTICE = _TokenSkippedNotice()


def build_app(
    service: Service, settings: SlackSettings, client: AsyncWebClient, signing_secret: str = ""
) -> AsyncApp:
    """The bolt app with `/kfor`; request signatures are checked in HTTP mode only."""
    logging.getLogger(f"slack_bolt.{AsyncApp.__name__}").addFilter(_TOKEN_SKIPPED_NOTICE)
    http = settings.mode == "http"
    app = AsyncApp(
        client=client,
        signing_secret=signing_secret if http else "",
        request_verification_enabled=http,
    )
    app.command(COMMAND)(SlackCommands(service, settings).on_command)
    return app


class RequestGuard:
    """Lets through only signed, fresh requests from Slack.

    Bolt answers 500 to a non-numeric timestamp header, so the timestamp is checked here first.
    A retry (X-Slack-Retry-Num) or a replay of a signed request passes, and
    `SlackCommands.first_delivery` acknowledges it without running the command again, as it does
    in Socket Mode.
    """

    def __init__(self, signing_secret: str, clock: Callable[[], float] = time.time) -> None:
        self.verifier = SignatureVerifier(signing_secret)
        self.clock = clock

    def refusal(self, body: bytes, headers: Mapping[str, str]) -> str | None:
        """Why the request is not from Slack, or None when it is signed and fresh."""
        stamp = headers.get("X-Slack-Request-Timestamp", "")
        if not _TIMESTAMP.fullmatch(stamp):
            return "missing or malformed request timestamp"
        if abs(self.clock() - int(stamp)) > REPLAY_WINDOW_SECONDS:
            return "request timestamp outside the five-minute window"
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return "request body is not UTF-8"
        if not self.verifier.is_valid(text, stamp, headers.get("X-Slack-Signature", "")):
            return "bad signature"
        return None


def http_application(app: AsyncApp, path: str, guard: RequestGuard) -> web.Application:
    """An aiohttp application serving the bolt app at `path` behind the RequestGuard."""

    async def on_post(request: web.Request) -> web.StreamResponse:
        body = await request.read()
        reason = guard.refusal(body, request.headers)
        if reason is not None:
            log.info("refused a Slack request: %s", reason)
            return web.json_response({"error": "invalid request"}, status=401)
        response = await app.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(response)

    web_app = web.Application()
    web_app.router.add_post(path, on_post)
    return web_app


class SlackRunner:
    """The running Slack adapter: its publisher, and the HTTP site or Socket Mode connection to close."""

    def __init__(
        self,
        client: AsyncWebClient,
        *,
        web_runner: web.AppRunner | None = None,
        socket: AsyncSocketModeHandler | None = None,
    ) -> None:
        self.client = client
        self.publisher = SlackPublisher(client)
        self.web_runner = web_runner
        self.socket = socket

    @property
    def mode(self) -> str:
        """Which way commands arrive: "http" or "socket"."""
        return "http" if self.web_runner is not None else "socket"

    @property
    def port(self) -> int | None:
        """The port the HTTP endpoint listens on (useful when configured as 0), or None."""
        if self.web_runner is None or not self.web_runner.addresses:
            return None
        return int(self.web_runner.addresses[0][1])

    async def close(self) -> None:
        """Stop taking commands: close the HTTP listener or the Socket Mode connection."""
        if self.web_runner is not None:
            await self.web_runner.cleanup()
        if self.socket is not None:
            await self.socket.close_async()


async def start_slack(
    service: Service, settings: SlackSettings, env: Mapping[str, str]
) -> SlackRunner:
    """Start the adapter in the configured mode with tokens from `env`; ConfigError names what is missing.

    HTTP mode listens on settings.host:port at settings.path; Socket Mode connects out to Slack,
    so it needs no public address. Token values never appear in messages or logs.
    """
    missing = missing_credentials(settings, env)
    if missing:
        raise ConfigError(
            f"Slack {settings.mode} mode needs {' and '.join(missing)} in the environment"
        )
    client = AsyncWebClient(token=env["SLACK_BOT_TOKEN"], base_url=settings.api_base_url)
    await _checked("SLACK_BOT_TOKEN", client.auth_test(), settings)
    if settings.mode == "socket":
        # The SDK retries a refused token for ever, logging a traceback each time: the token is
        # checked here first, and the address Slack hands out is the one the SDK then opens.
        opened = await _checked(
            "SLACK_APP_TOKEN",
            client.apps_connections_open(app_token=env["SLACK_APP_TOKEN"]),
            settings,
        )
        app = build_app(service, settings, client)
        socket = AsyncSocketModeHandler(app, app_token=env["SLACK_APP_TOKEN"], web_client=client)
        socket.client.wss_uri = str(opened["url"])
        try:
            await asyncio.wait_for(socket.connect_async(), SOCKET_CONNECT_SECONDS)
        except TimeoutError:
            await socket.close_async()
            raise ConfigError(
                f"no Slack Socket Mode connection within {SOCKET_CONNECT_SECONDS:.0f} s:"
                " Slack accepted SLACK_APP_TOKEN, but its websocket did not open"
            ) from None
        return SlackRunner(client, socket=socket)
    secret = env["SLACK_SIGNING_SECRET"]
    app = build_app(service, settings, client, secret)
    web_runner = web.AppRunner(http_application(app, settings.path, RequestGuard(secret)))
    await web_runner.setup()
    try:
        await web.TCPSite(web_runner, settings.host, settings.port).start()
    except OSError as exc:
        await web_runner.cleanup()
        raise ConfigError(
            f"cannot listen for Slack on {settings.host}:{settings.port}: {exc.strerror}"
        ) from None
    return SlackRunner(client, web_runner=web_runner)


__all__ = [
    "COMMAND",
    "PLATFORM",
    "RequestGuard",
    "SlackCommands",
    "SlackPublisher",
    "SlackRunner",
    "build_app",
    "http_application",
    "missing_credentials",
    "start_slack",
    "to_invocation",
    "to_messages",
]
