"""The one command table every entry point dispatches to: parse, check the caller, call the core, reply."""

from __future__ import annotations

import datetime as dt
import logging
import shlex
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

from bot.arguments import (
    UsageError,
    looks_like_moment,
    looks_like_timezone,
    parse_moment,
    parse_time_of_day,
    parse_timezone,
)
from briefings.corpus import Clock, Corpus, utc_now
from briefings.derive import MAX_STORED_TEXT_CHARS
from briefings.errors import KforError, quoted
from briefings.ingest.urls import MAX_URL_LENGTH
from briefings.replies import feeds_reply, search_reply
from briefings.reply_types import CommandHelp, FeedAddedReply
from briefings.reply_types import Reply as AnyReply

log = logging.getLogger(__name__)
DEFAULT_WINDOW = dt.timedelta(days=7)
SEARCH_LIMIT = 5
MAX_SEARCH_LIMIT = 20
# Who counts as a moderator on each platform, as the refusal tells the user.
MODERATOR_RULE = {
    "discord": "the Manage Server permission or a moderator role",
    "slack": "a workspace admin or owner, or a moderator listed in the bot's config",
}
DEFAULT_TIMEZONE = "UTC"
# The longest value each kind of option takes; anything longer is a mistake or an attack, and is
# refused before the command runs, so no reply can grow with what was typed.
WORD_CHARS = 100
MOMENT_CHARS = 32
SEARCH_CHARS = 300


@dataclass(frozen=True)
class Option:
    """One argument of a command, described once for every platform's command builder."""

    name: str
    help: str
    required: bool = False
    autocomplete: str | None = None
    max_length: int = WORD_CHARS


@dataclass(frozen=True)
class CommandSpec:
    """A command as data: name ("feeds add"), help, options, and who may run it."""

    name: str
    help: str
    options: tuple[Option, ...] = ()
    moderator: bool = False
    expensive: bool = False


COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec(
        "status",
        "Current KFOR strength, latest developments, deadlines and disagreements",
        expensive=True,
    ),
    CommandSpec(
        "brief",
        "What happened in a window, by topic, each point cited",
        (
            Option(
                "since",
                "how far back: 12h, 3d, 2w or a date (default: since the last briefing here, else 7 days)",
                max_length=MOMENT_CHARS,
            ),
            Option("topic", "only this topic", autocomplete="topic"),
            Option(
                "until",
                "end of the window: a date YYYY-MM-DD (default: now)",
                max_length=MOMENT_CHARS,
            ),
        ),
        expensive=True,
    ),
    CommandSpec(
        "search",
        "Best-matching articles with a cited snippet",
        (Option("words", "what to look for", required=True, max_length=SEARCH_CHARS),),
        expensive=True,
    ),
    CommandSpec(
        "timeline",
        "Dated developments, oldest first",
        (Option("topic", "only this topic", autocomplete="topic"),),
        expensive=True,
    ),
    CommandSpec("sources", "The feeds and seed articles this workspace draws on, with health"),
    CommandSpec(
        "feeds add",
        "Subscribe this workspace to a feed (validated first)",
        (Option("url", "the feed's http(s) address", required=True, max_length=MAX_URL_LENGTH),),
        moderator=True,
    ),
    CommandSpec(
        "feeds remove",
        "Unsubscribe this workspace from a feed",
        (
            Option(
                "url",
                "the feed to remove",
                required=True,
                autocomplete="feed",
                max_length=MAX_URL_LENGTH,
            ),
        ),
        moderator=True,
    ),
    CommandSpec("feeds list", "Feeds with their health and recent changes", moderator=True),
    CommandSpec(
        "schedule set",
        "Post a daily briefing in this channel at a local time (replaces this channel's schedule)",
        (
            Option("time", "time of day, HH:MM", required=True, max_length=MOMENT_CHARS),
            Option(
                "timezone", f"IANA time zone such as Europe/Belgrade (default {DEFAULT_TIMEZONE})"
            ),
            Option("topic", "only this topic", autocomplete="topic"),
        ),
        moderator=True,
    ),
    CommandSpec("schedule off", "Stop this channel's daily briefing", moderator=True),
    CommandSpec(
        "schedule show",
        "This workspace's daily briefings: next run and last result",
        moderator=True,
    ),
    CommandSpec("help", "What each command does"),
)
BY_NAME: Mapping[str, CommandSpec] = {spec.name: spec for spec in COMMANDS}


@dataclass(frozen=True)
class Invocation:
    """A parsed command: its table name and its arguments as text."""

    name: str
    args: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Caller:
    """Who asked, where: the adapter fills it from the platform event and decides `moderator`."""

    workspace: str
    user: str
    channel: str | None = None
    moderator: bool = False
    platform: str | None = None


@dataclass(frozen=True)
class Reply:
    """A reply's data (docs/replies.md) and how to deliver it: ephemeral replies go to the asker only."""

    data: AnyReply
    ephemeral: bool = False

    @property
    def ok(self) -> bool:
        """Whether the command did what was asked."""
        return self.data["kind"] != "error"


def error(message: str) -> Reply:
    """A refusal or failure, told only to the person who asked."""
    return Reply({"kind": "error", "message": message}, ephemeral=True)


def our_fault() -> Reply:
    """What the user sees when a bug stopped the command: the details are in the log."""
    return error("something went wrong on our side; the error has been logged")


def parse_text(text: str) -> Invocation:
    """Slack-style text ("brief 3d plates", "feeds add URL") into an Invocation, or UsageError."""
    try:
        words = shlex.split(text)
    except ValueError:
        words = text.split()
    if not words:
        return Invocation("help")
    head = words[0].lower()
    if head in ("feeds", "schedule") and len(words) > 1:
        name, rest = f"{head} {words[1].lower()}", words[2:]
    else:
        name, rest = head, words[1:]
    spec = BY_NAME.get(name)
    if spec is None:
        raise UsageError(f"unknown command {quoted(name)}: try `help`")
    return Invocation(spec.name, _bind(spec, rest))


def _bind(spec: CommandSpec, words: list[str]) -> dict[str, str]:
    if spec.name == "search":
        if not words:
            raise UsageError("search needs words to look for")
        return {"words": " ".join(words)}
    if spec.name == "brief":
        args = {}
        for word in words:
            key = "since" if looks_like_moment(word) else "topic"
            if key in args:
                raise UsageError("brief takes at most a window (3d, 2023-05-01) and a topic")
            args[key] = word
        return args
    if spec.name == "schedule set" and len(words) > 1:
        return _bind_schedule(words)
    names = [o.name for o in spec.options]
    if len(words) > len(names):
        raise UsageError(f"{spec.name} takes {_usage(spec)}")
    args = dict(zip(names, words, strict=False))
    missing = [o.name for o in spec.options if o.required and o.name not in args]
    if missing:
        raise UsageError(f"{spec.name} needs {_usage(spec)}")
    return args


def _bind_schedule(words: list[str]) -> dict[str, str]:
    """`07:00 [timezone] [topic]`: a word that looks like a time zone is the zone (checked later, so
    "Europe" gets the time zone's refusal), any other the topic."""
    args = {"time": words[0]}
    for word in words[1:]:
        key = "timezone" if looks_like_timezone(word) else "topic"
        if key in args:
            raise UsageError("schedule set takes a time, then at most a time zone and a topic")
        args[key] = word
    return args


def _bounded_int(text: str | None, default: int, most: int) -> int:
    if text is None:
        return default
    if not text.isdigit() or not 1 <= int(text) <= most:
        raise UsageError(f"{quoted(text)} is not a whole number from 1 to {most}")
    return int(text)


def _usage(spec: CommandSpec) -> str:
    if not spec.options:
        return "no arguments"
    return " ".join(f"<{o.name}>" if o.required else f"[{o.name}]" for o in spec.options)


def _too_long(spec: CommandSpec, args: Mapping[str, str]) -> str | None:
    """Why an argument is refused for its length, or None when every one is within its option's."""
    for option in spec.options:
        value = args.get(option.name) or ""
        if len(value) > option.max_length:
            return f"{option.name} takes at most {option.max_length:,} characters: {quoted(value)}"
    return None


def _chat_channel(caller: Caller) -> tuple[str, str]:
    if caller.channel is None or caller.platform is None:
        raise UsageError("daily briefings are set from the chat channel they should be posted in")
    return caller.channel, caller.platform


class Cooldown:
    """Per-user pause between expensive commands, so one user cannot keep the bot busy."""

    def __init__(self, seconds: float, clock: Clock = utc_now) -> None:
        self.seconds = seconds
        self.clock = clock
        self._last: dict[tuple[str, str, str], dt.datetime] = {}

    def wait_for(self, caller: Caller, command: str) -> int:
        """Seconds still to wait (0 means go ahead, and starts a new pause)."""
        key = (caller.workspace, caller.user, command)
        now = self.clock()
        last = self._last.get(key)
        if last is not None and (left := self.seconds - (now - last).total_seconds()) > 0:
            return max(1, round(left))
        self._last[key] = now
        return 0


class Service:
    """Runs commands for any platform; moderator checks and cooldowns happen here, not in adapters."""

    def __init__(
        self,
        corpus: Corpus,
        *,
        cooldown_seconds: float = 10.0,
        on_schedules_changed: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.corpus = corpus
        self.cooldown = Cooldown(cooldown_seconds, corpus.clock)
        # The scheduler's `reload`, so a changed schedule takes effect without a restart.
        self.on_schedules_changed = on_schedules_changed
        self._handlers: dict[str, Callable[[Invocation, Caller], Awaitable[Reply]]] = {
            "status": self._status,
            "brief": self._brief,
            "search": self._search,
            "timeline": self._timeline,
            "sources": self._sources,
            "feeds add": self._feeds_add,
            "feeds remove": self._feeds_remove,
            "feeds list": self._feeds_list,
            "schedule set": self._schedule_set,
            "schedule off": self._schedule_off,
            "schedule show": self._schedule_show,
            "help": self._help,
        }

    async def suggest(self, kind: str, workspace: str, typed: str) -> list[str]:
        """Autocomplete values for an option's `autocomplete` kind: topic names or feed URLs."""
        typed = typed.strip().lower()
        if kind == "topic":
            return [
                p.name
                for p in self.corpus.profiles
                if typed in p.name.lower() or typed in p.title.lower()
            ]
        if kind == "feed":
            urls = [feed.url for feed in await self.corpus.feeds(workspace)]
            return [url for url in urls if typed in url.lower()]
        return []

    async def handle(self, invocation: Invocation, caller: Caller) -> Reply:
        """The reply to one command; never raises for anything a user can cause."""
        spec = BY_NAME.get(invocation.name)
        if spec is None:
            return error(f"unknown command {quoted(invocation.name)}: try `help`")
        if (too_long := _too_long(spec, invocation.args)) is not None:
            return error(too_long)
        if spec.moderator and not caller.moderator:
            needed = MODERATOR_RULE.get(caller.platform or "", MODERATOR_RULE["discord"])
            return error(f"`{spec.name}` is for moderators: it needs {needed}")
        if spec.expensive and (wait := self.cooldown.wait_for(caller, spec.name)):
            return error(f"please wait: try again in {wait} s")
        try:
            return await self._handlers[spec.name](invocation, caller)
        except KforError as exc:
            return error(str(exc))
        except Exception:
            log.exception("command %s failed", spec.name)
            return our_fault()

    async def _status(self, invocation: Invocation, caller: Caller) -> Reply:
        return Reply(await self.corpus.status(caller.workspace))

    async def _brief(self, invocation: Invocation, caller: Caller) -> Reply:
        now = self.corpus.clock()
        since_text, until_text = invocation.args.get("since"), invocation.args.get("until")
        since = parse_moment(since_text, now) if since_text else None
        until = parse_moment(until_text, now) if until_text else now
        if since is not None and since >= until:
            raise UsageError("the window is empty: `since` must come before `until`")
        if since is None and caller.channel is None:
            since = now - DEFAULT_WINDOW
        topic = invocation.args.get("topic")
        reply = await self.corpus.brief(
            caller.workspace,
            since=since,
            until=until,
            topics=[self.corpus.topic_name(topic)] if topic else None,
            channel=caller.channel,
        )
        return Reply(reply)

    async def _search(self, invocation: Invocation, caller: Caller) -> Reply:
        words = invocation.args["words"]
        limit = _bounded_int(invocation.args.get("limit"), SEARCH_LIMIT, MAX_SEARCH_LIMIT)
        hits = await self.corpus.search(caller.workspace, words, limit)
        return Reply(search_reply(words, hits, self.corpus.clock()))

    async def _timeline(self, invocation: Invocation, caller: Caller) -> Reply:
        topic = invocation.args.get("topic")
        return Reply(
            await self.corpus.timeline(
                caller.workspace, topic=self.corpus.topic_name(topic) if topic else None
            )
        )

    async def _sources(self, invocation: Invocation, caller: Caller) -> Reply:
        return Reply(await self.corpus.sources(caller.workspace))

    async def _feeds_add(self, invocation: Invocation, caller: Caller) -> Reply:
        feed, report = await self.corpus.add_feed(
            caller.workspace, invocation.args["url"], caller.user
        )
        data: FeedAddedReply = {
            "kind": "feed_added",
            "workspace": caller.workspace,
            "url": feed.url,
            "title": feed.title,
            "added": report.added,
            "known": report.known,
            "rejected": len(report.rejected),
            "cut": list(report.cut),
            "text_limit": MAX_STORED_TEXT_CHARS,
        }
        return Reply(data, ephemeral=True)

    async def _feeds_remove(self, invocation: Invocation, caller: Caller) -> Reply:
        feed = await self.corpus.remove_feed(caller.workspace, invocation.args["url"], caller.user)
        return Reply(
            {"kind": "feed_removed", "workspace": caller.workspace, "url": feed.url}, ephemeral=True
        )

    async def _feeds_list(self, invocation: Invocation, caller: Caller) -> Reply:
        feeds = [(f, self.corpus.feed_health(f)) for f in await self.corpus.feeds(caller.workspace)]
        history = await self.corpus.feed_history(caller.workspace)
        return Reply(feeds_reply(caller.workspace, feeds, history[:10]), ephemeral=True)

    async def _schedule_set(self, invocation: Invocation, caller: Caller) -> Reply:
        channel, platform = _chat_channel(caller)
        at = parse_time_of_day(invocation.args["time"])
        zone = parse_timezone(invocation.args.get("timezone", DEFAULT_TIMEZONE))
        topic = invocation.args.get("topic")
        await self.corpus.schedules.set_schedule(
            workspace=caller.workspace,
            platform=platform,
            channel=channel,
            local_time=f"{at:%H:%M}",
            timezone=zone.key,
            topics=(self.corpus.topic_name(topic),) if topic else (),
            actor=caller.user,
            now=self.corpus.clock().astimezone(dt.UTC).isoformat(timespec="seconds"),
        )
        return await self._schedule_changed("set", caller, channel, platform)

    async def _schedule_off(self, invocation: Invocation, caller: Caller) -> Reply:
        channel, platform = _chat_channel(caller)
        if await self.corpus.schedules.turn_off(caller.workspace, platform, channel) is None:
            raise UsageError(
                "this channel has no daily briefing: set one with `schedule set HH:MM`"
            )
        return await self._schedule_changed("off", caller, channel, platform)

    async def _schedule_changed(
        self, action: str, caller: Caller, channel: str, platform: str
    ) -> Reply:
        # The scheduler module (and zoneinfo) cost every command 3 ms of start-up: schedule
        # commands only load it.
        from bot.scheduler import schedule_rows

        if self.on_schedules_changed is not None:
            await self.on_schedules_changed()
        rows = await schedule_rows(self.corpus, caller.workspace, platform=platform)
        [row] = [r for r in rows if r["channel"] == channel]
        return Reply({"kind": "schedule", "action": action, "schedule": row}, ephemeral=True)

    async def _schedule_show(self, invocation: Invocation, caller: Caller) -> Reply:
        from bot.scheduler import schedules_reply  # see _schedule_changed

        return Reply(await schedules_reply(self.corpus, caller.workspace), ephemeral=True)

    async def _help(self, invocation: Invocation, caller: Caller) -> Reply:
        commands: list[CommandHelp] = [
            {
                "name": spec.name,
                "usage": _usage(spec),
                "help": spec.help,
                "moderator": spec.moderator,
            }
            for spec in COMMANDS
        ]
        return Reply({"kind": "help", "commands": commands}, ephemeral=True)
