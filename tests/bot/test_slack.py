"""The Slack adapter end to end: signed slash commands over HTTP to the real bolt app, a fake Web API."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import itertools
import json
import logging
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest

from bot.config import ConfigError, SlackSettings
from bot.publish import ChannelUnavailable
from bot.scheduler import Scheduler
from bot.service import COMMANDS, Caller, Invocation, Reply, Service, parse_text
from bot.slack_app import SlackRunner, start_slack
from briefings.corpus import Corpus
from briefings.render.platforms import platform
from briefings.verify import verify
from tests.bot.scheduler_helpers import utc
from tests.briefings.chat_replies import (
    all_text,
    feed_row,
    fitting_messages,
    hostile_reply,
    long_reply,
)
from tests.briefings.corpus_helpers import Clock, corpus_at
from tests.conftest import shared_path
from tests.fakes.feed_server import Feed, FeedServer
from tests.fakes.slack_api import APP_TOKEN, BOT_TOKEN, TEAM, FakeSlack

SECRET = "test-signing-secret"
ENV = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SECRET, "SLACK_APP_TOKEN": APP_TOKEN}
MEMBER, ADMIN, MODERATOR = "U0MEMBER", "U0ADMIN", "U0MOD"
CHANNEL, GONE = "C0NEWS", "C0GONE"
NOW = utc(2026, 11, 23, 9, 0)
# Anything Slack would turn into a ping: <!channel>, <!here>, <!subteam^…>, <@U…>, <#C…>.
LIVE_MENTION = re.compile(r"<[!@#]")
LINK = re.compile(r"<([^<>]*)>")


class RecordingService(Service):
    """The real service, keeping each reply so tests can run the engine's checker over it."""

    def __init__(self, corpus: Corpus) -> None:
        super().__init__(corpus, cooldown_seconds=0)
        self.replies: list[tuple[Invocation, Caller, Reply]] = []

    async def handle(self, invocation: Invocation, caller: Caller) -> Reply:
        reply = await super().handle(invocation, caller)
        self.replies.append((invocation, caller, reply))
        return reply


@dataclass
class Sent:
    """What the bot answered: the HTTP status of the command request and the messages it responded."""

    status: int
    messages: list[dict[str, Any]] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Every text a user could see in the messages, joined."""
        return "\n".join(
            t for message in self.messages for block in message["blocks"] for t in _texts(block)
        )


def _texts(block: dict[str, Any]) -> list[str]:
    texts = [block["text"]["text"]] if "text" in block else []
    return texts + [e["text"] for e in block.get("elements", [])]


@dataclass
class SlackBot:
    """The adapter listening over HTTP, with the fake Slack it talks to and a way to send commands."""

    fake: FakeSlack
    runner: SlackRunner
    service: RecordingService
    corpus: Corpus
    clock: Clock
    session: aiohttp.ClientSession
    serial: itertools.count = field(default_factory=itertools.count)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.runner.port}/slack/events"

    def form(self, text: str, user: str = MEMBER, channel: str = CHANNEL) -> tuple[str, str]:
        """A slash-command body as Slack sends it, and the response_url key it answers to."""
        key = f"r{next(self.serial)}"
        body = urlencode(
            {
                "token": "legacy-verification-token",
                "team_id": TEAM,
                "team_domain": "kfor-test",
                "channel_id": channel,
                "channel_name": "news",
                "user_id": user,
                "user_name": user.lower(),
                "command": "/kfor",
                "text": text,
                "api_app_id": "A0KFOR",
                "is_enterprise_install": "false",
                "response_url": self.fake.response_url(key),
                "trigger_id": f"trigger-{key}",
            }
        )
        return body, key

    async def post(self, body: str, headers: dict[str, str]) -> int:
        headers = {"Content-Type": "application/x-www-form-urlencoded", **headers}
        async with self.session.post(self.url, data=body.encode(), headers=headers) as response:
            await response.read()
            return response.status

    async def command(self, text: str, user: str = MEMBER, channel: str = CHANNEL) -> Sent:
        """Send `/kfor text` signed and wait for everything the bot responds."""
        body, key = self.form(text, user, channel)
        status = await self.post(body, signed(body))
        return Sent(status, await self.responses(key))

    async def responses(self, key: str, *, expected: bool = True) -> list[dict[str, Any]]:
        """The messages sent to a response_url once they stop arriving (none, if none are expected)."""
        received = self.fake.responses[key]
        if not expected:
            await asyncio.sleep(0.3)
            return received
        for _ in range(500):
            if received:
                break
            await asyncio.sleep(0.02)
        count = -1
        while count != len(received):
            count = len(received)
            await asyncio.sleep(0.15)
        return received

    async def check_replies(self) -> None:
        """Every reply so far, refusals and errors included, passes the engine's checker."""
        for invocation, _, reply in self.service.replies:
            assert await verify(reply.data, self.corpus.store) == [], invocation


def signed(body: str, *, at: float | None = None, secret: str = SECRET) -> dict[str, str]:
    """Headers signing `body` the way Slack does (v0, HMAC-SHA256 over "v0:timestamp:body")."""
    stamp = str(int(time.time() if at is None else at))
    digest = hmac.new(secret.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}


def http_settings(fake: FakeSlack, mode: str = "http") -> SlackSettings:
    return SlackSettings(
        mode=mode,
        host="127.0.0.1",
        port=0,
        path="/slack/events",
        api_base_url=fake.api_url,
        moderator_ids=(MODERATOR,),
    )


@asynccontextmanager
async def running(
    tmp_path: Path, service_type: type[RecordingService] = RecordingService
) -> AsyncIterator[SlackBot]:
    """The adapter in HTTP mode on a free port, a fake Slack with three users and one channel."""
    clock = Clock(NOW)
    async with (
        FakeSlack() as fake,
        corpus_at(tmp_path / "kfor.sqlite3", clock=clock) as corpus,
        aiohttp.ClientSession() as session,
    ):
        fake.add_user(MEMBER)
        fake.add_user(ADMIN, admin=True)
        fake.add_user(MODERATOR)
        fake.add_channel(CHANNEL)
        service = service_type(corpus)
        runner = await start_slack(service, http_settings(fake), ENV)
        try:
            yield SlackBot(fake, runner, service, corpus, clock, session)
        finally:
            await runner.close()


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[SlackBot]:
    async with running(tmp_path) as started:
        yield started


def assert_safe_for_slack(messages: list[dict[str, Any]]) -> None:
    """Within Slack's limits, no live mention, only http(s) links, nothing that re-enables parsing."""
    for message in messages:
        assert len(message["blocks"]) <= 50
        assert message["unfurl_links"] is False
        assert "link_names" not in message
        assert "parse" not in message
        assert not LIVE_MENTION.search(message["text"])
        for block in message["blocks"]:
            if block["type"] == "section":
                assert len(block["text"]["text"]) <= 3000
            for text in _texts(block):
                assert not LIVE_MENTION.search(text), text
                for target in LINK.findall(text):
                    assert re.match(r"https?://[^\s|]+\|", target), text


@pytest.mark.parametrize(
    ("text", "user", "response_type", "header"),
    [
        ("status", MEMBER, "in_channel", "KFOR status"),
        ("brief", MEMBER, "in_channel", "KFOR briefing"),
        ("brief 3d plates", MEMBER, "in_channel", "KFOR briefing 2026-11-20 to 2026-11-23"),
        ("search license plates", MEMBER, "in_channel", "Search: license plates"),
        ("timeline", MEMBER, "in_channel", "KFOR timeline"),
        ("timeline border", MEMBER, "in_channel", "KFOR timeline: border"),
        ("sources", MEMBER, "in_channel", "KFOR"),
        ("help", MEMBER, "ephemeral", "KFOR"),
        ("", MEMBER, "ephemeral", "KFOR"),
        ("feeds list", MODERATOR, "ephemeral", "Feeds"),
        ("schedule show", MODERATOR, "ephemeral", "KFOR"),
    ],
)
async def test_each_command_answers_with_block_kit_in_the_right_place(
    bot: SlackBot, text: str, user: str, response_type: str, header: str
) -> None:
    sent = await bot.command(text, user)

    assert sent.status == 200
    assert sent.messages
    for message in sent.messages:
        assert message["response_type"] == response_type
        assert message["blocks"][0]["type"] == "header"
        assert message["blocks"][0]["text"]["text"].startswith(header)
    assert_safe_for_slack(sent.messages)
    await bot.check_replies()


async def test_briefings_cite_their_sources_in_a_context_block(bot: SlackBot) -> None:
    sent = await bot.command("brief 2021-01-01 plates")

    [message] = sent.messages
    sections = [b["text"]["text"] for b in message["blocks"] if b["type"] == "section"]
    [references] = [b["elements"][0]["text"] for b in message["blocks"] if b["type"] == "context"]
    assert sections[0].startswith("*License plates*")
    assert "[1]" in sections[0]
    assert references.startswith("[1] ")
    await bot.check_replies()


async def test_help_lists_the_commands_privately(bot: SlackBot) -> None:
    sent = await bot.command("help")

    assert "feeds add" in sent.text
    assert "timeline" in sent.text


async def test_a_malformed_command_is_explained_only_to_the_asker(bot: SlackBot) -> None:
    unknown = await bot.command("dance")
    no_words = await bot.command("search")

    assert [m["response_type"] for m in unknown.messages + no_words.messages] == ["ephemeral"] * 2
    assert "unknown command 'dance'" in unknown.text
    assert "search needs words" in no_words.text


async def test_a_moderator_adds_lists_and_removes_a_feed(bot: SlackBot) -> None:
    async with FeedServer() as feeds:
        url = feeds.url()
        added = await bot.command(f"feeds add {url}", MODERATOR)
        listed = await bot.command("feeds list", MODERATOR)
        stored = [f.url for f in await bot.corpus.feeds(TEAM)]
        removed = await bot.command(f"feeds remove {url}", MODERATOR)

    assert stored == [url]
    assert await bot.corpus.feeds(TEAM) == []
    assert [m["response_type"] for m in added.messages + listed.messages + removed.messages] == [
        "ephemeral"
    ] * 3
    assert f"Subscribed {TEAM} to {url}" in added.text
    assert url in listed.text
    assert added.messages[0]["blocks"][0]["text"]["text"] == "Feed added"
    assert removed.messages[0]["blocks"][0]["text"]["text"] == "Feed removed"


async def test_a_member_cannot_add_a_feed_and_is_told_privately(bot: SlackBot) -> None:
    async with FeedServer() as feeds:
        sent = await bot.command(f"feeds add {feeds.url()}", MEMBER)

    [message] = sent.messages
    assert message["response_type"] == "ephemeral"
    assert "is for moderators" in sent.text
    assert await bot.corpus.feeds(TEAM) == []
    assert feeds.requests == []
    assert [call["user"] for call in bot.fake.calls_to("users.info")] == [MEMBER]


async def test_workspace_admins_and_configured_moderators_may_add_feeds(bot: SlackBot) -> None:
    async with FeedServer() as feeds:
        by_admin = await bot.command(f"feeds add {feeds.url()}", ADMIN)
        by_moderator = await bot.command(f"feeds add {feeds.url('/redirect/1')}", MODERATOR)

    assert "Subscribed" in by_admin.text
    assert "Subscribed" in by_moderator.text
    assert len(await bot.corpus.feeds(TEAM)) == 2
    # A configured id needs no lookup; an admin is recognised from users.info.
    assert [call["user"] for call in bot.fake.calls_to("users.info")] == [ADMIN]


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param(lambda body: signed(body, secret="not-the-secret"), id="bad signature"),
        pytest.param(
            lambda body: signed(body, at=time.time() - 360), id="replayed after 6 minutes"
        ),
        pytest.param(lambda body: signed(body, at=time.time() + 360), id="from the future"),
        pytest.param(
            lambda body: {**signed(body), "X-Slack-Request-Timestamp": "yesterday"},
            id="non-numeric timestamp",
        ),
        pytest.param(
            lambda body: {
                **signed(body),
                "X-Slack-Request-Timestamp": "\u0661\u0667\u0660\u0660\u0660\u0660\u0660\u0660\u0660\u0660",
            },
            id="non-ASCII digits",
        ),
        pytest.param(lambda body: {}, id="unsigned"),
    ],
)
async def test_requests_not_signed_by_slack_are_refused_with_401(bot: SlackBot, headers) -> None:
    body, key = bot.form("status")

    status = await bot.post(body, headers(body))

    assert status == 401
    assert await bot.responses(key, expected=False) == []
    assert bot.service.replies == []


async def test_a_retried_request_has_one_effect(bot: SlackBot) -> None:
    body, key = bot.form("status")
    first = await bot.post(body, signed(body))
    await bot.responses(key)
    retry = await bot.post(body, {**signed(body, at=time.time() + 1), "X-Slack-Retry-Num": "1"})

    assert (first, retry) == (200, 200)
    assert len(await bot.responses(key, expected=False)) == 1
    assert len(bot.service.replies) == 1


async def test_a_retry_that_reaches_another_process_on_the_same_store_has_no_effect(
    bot: SlackBot,
) -> None:
    body, key = bot.form("status")
    first = await bot.post(body, signed(body))
    await bot.responses(key)
    async with corpus_at(bot.corpus.store.db.path, clock=bot.clock) as corpus:
        other_service = RecordingService(corpus)
        other = await start_slack(other_service, http_settings(bot.fake), ENV)
        try:
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                **signed(body, at=time.time() + 1),
                "X-Slack-Retry-Num": "1",
            }
            url = f"http://127.0.0.1:{other.port}/slack/events"
            async with bot.session.post(url, data=body.encode(), headers=headers) as response:
                retry = response.status
        finally:
            await other.close()

    assert (first, retry) == (200, 200)
    assert len(await bot.responses(key, expected=False)) == 1
    assert other_service.replies == []


async def test_a_retry_whose_first_delivery_was_lost_is_still_answered(bot: SlackBot) -> None:
    body, key = bot.form("status")
    status = await bot.post(body, {**signed(body), "X-Slack-Retry-Num": "1"})

    assert status == 200
    assert len(await bot.responses(key)) == 1


def as_slack_shows(text: str) -> str:
    """Text as it must appear in mrkdwn to be shown literally: "&", "<", ">" as entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# Words unique to each item's added description, so one search finds exactly that item.
CALL_SIGNS = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel")


def searchable(feed: bytes) -> tuple[bytes, list[str]]:
    """The feed with a dated, searchable description on every item (titles kept as they are).

    Items without text are refused at ingest, so without this only two of the hostile titles
    would ever reach a reply.
    """
    root = ET.fromstring(feed)  # noqa: S314 (our own fixture, not untrusted input)
    titles = []
    for n, item in enumerate(root.iter("item")):
        title = item.findtext("title") or ""
        titles.append(title)
        description = item.find("description")
        if description is None:
            description = ET.SubElement(item, "description")
        description.text = (
            f"{title}. KFOR soldiers patrolled the Jarinje crossing, patrol {CALL_SIGNS[n]}."
        )
        ET.SubElement(item, "pubDate").text = f"Wed, {11 + n} Nov 2026 08:00:00 GMT"
    return ET.tostring(root, encoding="utf-8", xml_declaration=True), titles


async def test_no_feed_text_can_ping_or_hide_a_link(bot: SlackBot) -> None:
    original = shared_path("fixtures", "hostile-feeds", "chat-injection.xml").read_bytes()
    patched, titles = searchable(original)
    async with FeedServer() as feeds:
        feeds.add_feed("/as-published.xml", Feed(original))
        feeds.add_feed("/with-text.xml", Feed(patched))
        answers = [
            await bot.command(f"feeds add {feeds.url('/with-text.xml')}", MODERATOR),
            await bot.command(f"feeds add {feeds.url('/as-published.xml')}", MODERATOR),
            await bot.command("feeds list", MODERATOR),
            await bot.command("sources"),
            await bot.command("brief 30d"),
            await bot.command("timeline"),
        ]
        hits = [await bot.command(f"search {sign}") for sign in CALL_SIGNS]

    assert len(titles) == len(CALL_SIGNS)
    assert "@everyone Feed &lt;!channel&gt;" in answers[1].text
    for title, hit in zip(titles, hits, strict=True):
        assert as_slack_shows(title.split()[0][:40]) in hit.text
    assert "&lt;!subteam^S0123&gt;" in hits[2].text
    assert "&lt;@123456789012345678&gt;" in hits[1].text
    assert "&lt;https://phish.example|https://bank.example&gt;" in hits[4].text
    for sent in answers + hits:
        assert_safe_for_slack(sent.messages)
    await bot.check_replies()


class Repeating(RecordingService):
    """Search results repeated 25 times over (longer snippets too): more than 50 blocks' worth."""

    async def handle(self, invocation: Invocation, caller: Caller) -> Reply:
        reply = await super().handle(invocation, caller)
        if reply.data["kind"] != "search":
            return reply
        results, sources = reply.data["results"] * 25, reply.data["sources"] * 25
        data = {
            **reply.data,
            "results": [
                {**r, "snippet": " ".join([r["snippet"]] * 7), "citations": [n]}
                for n, r in enumerate(results, start=1)
            ],
            "sources": [{**s, "ref": n} for n, s in enumerate(sources, start=1)],
        }
        return Reply(data, reply.ephemeral)


async def test_a_reply_too_long_for_one_message_arrives_in_parts(tmp_path: Path) -> None:
    async with running(tmp_path, Repeating) as bot:
        sent = await bot.command("search Kosovo")

    headers = [m["blocks"][0]["text"]["text"] for m in sent.messages]
    assert headers == ["Search: Kosovo (part 1 of 2)", "Search: Kosovo (part 2 of 2)"]
    assert {m["response_type"] for m in sent.messages} == {"in_channel"}
    assert_safe_for_slack(sent.messages)


async def test_scheduled_briefings_post_to_the_channel_and_record_a_missing_one(
    bot: SlackBot,
) -> None:
    set_here = await bot.command("schedule set 09:30 UTC", MODERATOR)
    set_gone = await bot.command("schedule set 09:30 UTC", MODERATOR, channel=GONE)
    bot.clock.now = NOW + dt.timedelta(minutes=31)
    await Scheduler(bot.corpus, [bot.runner.publisher], retry_delay=0).run_due()
    shown = await bot.command("schedule show", MODERATOR)

    posts = bot.fake.calls_to("chat.postMessage")
    assert [m["response_type"] for m in set_here.messages + set_gone.messages] == ["ephemeral"] * 2
    assert [p["channel"] for p in posts] == [CHANNEL, GONE]
    assert posts[0]["blocks"][0]["text"]["text"].startswith("KFOR briefing")
    assert_safe_for_slack(posts[:1])
    assert [m["ts"] for m in bot.fake.channels[CHANNEL].messages] == ["1700000000.000001"]
    assert f"channel {GONE}" in shown.text
    assert "last error: channel_not_found" in shown.text


async def test_the_publisher_finds_its_post_by_marker_and_names_channel_problems(
    bot: SlackBot,
) -> None:
    publisher = bot.runner.publisher
    bot.fake.add_channel("C0QUIET", member=False)
    bot.fake.add_channel("C0OLD", archived=True)
    reply = await bot.service.handle(Invocation("brief", {"since": "2021-01-01"}), _caller())
    data = {**reply.data, "briefing_id": 12}

    ts = await publisher.post(TEAM, CHANNEL, data)

    assert await publisher.find_marker(TEAM, CHANNEL, "briefing 12") == ts
    assert await publisher.find_marker(TEAM, CHANNEL, "briefing 1") is None
    for channel, reason in [
        (GONE, "channel_not_found"),
        ("C0QUIET", "not_in_channel"),
        ("C0OLD", "is_archived"),
    ]:
        with pytest.raises(ChannelUnavailable, match=reason):
            await publisher.post(TEAM, channel, data)
    assert bot.fake.calls_to("conversations.history")[0]["limit"] == "50"


def _caller() -> Caller:
    return Caller(workspace=TEAM, user=MODERATOR, channel=CHANNEL, platform="slack")


@asynccontextmanager
async def socket_mode(
    tmp_path: Path, service_type: type[Service] = Service
) -> AsyncIterator[tuple[FakeSlack, SlackRunner]]:
    """The adapter connected over Socket Mode to a fake Slack with a member and a moderator."""
    async with (
        FakeSlack() as fake,
        corpus_at(tmp_path / "kfor.sqlite3", clock=Clock(NOW)) as corpus,
    ):
        fake.add_user(MEMBER)
        runner = await start_slack(
            service_type(corpus, cooldown_seconds=0), http_settings(fake, "socket"), ENV
        )
        try:
            yield fake, runner
        finally:
            await runner.close()


async def over_socket(
    fake: FakeSlack, text: str, user: str = MEMBER
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Send `/kfor text` as a Socket Mode envelope: the bot's acknowledgement and its responses."""
    key = f"socket-{len(fake.responses)}"
    envelope = await fake.send_envelope("slash_commands", socket_command(fake, key, text, user))
    ack = await asyncio.wait_for(fake.socket_acks.get(), 10)
    assert ack["envelope_id"] == envelope
    for _ in range(500):
        if fake.responses[key]:
            break
        await asyncio.sleep(0.02)
    return ack, fake.responses[key]


def socket_command(fake: FakeSlack, key: str, text: str, user: str = MEMBER) -> dict[str, Any]:
    """A slash command's Socket Mode payload, answered through response_url `key`."""
    return {
        "team_id": TEAM,
        "channel_id": CHANNEL,
        "user_id": user,
        "command": "/kfor",
        "text": text,
        "response_url": fake.response_url(key),
        "trigger_id": f"trigger-{key}",
    }


async def test_socket_mode_takes_commands_over_a_websocket(tmp_path: Path) -> None:
    async with socket_mode(tmp_path) as (fake, runner):
        _, [message] = await over_socket(fake, "timeline border")

    assert runner.mode == "socket"
    assert runner.port is None
    assert message["response_type"] == "in_channel"
    assert message["blocks"][0]["text"]["text"] == "KFOR timeline: border"
    assert fake.calls_to("apps.connections.open")


async def test_a_command_delivered_to_two_processes_or_twice_is_answered_once(
    tmp_path: Path,
) -> None:
    # Two bot processes share one store, each with its own Socket Mode connection; the fake
    # delivers the command to both, then delivers it again.
    path = tmp_path / "kfor.sqlite3"
    async with (
        FakeSlack() as fake,
        corpus_at(path, clock=Clock(NOW)) as first,
        corpus_at(path, clock=Clock(NOW)) as second,
    ):
        fake.add_user(MEMBER)
        runners = [
            await start_slack(
                Service(corpus, cooldown_seconds=0), http_settings(fake, "socket"), ENV
            )
            for corpus in (first, second)
        ]
        try:
            command = socket_command(fake, "twice", "status")
            acks = []
            for _ in range(2):
                await fake.send_envelope("slash_commands", command)
                acks += [await asyncio.wait_for(fake.socket_acks.get(), 10) for _ in runners]
            for _ in range(500):
                if fake.responses["twice"]:
                    break
                await asyncio.sleep(0.02)
            await asyncio.sleep(1)  # room for a second answer, were one coming
        finally:
            for runner in runners:
                await runner.close()

    assert len(acks) == 4  # every delivery is acknowledged
    [answer] = fake.responses["twice"]
    assert answer["blocks"][0]["text"]["text"].startswith("KFOR status")


async def test_socket_mode_acknowledges_a_region_given_as_time_zone(tmp_path: Path) -> None:
    """The handler once raised on `Europe`, and bolt then withdrew the acknowledgement."""
    async with socket_mode(tmp_path) as (fake, _):
        _, [by_member] = await over_socket(fake, "schedule set 07:00 Europe")
        _, [by_moderator] = await over_socket(fake, "schedule set 07:00 Europe", MODERATOR)

    assert "is for moderators" in str(by_member["blocks"])
    assert "'Europe' is a region, not a time zone" in str(by_moderator["blocks"])
    assert by_moderator["response_type"] == "ephemeral"


class Broken(Service):
    """A service with a bug: every command raises."""

    async def handle(self, invocation: Invocation, caller: Caller) -> Reply:
        raise RuntimeError("a bug")


async def test_a_failing_command_is_still_acknowledged_and_explained(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    async with socket_mode(tmp_path, Broken) as (fake, _):
        _, [message] = await over_socket(fake, "status")

    assert message["response_type"] == "ephemeral"
    assert "something went wrong on our side" in str(message["blocks"])
    assert "the /kfor command could not be answered" in caplog.text


@pytest.mark.parametrize(
    ("variable", "wrong"),
    [("SLACK_APP_TOKEN", "xapp-wrong-app-token"), ("SLACK_BOT_TOKEN", "xoxb-wrong-bot-token")],
)
async def test_a_token_slack_refuses_fails_the_start_at_once_and_is_named(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, variable: str, wrong: str
) -> None:
    """Slack answers invalid_auth at once; the SDK used to retry for 30 s with three tracebacks."""
    caplog.set_level(logging.INFO)
    async with (
        FakeSlack() as fake,
        corpus_at(tmp_path / "kfor.sqlite3", clock=Clock(NOW)) as corpus,
    ):
        started = time.monotonic()
        with pytest.raises(ConfigError) as refused:
            await start_slack(
                Service(corpus), http_settings(fake, "socket"), ENV | {variable: wrong}
            )
        took = time.monotonic() - started

    assert took < 5
    assert str(refused.value).startswith(f"Slack refused {variable} (invalid_auth):")
    assert wrong not in str(refused.value)
    assert "Traceback" not in caplog.text
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


async def test_no_token_or_secret_reaches_the_logs(
    bot: SlackBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    await bot.command("status")
    await bot.command("feeds list", MEMBER)
    body, _ = bot.form("status")
    await bot.post(body, signed(body, secret="not-the-secret"))

    assert "refused a Slack request: bad signature" in caplog.text
    assert all(secret not in caplog.text for secret in ENV.values())


@pytest.mark.parametrize(
    ("mode", "missing"),
    [("http", "SLACK_SIGNING_SECRET"), ("socket", "SLACK_APP_TOKEN")],
)
async def test_a_missing_credential_is_named_and_no_token_is_shown(
    tmp_path: Path, mode: str, missing: str
) -> None:
    env = {k: v for k, v in ENV.items() if k != missing}
    async with corpus_at(tmp_path / "kfor.sqlite3", clock=Clock(NOW)) as corpus:
        with pytest.raises(ConfigError) as refused:
            await start_slack(Service(corpus), SlackSettings(mode=mode), env)

    assert missing in str(refused.value)
    assert all(value not in str(refused.value) for value in env.values())


@pytest.mark.parametrize("zone", ["Europe", "Europe/" + "x" * 300])
async def test_a_region_or_an_overlong_zone_is_answered_privately_whoever_asks(
    bot: SlackBot, zone: str
) -> None:
    by_member = await bot.command(f"schedule set 07:00 {zone}", MEMBER)
    by_moderator = await bot.command(f"schedule set 07:00 {zone}", MODERATOR)

    assert (by_member.status, by_moderator.status) == (200, 200)
    assert [m["response_type"] for m in by_member.messages + by_moderator.messages] == [
        "ephemeral"
    ] * 2
    assert ("is for moderators" if zone == "Europe" else "at most 100") in by_member.text
    assert ("is a region" if zone == "Europe" else "at most 100") in by_moderator.text
    assert await schedules_of(bot) == []


async def schedules_of(bot: SlackBot) -> list[Any]:
    return await bot.corpus.store.db.fetchall("SELECT * FROM schedules")


async def test_long_input_gets_a_short_refusal_within_slacks_limits(bot: SlackBot) -> None:
    """A 4,000-character topic once came back as a 4,030-character section (Slack takes 3,000)."""
    topic = await bot.command("brief 3d " + "x" * 4_000)
    words = await bot.command("search " + "<!channel> " * 400)
    removal = await bot.command("feeds remove https://feeds.example/" + "&" * 2_000, MODERATOR)

    for sent in (topic, words, removal):
        [message] = sent.messages
        assert message["response_type"] == "ephemeral"
        assert_safe_for_slack(sent.messages)
    assert "topic takes at most 100 characters: 'xxxx" in topic.text
    assert "(4,000 characters)" in topic.text
    assert len(topic.text) < 300
    assert "words takes at most 300 characters: '&lt;!channel&gt;" in words.text
    assert "\nno feed https://feeds.example/&amp;&amp;" in removal.text
    await bot.check_replies()


# --- Blocks as the renderer shapes them -----------------------------------------------------------

SLACK = platform("slack")
# A Slack control sequence that notifies: <!channel>, <!here>, <!everyone>, <!subteam^..>, <@U..>.
SLACK_LIVE = re.compile(r"<[!@]")
SLACK_LINK_TARGET = re.compile(r"<([^|>]*)\|")


def test_hostile_feed_items_cannot_ping_or_link_in_slack():
    messages = fitting_messages(SLACK, hostile_reply())
    for text in all_text(messages).splitlines():
        without_links = SLACK_LINK_TARGET.sub("", text)
        assert not SLACK_LIVE.search(without_links), text[:200]
        for target in SLACK_LINK_TARGET.findall(text):
            assert target.startswith(("http://", "https://"))
    text = all_text(messages)
    assert "&lt;!channel&gt; &lt;!here&gt; &lt;!everyone&gt; &lt;!subteam^S0123&gt;" in text
    assert "&lt;https://phish.example|https://bank.example&gt; slack masked link" in text
    for blocks in messages:
        for block in blocks:
            texts = [block["text"]] if "text" in block else block["elements"]
            assert all(t.get("verbatim") is True for t in texts if t["type"] == "mrkdwn")


def test_slack_escaping_by_hand():
    assert SLACK.escape("A & B <!here> <@U123>") == "A &amp; B &lt;!here&gt; &lt;@U123&gt;"
    assert SLACK.escape("line one\nline two\u202e") == "line one line two"
    assert SLACK.escape("&" * 50, 11) == "&amp;&amp;…"


def test_a_long_briefing_splits_over_slack_messages_within_limits():
    reply = long_reply(points_per_section=150)
    messages = SLACK.messages(reply)
    assert len(messages) > 1
    assert SLACK.problems(messages) == []
    seen = []
    for blocks in messages:
        assert blocks[0]["type"] == "header"
        context = "\n".join(
            e["text"] for b in blocks if b["type"] == "context" for e in b["elements"]
        )
        for block in blocks:
            if block["type"] != "section":
                continue
            for line in block["text"]["text"].splitlines():
                if line.startswith("• "):
                    seen.append(line)
                    ref = re.findall(r"\[(\d+)\]", line)[0]
                    assert f"[{ref}] <https://news.example/{ref}|Report number {ref} on" in context
    assert len(seen) == 450
    assert seen[-1].startswith("• Point 2-149 says")


def test_one_topic_is_one_section_when_it_fits():
    reply = long_reply(points_per_section=2)
    sections = [b for b in SLACK.messages(reply)[0] if b["type"] == "section"]
    assert [s["text"]["text"].splitlines()[0] for s in sections] == [
        "*Topic 0*",
        "*Topic 1*",
        "*Topic 2*",
    ]


def test_the_briefing_marker_goes_in_the_last_context_block():
    [blocks] = SLACK.messages(long_reply(points_per_section=1) | {"briefing_id": 42})
    assert blocks[-1]["elements"][0]["text"] == "briefing 42"
    [blocks] = SLACK.messages(long_reply(points_per_section=1))
    assert "briefing" not in blocks[-1]["elements"][-1]["text"]


def test_feed_list_titles_are_escaped_in_blocks():
    feed = feed_row(1) | {"title": "@everyone Feed <!channel>"}
    reply = {"kind": "feeds", "workspace": "T1", "feeds": [feed], "history": []}
    shown = json.dumps(SLACK.messages(reply), ensure_ascii=False)
    assert "<!channel>" not in shown
    assert "&lt;!channel&gt;" in shown


def test_problems_are_reported_for_oversized_blocks():
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}] * 51
    problems = SLACK.problems([blocks])
    assert problems[0] == "Slack message 1 has 51 blocks (most 50)"
    assert "Slack message 1 block 1 section text is 3001 characters (most 3000)" in problems


def test_a_long_error_message_is_escaped_in_its_section():
    message = "no topic '" + ("_<&" * 5000) + "': choose one of kfor, border, plates"
    [blocks] = SLACK.messages({"kind": "error", "message": message})
    assert blocks[1]["text"]["text"].startswith("no topic '_&lt;&amp;_")


def test_a_search_for_a_mention_shows_it_as_typed_in_the_plain_text_header():
    query = "@everyone <@&123> [x](https://p.example)\u202e"
    [blocks] = SLACK.messages({"kind": "search", "query": query, "results": [], "sources": []})
    assert blocks[0]["text"] == {
        "type": "plain_text",
        "text": "Search: @everyone <@&123> [x](https://p.example)",
        "emoji": False,
    }


def test_slack_text_reaches_every_command():
    for spec in COMMANDS:
        words = [spec.name] + [f"x{o.name}" for o in spec.options if o.required]
        assert parse_text(" ".join(words)).name == spec.name
