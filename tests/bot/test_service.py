import datetime as dt

import pytest

from bot.arguments import UsageError, parse_moment, parse_time_of_day, parse_timezone
from bot.service import COMMANDS, Caller, Invocation, Service, parse_text
from briefings.verify import verify
from tests.briefings.corpus_helpers import corpus_at

MEMBER = Caller(workspace="guild-1", user="u-1", channel="c-1")
MODERATOR = Caller(workspace="guild-1", user="u-2", channel="c-1", moderator=True)


@pytest.mark.parametrize(
    ("text", "name", "args"),
    [
        ("status", "status", {}),
        ("brief 3d plates", "brief", {"since": "3d", "topic": "plates"}),
        ("brief plates 2023-05-01", "brief", {"since": "2023-05-01", "topic": "plates"}),
        ('search Kosovo-Serbia "plates', "search", {"words": 'Kosovo-Serbia "plates'}),
        ('search "license plates" Jarinje', "search", {"words": "license plates Jarinje"}),
        ("feeds add https://x.example/rss", "feeds add", {"url": "https://x.example/rss"}),
        ("FEEDS list", "feeds list", {}),
        ("", "help", {}),
        ("timeline border", "timeline", {"topic": "border"}),
    ],
)
def test_slack_style_text_becomes_an_invocation(text, name, args):
    invocation = parse_text(text)
    assert (invocation.name, dict(invocation.args)) == (name, args)


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("dance", "unknown command 'dance'"),
        ("search", "needs words"),
        ("feeds add", "needs <url>"),
        ("brief 3d 4d", "at most a window"),
        ("sources extra", "takes no arguments"),
    ],
)
def test_malformed_commands_say_what_is_expected(text, complaint):
    with pytest.raises(UsageError, match=complaint):
        parse_text(text)


def test_moments_times_and_zones_are_read_or_refused_clearly():
    now = dt.datetime(2026, 11, 23, 9, tzinfo=dt.UTC)
    assert parse_moment("3d", now) == now - dt.timedelta(days=3)
    assert parse_moment("12h", now) == now - dt.timedelta(hours=12)
    assert parse_moment("2023-05-30", now) == dt.datetime(2023, 5, 30, tzinfo=dt.UTC)
    assert parse_time_of_day("7:05") == dt.time(7, 5)
    assert parse_timezone("Europe/Belgrade").key == "Europe/Belgrade"
    for bad, call in [
        ("soon", parse_moment),
        ("25:00", parse_time_of_day),
        ("Mars/Base", parse_timezone),
    ]:
        with pytest.raises(UsageError):
            call(bad, now) if call is parse_moment else call(bad)


async def test_members_cannot_change_feeds_and_are_told_what_is_needed(tmp_path):
    async with corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        reply = await Service(corpus).handle(
            Invocation("feeds add", {"url": "https://x.example/rss"}), MEMBER
        )
        assert await corpus.feeds("guild-1") == []
    assert not reply.ok
    assert reply.ephemeral
    assert "Manage Server" in reply.data["message"]


async def test_slack_members_are_told_the_slack_rule(tmp_path):
    slack_member = Caller(workspace="T1", user="U1", channel="C1", platform="slack")
    async with corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        reply = await Service(corpus).handle(Invocation("feeds list"), slack_member)
    assert "workspace admin or owner" in reply.data["message"]


async def test_moderators_get_feed_errors_as_a_clear_reply_not_an_exception(tmp_path):
    async with corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        reply = await Service(corpus).handle(
            Invocation("feeds add", {"url": "file:///etc/passwd"}), MODERATOR
        )
    assert not reply.ok
    assert "http" in reply.data["message"]


async def test_expensive_commands_have_a_per_user_cooldown(tmp_path):
    async with corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        service = Service(corpus, cooldown_seconds=30)
        first = await service.handle(Invocation("status"), MEMBER)
        second = await service.handle(Invocation("status"), MEMBER)
        other_user = await service.handle(Invocation("status"), MODERATOR)
    assert first.ok
    assert other_user.ok
    assert not second.ok
    assert second.ephemeral
    assert second.data["message"] == "please wait: try again in 30 s"


async def test_every_engine_reply_on_the_seeds_passes_the_checker(tmp_path):
    async with corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        service = Service(corpus, cooldown_seconds=0)
        cli = Caller(workspace="local", user="cli")
        for invocation in (
            Invocation("status"),
            Invocation("brief", {"since": "7d"}),
            Invocation("brief", {"since": "2021-01-01", "topic": "plates"}),
            Invocation("timeline"),
            Invocation("timeline", {"topic": "border"}),
            Invocation("search", {"words": "plates"}),
        ):
            reply = await service.handle(invocation, cli)
            assert reply.ok, reply.data
            assert await verify(reply.data, corpus.store) == [], invocation


async def test_a_brief_with_an_empty_window_is_never_blank(tmp_path):
    async with corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        reply = await Service(corpus).handle(
            Invocation("brief", {"since": "7d"}), Caller(workspace="local", user="cli")
        )
    assert reply.data["note"].startswith("nothing new in the last 7 days")
    assert any(section["points"] for section in reply.data["sections"])


async def test_a_bad_topic_lists_the_choices(tmp_path):
    async with corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        reply = await Service(corpus).handle(Invocation("timeline", {"topic": "weather"}), MEMBER)
    assert reply.data["message"] == "no topic 'weather': choose one of kfor, border, plates"


async def test_help_lists_every_command_with_moderator_ones_marked(tmp_path):
    async with corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        reply = await Service(corpus).handle(Invocation("help"), MEMBER)
    listed = {c["name"]: c["moderator"] for c in reply.data["commands"]}
    assert listed == {spec.name: spec.moderator for spec in COMMANDS}
    assert listed["feeds add"] is True


async def test_suggestions_complete_topics_and_this_workspaces_feeds(tmp_path):
    from tests.briefings.corpus_helpers import rss
    from tests.fakes.feed_server import Feed, FeedServer

    async with FeedServer() as server, corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        server.add_feed(
            "/border.xml",
            Feed(
                rss(
                    "Border",
                    [
                        (
                            "Jarinje",
                            "https://b.example/1",
                            "",
                            "KFOR patrols at Jarinje continued through the night without incident.",
                        )
                    ],
                )
            ),
        )
        await corpus.add_feed("guild-1", server.url("/border.xml"), "mod")
        service = Service(corpus)
        assert await service.suggest("topic", "guild-1", "Pla") == ["plates"]
        assert await service.suggest("feed", "guild-1", "border") == [server.url("/border.xml")]
        assert await service.suggest("feed", "guild-2", "") == []


@pytest.mark.parametrize(
    ("typed", "complaint"),
    [
        ("Europe", "'Europe' is a region, not a time zone: name one in it, like Europe/"),
        ("America/Argentina", "is a region, not a time zone"),
        ("Europe/" + "x" * 300, "is not a time zone name like Europe/Belgrade"),
        ("../../etc/passwd", "is not a time zone name"),
        ("", "is not a time zone name"),
    ],
)
def test_a_region_or_an_overlong_zone_is_refused_in_words(typed, complaint):
    """Zone names are looked up in the tz database's list, never opened as typed (a directory,
    a name too long for the file system)."""
    with pytest.raises(UsageError, match=complaint):
        parse_timezone(typed)


def test_zone_names_are_read_in_any_case():
    assert parse_timezone(" europe/belgrade ").key == "Europe/Belgrade"
    assert parse_timezone("utc").key == "UTC"


LONG_ZONE = "Europe/" + "x" * 300
REFUSALS = {
    ("Europe", False): "`schedule set` is for moderators",
    ("Europe", True): "'Europe' is a region, not a time zone",
    (LONG_ZONE, False): "timezone takes at most 100 characters: 'Europe/xxx",
    (LONG_ZONE, True): "timezone takes at most 100 characters: 'Europe/xxx",
}


@pytest.mark.parametrize(("zone", "moderator"), list(REFUSALS))
async def test_schedule_set_with_a_bad_zone_is_refused_whoever_asks(tmp_path, zone, moderator):
    """Typed as in Slack, where the words are read before anyone's rights are checked; a value
    longer than its option takes is refused before anything else."""
    chat = Caller("T1", "U1", "C1", moderator, "slack")
    async with corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        reply = await Service(corpus).handle(parse_text(f"schedule set 07:00 {zone}"), chat)
        stored = await corpus.store.db.fetchall("SELECT * FROM schedules")
    assert not reply.ok
    assert REFUSALS[zone, moderator] in reply.data["message"]
    assert stored == []
