"""The `kfor-bot` command line: the same core answers as the chat commands, on a terminal."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import getpass
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.assemble import configured_corpus
from bot.config import Settings, load_settings
from bot.service import Caller, Invocation, Service
from briefings.corpus import Corpus, FileOutcome
from briefings.derive import MAX_STORED_TEXT_CHARS
from briefings.errors import KforError
from briefings.move_store import copy_to_postgresql
from briefings.render import FORMATS, render
from briefings.replies import feeds_reply
from briefings.reply_types import IngestedFile, IngestReply, PolledFeed, PollReply, RederiveReply

PROGRESS_FROM_FILES = 20
OUTDATED_RULES = (
    "kfor-bot: note: stored articles were derived under older rules; run `kfor-bot rederive` "
    "to apply this version's cleaning, topics and facts to them"
)


def build_parser() -> argparse.ArgumentParser:
    """The whole command tree, so `--help` at any level documents it."""
    parser = argparse.ArgumentParser(
        prog="kfor-bot", description="News briefings on KFOR, the Kosovo-Serbia border and plates."
    )
    _add_global_options(parser, default=None)
    # Also accepted after the command (`run --config FILE`, `feeds add URL --workspace W`): every
    # subcommand takes them too, with SUPPRESS so that a value given before the command is kept.
    scoped = argparse.ArgumentParser(add_help=False)
    _add_global_options(scoped, default=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    status = commands.add_parser(
        "status", help="KFOR strength, developments, deadlines", parents=[scoped]
    )
    brief = commands.add_parser("brief", help="what happened in a window, cited", parents=[scoped])
    brief.add_argument("--since", help="12h, 3d, 2w or a date YYYY-MM-DD (default: 7 days)")
    brief.add_argument("--until", help="a date YYYY-MM-DD (default: now)")
    brief.add_argument("--topic", help="only this topic (kfor, border, plates, ...)")
    timeline = commands.add_parser(
        "timeline", help="dated developments, oldest first", parents=[scoped]
    )
    timeline.add_argument("--topic", help="only this topic")
    sources = commands.add_parser(
        "sources", help="the feeds and seed articles drawn on", parents=[scoped]
    )
    search = commands.add_parser("search", help="find articles by words", parents=[scoped])
    search.add_argument("words", nargs="+", help="words to look for; any text is a valid query")
    search.add_argument("--limit", type=_positive, default=10)
    for sub in (status, brief, timeline, sources, search):
        sub.add_argument("--format", choices=FORMATS, default="text")

    export = commands.add_parser(
        "export", help="write every visible article as JSON lines", parents=[scoped]
    )
    export.add_argument("--format", choices=["jsonl"], default="jsonl")

    commands.add_parser(
        "run",
        help="start the chat adapters with credentials, and the scheduler, until SIGTERM",
        parents=[scoped],
    )
    migrate = commands.add_parser(
        "migrate-store",
        help="copy the SQLite store into a PostgreSQL one; run again to resume a stopped copy",
        parents=[scoped],
    )
    migrate.add_argument(
        "--to", required=True, metavar="URL", help="the new store: postgresql://user@host/db"
    )
    commands.add_parser(
        "rederive",
        help="apply this version's cleaning, topic and fact rules to every stored article",
        parents=[scoped],
    )
    schedule = commands.add_parser("schedule", help="daily briefing schedules", parents=[scoped])
    schedule_commands = schedule.add_subparsers(dest="schedule_command", required=True)
    schedule_list = schedule_commands.add_parser(
        "list", help="every schedule with its next run and last result", parents=[scoped]
    )
    schedule_list.add_argument("--all", action="store_true", help="every workspace's schedules")
    schedule_list.add_argument("--format", choices=FORMATS, default="text")

    ingest = commands.add_parser(
        "ingest", help="import article, HTML and feed files or folders", parents=[scoped]
    )
    ingest.add_argument("paths", nargs="+", type=Path)

    feeds = commands.add_parser("feeds", help="manage the workspace's feeds", parents=[scoped])
    feed_commands = feeds.add_subparsers(dest="feeds_command", required=True, metavar="ACTION")
    add = feed_commands.add_parser(
        "add", help="validate a feed by fetching it, then subscribe", parents=[scoped]
    )
    add.add_argument("url")
    remove = feed_commands.add_parser("remove", help="unsubscribe from a feed", parents=[scoped])
    remove.add_argument("url")
    listing = feed_commands.add_parser("list", help="feeds with their health", parents=[scoped])
    listing.add_argument("--history", action="store_true", help="also show who changed what")
    listing.add_argument("--format", choices=FORMATS, default="text")
    poll = feed_commands.add_parser(
        "poll", help="fetch the feeds that are due now", parents=[scoped]
    )
    poll.add_argument("--all", action="store_true", help="fetch every feed, due or not")
    for sub in (add, remove, poll):
        sub.add_argument("--format", choices=FORMATS, default="text")
    return parser


def _add_global_options(parser: argparse.ArgumentParser, default: object) -> None:
    parser.add_argument(
        "--db", type=Path, default=default, help="SQLite database (default: user data directory)"
    )
    parser.add_argument(
        "--config", type=Path, default=default, help="config.toml (default: user config directory)"
    )
    parser.add_argument(
        "--workspace", default=default, help="workspace to act for (default: local)"
    )


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def main(argv: Sequence[str] | None = None) -> int:
    """The command line, as `kfor-bot` and `python -m bot` run it (through `bot.__main__.run`)."""
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings(args.config, db=args.db)
        if args.command == "run":
            from bot.run import configure_logging, run  # only `run` loads the chat SDKs

            configure_logging(os.environ)
            asyncio.run(run(settings, os.environ))
            return 0
        if args.command == "migrate-store":
            return asyncio.run(_migrate_store(settings, args.to))
        return asyncio.run(_run(args, settings))
    except KforError as exc:
        print(f"kfor-bot: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    workspace = args.workspace or settings.workspace
    async with configured_corpus(settings) as corpus:
        if args.command != "rederive" and await corpus.rules_outdated():
            print(OUTDATED_RULES, file=sys.stderr)
        handler = _HANDLERS[args.command]
        return await handler(corpus, args, workspace)


async def _migrate_store(settings: Settings, url: str) -> int:
    """Copy the SQLite store (upgraded to this version's schema first) and show what was copied."""
    if not settings.db.is_file():
        raise KforError(f"no SQLite store at {settings.db} to copy")
    # The source file, even when the settings name the target server as this process's store.
    async with configured_corpus(dataclasses.replace(settings, database_url="")):
        pass
    rows, checksum, shown = await copy_to_postgresql(settings.db, url)
    print(f"Copied {settings.db} to {shown}, counts and checksums equal:")
    for table, count in rows.items():
        print(f"  {table:<18} {count:>9}")
    print(f"  checksum {checksum}")
    return 0


async def _ask(corpus: Corpus, invocation: Invocation, workspace: str, fmt: str) -> int:
    """Run a command of the shared table as the operator (a moderator, with no cooldown)."""
    service = Service(corpus, cooldown_seconds=0)
    caller = Caller(workspace=workspace, user=f"cli:{getpass.getuser()}", moderator=True)
    reply = await service.handle(invocation, caller)
    if reply.data["kind"] == "error":
        print(f"kfor-bot: error: {reply.data['message']}", file=sys.stderr)
        return 1
    print(render(reply.data, fmt), end="")
    return 0


async def _shared(corpus: Corpus, args: argparse.Namespace, workspace: str) -> int:
    names = {"since": "since", "until": "until", "topic": "topic", "limit": "limit"}
    wanted = {
        key: str(getattr(args, attr)) for key, attr in names.items() if getattr(args, attr, None)
    }
    if args.command == "search":
        wanted["words"] = " ".join(args.words)
    if args.command == "brief" and "since" not in wanted:
        wanted["since"] = "7d"
    return await _ask(corpus, Invocation(args.command, wanted), workspace, args.format)


async def _export(corpus: Corpus, args: argparse.Namespace, workspace: str) -> int:
    async for record in corpus.export(workspace):
        print(json.dumps(record, ensure_ascii=False))
    return 0


async def _ingest(corpus: Corpus, args: argparse.Namespace, workspace: str) -> int:
    from tqdm import tqdm  # tqdm and the file readers (feedparser): only imports need them

    from briefings.ingest.files import expand

    outcomes: list[FileOutcome] = []
    files = [file for path in args.paths for file in expand(path)]
    with tqdm(
        total=len(files), unit="file", disable=len(files) < PROGRESS_FROM_FILES, file=sys.stderr
    ) as progress:
        async for outcome in corpus.ingest_files(files, workspace=workspace):
            outcomes.append(outcome)
            progress.update()
    imported: list[IngestedFile] = [
        {
            "path": str(o.path),
            "reason": o.reason,
            "added": o.report.added if o.report else 0,
            "known": o.report.known if o.report else 0,
            "rejected": list(o.report.rejected) if o.report else [],
            "cut": list(o.report.cut) if o.report else [],
        }
        for o in outcomes
    ]
    reply: IngestReply = {
        "kind": "ingest",
        "text_limit": MAX_STORED_TEXT_CHARS,
        "files": imported,
        "added": sum(f["added"] for f in imported),
        "known": sum(f["known"] for f in imported),
        "rejected": sum(len(f["rejected"]) + bool(f["reason"]) for f in imported),
    }
    print(render(reply, "text"), end="")
    return 0 if not any(o.reason for o in outcomes) else 2


async def _rederive(corpus: Corpus, args: argparse.Namespace, workspace: str) -> int:
    from tqdm import tqdm  # see _ingest

    with tqdm(unit="article", file=sys.stderr) as progress:

        def advance(done: int, total: int) -> None:
            progress.total = total
            progress.update(done - progress.n)

        report = await corpus.rederive(advance)
    reply: RederiveReply = {
        "kind": "rederive",
        "rederived": report.rederived,
        "kept": list(report.kept),
    }
    print(render(reply, "text"), end="")
    return 0


async def _feeds(corpus: Corpus, args: argparse.Namespace, workspace: str) -> int:
    if args.feeds_command != "poll":
        wanted = {"url": args.url} if args.feeds_command in ("add", "remove") else {}
        invocation = Invocation(f"feeds {args.feeds_command}", wanted)
        if args.feeds_command == "list" and not args.history:
            return await _feeds_without_history(corpus, workspace, args.format)
        return await _ask(corpus, invocation, workspace, args.format)
    outcomes = await corpus.poll(workspace, due_only=not args.all)
    rows: list[PolledFeed] = [
        {
            "url": o.feed.url,
            "error": o.error,
            "not_modified": o.not_modified,
            "added": o.report.added,
            "known": o.report.known,
            "cut": list(o.report.cut),
        }
        for o in outcomes
    ]
    reply: PollReply = {
        "kind": "poll",
        "text_limit": MAX_STORED_TEXT_CHARS,
        "feeds": rows,
        "added": sum(o.report.added for o in outcomes),
        "errors": sum(1 for o in outcomes if o.error),
    }
    print(render(reply, args.format), end="")
    return 0


async def _feeds_without_history(corpus: Corpus, workspace: str, fmt: str) -> int:
    listed = [(feed, corpus.feed_health(feed)) for feed in await corpus.feeds(workspace)]
    print(render(feeds_reply(workspace, listed), fmt), end="")
    return 0


async def _schedule(corpus: Corpus, args: argparse.Namespace, workspace: str) -> int:
    from bot.scheduler import schedules_reply

    reply = await schedules_reply(corpus, None if args.all else workspace)
    print(render(reply, args.format), end="")
    return 0


_HANDLERS = {
    "schedule": _schedule,
    "status": _shared,
    "brief": _shared,
    "timeline": _shared,
    "sources": _shared,
    "search": _shared,
    "export": _export,
    "ingest": _ingest,
    "rederive": _rederive,
    "feeds": _feeds,
}
