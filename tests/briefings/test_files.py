import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from briefings.dates import date_from_text
from briefings.errors import RejectedInput
from briefings.ingest import files
from briefings.ingest.files import expand, read_file
from briefings.models import Precision, Published
from tests.conftest import DATA, shared_path

FETCHED_AT = dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.UTC)
ARTICLES = DATA / "files"


def read_path(path):
    """Every file a path names with what reading it gave, as the CLI's ingest reads them."""
    return [(file, read_file(file, FETCHED_AT)) for file in expand(path)]


def read_one(path):
    ((file, result),) = read_path(path)
    assert file == path
    return result


def drafts_of(path):
    result = read_one(path)
    assert isinstance(result, list), result
    return result


def reason_for(path) -> str:
    result = read_one(path)
    assert isinstance(result, RejectedInput), result
    return str(result)


def test_a_text_article_takes_its_headline_as_title():
    (draft,) = drafts_of(ARTICLES / "kfor-patrols.txt")
    assert draft.title == "KFOR steps up patrols along the northern boundary"
    assert draft.text.startswith("Peacekeepers from the NATO-led mission began extra foot")
    assert draft.text.endswith("remained high.")
    assert "\n\n" in draft.text
    assert draft.published.precision is Precision.UNKNOWN


def test_markdown_syntax_is_removed():
    (draft,) = drafts_of(ARTICLES / "nested" / "license-plates.md")
    assert draft.title == "Deal reached on vehicle plates"
    assert draft.text == (
        "Negotiators in Brussels agreed that drivers may keep their old plates for now, "
        "according to a statement from the mediators.\n\n"
        "The agreement covers cars registered before the end of the year.\n\n"
        "Officials from both sides called the outcome a first step."
    )


def test_a_saved_web_page_gives_its_text_and_metadata():
    (draft,) = drafts_of(ARTICLES / "nested" / "border-crossing.html")
    assert draft.title == "Border crossing reopens after week-long closure"
    assert draft.url == "https://balkan-monitor.example/news/border-crossing-reopens"
    assert draft.publisher == "Balkan Monitor"
    assert draft.published == Published(dt.date(2023, 6, 14), Precision.DAY)
    assert "hundreds of trucks waiting on both sides" in draft.text
    assert "deliveries can be planned in advance" in draft.text
    assert "About us" not in draft.text
    assert "Copyright" not in draft.text


@pytest.mark.parametrize(
    ("encoding", "text"),
    [
        ("cp1252", "Jarinjë crossing reopens\n\nThe café by the crossing – shut since “Monday” – reopened."),  # noqa: RUF001 - real dashes
        ("latin-1", "Übergang bei Jarinjë\n\nDer Übergang ist wieder offen, à bientôt."),
        ("cp1251", "Прелаз Јариње поново отворен\n\nКФОР је саопштио да је прелаз поново отворен."),  # noqa: RUF001 - Cyrillic
        ("utf-8-sig", "Brnjak crossing reopens\n\nThe crossing at Brnjak reopened on Friday."),
    ],
)  # fmt: skip
def test_legacy_and_bom_encodings_import_as_the_author_wrote(tmp_path, encoding, text):
    path = tmp_path / "article.txt"
    path.write_bytes(text.encode(encoding))
    (draft,) = drafts_of(path)
    headline, _, body = text.partition("\n\n")
    assert (draft.title, draft.text) == (headline, body)


def test_a_date_marker_stays_where_the_date_reader_finds_it(tmp_path):
    path = tmp_path / "dated.txt"
    path.write_text(
        "date 2023-05-30\nKFOR sends reserve troops north\n\nThe reserve arrived on Tuesday.\n",
        encoding="utf-8",
    )
    (draft,) = drafts_of(path)
    assert draft.title == "KFOR sends reserve troops north"
    assert date_from_text(draft.text) == Published(dt.date(2023, 5, 30), Precision.DAY)
    assert draft.text.endswith("The reserve arrived on Tuesday.")


def test_an_article_without_a_headline_keeps_all_its_text(tmp_path):
    sentence = "Talks on vehicle plates resumed in Brussels on Thursday after a pause."
    path = tmp_path / "no-headline.txt"
    path.write_text(f"{sentence}\n\nBoth delegations attended.\n", encoding="utf-8")
    (draft,) = drafts_of(path)
    assert draft.title == ""
    assert draft.text == f"{sentence}\n\nBoth delegations attended."


def test_a_feed_file_is_read_through_the_feed_parser():
    path = shared_path("fixtures", "real-feeds", "ibash-org-ru_rss2_windows-1251.xml")
    drafts = drafts_of(path)
    assert len(drafts) == 50
    assert drafts[0].title == "Цитата #17703"


def test_a_feed_is_recognised_by_its_first_bytes_whatever_its_name(tmp_path):
    path = tmp_path / "saved-feed.txt"
    path.write_bytes(
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Desk</title>'
        b"<item><title>Patrols resume</title><description>Patrols resumed.</description>"
        b"</item></channel></rss>"
    )
    (draft,) = drafts_of(path)
    assert (draft.title, draft.text, draft.publisher) == (
        "Patrols resume",
        "Patrols resumed.",
        "Desk",
    )


def test_a_hostile_feed_file_is_rejected_with_the_reason():
    path = shared_path("fixtures", "hostile-feeds", "billion-laughs-oneline.xml")
    assert "declares XML entities" in reason_for(path)


def test_an_html_page_saved_as_a_feed_is_rejected_with_a_hint(tmp_path):
    path = tmp_path / "feed.xml"
    shutil.copy(shared_path("fixtures", "hostile-feeds", "not-a-feed.html"), path)
    assert reason_for(path) == "not a feed: it is an HTML page; its feed may be at /feed.xml"


def test_a_cut_off_feed_file_gives_its_complete_entries():
    drafts = drafts_of(shared_path("fixtures", "hostile-feeds", "truncated.xml"))
    assert [d.title for d in drafts] == ["one"]


@pytest.mark.parametrize("content", [b"", b"  \n\r\n\t"])
def test_an_empty_file_is_rejected(tmp_path, content):
    path = tmp_path / "blank.txt"
    path.write_bytes(content)
    assert reason_for(path) == "empty file"


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), id="with NUL"),
        pytest.param(bytes(range(1, 32)) * 20 + b"some words", id="controls without NUL"),
    ],
)
def test_a_binary_file_is_rejected(tmp_path, content):
    path = tmp_path / "scan.txt"
    path.write_bytes(content)
    assert reason_for(path) == "binary file, not an article"


def test_an_unknown_kind_of_file_is_rejected(tmp_path):
    path = tmp_path / "photo.jpg"
    path.write_bytes(b"\xff\xd8\xff\xe0 not really a picture")
    assert reason_for(path).startswith("unknown kind of file ('.jpg')")


def test_a_file_over_the_size_cap_is_rejected_unread(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(files.MAX_FILE_BYTES + 1)
    assert reason_for(path).startswith("file too large (20.0 MiB; the limit is 20 MiB)")


def test_an_unreadable_file_is_rejected(tmp_path, monkeypatch):
    path = tmp_path / "locked.txt"
    path.write_text("Locked\n\nA locked article.", encoding="utf-8")
    real_open = os.open

    def refuse(file, *args, **kwargs):
        if Path(file) == path:
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    # chmod alone proves nothing when the tests run as root, who reads any file.
    monkeypatch.setattr(os, "open", refuse)
    assert reason_for(path) == "cannot read the file: permission denied"


def test_a_missing_path_is_one_rejected_result(tmp_path):
    assert reason_for(tmp_path / "nowhere") == "no such file or folder"


def test_a_folder_is_read_recursively_in_name_order_skipping_hidden_files(tmp_path):
    shutil.copytree(ARTICLES, tmp_path / "articles")
    (tmp_path / "articles" / ".notes.txt").write_text(
        "Private\n\nNot for import.", encoding="utf-8"
    )
    hidden = tmp_path / "articles" / ".cache"
    hidden.mkdir()
    (hidden / "copy.txt").write_text("Copy\n\nNot for import either.", encoding="utf-8")
    (tmp_path / "articles" / "notes.bin").write_bytes(b"\x00\x01")

    results = read_path(tmp_path / "articles")

    names = [file.relative_to(tmp_path / "articles").as_posix() for file, _ in results]
    assert names == [
        "kfor-patrols.txt",
        "nested/border-crossing.html",
        "nested/license-plates.md",
        "notes.bin",
    ]
    outcomes = [type(result) for _, result in results]
    assert outcomes == [list, list, list, RejectedInput]


@pytest.mark.timeout(20)
def test_a_named_pipe_in_a_folder_is_skipped_with_a_reason_instead_of_blocking(tmp_path):
    (tmp_path / "a-note.md").write_text("# Patrol\n\nKFOR patrolled the Jarinje crossing.\n")
    os.mkfifo(tmp_path / "b-pipe.md")
    (tmp_path / "c-link.md").symlink_to(tmp_path / "b-pipe.md")
    results = dict(read_path(tmp_path))
    assert isinstance(results[tmp_path / "a-note.md"], list)
    for special in ("b-pipe.md", "c-link.md"):
        assert str(results[tmp_path / special]) == "not a regular file but a named pipe; skipped"


def test_a_device_is_skipped_with_a_reason():
    assert reason_for(Path("/dev/zero")) == "not a regular file but a device; skipped"
