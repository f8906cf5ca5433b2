"""Search as a reader relies on it: word forms and synonyms, most words, one hit per story."""

from briefings.models import ArticleDraft, Published
from briefings.query import all_of, parse
from briefings.render import render
from briefings.replies import search_reply
from tests.briefings.corpus_helpers import FIXED_NOW, corpus_at

WOUNDED = (
    "Three peacekeepers were wounded when a crowd threw stones at a patrol in Zvecan. "
    "The mission said the soldiers were taken to a field hospital."
)
HURT = (
    "Two Polish troops were hurt in Zvecan on Sunday when a petrol bomb hit their vehicle. "
    "Local police detained four men."
)
CLOSED = (
    "Customs officers closed the Merdare checkpoint for six hours after a bomb threat. "
    "Lorries waited on both sides of the line."
)
PLATES = (
    "Drivers in the north have until March to swap their vehicle registration for Kosovo "
    "documents. The ministry opened two extra offices."
)
OTHER = "The council in Gjilan approved a new budget for schools and roads on Monday."


def draft(title, text, slug, published=None):
    return ArticleDraft(
        title=title,
        text=text,
        url=f"https://desk.example/{slug}",
        published=Published.from_iso(published) if published else Published(),
    )


async def search(tmp_path, drafts, query, limit=10):
    async with corpus_at(
        tmp_path / f"k{len(list(tmp_path.iterdir()))}.sqlite3", load_seeds=False
    ) as corpus:
        await corpus.ingest_drafts(drafts, workspace="local")
        return await corpus.search("local", query, limit)


async def test_injured_soldiers_finds_reports_that_say_wounded_or_hurt(tmp_path):
    drafts = [
        draft("Stones thrown at patrol", WOUNDED, "a", "2026-11-10"),
        draft("Petrol bomb in the north", HURT, "b", "2026-11-12"),
        draft("Budget passed", OTHER, "c", "2026-11-12"),
    ]

    hits = await search(tmp_path, drafts, "Zvecan injured soldiers")

    assert {h.title for h in hits} == {"Stones thrown at patrol", "Petrol bomb in the north"}
    assert all(not h.missing for h in hits)


async def test_a_crossing_is_found_as_a_checkpoint_and_plates_as_registration(tmp_path):
    drafts = [
        draft("Bomb threat at the line", CLOSED, "a", "2026-11-10"),
        draft("More time to switch", PLATES, "b", "2026-11-10"),
    ]

    assert [h.title for h in await search(tmp_path, drafts, "Merdare crossing closed")] == [
        "Bomb threat at the line"
    ]
    hits = await search(tmp_path, drafts, "plates deadline")
    assert hits[0].title == "More time to switch"


async def test_barricades_removed_finds_roadblocks_dismantled(tmp_path):
    text = "Local Serbs dismantled the last roadblock near Jarinje on Saturday morning."
    drafts = [
        draft("Road open again", text, "a", "2026-11-10"),
        draft("Budget passed", OTHER, "c", "2026-11-12"),
    ]

    hits = await search(tmp_path, drafts, "Jarinje barricades removed")

    assert [(h.title, h.missing) for h in hits] == [("Road open again", ())]


async def test_a_word_finds_its_other_forms(tmp_path):
    text = "Dozens of injuries were treated at the Mitrovica hospital after the riot."
    drafts = [draft("Hospital busy", text, "a", "2026-11-10")]

    assert [h.title for h in await search(tmp_path, drafts, "injury Mitrovica")] == [
        "Hospital busy"
    ]
    assert [h.title for h in await search(tmp_path, drafts, "injured")] == ["Hospital busy"]


async def test_copies_of_one_story_are_one_hit_citing_every_copy(tmp_path):
    drafts = [
        draft("Stones thrown at patrol", WOUNDED, "wire", "2026-11-10"),
        draft("Stones thrown at patrol", WOUNDED, "reprint", "2026-11-20"),
        draft("Petrol bomb in the north", HURT, "b", "2026-11-12"),
    ]

    hits = await search(tmp_path, drafts, "wounded peacekeepers")

    [story] = [h for h in hits if h.title == "Stones thrown at patrol"]
    assert len(hits) == 2
    assert sorted(a.url for a in (story, *story.copies)) == [
        "https://desk.example/reprint",
        "https://desk.example/wire",
    ]
    text = render(search_reply("wounded peacekeepers", hits, FIXED_NOW), "text")
    assert "Stones thrown at patrol (2 sources)" in text
    assert text.count("Stones thrown at patrol") == 1


async def test_one_days_rewrites_of_a_headline_are_one_hit_though_stored_apart(tmp_path):
    drafts = [
        draft(
            "Roadblocks near Jarinje cleared by local Serbs",
            "Lorries parked across the road to Jarinje for ten days were driven away by their "
            "owners at dawn. Traffic to the crossing resumed within the hour.",
            "wire",
            "2026-11-14",
        ),
        draft(
            "Local Serbs have cleared the roadblocks near Jarinje",
            "By breakfast the trucks that had sealed the Jarinje road since early November were "
            "gone, and customs officers reopened their booths, a reporter saw.",
            "rewrite",
            "2026-11-14",
        ),
        draft(
            "Roadblocks near Jarinje cleared by local Serbs",
            "A month after the first clearance, tractors blocking the Jarinje road were pulled "
            "aside by farmers following talks with the mayor.",
            "later",
            "2026-12-14",
        ),
    ]

    drafts.append(
        draft(
            "Queue at the line",
            "Drivers waited four hours at Jarinje behind a roadblock of tractors.",
            "queue",
            "2026-11-20",
        )
    )

    hits = await search(tmp_path, drafts, "Jarinje roadblocks cleared", limit=3)

    # The same headline on another day is another event, and stays its own hit; the place the
    # rewrite leaves goes to a report with most of the words.
    assert sorted(sorted(a.url for a in (h, *h.copies)) for h in hits) == [
        ["https://desk.example/later"],
        ["https://desk.example/queue"],
        ["https://desk.example/rewrite", "https://desk.example/wire"],
    ]


async def test_when_no_report_has_every_word_the_ones_with_most_words_follow_saying_what_they_lack(
    tmp_path,
):
    drafts = [
        draft("Stones thrown at patrol", WOUNDED, "a", "2026-11-10"),
        draft("Petrol bomb in the north", HURT, "b", "2026-11-12"),
        draft("Budget passed", OTHER, "c", "2026-11-12"),
    ]

    hits = await search(tmp_path, drafts, "Zvecan soldiers hospital")

    assert [(h.title, h.missing) for h in hits] == [
        ("Stones thrown at patrol", ()),
        ("Petrol bomb in the north", ("hospital",)),
    ]
    text = render(search_reply("Zvecan soldiers hospital", hits, FIXED_NOW), "text")
    assert "Petrol bomb in the north (without: hospital)" in text


async def test_relevance_comes_first_and_the_newer_of_two_equal_matches_leads(tmp_path):
    # Three reports, none a copy of another (a copy would be cited within its story's hit).
    same = "KFOR engineers repaired the Ibar bridge railings, the mission said."
    drafts = [
        draft(
            "Bridge work",
            "Traffic was diverted through Zubin Potok while welders worked on the old steel. "
            + same,
            "old",
            "2026-10-01",
        ),
        draft(
            "Bridge work",
            "Buses were rerouted via Leposavic town while painters coated the new metal posts. "
            + same,
            "new",
            "2026-11-01",
        ),
        draft(
            "Ibar bridge railings repaired",
            "Engineers finished their work in Mitrovica, the mission said.",
            "title",
            "2025-05-01",
        ),
    ]

    hits = await search(tmp_path, drafts, "Ibar bridge railings")

    # The title match is most relevant, however old; the two equal matches go newest first.
    assert [h.url for h in hits] == [
        "https://desk.example/title",
        "https://desk.example/new",
        "https://desk.example/old",
    ]


async def test_the_snippet_shows_the_query_words_of_a_long_sentence(tmp_path):
    sentence = (
        "In a long statement issued after a meeting of the security council that lasted well "
        "into the night, and after hearing the views of every municipality in the region as "
        "well as those of several embassies, the government in Pristina finally announced that "
        "the Jarinje checkpoint would reopen to lorries at dawn."
    )
    hits = await search(
        tmp_path, [draft("Statement", sentence, "a", "2026-11-10")], "jarinje lorries"
    )

    assert "Jarinje checkpoint would reopen to lorries" in hits[0].snippet
    assert hits[0].snippet.startswith("…")


def test_a_query_is_one_group_per_meaning_and_any_text_stays_plain_words():
    groups = parse('the "plates" AND registration (troops*')

    assert [g.word for g in groups] == ["plates", "troops"]
    assert '"registration"' in all_of(groups)
    assert all_of(parse("of the")) == '"of" AND "the"'
