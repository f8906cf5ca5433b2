"""The Discord adapter end to end: the real discord.py client against a loopback Discord, as a user sees it."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from discord import app_commands

from bot.config import ConfigError, DiscordSettings, Settings
from bot.discord_app import DiscordApp
from bot.discord_commands import KforCommands
from bot.publish import ChannelUnavailable
from bot.service import COMMANDS, Caller, Invocation, Reply, Service
from briefings.corpus import Corpus
from briefings.render.platforms import platform
from briefings.verify import verify
from tests.briefings.chat_replies import (
    all_text,
    feed_row,
    fitting_messages,
    hostile_reply,
    long_reply,
)
from tests.briefings.corpus_helpers import corpus_at, rss
from tests.conftest import shared_path
from tests.fakes.discord_server import (
    BOT_TOKEN,
    CHANNEL_ID,
    FORBIDDEN_CHANNEL_ID,
    GUILD_ID,
    MEMBER,
    ROLE_MODERATOR,
    SERVER_MANAGER,
    FakeDiscord,
    Sent,
)
from tests.fakes.feed_server import Feed, FeedServer

WORKSPACE = GUILD_ID
DISCORD = platform("discord")
# A mention Discord would act on: "@everyone"/"@here" as typed, or <@id>, <@&id>, <#id>.
LIVE_MENTION = re.compile(r"@(?:everyone|here)|(?<!\\)<[@#]")


class RecordingService(Service):
    """The real service, keeping each reply so tests can run the engine's checker over it.

    `delay` makes every command as slow as a busy database would, to reach the deferral paths.
    """

    def __init__(self, corpus: Corpus, *, delay: float = 0.0, **kwargs: Any) -> None:
        super().__init__(corpus, **kwargs)
        self.delay = delay
        self.replies: list[Reply] = []

    async def handle(self, invocation: Invocation, caller: Caller) -> Reply:
        await asyncio.sleep(self.delay)
        reply = await super().handle(invocation, caller)
        self.replies.append(reply)
        return reply


@dataclass
class Bot:
    """A started adapter, the fake Discord it talks to, and the corpus behind it."""

    fake: FakeDiscord
    app: DiscordApp
    service: RecordingService
    corpus: Corpus

    async def ask(
        self, path: str, options: dict[str, str] | None = None, **kwargs: Any
    ) -> list[Sent]:
        """Run a command as a user and return what they are shown once the replies stop coming."""
        token = await self.fake.run_command(path, options, **kwargs)
        await self.fake.wait_for(lambda: self.fake.replies_to(token))
        count = -1
        while count != len(self.fake.replies_to(token)):
            count = len(self.fake.replies_to(token))
            await asyncio.sleep(0.2)
        return self.fake.replies_to(token)

    async def checked(self) -> None:
        """Every reply so far, refusals and errors included, passes the engine's own checker."""
        for reply in self.service.replies:
            assert await verify(reply.data, self.corpus.store) == [], reply.data["kind"]


@asynccontextmanager
async def running(
    tmp_path: Path,
    *,
    guild_id: int = int(GUILD_ID),
    cooldown: float = 0.0,
    defer_after: float = 1.0,
    delay: float = 0.0,
    shard_count: int = 0,
    shard_ids: tuple[int, ...] = (),
) -> AsyncIterator[Bot]:
    """The real client logged in, commands synced and gateway READY, against the fake."""
    base, gateway = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    async with FakeDiscord() as fake, corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        settings = Settings(
            discord=DiscordSettings(
                guild_id=guild_id,
                moderator_roles=("Moderators",),
                api_base=fake.api_base,
                gateway_url=fake.gateway_url,
                shard_count=shard_count,
                shard_ids=shard_ids,
            )
        )
        service = RecordingService(corpus, cooldown_seconds=cooldown, delay=delay)
        app = DiscordApp(service, settings, defer_after=defer_after)
        await app.start(BOT_TOKEN)
        try:
            yield Bot(fake, app, service, corpus)
        finally:
            await app.close()
            discord.http.Route.BASE = base
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = gateway


def strings(sent: list[Sent]) -> list[str]:
    texts = []
    for message in sent:
        texts.append(message.payload.get("content") or "")
        for embed in message.embeds:
            texts += [embed.get("title", ""), embed.get("description", "")]
            texts += [f["name"] + "\n" + f["value"] for f in embed.get("fields", [])]
            texts.append((embed.get("footer") or {}).get("text", ""))
    return texts


def assert_safe(sent: list[Sent]) -> None:
    """What reached Discord can ping nobody, links only to the web, and would be accepted."""
    for message in sent:
        assert message.payload["allowed_mentions"] == {"parse": []}
        for embed in message.embeds:
            assert embed.get("url", "https://").startswith(("https://", "http://"))
    assert not [t for t in strings(sent) if LIVE_MENTION.search(t)]
    assert DISCORD.problems([m.embeds for m in sent if m.embeds]) == []


def text_of(sent: list[Sent]) -> str:
    return "\n".join(strings(sent))


async def test_login_syncs_one_kfor_group_to_the_guild(tmp_path):
    async with running(tmp_path) as bot:
        fake = bot.fake
        await fake.wait_for(lambda: fake.heartbeats)
        assert fake.identify is not None
        assert fake.identify["token"] == BOT_TOKEN
        assert fake.identify["intents"] == discord.Intents(guilds=True).value
        assert "shard" not in fake.identify, "unsharded unless shard_count is set"
        assert fake.calls_to("PUT", "/commands") == fake.calls_to("PUT", f"/guilds/{GUILD_ID}/")
        [sync] = fake.calls_to("PUT", "/commands")
    [kfor] = sync.body
    assert kfor["name"] == "kfor"
    assert kfor["default_member_permissions"] is None  # readers may use /kfor status
    children = {o["name"]: o for o in kfor["options"]}
    top = {s.name for s in COMMANDS if " " not in s.name}
    assert set(children) == top | {"feeds", "schedule"}
    feeds = children["feeds"]
    assert feeds["type"] == 2
    assert {o["name"] for o in feeds["options"]} == {"add", "remove", "list"}
    # Discord takes default permissions on top-level commands only; moderators are checked by us.
    assert "default_member_permissions" not in feeds
    remove = {o["name"]: o for o in feeds["options"]}["remove"]
    [url] = remove["options"]
    assert (url["type"], url["required"], url["autocomplete"]) == (3, True, True)
    brief = {o["name"]: o for o in children["brief"]["options"]}
    assert set(brief) == {"since", "topic", "until"}
    assert brief["topic"]["autocomplete"] is True
    assert not brief["since"]["required"]
    assert all(0 < len(o["description"]) <= 100 for o in brief.values())
    [words] = children["search"]["options"]
    assert words["required"] is True
    # Discord's client refuses longer input; the service refuses it too, for any other client.
    lengths = (words["max_length"], brief["topic"]["max_length"], url["max_length"])
    assert lengths == (300, 100, 2048)


async def test_a_sharded_process_identifies_each_of_its_shards_and_answers(tmp_path):
    async with running(tmp_path, shard_count=4, shard_ids=(1, 3)) as bot:
        shards = [identify["shard"] for identify in bot.fake.identifies]
        sent = await bot.ask("sources")
    assert shards == [[1, 4], [3, 4]]
    assert sent[0].embeds


async def test_without_a_guild_commands_sync_globally_and_still_answer(tmp_path):
    async with running(tmp_path, guild_id=0) as bot:
        assert bot.fake.calls_to("PUT", "/guilds/") == []
        [sync] = bot.fake.calls_to("PUT", "/commands")
        assert [c["name"] for c in sync.body] == ["kfor"]
        sent = await bot.ask("sources")
    assert sent[0].embeds
    assert_safe(sent)


async def test_reader_commands_answer_in_cited_embeds(tmp_path):
    async with running(tmp_path) as bot:
        shown = {
            "status": await bot.ask("status"),
            "brief": await bot.ask("brief", {"since": "2022-01-01", "topic": "plates"}),
            "search": await bot.ask("search", {"words": "KFOR troops"}),
            "timeline": await bot.ask("timeline", {"topic": "border"}),
            "sources": await bot.ask("sources"),
            "help": await bot.ask("help"),
        }
        await bot.checked()
        kinds = [r.data["kind"] for r in bot.service.replies]
    assert kinds == ["status", "brief", "search", "timeline", "sources", "help"]
    for name, sent in shown.items():
        assert sent[0].embeds, name
        assert_safe(sent)
        assert all(s.ephemeral == (name == "help") for s in sent), name
    assert "References" in text_of(shown["status"])
    assert "feeds add" in text_of(shown["help"])


async def test_topic_autocomplete_offers_the_corpus_topics(tmp_path):
    async with running(tmp_path) as bot:
        token = await bot.fake.run_command("brief", {"topic": "pla"}, focused="topic")
        [call] = await bot.fake.wait_for(lambda: bot.fake.calls_to("POST", token))
    assert call.body["type"] == 8
    assert call.body["data"]["choices"] == [{"name": "plates", "value": "plates"}]


async def test_members_cannot_add_feeds_and_are_told_what_is_needed(tmp_path):
    async with FeedServer() as feeds, running(tmp_path) as bot:
        sent = await bot.ask("feeds add", {"url": feeds.url()}, person=MEMBER)
        stored = await bot.corpus.feeds(WORKSPACE)
    [refusal] = sent
    assert refusal.ephemeral
    assert "Manage Server" in text_of(sent)
    assert stored == []
    assert feeds.requests == []
    assert_safe(sent)


async def test_moderators_by_role_or_permission_manage_feeds(tmp_path):
    async with FeedServer() as feeds, running(tmp_path) as bot:
        url = feeds.url()
        added = await bot.ask("feeds add", {"url": url}, person=ROLE_MODERATOR)
        assert [f.url for f in await bot.corpus.feeds(WORKSPACE)] == [url]
        listed = await bot.ask("feeds list", person=SERVER_MANAGER)
        token = await bot.fake.run_command(
            "feeds remove", {"url": "127.0"}, person=SERVER_MANAGER, focused="url"
        )
        [completion] = await bot.fake.wait_for(lambda: bot.fake.calls_to("POST", token))
        token = await bot.fake.run_command("feeds remove", {"url": ""}, focused="url")
        [hidden] = await bot.fake.wait_for(lambda: bot.fake.calls_to("POST", token))
        removed = await bot.ask("feeds remove", {"url": url}, person=SERVER_MANAGER)
        left = await bot.corpus.feeds(WORKSPACE)
    for sent in (added, listed, removed):
        assert all(s.ephemeral for s in sent)
        assert_safe(sent)
    assert "127.0.0.1" in text_of(listed)
    assert completion.body["data"]["choices"] == [{"name": url, "value": url}]
    assert hidden.body["data"]["choices"] == []  # members are not offered the feed list
    assert left == []


async def test_cooldown_is_told_privately(tmp_path):
    async with running(tmp_path, cooldown=30.0) as bot:
        first = await bot.ask("status")
        second = await bot.ask("status")
        await bot.checked()
    assert not first[0].ephemeral
    [wait] = second
    assert wait.ephemeral
    assert "try again in 30 s" in text_of(second)


async def test_a_deferred_public_command_thinks_in_public_and_answers_in_public(tmp_path):
    async with running(tmp_path, defer_after=0.0) as bot:
        token = await bot.fake.run_command("status")
        await bot.fake.wait_for(lambda: bot.fake.replies_to(token))
        [defer] = bot.fake.calls_to("POST", f"{token}/callback")
        await bot.checked()
    assert defer.body == {"type": 5}
    [answer] = bot.fake.replies_to(token)
    assert answer.via == "followup"
    assert not answer.ephemeral
    assert_safe([answer])


async def test_an_error_after_a_public_deferral_is_still_shown_only_to_the_asker(tmp_path):
    async with running(tmp_path, cooldown=30.0, defer_after=0.1, delay=0.3) as bot:
        await bot.ask("status")
        token = await bot.fake.run_command("status")
        [refusal] = await bot.fake.wait_for(lambda: bot.fake.replies_to(token))
        [defer] = bot.fake.calls_to("POST", f"{token}/callback")
        deleted = bot.fake.calls_to("DELETE", f"{token}/messages/@original")
    assert defer.body == {"type": 5}
    assert deleted  # the public "thinking" message is removed
    assert refusal.via == "followup"
    assert refusal.ephemeral
    assert "try again in 30 s" in text_of([refusal])


async def test_moderators_set_show_and_stop_a_channel_schedule(tmp_path):
    async with running(tmp_path) as bot:
        refused = await bot.ask("schedule set", {"time": "07:00"}, person=MEMBER)
        options = {"time": "07:30", "timezone": "Europe/Belgrade"}
        set_ = await bot.ask("schedule set", options, person=ROLE_MODERATOR)
        shown = await bot.ask("schedule show", person=SERVER_MANAGER)
        off = await bot.ask("schedule off", person=SERVER_MANAGER)
    assert "Manage Server" in text_of(refused)
    for sent in (refused, set_, shown, off):
        assert all(s.ephemeral for s in sent)
        assert_safe(sent)
    assert "07:30" in text_of(shown)
    assert "Europe/Belgrade" in text_of(shown)


@asynccontextmanager
async def slow_feed(delay: float) -> AsyncIterator[str]:
    """A feed that takes `delay` seconds to answer, so the command outlives Discord's patience."""

    async def answer(request: web.Request) -> web.Response:
        await asyncio.sleep(delay)
        body = rss("Slow", [("KFOR patrol", "https://slow.example/1", "", "KFOR patrolled.")])
        return web.Response(body=body, content_type="application/rss+xml")

    app = web.Application()
    app.router.add_get("/feed.xml", answer)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    try:
        yield f"http://127.0.0.1:{server.port}/feed.xml"
    finally:
        await server.close()


async def test_slow_commands_are_deferred_before_the_answer(tmp_path):
    async with slow_feed(1.5) as url, running(tmp_path) as bot:
        token = await bot.fake.run_command("feeds add", {"url": url}, person=SERVER_MANAGER)
        await bot.fake.wait_for(lambda: bot.fake.replies_to(token), seconds=15)
        paths = [c.path for c in bot.fake.calls if token in c.path]
        [defer] = bot.fake.calls_to("POST", f"{token}/callback")
    assert paths[0].endswith("/callback")
    assert (defer.body["type"], defer.body["data"]["flags"]) == (5, 64)
    [answer] = bot.fake.replies_to(token)
    assert answer.via == "followup"
    assert answer.ephemeral


def hostile_feeds() -> dict[str, bytes]:
    folder = shared_path("fixtures", "hostile-feeds")
    return {
        f"/{n}": (folder / n).read_bytes() for n in ("chat-injection.xml", "dangerous-links.xml")
    }


async def test_hostile_feed_items_cannot_ping_or_link_anywhere_but_the_web(tmp_path):
    documents = hostile_feeds()
    async with FeedServer() as feeds, running(tmp_path) as bot:
        for path, body in documents.items():
            feeds.add_feed(path, Feed(body))
            added = await bot.ask("feeds add", {"url": feeds.url(path)}, person=SERVER_MANAGER)
            assert "added" in text_of(added).lower(), text_of(added)
        rows = await bot.corpus.store.db.fetchall(
            "SELECT id, title FROM articles WHERE is_seed = 0"
        )
        assert rows  # the engine rejects items with nothing readable; every stored one is shown
        shown: set[int] = set()
        for row in rows:
            words = re.findall(r"[A-Za-z]{3,}", row["title"])[:4] or ["link"]
            sent = await bot.ask("search", {"words": " ".join(words)})
            assert_safe(sent)
            shown |= {s["article_id"] for s in bot.service.replies[-1].data.get("sources", [])}
        brief = await bot.ask("brief", {"since": "2000-01-01"})
        assert_safe(brief)
        await bot.checked()
    assert {row["id"] for row in rows} <= shown


NATIONS = ["Italian", "Turkish", "Polish", "Austrian", "Hungarian", "Swiss", "Slovenian", "Greek"]
PLACES = ["Jarinje", "Leposavic", "Zubin Potok", "Mitrovica", "Brnjak", "Gazivode", "Zvecan"]
DEEDS = [
    "repaired a flooded culvert under the main road",
    "escorted a convoy of school buses through the valley",
    "cleared fallen trees from a mountain track after a storm",
    "delivered winter stoves to an isolated village clinic",
    "trained volunteer firefighters on rescue equipment",
    "mapped unexploded ordnance in a farmer's field",
    "hosted a football match between rival youth teams",
    "rebuilt a footbridge washed away by the spring melt",
]
OUTCOMES = [
    "Residents thanked the crews and asked for a second visit.",
    "Local police joined the effort for the final afternoon.",
    "The mayor promised municipal funds to maintain the work.",
    "Engineers expect the repair to last for a decade.",
    "Teachers said attendance rose the following week.",
]


def patrol_articles(count: int) -> list[tuple[str, str, str, str]]:
    """Short, distinct KFOR reports written for this test, spread over the corpus clock's last weeks."""
    items = []
    for n in range(count):
        nation, place = NATIONS[n % len(NATIONS)], PLACES[(n * 3) % len(PLACES)]
        deed, outcome = DEEDS[(n + n // 8) % len(DEEDS)], OUTCOMES[n // 8 % len(OUTCOMES)]
        day = 22 - n % 20
        items.append(
            (
                f"{nation} KFOR troops {deed} near {place}, says sector report {n + 1}",
                f"https://patrols.example/report-{n + 1}",
                f"{day:02d} Nov 2026 08:00:00 +0000",
                f"On {day} November, {n + 14} KFOR soldiers from the {nation} contingent {deed} "
                f"close to {place}. {outcome} Sector log entry {n + 500} records the task as done.",
            )
        )
    return items


async def test_a_long_reply_is_split_over_several_messages_at_point_boundaries(tmp_path):
    async with FeedServer() as feeds, running(tmp_path) as bot:
        feeds.add_feed("/patrols.xml", Feed(rss("Patrols", patrol_articles(40))))
        await bot.ask("feeds add", {"url": feeds.url("/patrols.xml")}, person=SERVER_MANAGER)
        brief = await bot.ask("brief", {"since": "30d", "topic": "kfor"})
        sent = await bot.ask("timeline", {"topic": "kfor"})
        await bot.checked()
        reply = bot.service.replies[-1].data
    assert_safe(brief)
    assert len(sent) > 1
    assert [s.via for s in sent] == ["callback"] + ["followup"] * (len(sent) - 1)
    assert_safe(sent)
    descriptions = [e.get("description", "") for s in sent for e in s.embeds]
    lines = [line for d in descriptions for line in d.splitlines() if line.startswith("•")]
    assert len(lines) == len(reply["events"]) > 1
    assert all(re.search(r"\[\d+\]", line) for line in lines)  # no point lost its citation


async def test_scheduled_posts_reach_a_channel_or_say_why_not(tmp_path):
    async with running(tmp_path) as bot:
        reply = await bot.corpus.brief(WORKSPACE, since=None, channel=CHANNEL_ID)
        reply |= {"briefing_id": 42}
        publisher = bot.app.publisher
        message_id = await publisher.post(WORKSPACE, CHANNEL_ID, reply)
        found = await publisher.find_marker(WORKSPACE, CHANNEL_ID, "briefing 42")
        other = await publisher.find_marker(WORKSPACE, CHANNEL_ID, "briefing 4")
        with pytest.raises(ChannelUnavailable, match="not found"):
            await publisher.post(WORKSPACE, "800000000000000099", reply)
        with pytest.raises(ChannelUnavailable, match="Send Messages"):
            await publisher.post(WORKSPACE, FORBIDDEN_CHANNEL_ID, reply)
        with pytest.raises(ChannelUnavailable, match="not found"):
            await publisher.find_marker(WORKSPACE, "800000000000000099", "briefing 42")
        posted = [s for s in bot.fake.sent if s.channel == CHANNEL_ID]
        assert await verify(reply, bot.corpus.store) == []
    assert publisher.platform == "discord"
    assert found == message_id
    assert other is None
    assert posted
    assert_safe(posted)
    assert posted[-1].embeds[-1]["footer"]["text"] == "briefing 42"


async def test_a_wrong_token_is_named_without_showing_it_and_leaves_no_session_open(tmp_path):
    async with FakeDiscord() as fake, corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        settings = Settings(
            discord=DiscordSettings(api_base=fake.api_base, gateway_url=fake.gateway_url)
        )
        app = DiscordApp(Service(corpus), settings)
        base = discord.http.Route.BASE
        try:
            with pytest.raises(ConfigError) as failure:
                await app.start("wrong-secret-token")
        finally:
            discord.http.Route.BASE = base
    assert str(failure.value).startswith("Discord refused DISCORD_TOKEN (401 Unauthorized)")
    assert "wrong-secret-token" not in str(failure.value)
    assert app.client.is_closed()


@pytest.mark.parametrize("zone", ["Europe", "Europe/" + "x" * 300])
async def test_a_region_or_an_overlong_zone_is_explained_not_an_internal_error(tmp_path, zone):
    async with running(tmp_path) as bot:
        sent = await bot.ask(
            "schedule set", {"time": "07:00", "timezone": zone}, person=SERVER_MANAGER
        )
        stored = await bot.corpus.store.db.fetchall("SELECT * FROM schedules")
    [refusal] = sent
    assert refusal.ephemeral
    assert ("is a region" if zone == "Europe" else "at most 100") in text_of(sent)
    assert stored == []
    assert_safe(sent)


async def test_long_input_gets_a_short_refusal_within_discords_limits(tmp_path):
    """A 4,000-character topic once came back whole (8,047 characters, over the 4,096 Discord
    takes), and the user saw nothing. A value within its option's length, doubled by escaping,
    must fit as well."""
    long_url = "https://feeds.example/" + "_" * 2_020
    async with running(tmp_path) as bot:
        topic = await bot.ask("brief", {"topic": "plates_" * 600})
        words = await bot.ask("search", {"words": "@everyone " * 400})
        removal = await bot.ask("feeds remove", {"url": long_url}, person=SERVER_MANAGER)
        await bot.checked()
    for sent in (topic, words, removal):
        [refusal] = sent
        assert refusal.ephemeral
        assert_safe(sent)
    assert "topic takes at most 100 characters: 'plates\\_plates\\_" in text_of(topic)
    assert "\\(4,200 characters\\)" in text_of(topic)
    assert len(text_of(topic)) < 300
    assert "words takes at most 300 characters: '@\u200beveryone" in text_of(words)
    assert "\nno feed https://feeds.example/\\_\\_" in text_of(removal)


async def test_a_search_for_everyone_shows_the_mention_inert_in_the_title(tmp_path):
    async with running(tmp_path) as bot:
        sent = await bot.ask("search", {"words": "@everyone KFOR troops"})
        await bot.checked()
    assert sent[0].embeds[0]["title"] == "Search: @\u200beveryone KFOR troops"
    assert_safe(sent)


# --- Embeds as the renderer shapes them -----------------------------------------------------------

# A mention Discord would act on: "@everyone"/"@here" as typed, or <@id>, <@&id>, <#id>.
DISCORD_LIVE = re.compile(r"@(?:everyone|here)|(?<!\\)<[@#]")
# An unescaped Markdown masked link "[text](target)".
MASKED_LINK = re.compile(r"(?<!\\)\]\((?!\\)")


def test_hostile_feed_items_cannot_ping_format_or_link_in_discord():
    messages = fitting_messages(DISCORD, hostile_reply())
    for text in all_text(messages).splitlines():
        assert not DISCORD_LIVE.search(text), text[:200]
        assert not MASKED_LINK.search(text), text[:200]
        assert "\u200b" not in text.replace("@\u200b", "")
        for link in re.findall(r"\b[a-z][a-z0-9+.-]*://\S+", text):
            assert link.startswith(("http://", "https://"))
        assert "data:text" not in text
    urls = [embed["url"] for embeds in messages for embed in embeds if "url" in embed]
    assert all(url.startswith(("http://", "https://")) for url in urls)
    text = all_text(messages)
    assert "@\u200beveryone @\u200bhere free nitro" in text
    assert "\\<@\u200b&123456789012345678\\>" in text
    assert "\\[Official notice\\]\\(https://phish.example/login\\)" in text
    assert "https://xn--r8jz45g.xn--zckzah/%E3%83%91%E3%82%B9?q=%C3%BC" in text


def test_discord_escaping_by_hand():
    assert DISCORD.escape("**KFOR** @here <@&1>") == "\\*\\*KFOR\\*\\* @\u200bhere \\<@\u200b&1\\>"
    assert DISCORD.escape("line one\nline two\u202e") == "line one line two"
    assert DISCORD.escape("*" * 50, 11) == "\\*\\*\\*\\*\\*…"


def test_a_long_briefing_splits_over_embeds_at_point_boundaries():
    reply = long_reply(points_per_section=20)
    messages = DISCORD.messages(reply)
    embeds = [embed for embeds in messages for embed in embeds]
    assert len(embeds) > 1
    assert DISCORD.problems(messages) == []
    assert embeds[0]["title"].endswith(f"(part 1 of {len(embeds)})")
    seen = []
    for embed in embeds:
        description = embed["description"]
        references = "\n".join(f["value"] for f in embed["fields"])
        for line in description.splitlines():
            if line.startswith("• "):
                seen.append(line)
                for ref in re.findall(r"\[(\d+)\]", line):
                    assert f"**[{ref}]** Report number {ref} on" in references
    points = [p for section in reply["sections"] for p in section["points"]]
    expected = [f"• {p['text']} [{p['citations'][0]}] (2023-05-30)" for p in points]
    assert [s.replace("\\", "") for s in seen] == expected


def test_the_briefing_marker_goes_in_the_embed_footer():
    (embeds,) = DISCORD.messages(long_reply(points_per_section=1) | {"briefing_id": 42})
    assert embeds[0]["footer"] == {"text": "briefing 42"}
    assert "footer" not in DISCORD.messages(long_reply(points_per_section=1))[0][0]


def test_a_single_http_source_becomes_the_embed_link():
    reply = long_reply(points_per_section=1, sections=1)
    (embeds,) = DISCORD.messages(reply)
    assert embeds[0]["url"] == "https://news.example/1"
    reply["sources"][0]["url"] = "javascript:alert(1)"
    (embeds,) = DISCORD.messages(reply)
    assert "url" not in embeds[0]
    assert "(link not shown: not a plain web address)" in embeds[0]["fields"][0]["value"]


def test_feed_list_titles_are_escaped_in_embeds():
    feed = feed_row(1) | {"title": "@everyone Feed <!channel>"}
    reply = {"kind": "feeds", "workspace": "guild-1", "feeds": [feed], "history": []}
    shown = json.dumps(DISCORD.messages(reply), ensure_ascii=False)
    assert "@everyone" not in shown
    assert "@\u200beveryone Feed \\\\<!channel\\\\>" in shown


def test_problems_are_reported_for_an_oversized_embed():
    embed = {"title": "t", "description": "x" * 4097, "fields": []}
    assert DISCORD.problems([[embed]]) == [
        "Discord message 1 embed 1 description is 4097 characters (most 4096)"
    ]


def test_a_long_error_message_is_escaped_and_cut_in_its_embed():
    message = "no topic '" + ("_<&" * 5000) + "': choose one of kfor, border, plates"
    [[embed]] = DISCORD.messages({"kind": "error", "message": message})
    assert embed["description"].startswith("no topic '\\_\\<&\\_")
    assert embed["description"].endswith("…")


def test_a_long_feed_list_is_titled_by_part():
    reply = {"kind": "feeds", "workspace": "g", "feeds": [feed_row(n) for n in range(1, 200)]}
    messages = DISCORD.messages(reply | {"history": []})
    assert len(messages) > 1
    assert messages[0][0]["title"] == f"Feeds (part 1 of {sum(len(m) for m in messages)})"


def test_a_search_for_a_mention_shows_it_inert_in_the_embed_title():
    """The zero-width space that keeps "@everyone" inert was stripped again from embed titles."""
    query = "@everyone <@&123> [x](https://p.example)\u202e"
    reply = {"kind": "search", "query": query, "results": [], "sources": []}
    [[embed]] = DISCORD.messages(reply)
    assert (
        embed["title"] == "Search: @\u200beveryone \\<@\u200b&123\\> \\[x\\]\\(https://p.example\\)"
    )
    assert not DISCORD_LIVE.search(embed["title"])


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


def test_discord_has_a_slash_command_for_every_command():
    assert discord_commands() == {spec.name for spec in COMMANDS}
