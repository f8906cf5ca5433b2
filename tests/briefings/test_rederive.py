"""`rederive` gives stored articles what a fresh import under the current rules gives them, and an
interrupted run resumes to the same result."""

import sqlite3
import zlib
from contextlib import closing

import pytest

from briefings import corpus as corpus_module
from briefings.models import ArticleDraft, Published
from tests.bot.test_cli import kfor
from tests.briefings.corpus_helpers import corpus_at

WIRE = (
    "NATO will send about 600 more troops to Kosovo after riots in Leposavic left several "
    "peacekeepers hurt, an alliance spokesman said. The soldiers come from the alliance's "
    "operational reserve and will reach Pristina within a week. KFOR said its patrols in the "
    "north would be doubled until the situation calms. Local Serb leaders called for restraint "
    "and asked residents to stay away from the municipal building."
)
PLATES = (
    "Kosovo's government said drivers with Serbian-issued plates must re-register their cars by "
    "30 November. Officials in Zvecan said queues formed outside the registration office on "
    "Monday, and the interior minister urged owners not to wait for the last week."
)
DRAFTS = [
    ArticleDraft(
        "NATO sends 600 more troops",
        WIRE,
        "https://wire.example/a",
        "Wire",
        Published.from_iso("2026-06-01"),
    ),
    ArticleDraft(
        "Plates deadline set",
        PLATES,
        "https://desk.example/p",
        "Desk",
        Published.from_iso("2026-11-02"),
    ),
    ArticleDraft("Troops for Kosovo", WIRE, "https://aggregator.example/b", None, Published()),
    ArticleDraft(
        "Reprint: NATO sends troops",
        WIRE,
        "https://reprint.example/c",
        None,
        Published.from_iso("2026-11-20"),
    ),
]


async def ingest(path):
    async with corpus_at(path, load_seeds=False) as corpus:
        await corpus.ingest_drafts(DRAFTS, workspace="w")


async def exported(path) -> dict[str, dict]:
    async with corpus_at(path, load_seeds=False) as corpus:
        return {r["url"]: r async for r in corpus.export("w")}


def derived_rows(path) -> dict[str, list]:
    """Everything derived, by table, in a comparable form (article ids are stable)."""
    with closing(sqlite3.connect(path)) as conn:
        return {
            "articles": conn.execute(
                "SELECT id, story_id, story_published, topics, content_hash FROM articles ORDER BY id"
            ).fetchall(),
            "sentences": conn.execute("SELECT * FROM sentences ORDER BY 1, 2").fetchall(),
            "facts": conn.execute(
                "SELECT article_id, kind, value, qualifier, sentence_idx, span, resolved, published, "
                "owner, noun, as_of, span_start, on_topic FROM facts ORDER BY article_id, id"
            ).fetchall(),
            "bands": conn.execute("SELECT * FROM signature_bands ORDER BY 1, 2").fetchall(),
        }


def make_outdated(path):
    """What an older version might have left: no facts or topics, every copy its own story,
    stale bands, and a rules version before the current one."""
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.executescript(
            """DELETE FROM facts;
               UPDATE articles SET topics = '[]', story_id = id, story_published = published;
               UPDATE signature_bands SET band = band + 1;
               UPDATE meta SET value = '0' WHERE key = 'rules_version';"""
        )


async def test_rederive_restores_what_a_fresh_import_derives(tmp_path):
    fresh, old = tmp_path / "fresh.sqlite3", tmp_path / "old.sqlite3"
    await ingest(fresh)
    await ingest(old)
    make_outdated(old)
    async with corpus_at(old, load_seeds=False) as corpus:
        assert await corpus.rules_outdated()
        seen: list[tuple[int, int]] = []
        report = await corpus.rederive(lambda done, total: seen.append((done, total)))
        assert not await corpus.rules_outdated()
    assert report.rederived == len(DRAFTS)
    assert seen[-1] == (len(DRAFTS), len(DRAFTS))
    assert derived_rows(old) == derived_rows(fresh)
    records = await exported(old)
    wire_copies = [records[d.url] for d in DRAFTS if d.text == WIRE]
    assert len({r["story_id"] for r in wire_copies}) == 1


async def test_the_search_index_follows_the_rederived_text(tmp_path):
    path = tmp_path / "kfor.sqlite3"
    await ingest(path)
    # The stored text of one article changed under it (as a new cleaning rule would change it).
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(
            "UPDATE articles SET text = ? WHERE url = ?",
            (
                zlib.compress(PLATES.replace("Zvecan", "Gracanica").encode()),
                "https://desk.example/p",
            ),
        )
    async with corpus_at(path, load_seeds=False) as corpus:
        assert [h.title for h in await corpus.search("w", "Zvecan")] == ["Plates deadline set"]
        await corpus.rederive()
        assert [h.title for h in await corpus.search("w", "Gracanica")] == ["Plates deadline set"]
        assert await corpus.search("w", "Zvecan") == []


async def test_an_interrupted_rederive_resumes_to_the_same_result(tmp_path, monkeypatch):
    fresh, old = tmp_path / "fresh.sqlite3", tmp_path / "old.sqlite3"
    await ingest(fresh)
    await ingest(old)
    make_outdated(old)
    monkeypatch.setattr(corpus_module, "REDERIVE_BATCH", 2)

    def stop_after_first_batch(done: int, total: int) -> None:
        raise KeyboardInterrupt

    async with corpus_at(old, load_seeds=False) as corpus:
        with pytest.raises(KeyboardInterrupt):
            await corpus.rederive(stop_after_first_batch)
        assert await corpus.rules_outdated()
    with closing(sqlite3.connect(old)) as conn:
        [(next_id,)] = conn.execute("SELECT value FROM meta WHERE key = 'rederive_next_id'")
    assert int(next_id) == 3  # the first batch, articles 1 and 2, is done and kept
    async with corpus_at(old, load_seeds=False) as corpus:
        report = await corpus.rederive()
    assert report.rederived == 2  # only what was left
    assert derived_rows(old) == derived_rows(fresh)


async def test_an_article_with_nothing_readable_left_is_kept_and_named(tmp_path):
    path = tmp_path / "kfor.sqlite3"
    await ingest(path)
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(
            "UPDATE articles SET text = ? WHERE url = ?",
            ("Share on X\nCopy link", "https://desk.example/p"),
        )
    before = derived_rows(path)["sentences"]
    async with corpus_at(path, load_seeds=False) as corpus:
        report = await corpus.rederive()
    assert report.rederived == len(DRAFTS) - 1
    assert [reason.split(":")[0] for reason in report.kept] == ["Plates deadline set"]
    assert derived_rows(path)["sentences"] == before


def test_the_command_line_says_when_to_rederive_and_does_it(tmp_path):
    kfor(tmp_path, "status")
    with closing(sqlite3.connect(tmp_path / "kfor.sqlite3")) as conn, conn:
        conn.execute("UPDATE meta SET value = '0' WHERE key = 'rules_version'")
    assert "run `kfor-bot rederive`" in kfor(tmp_path, "status").stderr
    result = kfor(tmp_path, "rederive")
    assert "Re-derived 5 stored articles under the current rules." in result.stdout
    assert "rederive" not in kfor(tmp_path, "status").stderr
