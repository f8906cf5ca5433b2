"""One typed definition per reply kind, and of the pieces replies share (docs/replies.md).

A reply is a plain JSON-able dict so that `--format json` prints it as is and every template
renders from it; these TypedDicts say which keys each kind has. Builders return them, and
tests/briefings/test_reply_types.py keeps them and docs/replies.md in step.
"""

# No `from __future__ import annotations`: TypedDict reads NotRequired[...] from evaluated
# annotations only, and tests check the optional keys.
from collections.abc import Mapping
from typing import Any, Literal, NotRequired, TypedDict


class Source(TypedDict):
    """One numbered reference; points cite it by `ref` (from 1)."""

    ref: int
    article_id: int
    title: str
    publisher: str | None
    published: str | None
    url: str | None


class Point(TypedDict):
    """A stored sentence (or span), or a line composed of stored facts, with its citations."""

    text: str
    citations: list[int]
    date: str | None
    background: bool
    language: NotRequired[str]


class Evidence(TypedDict):
    """Where a figure was read: the cited article, the sentence index in it, the span's offsets."""

    citation: int
    sentence: int
    span: str
    start: int
    end: int


class Figure(TypedDict):
    """A reported figure: what it counts, whose it is, as of when, and where it was read."""

    kind: str
    value: int
    qualifier: str
    as_of: str | None
    owner: str
    noun: str
    countries: NotRequired[int | None]
    citations: list[int]
    stories: int
    evidence: NotRequired[Evidence]


class Strength(TypedDict):
    """The status card's headline strength and how many independent stories agree on it."""

    kind: str
    value: int
    qualifier: str
    as_of: str | None
    countries: int | None
    owner: str
    noun: str
    citations: list[int]
    sources: int
    one_source: bool
    evidence: NotRequired[Evidence]


class Conflict(TypedDict):
    """Values of one figure that sources give differently, and why they are set side by side."""

    kind: str
    reason: str
    values: list[Figure]


class Deadline(TypedDict):
    """A deadline of one story, its point citing every copy that states it."""

    date: str | None
    state: str
    text: str
    resolved: bool
    point: Point
    evidence: Evidence


class Deadlines(TypedDict):
    """The status card's deadlines by state."""

    upcoming: list[Deadline]
    passed: list[Deadline]
    unknown: list[Deadline]


class Development(TypedDict):
    """The latest development of one topic on the status card."""

    topic: str
    title: str
    point: Point


class Section(TypedDict):
    """One topic's points in a brief."""

    topic: str
    title: str
    points: list[Point]


class Window(TypedDict):
    """The period a brief covers (ISO times; `since` is None for "from the start")."""

    since: str | None
    until: str


class Event(TypedDict):
    """A dated development on a timeline."""

    date: str | None
    precision: str
    point: Point


class SearchResult(TypedDict):
    """One story matching a search: its best article's title and snippet, citing every copy."""

    title: str
    snippet: str
    citations: list[int]
    missing: list[str]


class FeedRow(TypedDict):
    """A subscribed feed with its health."""

    url: str
    title: str | None
    health: str
    added_by: str
    added_at: str
    last_success: str | None
    last_error: str | None
    last_error_at: str | None
    consecutive_failures: int
    next_poll: str | None
    items_seen: int


class FeedChange(TypedDict):
    """One entry of a workspace's feed audit trail."""

    url: str
    action: str
    actor: str
    at: str


class IngestedFile(TypedDict):
    """What importing one local file did; `reason` says why it was refused as a whole."""

    path: str
    reason: str | None
    added: int
    known: int
    rejected: list[str]
    cut: list[str]


class PolledFeed(TypedDict):
    """What polling one feed did."""

    url: str
    error: str | None
    not_modified: bool
    added: int
    known: int
    cut: list[str]


class CommandHelp(TypedDict):
    """One command in the help listing."""

    name: str
    usage: str
    help: str
    moderator: bool


class ScheduleRow(TypedDict):
    """A channel's daily briefing and how its latest run went."""

    workspace: str
    platform: str
    channel: str
    time: str
    timezone: str
    topics: list[str]
    state: str
    created_by: str | None
    created_at: str
    next_run: str | None
    last_result: str | None
    last_error: str | None
    last_sent_date: str | None


class BriefReply(TypedDict):
    """`brief`: what happened in a window, by topic, with the figures its points' articles give."""

    kind: Literal["brief"]
    generated_at: str
    workspace: str
    window: Window
    note: str | None
    sections: list[Section]
    omitted: int
    facts: list[Figure]
    conflicts: list[Conflict]
    sources: list[Source]
    briefing_id: NotRequired[int]


class StatusReply(TypedDict):
    """`status`: the status card."""

    kind: Literal["status"]
    generated_at: str
    workspace: str
    strength: Strength | None
    latest_report: str | None
    stale: bool
    history: list[Figure]
    developments: list[Development]
    deadlines: Deadlines
    conflicts: list[Conflict]
    sources: list[Source]


class TimelineReply(TypedDict):
    """`timeline`: dated developments, oldest first."""

    kind: Literal["timeline"]
    generated_at: str
    workspace: str
    topic: str | None
    events: list[Event]
    omitted: int
    sources: list[Source]


class SearchReply(TypedDict):
    """`search`: the best-matching stories."""

    kind: Literal["search"]
    generated_at: str
    query: str
    results: list[SearchResult]
    sources: list[Source]


class FeedsReply(TypedDict):
    """`feeds list`: a workspace's feeds with health, and the latest changes to them."""

    kind: Literal["feeds"]
    workspace: str
    feeds: list[FeedRow]
    history: list[FeedChange]


class SourcesReply(TypedDict):
    """`sources`: what a workspace's replies draw on."""

    kind: Literal["sources"]
    workspace: str
    feeds: list[FeedRow]
    imported: int
    seeds: list[Source]


class FeedAddedReply(TypedDict):
    """`feeds add`: the feed stored and what its first poll added."""

    kind: Literal["feed_added"]
    workspace: str
    url: str
    title: str | None
    added: int
    known: int
    rejected: int
    cut: list[str]
    text_limit: int


class FeedRemovedReply(TypedDict):
    """`feeds remove`."""

    kind: Literal["feed_removed"]
    workspace: str
    url: str


class PollReply(TypedDict):
    """`kfor-bot feeds poll`: each feed polled and the totals."""

    kind: Literal["poll"]
    text_limit: int
    feeds: list[PolledFeed]
    added: int
    errors: int


class IngestReply(TypedDict):
    """`kfor-bot ingest`: each file imported and the totals."""

    kind: Literal["ingest"]
    text_limit: int
    files: list[IngestedFile]
    added: int
    known: int
    rejected: int


class RederiveReply(TypedDict):
    """`kfor-bot rederive`: how many articles were derived again, and which kept their old data."""

    kind: Literal["rederive"]
    rederived: int
    kept: list[str]


class ScheduleReply(TypedDict):
    """`schedule set` / `schedule off`: the channel's schedule after the change."""

    kind: Literal["schedule"]
    action: str
    schedule: ScheduleRow


class SchedulesReply(TypedDict):
    """`schedule show` (one workspace) and `kfor-bot schedule list` (every one: workspace None)."""

    kind: Literal["schedules"]
    generated_at: str
    workspace: str | None
    schedules: list[ScheduleRow]


class HelpReply(TypedDict):
    """`help`: every command with its usage."""

    kind: Literal["help"]
    commands: list[CommandHelp]


class ErrorReply(TypedDict):
    """A refusal or failure, in words for the person who asked."""

    kind: Literal["error"]
    message: str


Reply = (
    BriefReply
    | StatusReply
    | TimelineReply
    | SearchReply
    | FeedsReply
    | SourcesReply
    | FeedAddedReply
    | FeedRemovedReply
    | PollReply
    | IngestReply
    | RederiveReply
    | ScheduleReply
    | SchedulesReply
    | HelpReply
    | ErrorReply
)
# What renderers, the reply checker and the scheduler read: any kind, by key.
ReplyData = Mapping[str, Any]

# Each kind's definition by the name in its `kind` key.
REPLY_TYPES: dict[str, type] = {
    "brief": BriefReply,
    "status": StatusReply,
    "timeline": TimelineReply,
    "search": SearchReply,
    "feeds": FeedsReply,
    "sources": SourcesReply,
    "feed_added": FeedAddedReply,
    "feed_removed": FeedRemovedReply,
    "poll": PollReply,
    "ingest": IngestReply,
    "rederive": RederiveReply,
    "schedule": ScheduleReply,
    "schedules": SchedulesReply,
    "help": HelpReply,
    "error": ErrorReply,
}
