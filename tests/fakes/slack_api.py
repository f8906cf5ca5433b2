"""A loopback Slack: the Web API methods the bot calls, response_url endpoints and a Socket Mode websocket."""

from __future__ import annotations

import asyncio
import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakes.loopback import LoopbackApp

BOT_TOKEN = "xoxb-test-bot-token"
APP_TOKEN = "xapp-test-app-token"
TEAM = "T0KFOR"
BOT_USER = "U0BOT"
# Slack's documented limits: a message over these is refused with invalid_blocks.
MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
# A response_url accepts this many messages, then answers 404 "used_url".
RESPONSE_URL_USES = 5


@dataclass
class Call:
    """One Web API call as the server saw it: method, arguments (query, form or JSON merged)."""

    method: str
    args: dict[str, Any]


@dataclass
class Channel:
    """A channel the workspace has; `member` says whether the bot was invited."""

    id: str
    member: bool = True
    archived: bool = False
    messages: list[dict[str, Any]] = field(default_factory=list)


class FakeSlack(LoopbackApp):
    """A real aiohttp server on 127.0.0.1 speaking the Slack Web API's JSON (`ok`, `error`).

    Serves `/api/<method>` for auth.test, users.info, chat.postMessage, conversations.history and
    apps.connections.open; `/respond/<key>` as a command's response_url; and `/socket` as the
    Socket Mode websocket that apps.connections.open hands out. Every call is recorded.
    """

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.responses: dict[str, list[dict[str, Any]]] = {}
        self.users: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, Channel] = {}
        self.socket_acks: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self._sockets: list[web.WebSocketResponse] = []
        self._ts = 0
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/respond/{key}", self._respond)
        app.router.add_get("/socket", self._socket)
        super().__init__(app, host="127.0.0.1")

    async def _before_close(self) -> None:
        for socket in self._sockets:
            await socket.close()

    @property
    def base(self) -> str:
        """http://127.0.0.1:<port>"""
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        """What `slack.api_base_url` should be to reach this server."""
        return f"{self.base}/api/"

    def response_url(self, key: str) -> str:
        """A response_url whose messages are recorded under `key`."""
        self.responses.setdefault(key, [])
        return f"{self.base}/respond/{key}"

    def add_user(self, user: str, *, admin: bool = False, owner: bool = False) -> None:
        """A workspace member, optionally a workspace admin or owner."""
        self.users[user] = {
            "id": user,
            "team_id": TEAM,
            "name": user.lower(),
            "is_admin": admin,
            "is_owner": owner,
            "is_primary_owner": False,
            "is_bot": False,
        }

    def add_channel(self, channel: str, *, member: bool = True, archived: bool = False) -> Channel:
        """A channel; one not added answers channel_not_found."""
        self.channels[channel] = Channel(channel, member=member, archived=archived)
        return self.channels[channel]

    def calls_to(self, method: str) -> list[dict[str, Any]]:
        """The arguments of every call to `method`, in order."""
        return [call.args for call in self.calls if call.method == method]

    async def send_envelope(self, kind: str, payload: dict[str, Any]) -> str:
        """Push a Socket Mode envelope to every connected client; returns its envelope_id."""
        envelope_id = str(uuid.uuid4())
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": True,
            "retry_attempt": 0,
            "retry_reason": "",
        }
        for socket in self._sockets:
            await socket.send_json(envelope)
        return envelope_id

    async def _arguments(self, request: web.Request) -> dict[str, Any]:
        args: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            args.update(await request.json())
        elif request.can_read_body:
            args.update(await request.post())
        return args

    async def _api(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        args = await self._arguments(request)
        self.calls.append(Call(method, args))
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        expected = APP_TOKEN if method == "apps.connections.open" else BOT_TOKEN
        if token != expected:
            return _fail("invalid_auth")
        handler = {
            "auth.test": self._auth_test,
            "users.info": self._users_info,
            "chat.postMessage": self._post_message,
            "conversations.history": self._history,
            "apps.connections.open": self._connections_open,
        }.get(method)
        if handler is None:
            return _fail("unknown_method")
        return handler(args)

    def _auth_test(self, args: dict[str, Any]) -> web.Response:
        return _ok(
            url=f"{self.base}/",
            team="KFOR test",
            user="kfor-bot",
            team_id=TEAM,
            user_id=BOT_USER,
            bot_id="B0BOT",
            is_enterprise_install=False,
        )

    def _users_info(self, args: dict[str, Any]) -> web.Response:
        user = self.users.get(str(args.get("user")))
        return _ok(user=user) if user else _fail("user_not_found")

    def _post_message(self, args: dict[str, Any]) -> web.Response:
        channel = self.channels.get(str(args.get("channel")))
        if channel is None:
            return _fail("channel_not_found")
        if channel.archived:
            return _fail("is_archived")
        if not channel.member:
            return _fail("not_in_channel")
        blocks = args.get("blocks") or []
        if isinstance(blocks, str):
            blocks = json.loads(blocks)
        if len(blocks) > MAX_BLOCKS or any(
            len(b.get("text", {}).get("text", "")) > MAX_SECTION_TEXT
            for b in blocks
            if b["type"] == "section"
        ):
            return _fail("invalid_blocks")
        self._ts += 1
        message = {
            "type": "message",
            "user": BOT_USER,
            "ts": f"1700000000.{self._ts:06d}",
            "text": args.get("text", ""),
            "blocks": blocks,
        }
        channel.messages.append(message)
        return _ok(channel=channel.id, ts=message["ts"], message=message)

    def _history(self, args: dict[str, Any]) -> web.Response:
        channel = self.channels.get(str(args.get("channel")))
        if channel is None:
            return _fail("channel_not_found")
        if not channel.member:
            return _fail("not_in_channel")
        limit = int(args.get("limit", 100))
        newest_first = list(reversed(channel.messages))[:limit]
        return _ok(messages=newest_first, has_more=len(channel.messages) > limit)

    def _connections_open(self, args: dict[str, Any]) -> web.Response:
        return _ok(url=f"ws://127.0.0.1:{self.port}/socket")

    async def _respond(self, request: web.Request) -> web.StreamResponse:
        key = request.match_info["key"]
        if key not in self.responses:
            return web.Response(status=404, text="no_active_hooks")
        if len(self.responses[key]) >= RESPONSE_URL_USES:
            return web.Response(status=404, text="used_url")
        self.responses[key].append(await request.json())
        return web.Response(text="ok")

    async def _socket(self, request: web.Request) -> web.StreamResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_json(
            {"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0KFOR"}}
        )
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                await self.socket_acks.put(json.loads(message.data))
        self._sockets.remove(socket)
        return socket


def _ok(**fields: Any) -> web.Response:
    return web.json_response({"ok": True, **fields})


def _fail(error: str) -> web.Response:
    return web.json_response({"ok": False, "error": error})
