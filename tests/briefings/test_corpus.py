import asyncio
import contextlib
import datetime as dt
import os
import sqlite3

import pytest

from briefings.errors import FeedError, InvalidFeedURL, NotAFeed, NotFound, UnsafeDocument
from briefings.models import ArticleDraft, Published
from briefings.store.sqlite import BULK_CHECKPOINT_PAGES, CHECKPOINT_PAGES
from briefings.workers import WORKER_NICENESS
from tests.briefings.corpus_helpers import FIXED_NOW, Clock, corpus_at, rss
from tests.fakes.feed_server import Feed, FeedServer

BARRICADES = (
    "Serb protesters put up new barricades of trucks near the Jarinje crossing on Monday, "
    "blocking traffic into northern Kosovo for a second day. KFOR said its troops were watching "
    "the roadblocks and urged both sides to keep calm. Local police said no one was hurt."
)
WIRE_COPY = (
    "Balkan Wire Service\n\nBELGRADE (BWS) - "
    + BARRICADES.replace("on Monday", "early on Monday")
    + "\n\n© 2022 Balkan Wire. All rights reserved."
)
ZVECAN = (
    "Clashes broke out in front of the town hall in Zvečan on Friday when protesters tried to "
    "push past a police cordon. Peacekeepers formed a line between the crowd and the building."
)
PRISTINA = (
    "Officials in Priština said on Tuesday that the deadline for drivers to swap their old plates "
    "would not move again, despite calls from Belgrade for more time."
)


async def test_seeds_load_once_into_a_new_database(tmp_path):
    path = tmp_path / "kfor.sqlite3"
    async with corpus_at(path) as corpus:
        first = [r async for r in corpus.export("local")]
    async with corpus_at(path) as corpus:
        again = [r async for r in corpus.export("local")]
        report = await corpus.ensure_seeds()
    assert len(first) == 5
    assert [r["id"] for r in again] == [r["id"] for r in first]
    assert report.added == 0


async def test_export_gives_every_field_with_honest_dates(tmp_path):
    async with corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        records = [r async for r in corpus.export("local")]
    by_title = {r["title"]: r for r in records}
    rferl = by_title["NATO-Led Force In Kosovo Steps Up Patrols Near Border With Serbia"]
    assert (rferl["publisher"], rferl["published"], rferl["published_precision"]) == (
        "RFE/RL",
        "2021-09-27",
        "day",
    )
    # The seed filed from Jarinje: its dateline is trimmed from the text.
    jarinje = next(r for r in records if r["text"].startswith("In response to a series"))
    assert (jarinje["publisher"], jarinje["published"], jarinje["published_precision"]) == (
        None,
        "2023",
        "year",
    )
    assert set(records[0]) >= {
        "id", "url", "title", "publisher", "published", "published_precision",
        "story_id", "text", "feeds", "topics", "facts",
    }  # fmt: skip
    for record in records:
        assert "Skip to main content" not in record["text"]
        assert "please wait" not in record["text"]


async def test_reingesting_the_same_articles_adds_nothing(tmp_path):
    drafts = [ArticleDraft(title="Barricades at Jarinje", text=BARRICADES)]
    async with corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        first = await corpus.ingest_drafts(drafts, workspace="local")
        second = await corpus.ingest_drafts(drafts, workspace="local")
        count = (await corpus.store.db.fetchone("SELECT COUNT(*) FROM articles"))[0]
    assert (first.added, first.known) == (1, 0)
    assert (second.added, second.known) == (0, 1)
    assert count == 6


async def test_tracking_parameters_do_not_make_a_new_article(tmp_path):
    plain = ArticleDraft(title="Barricades", text=BARRICADES, url="https://News.Example/a?id=3")
    tracked = ArticleDraft(
        title="Barricades",
        text=BARRICADES,
        url="https://news.example/a?utm_source=x&id=3&fbclid=abc#comments",
    )
    async with corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        await corpus.ingest_drafts([plain], workspace="local")
        report = await corpus.ingest_drafts([tracked], workspace="local")
        records = [r async for r in corpus.export("local")]
    assert (report.added, report.known) == (0, 1)
    assert [r["url"] for r in records if r["url"]] == ["https://news.example/a?id=3"]


async def test_a_republished_story_is_kept_twice_and_grouped_once(tmp_path):
    original = ArticleDraft(
        title="Barricades at Jarinje", text=BARRICADES, url="https://a.example/1"
    )
    wire = ArticleDraft(title="Jarinje blocked again", text=WIRE_COPY, url="https://b.example/9")
    other = ArticleDraft(title="Zvecan clashes", text=ZVECAN, url="https://a.example/2")
    async with corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        report = await corpus.ingest_drafts([original, wire, other], workspace="local")
        records = {r["url"]: r async for r in corpus.export("local")}
    assert report.added == 3
    assert records["https://a.example/1"]["story_id"] == records["https://b.example/9"]["story_id"]
    assert records["https://a.example/2"]["story_id"] != records["https://a.example/1"]["story_id"]


@pytest.mark.parametrize(
    ("query", "expected_title"),
    [
        ("zvecan", "Zvecan clashes"),
        ("ZVEČAN", "Zvecan clashes"),
        ("prishtina", "Plate deadline stays"),
        ("Pristina deadline", "Plate deadline stays"),
        ("jarinjë", "Barricades at Jarinje"),
    ],
)
async def test_search_ignores_case_diacritics_and_place_name_spellings(
    tmp_path, query, expected_title
):
    drafts = [
        ArticleDraft(title="Barricades at Jarinje", text=BARRICADES),
        ArticleDraft(title="Zvecan clashes", text=ZVECAN),
        ArticleDraft(title="Plate deadline stays", text=PRISTINA),
    ]
    async with corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        await corpus.ingest_drafts(drafts, workspace="local")
        hits = await corpus.search("local", query)
    assert hits
    assert hits[0].title == expected_title


@pytest.mark.parametrize(
    "query",
    ["Kosovo-Serbia", '"', "AND", "*", "plates AND", '"unclosed', "NEAR(", "(", "title:x", "-", ""],
)
async def test_any_text_is_a_valid_query(tmp_path, query):
    async with corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        hits = await corpus.search("local", query)
    assert isinstance(hits, list)


async def test_search_on_the_seeds_gives_dated_attributed_hits(tmp_path):
    async with corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        hits = await corpus.search("local", "plates")
    assert len(hits) == 5
    rferl = next(h for h in hits if h.publisher == "RFE/RL")
    assert rferl.published.iso == "2021-09-27"
    assert "license plates" in rferl.snippet


async def test_search_puts_title_matches_first(tmp_path):
    drafts = [
        ArticleDraft(title="Barricades at Jarinje", text=BARRICADES),
        ArticleDraft(title="Zvecan clashes", text=ZVECAN + " Barricades were mentioned once."),
    ]
    async with corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        await corpus.ingest_drafts(drafts, workspace="local")
        hits = await corpus.search("local", "barricades")
    assert hits[0].title == "Barricades at Jarinje"


def _gazivode_report(n: int, *, in_title: bool) -> ArticleDraft:
    title = f"Gazivode dam patrol {n}" if in_title else f"Lake patrol {n}"
    return ArticleDraft(
        title=title,
        text=f"Italian carabinieri checked the road to the Gazivode dam, report number {n}. "
        f"They met {n + 2} fishermen and turned back at dusk.",
    )


async def test_a_workspace_that_sees_few_matches_still_finds_them(tmp_path):
    theirs = [_gazivode_report(n, in_title=True) for n in range(12)]
    mine = [_gazivode_report(99, in_title=False)]
    async with corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        await corpus.ingest_drafts(mine, workspace="guild-a")
        await corpus.ingest_drafts(theirs, workspace="guild-b")
        hits = await corpus.search("guild-a", "gazivode", limit=1)
    assert [h.title for h in hits] == ["Lake patrol 99"]


async def test_a_broad_query_ranks_the_newest_matches_and_a_narrower_one_finds_older(
    tmp_path, monkeypatch
):
    monkeypatch.setattr("briefings.store.search.MAX_RANKED", 3)
    drafts = [_gazivode_report(n, in_title=False) for n in range(5)]
    drafts[0] = ArticleDraft(
        title="Lake patrol 0",
        text=drafts[0].text + " The Ibar valley road was icy.",
    )
    async with corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        for draft in drafts:
            await corpus.ingest_drafts([draft], workspace="local")
        broad = await corpus.search("local", "carabinieri")
        narrow = await corpus.search("local", "carabinieri ibar")
    # Only the newest three are ranked; as the reports are nearly one text they may be one story,
    # whose hit also cites its older copies.
    newest = {"Lake patrol 2", "Lake patrol 3", "Lake patrol 4"}
    assert {h.title for h in broad} <= newest
    assert newest <= {a.title for h in broad for a in (h, *h.copies)}
    assert narrow[0].title == "Lake patrol 0"
    assert not narrow[0].missing
    # One story matches both words, so matches of "carabinieri" alone follow, saying so.
    assert all(h.missing == ("ibar",) for h in narrow[1:])


async def test_feeds_belong_to_their_workspace(tmp_path):
    feed = rss(
        "Border Watch",
        [("Jarinje blocked", "https://bw.example/1", "Mon, 25 Jul 2022 08:00:00 GMT", BARRICADES)],
    )
    async with FeedServer() as server, corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        server.add_feed("/border.xml", Feed(feed))
        url = server.url("/border.xml")
        added, report = await corpus.add_feed("guild-1", url, "mod-a")
        mine = await corpus.search("guild-1", "Jarinje blocked")
        theirs = await corpus.search("guild-2", "Jarinje blocked")
        exported = [r async for r in corpus.export("guild-1")]
    assert report.added == 1
    assert added.title == "Border Watch"
    assert mine[0].title == "Jarinje blocked"
    assert mine[0].published.iso == "2022-07-25"
    assert all(h.title != "Jarinje blocked" for h in theirs)
    assert next(r for r in exported if r["title"] == "Jarinje blocked")["feeds"] == [url]


async def test_moderators_adding_feeds_at_the_same_time_all_succeed_and_share_articles(tmp_path):
    shared_item = ("Jarinje blocked", "https://bw.example/1", "", BARRICADES)
    async with FeedServer() as server, corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        for n in range(6):
            own = (f"Desk {n} patrol", f"https://desk{n}.example/1", "", f"{ZVECAN} Desk {n}.")
            server.add_feed(f"/desk{n}.xml", Feed(rss(f"Desk {n}", [shared_item, own])))
        adds = [
            corpus.add_feed(workspace, server.url(f"/desk{n}.xml"), "mod")
            for n in range(6)
            for workspace in ("guild-1", "guild-2")
        ]
        results = await asyncio.gather(*adds)
        listed = {w: await corpus.feeds(w) for w in ("guild-1", "guild-2")}
        hits = await corpus.search("guild-2", "Jarinje blocked")
    assert sum(report.added for _, report in results) == 7
    assert all(len(listed[w]) == 6 for w in listed)
    assert [h.title for h in hits].count("Jarinje blocked") == 1


async def test_feed_lifecycle_health_conditional_get_and_audit(tmp_path):
    feed = rss("Border Watch", [("Jarinje blocked", "https://bw.example/1", "", BARRICADES)])
    async with FeedServer() as server, corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        server.add_feed("/border.xml", Feed(feed, etag='"v1"'))
        url = server.url("/border.xml")
        await corpus.add_feed("local", url, "mod-a")
        [outcome] = await corpus.poll("local", due_only=False)
        assert outcome.not_modified
        assert server.requests[-1].headers.get("If-None-Match") == '"v1"'
        [listed] = await corpus.feeds("local")
        assert listed.items_seen == 1
        assert listed.last_success is not None
        assert corpus.feed_health(listed) == "ok"

        server.feeds.pop("/border.xml")
        [failed] = await corpus.poll("local", due_only=False)
        assert "404" in failed.error
        [listed] = await corpus.feeds("local")
        assert listed.consecutive_failures == 1
        assert "404" in listed.last_error
        assert listed.next_poll > listed.last_error_at

        removed = await corpus.remove_feed("local", url, "mod-b")
        assert removed.url == url
        assert all(h.title != "Jarinje blocked" for h in await corpus.search("local", "Jarinje"))
        history = await corpus.feed_history("local")
    assert [(e.action, e.actor) for e in history] == [("remove", "mod-b"), ("add", "mod-a")]


async def test_processes_sharing_a_store_fetch_each_due_feed_once_per_round(tmp_path):
    clock = Clock()
    async with (
        FeedServer() as server,
        corpus_at(tmp_path / "kfor.sqlite3", clock=clock) as first,
        corpus_at(tmp_path / "kfor.sqlite3", clock=clock) as second,
    ):
        for n in range(6):
            server.add_feed(f"/desk{n}.xml", Feed(rss(f"Desk {n}", [])))
            await first.add_feed("local", server.url(f"/desk{n}.xml"), "mod")
        clock.now += dt.timedelta(days=1)
        asked = len(server.requests)
        rounds = await asyncio.gather(first.poll("local"), second.poll("local"))
        fetched = sorted(r.path for r in server.requests[asked:])
        every_feed = sorted(server.url(f"/desk{n}.xml") for n in range(6))

    assert sorted(o.feed.url for r in rounds for o in r) == every_feed
    assert fetched == sorted(f"/desk{n}.xml" for n in range(6))


async def test_a_feed_leased_by_a_process_that_died_is_polled_once_the_lease_runs_out(tmp_path):
    clock = Clock()
    async with FeedServer() as server, corpus_at(tmp_path / "kfor.sqlite3", clock=clock) as corpus:
        server.add_feed("/border.xml", Feed(rss("Border Watch", [])))
        await corpus.add_feed("local", server.url("/border.xml"), "mod")
        clock.now += dt.timedelta(days=1)
        async with corpus.store.db.transaction() as conn:
            await conn.execute(
                "UPDATE feeds SET lease_owner = 'a process that died', lease_until = ?",
                ((clock.now + corpus.lease).isoformat(timespec="seconds"),),
            )
        assert await corpus.poll("local") == []
        clock.now += corpus.lease
        [outcome] = await corpus.poll("local")
    assert outcome.error is None


async def test_a_poll_steps_aside_while_a_command_is_answered(tmp_path):
    feed = rss("Border Watch", [("Jarinje blocked", "https://bw.example/1", "", BARRICADES)])
    async with FeedServer() as server, corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        server.add_feed("/border.xml", Feed(feed))
        await corpus.add_feed("local", server.url("/border.xml"), "mod")
        asked = len(server.requests)
        async with corpus.priority.command():
            polling = asyncio.create_task(corpus.poll("local", due_only=False))
            await asyncio.sleep(0.3)
            assert len(server.requests) == asked
        [outcome] = await polling
    assert len(server.requests) == asked + 1
    assert outcome.error is None


async def test_removing_an_unknown_feed_says_so(tmp_path):
    async with corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        with pytest.raises(NotFound, match="feeds list"):
            await corpus.remove_feed("local", "https://nowhere.example/feed", "mod")


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/feed", "gopher://x", "https://u:p@x.org/f"]
)
async def test_adding_a_non_http_feed_is_refused_and_stores_nothing(tmp_path, url):
    async with corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        with pytest.raises(InvalidFeedURL):
            await corpus.add_feed("local", url, "mod")
        assert await corpus.feeds("local") == []


async def test_adding_a_page_that_is_not_a_feed_is_refused_and_stores_nothing(tmp_path):
    page = b"<!doctype html><html><head><title>News</title></head><body><p>Hi</p></body></html>"
    async with FeedServer() as server, corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        server.add_feed("/index.html", Feed(page, content_type="text/html"))
        with pytest.raises(NotAFeed):
            await corpus.add_feed("local", server.url("/index.html"), "mod")
        with pytest.raises(FeedError, match="404"):
            await corpus.add_feed("local", server.url("/missing.xml"), "mod")
        assert await corpus.feeds("local") == []
        count = (await corpus.store.db.fetchone("SELECT COUNT(*) FROM articles"))[0]
    assert count == 5


async def test_unknown_dates_stay_unknown(tmp_path):
    draft = ArticleDraft(title="Zvecan clashes", text=ZVECAN)
    async with corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        await corpus.ingest_drafts([draft], workspace="local")
        records = [r async for r in corpus.export("local")]
    zvecan = next(r for r in records if r["title"] == "Zvecan clashes")
    assert (zvecan["published"], zvecan["published_precision"]) == (None, "unknown")


async def test_a_date_marker_in_the_text_dates_the_article(tmp_path):
    draft = ArticleDraft(title="Zvecan clashes", text="date 2023-05-29\n\n" + ZVECAN)
    async with corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        await corpus.ingest_drafts([draft], workspace="local")
        records = [r async for r in corpus.export("local")]
    zvecan = next(r for r in records if r["title"] == "Zvecan clashes")
    assert (zvecan["published"], zvecan["published_precision"]) == ("2023-05-29", "day")
    assert not zvecan["text"].startswith("date")


async def test_a_draft_with_only_furniture_is_rejected_with_a_reason(tmp_path):
    draft = ArticleDraft(title="Menu", text="Skip to main content\n\nHamburger Menu\n\nplease wait")
    async with corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        report = await corpus.ingest_drafts([draft], workspace="local")
    assert report.added == 0
    assert len(report.rejected) == 1


async def test_stored_derived_data_is_consistent(tmp_path):
    path = tmp_path / "kfor.sqlite3"
    async with corpus_at(path):
        pass
    conn = sqlite3.connect(path)
    try:
        articles = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        indexed = conn.execute("SELECT COUNT(*) FROM article_search").fetchone()[0]
        without_sentences = conn.execute(
            "SELECT COUNT(*) FROM articles a WHERE NOT EXISTS "
            "(SELECT 1 FROM sentences s WHERE s.article_id = a.id)"
        ).fetchone()[0]
    finally:
        conn.close()
    assert (articles, indexed, without_sentences) == (5, 5, 0)


def test_published_round_trips_through_iso():
    assert Published.from_iso("2023-05").iso == "2023-05"
    assert Published.from_iso(None).iso is None


HOSTILE_REFUSED = {
    "billion-laughs-multiline.xml",
    "billion-laughs-oneline.xml",
    "entity-amplification-under-expat-limit.xml",
    "xxe-external-entity.xml",
    "xxe-parameter-entity.xml",
    "empty.xml",
    "not-a-feed.html",
}


async def test_every_hostile_feed_is_refused_cleanly_or_stored_clean(tmp_path, fixtures_dir):
    hostile = sorted((fixtures_dir / "hostile-feeds").glob("*.*ml"))
    assert len(hostile) == 13
    async with FeedServer() as server, corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        for number, file in enumerate(hostile):
            path = f"/{number}.xml"
            server.add_feed(path, Feed(file.read_bytes()))
            before = (await corpus.store.db.fetchone("SELECT COUNT(*) FROM articles"))[0]
            if file.name in HOSTILE_REFUSED:
                with pytest.raises(FeedError) as refused:
                    await corpus.add_feed("local", server.url(path), "mod")
                assert "\n" not in str(refused.value)
                assert (await corpus.store.db.fetchone("SELECT COUNT(*) FROM articles"))[
                    0
                ] == before
            else:
                await corpus.add_feed("local", server.url(path), "mod")
        feeds = {f.url for f in await corpus.feeds("local")}
        records = [r async for r in corpus.export("local")]
    assert len(feeds) == 13 - len(HOSTILE_REFUSED)
    for record in records:
        fields = (record["title"], record["text"], record["url"] or "")
        assert not any(ch in text for text in fields for ch in "\x07\x1b\u202e\u200b")
        assert record["url"] is None or record["url"].startswith(("http://", "https://"))
        assert "root:x:0:0" not in record["text"]
        assert len(record["title"]) <= 300
        assert "&lol" not in record["title"]


async def test_parsing_and_deriving_run_in_worker_processes_and_refusals_come_back(tmp_path):
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]>'
        b"<rss><channel><title>&b;</title></channel></rss>"
    )
    async with FeedServer() as server, corpus_at(tmp_path / "kfor.sqlite3") as corpus:
        loop = asyncio.get_running_loop()
        assert await loop.run_in_executor(corpus.workers, os.getpid) != os.getpid()
        server.add_feed("/bomb.xml", Feed(bomb))
        with pytest.raises(UnsafeDocument):
            await corpus.add_feed("local", server.url("/bomb.xml"), "mod")


async def test_a_feed_failing_for_a_day_is_failing_and_after_a_week_paused_until_re_added(
    tmp_path,
):
    clock = Clock()
    feed = rss("Border Watch", [("Jarinje blocked", "https://bw.example/1", "", BARRICADES)])
    async with FeedServer() as server, corpus_at(tmp_path / "kfor.sqlite3", clock=clock) as corpus:
        server.add_feed("/border.xml", Feed(feed))
        url = server.url("/border.xml")
        await corpus.add_feed("local", url, "mod")
        server.feeds.pop("/border.xml")
        states = []
        for hours in (1, 25, 24 * 8):
            clock.now = FIXED_NOW + dt.timedelta(hours=hours)
            await corpus.poll("local", due_only=False)
            [listed] = await corpus.feeds("local")
            states.append(corpus.feed_health(listed))
        clock.now += dt.timedelta(days=2)
        assert await corpus.poll("local") == [], "a paused feed is not polled"
        server.add_feed("/border.xml", Feed(feed))
        await corpus.add_feed("local", url, "mod")
        [resumed] = await corpus.feeds("local")
    assert states == ["retrying", "failing", "paused"]
    assert corpus.feed_health(resumed) == "ok"


async def test_a_batch_split_across_workers_keeps_its_order_and_its_reasons(tmp_path):
    drafts = [
        ArticleDraft(title=f"Patrol {n}", text=f"{BARRICADES} Patrol number {n} reported back.")
        for n in range(7)
    ]
    drafts.insert(3, ArticleDraft(title="Menu", text="Skip to main content\n\nHamburger Menu"))
    async with corpus_at(tmp_path / "kfor.sqlite3", workers=3) as corpus:
        derived, rejected = await corpus._derive(drafts)
    assert [d.title for d in derived] == [f"Patrol {n}" for n in range(7)]
    assert len(rejected) == 1
    assert rejected[0].startswith("Menu:")


async def test_files_come_back_in_order_while_the_workers_read_ahead(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    texts = [BARRICADES, ZVECAN, PRISTINA]
    files = []
    for n in range(7):
        path = folder / f"{n}.txt"
        if n == 4:
            path.write_bytes(b"")
        else:
            path.write_text(f"Report {n}\n\n{texts[n % 3]}", encoding="utf-8")
        files.append(path)
    async with corpus_at(tmp_path / "kfor.sqlite3", workers=2) as corpus:
        outcomes = [o async for o in corpus.ingest_files(files, workspace="local")]
    assert [o.path for o in outcomes] == files
    assert (outcomes[4].report, outcomes[4].reason) == (None, "empty file")
    reports = [(o.report.added, o.report.known) for o in outcomes if o.report]
    # Files 3, 5 and 6 repeat the texts of files 0, 2 and 0: each text is stored once.
    assert reports == [(1, 0), (1, 0), (1, 0), (0, 1), (0, 1), (0, 1)]


def patrol_reports(folder, text):
    """Twelve one-article files, each with its own first sentence before `text`."""
    folder.mkdir()
    files = []
    for n in range(12):
        files.append(folder / f"{n:02d}.txt")
        files[-1].write_text(f"Report {n}\n\nPatrol number {n} reported back. {text}", "utf-8")
    return files


async def test_a_file_is_reported_only_once_its_articles_are_committed(tmp_path):
    """Files are stored several to a transaction: a reported file must already be on disk, so
    an import stopped right after a report has kept what it reported."""
    files = patrol_reports(tmp_path / "in", BARRICADES)
    db_path = tmp_path / "kfor.sqlite3"
    reported, committed = 0, []
    async with corpus_at(db_path, workers=2) as corpus:
        async for outcome in corpus.ingest_files(files, workspace="local"):
            reported += outcome.report.added
            with sqlite3.connect(db_path) as reader:
                [(count,)] = reader.execute("SELECT COUNT(*) FROM imported_articles").fetchall()
            committed.append((reported, count))
    assert all(count >= reported for reported, count in committed)
    assert committed[-1] == (12, 12)


async def test_an_import_commits_full_batches_of_articles_not_each_file_as_it_is_ready(
    tmp_path, monkeypatch
):
    """Each commit writes out every index page its batch touched: a batch per file that happened
    to be ready made 130-article commits at 100,000 articles, so files wait for a full batch."""
    monkeypatch.setattr("briefings.corpus.STORE_BATCH_ARTICLES", 5)
    files = patrol_reports(tmp_path / "in", ZVECAN)
    db_path = tmp_path / "kfor.sqlite3"
    committed = []
    async with corpus_at(db_path, workers=2) as corpus:
        async for _ in corpus.ingest_files(files, workspace="local"):
            with contextlib.closing(sqlite3.connect(db_path)) as reader:
                [(count,)] = reader.execute("SELECT COUNT(*) FROM imported_articles").fetchall()
            committed.append(count)
    assert committed == [5] * 5 + [10] * 5 + [12] * 2


async def test_an_import_checkpoints_as_usual_again_once_done_or_stopped(tmp_path):
    """An import lets the WAL grow between checkpoints; a bot that imported must not go on so
    while it serves."""
    folder = tmp_path / "in"
    folder.mkdir()
    files = []
    for n, text in enumerate([BARRICADES, ZVECAN, PRISTINA]):
        files.append(folder / f"{n}.txt")
        files[-1].write_text(f"Report {n}\n\n{text}", encoding="utf-8")

    async def checkpoint_pages(corpus):
        [(pages,)] = await corpus.store.db._conn.execute_fetchall("PRAGMA wal_autocheckpoint")
        return pages

    async with corpus_at(tmp_path / "kfor.sqlite3", workers=2) as corpus:
        async with contextlib.aclosing(corpus.ingest_files(files, workspace="local")) as outcomes:
            async for _ in outcomes:
                during = await checkpoint_pages(corpus)
                break
        after_stop = await checkpoint_pages(corpus)
        [_ async for _ in corpus.ingest_files(files, workspace="local")]
        after_all = await checkpoint_pages(corpus)
    assert during == BULK_CHECKPOINT_PAGES
    assert after_stop == after_all == CHECKPOINT_PAGES == 1000  # SQLite's own default


async def test_workers_yield_the_cpu_to_the_main_process(tmp_path):
    async with corpus_at(tmp_path / "kfor.sqlite3", workers=1) as corpus:
        loop = asyncio.get_running_loop()
        worker = await loop.run_in_executor(corpus.workers, os.nice, 0)
    assert worker == min(19, os.nice(0) + WORKER_NICENESS)
