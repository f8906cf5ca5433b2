"""A loopback Discord: the REST routes and gateway websocket the real discord.py client uses, recording every call."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakes.loopback import LoopbackApp

API = "/api/v10"
APP_ID = "700000000000000001"
BOT_ID = "700000000000000002"
GUILD_ID = "800000000000000001"
CHANNEL_ID = "800000000000000010"
FORBIDDEN_CHANNEL_ID = "800000000000000011"
MODERATOR_ROLE_ID = "800000000000000021"
MEMBER_ROLE_ID = "800000000000000022"
BOT_TOKEN = "fake-token.not-a-real-one"
EPHEMERAL = 64
# Permission bits as Discord numbers them: VIEW_CHANNEL, SEND_MESSAGES, USE_APPLICATION_COMMANDS.
MEMBER_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 31)
MANAGE_GUILD = 1 << 5


@dataclass(frozen=True)
class Call:
    """One REST request as the server received it."""

    method: str
    path: str
    query: dict[str, str]
    body: Any


@dataclass(frozen=True)
class Sent:
    """A message a user would see: where it came from, its flags, embeds and mention policy."""

    via: str
    token: str | None
    channel: str | None
    payload: dict[str, Any]

    @property
    def ephemeral(self) -> bool:
        """Whether only the asker sees it (flags bit 64)."""
        return bool(int(self.payload.get("flags") or 0) & EPHEMERAL)

    @property
    def embeds(self) -> list[dict[str, Any]]:
        """The embeds as sent."""
        return list(self.payload.get("embeds") or [])


@dataclass(frozen=True)
class Person:
    """A guild member as interactions carry it: id, name, role ids and permission bits."""

    id: str
    name: str
    roles: tuple[str, ...] = ()
    permissions: int = MEMBER_PERMISSIONS

    def member_payload(self) -> dict[str, Any]:
        """The `member` object of an interaction, with the resolved permissions string."""
        return {
            "user": _user(self.id, self.name),
            "roles": list(self.roles),
            "permissions": str(self.permissions),
            "joined_at": "2025-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "flags": 0,
            "nick": None,
            "avatar": None,
            "pending": False,
        }


MEMBER = Person("900000000000000001", "member", (MEMBER_ROLE_ID,))
ROLE_MODERATOR = Person("900000000000000002", "rolemod", (MODERATOR_ROLE_ID,))
SERVER_MANAGER = Person("900000000000000003", "manager", (), MEMBER_PERMISSIONS | MANAGE_GUILD)


def _user(user_id: str, name: str, *, bot: bool = False) -> dict[str, Any]:
    return {
        "id": user_id,
        "username": name,
        "discriminator": "0",
        "global_name": name,
        "avatar": None,
        "bot": bot,
        "public_flags": 0,
    }


def _json(data: Any, status: int = 200) -> web.Response:
    """discord.py parses a body only when Content-Type is exactly application/json (no charset)."""
    return web.Response(
        body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"}
    )


def _needs_bot_token(path: str) -> bool:
    """Interaction callbacks and follow-ups are authorised by their token in the path, not a header."""
    return path.startswith(API) and not path.startswith(
        (f"{API}/interactions/", f"{API}/webhooks/")
    )


def _error(status: int, code: int, message: str) -> web.Response:
    return _json({"message": message, "code": code}, status)


@dataclass
class _Gateway:
    socket: web.WebSocketResponse
    sequence: itertools.count = field(default_factory=lambda: itertools.count(1))


class FakeDiscord(LoopbackApp):
    """A real aiohttp server on 127.0.0.1 speaking enough of Discord's API v10 for one bot in one guild.

    REST lives under `api_base`, the gateway at `gateway_url`. `calls` holds every REST request,
    `sent` every message a user would see (interaction replies, follow-ups, channel posts).
    Channel FORBIDDEN_CHANNEL_ID answers 403; channel ids not in `channels` answer 404.
    """

    def __init__(self, token: str = BOT_TOKEN, *, heartbeat_interval_ms: int = 500) -> None:
        self.token = token
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.calls: list[Call] = []
        self.sent: list[Sent] = []
        self.identify: dict[str, Any] | None = None
        self.identifies: list[dict[str, Any]] = []
        self.heartbeats = 0
        self.channels: dict[str, list[dict[str, Any]]] = {CHANNEL_ID: []}
        self.roles = {MODERATOR_ROLE_ID: "Moderators", MEMBER_ROLE_ID: "Readers"}
        self.commands: dict[str | None, list[dict[str, Any]]] = {}
        self._ids = itertools.count(1_000_000_000_000_000_000)
        self._gateway: _Gateway | None = None
        self._changed = asyncio.Condition()
        app = web.Application(middlewares=[self._record])
        app.router.add_get(f"{API}/users/@me", self._me)
        app.router.add_get(f"{API}/oauth2/applications/@me", self._application)
        app.router.add_get(f"{API}/gateway", self._gateway_info)
        app.router.add_put(f"{API}/applications/{{app}}/commands", self._sync)
        app.router.add_put(f"{API}/applications/{{app}}/guilds/{{guild}}/commands", self._sync)
        app.router.add_post(f"{API}/interactions/{{id}}/{{token}}/callback", self._callback)
        app.router.add_post(f"{API}/webhooks/{{app}}/{{token}}", self._followup)
        app.router.add_patch(f"{API}/webhooks/{{app}}/{{token}}/messages/{{message}}", self._edit)
        app.router.add_delete(
            f"{API}/webhooks/{{app}}/{{token}}/messages/{{message}}", self._delete
        )
        app.router.add_post(f"{API}/channels/{{channel}}/messages", self._post_message)
        app.router.add_get(f"{API}/channels/{{channel}}/messages", self._history)
        app.router.add_get("/gateway-ws", self._websocket)
        super().__init__(app, host="127.0.0.1")

    @property
    def api_base(self) -> str:
        """What `discord.api_base` points at."""
        return f"http://127.0.0.1:{self.port}{API}"

    @property
    def gateway_url(self) -> str:
        """What `discord.gateway_url` points at."""
        return f"ws://127.0.0.1:{self.port}/gateway-ws"

    # Waiting on what the client does

    async def _note(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def wait_for(self, check: Callable[[], Any], seconds: float = 10.0) -> Any:
        """Wait until `check()` is truthy (re-checked after every request) and return its value."""

        async def until() -> Any:
            async with self._changed:
                while not (value := check()):
                    await self._changed.wait()
                return value

        return await asyncio.wait_for(until(), seconds)

    def replies_to(self, token: str) -> list[Sent]:
        """Every message shown for one interaction, in order (deleted originals included)."""
        return [s for s in self.sent if s.token == token]

    def calls_to(self, method: str, fragment: str) -> list[Call]:
        """REST calls whose method matches and whose path contains `fragment`."""
        return [c for c in self.calls if c.method == method and fragment in c.path]

    # Gateway

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send a DISPATCH (op 0) event to the connected client."""
        gateway = self._gateway
        if gateway is None:
            raise RuntimeError("no client is connected to the gateway")
        frame = {"op": 0, "t": event, "s": next(gateway.sequence), "d": data}
        await gateway.socket.send_str(json.dumps(frame))

    async def _websocket(self, request: web.Request) -> web.StreamResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        gateway = self._gateway = _Gateway(socket)
        hello = {"op": 10, "d": {"heartbeat_interval": self.heartbeat_interval_ms}}
        await socket.send_str(json.dumps({**hello, "s": None, "t": None}))
        async for message in socket:
            if message.type is not WSMsgType.TEXT:
                break
            frame = json.loads(message.data)
            if frame["op"] == 1:
                self.heartbeats += 1
                await socket.send_str(json.dumps({"op": 11, "d": None, "s": None, "t": None}))
            elif frame["op"] == 2:
                self.identify = frame["d"]
                self.identifies.append(frame["d"])
                # Events go to the shard that identified last (each shard has its own socket).
                self._gateway = gateway
                await self._ready(frame["d"].get("shard"))
            await self._note()
        self._gateway = None
        return socket

    async def _ready(self, shard: list[int] | None) -> None:
        """READY, carrying the shard pair back as Discord does when the IDENTIFY named one."""
        await self.dispatch(
            "READY",
            ({"shard": shard} if shard else {})
            | {
                "v": 10,
                "user": _user(BOT_ID, "kfor-bot", bot=True),
                "guilds": [{"id": GUILD_ID, "unavailable": True}],
                "session_id": "fake-session",
                "resume_gateway_url": self.gateway_url,
                "application": {"id": APP_ID, "flags": 0},
            },
        )
        await self.dispatch("GUILD_CREATE", self._guild())

    def _guild(self) -> dict[str, Any]:
        everyone = {"id": GUILD_ID, "name": "@everyone", "permissions": str(MEMBER_PERMISSIONS)}
        roles = [everyone] + [
            {"id": i, "name": n, "permissions": "0"} for i, n in self.roles.items()
        ]
        members = [p.member_payload() for p in (MEMBER, ROLE_MODERATOR, SERVER_MANAGER)]
        channels = [
            {"id": cid, "type": 0, "name": f"news-{n}", "position": n, "permission_overwrites": []}
            for n, cid in enumerate([CHANNEL_ID, FORBIDDEN_CHANNEL_ID])
        ]
        return {
            "id": GUILD_ID,
            "name": "KFOR watchers",
            "owner_id": SERVER_MANAGER.id,
            "unavailable": False,
            "member_count": len(members),
            "large": False,
            "roles": [
                {**r, "position": n, "color": 0, "hoist": False, "managed": False}
                | {"mentionable": False, "flags": 0}
                for n, r in enumerate(roles)
            ],
            "channels": channels,
            "members": members,
            "threads": [],
            "emojis": [],
            "stickers": [],
            "features": [],
            "voice_states": [],
            "presences": [],
            "joined_at": "2025-01-01T00:00:00+00:00",
        }

    # Interactions a user triggers

    def _interaction(
        self, kind: int, data: dict[str, Any], person: Person, channel: str
    ) -> tuple[str, dict[str, Any]]:
        interaction_id = str(next(self._ids))
        token = f"interaction-token-{interaction_id}"
        payload = {
            "id": interaction_id,
            "application_id": APP_ID,
            "type": kind,
            "data": data,
            "guild_id": GUILD_ID,
            "channel_id": channel,
            "channel": {"id": channel, "type": 0, "guild_id": GUILD_ID, "name": "news"},
            "member": person.member_payload(),
            "token": token,
            "version": 1,
            "app_permissions": str(MEMBER_PERMISSIONS),
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": GUILD_ID},
            "context": 0,
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        return token, payload

    async def run_command(
        self,
        path: str,
        options: dict[str, str] | None = None,
        *,
        person: Person = MEMBER,
        channel: str = CHANNEL_ID,
        focused: str | None = None,
    ) -> str:
        """A user runs `/kfor <path>` (type 2), or types into option `focused` (type 4, autocomplete).

        Options nest as Discord sends them: kfor -> [subcommand group ->] subcommand -> values.
        Returns the interaction token, which keys every reply in `sent`.
        """
        values = [
            {"name": k, "type": 3, "value": v} | ({"focused": True} if k == focused else {})
            for k, v in (options or {}).items()
        ]
        *groups, leaf = path.split()
        node: list[dict[str, Any]] = [{"name": leaf, "type": 1, "options": values}]
        for group in reversed(groups):
            node = [{"name": group, "type": 2, "options": node}]
        guild_commands = self.commands.get(GUILD_ID) or self.commands.get(None) or []
        command_id = next((c["id"] for c in guild_commands if c["name"] == "kfor"), "0")
        data = {"id": command_id, "name": "kfor", "type": 1, "options": node}
        if GUILD_ID in self.commands:
            data["guild_id"] = GUILD_ID
        token, payload = self._interaction(4 if focused else 2, data, person, channel)
        await self.dispatch("INTERACTION_CREATE", payload)
        return token

    # REST

    @web.middleware
    async def _record(self, request: web.Request, handler: Any) -> web.StreamResponse:
        body = await request.json() if request.can_read_body else None
        self.calls.append(Call(request.method, request.path, dict(request.query), body))
        if (
            _needs_bot_token(request.path)
            and request.headers.get("Authorization") != f"Bot {self.token}"
        ):
            return _error(401, 0, "401: Unauthorized")
        try:
            return await handler(request)
        finally:
            await self._note()

    def _message(self, channel: str, payload: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": str(next(self._ids)),
            "channel_id": channel,
            "author": _user(BOT_ID, "kfor-bot", bot=True),
            "content": payload.get("content") or "",
            "timestamp": dt.datetime.now(dt.UTC).isoformat(),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": payload.get("embeds") or [],
            "pinned": False,
            "type": 0,
            "flags": int(payload.get("flags") or 0),
        }

    async def _me(self, request: web.Request) -> web.Response:
        return _json(_user(BOT_ID, "kfor-bot", bot=True))

    async def _application(self, request: web.Request) -> web.Response:
        return _json(
            {
                "id": APP_ID,
                "name": "kfor-bot",
                "description": "",
                "icon": None,
                "bot_public": False,
                "bot_require_code_grant": False,
                "owner": _user("900000000000000009", "owner"),
                "verify_key": "00",
                "flags": 0,
                "team": None,
            }
        )

    async def _gateway_info(self, request: web.Request) -> web.Response:
        return _json({"url": self.gateway_url})

    async def _sync(self, request: web.Request) -> web.Response:
        guild = request.match_info.get("guild")
        commands = [
            {**c, "id": str(next(self._ids)), "application_id": APP_ID, "version": "1"}
            | ({"guild_id": guild} if guild else {})
            for c in await request.json()
        ]
        self.commands[guild] = commands
        return _json(commands)

    async def _callback(self, request: web.Request) -> web.Response:
        body = await request.json()
        token = request.match_info["token"]
        data = body.get("data") or {}
        interaction = {
            "id": request.match_info["id"],
            "type": 2,
            "response_message_loading": body["type"] == 5,
            "response_message_ephemeral": bool(int(data.get("flags") or 0) & EPHEMERAL),
        }
        if body["type"] != 4:
            return _json({"interaction": interaction})
        message = self._message(CHANNEL_ID, data)
        self.sent.append(Sent("callback", token, None, data))
        return _json(
            {
                "interaction": interaction | {"response_message_id": message["id"]},
                "resource": {"type": 4, "message": message},
            }
        )

    async def _followup(self, request: web.Request) -> web.Response:
        payload = await request.json()
        self.sent.append(Sent("followup", request.match_info["token"], None, payload))
        return _json(self._message(CHANNEL_ID, payload))

    async def _edit(self, request: web.Request) -> web.Response:
        payload = await request.json()
        self.sent.append(Sent("edit", request.match_info["token"], None, payload))
        return _json(self._message(CHANNEL_ID, payload))

    async def _delete(self, request: web.Request) -> web.Response:
        return web.Response(status=204)

    def _channel_error(self, channel: str) -> web.Response | None:
        if channel == FORBIDDEN_CHANNEL_ID:
            return _error(403, 50013, "Missing Permissions")
        if channel not in self.channels:
            return _error(404, 10003, "Unknown Channel")
        return None

    async def _post_message(self, request: web.Request) -> web.Response:
        channel = request.match_info["channel"]
        if (refusal := self._channel_error(channel)) is not None:
            return refusal
        payload = await request.json()
        message = self._message(channel, payload)
        self.channels[channel].append(message)
        self.sent.append(Sent("channel", None, channel, payload))
        return _json(message)

    async def _history(self, request: web.Request) -> web.Response:
        channel = request.match_info["channel"]
        if (refusal := self._channel_error(channel)) is not None:
            return refusal
        limit = int(request.query.get("limit", "50"))
        return _json(list(reversed(self.channels[channel]))[:limit])
