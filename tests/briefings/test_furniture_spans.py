"""Furniture at the span level: stamps, headlines, bylines, captions, credits, datelines, menus."""

from __future__ import annotations

import pytest

from briefings.furniture import is_furniture_line, is_stamp, split_dateline
from briefings.text import clean_article, clean_text

PATROL = "A KFOR patrol came under a hail of stones near the Jarinje crossing on Tuesday evening."
FOLLOW = "The soldiers withdrew after an hour and the road reopened at night."


def test_a_flattened_header_before_the_first_sentence_is_trimmed() -> None:
    page = (
        f"26.11.2026 18:05 Stones hit a patrol near Jarinje Share on X | Copy link "
        f"JARINJE - {PATROL}\n\n{FOLLOW}"
    )
    cleaned = clean_article(page, "Stones hit a patrol near Jarinje")
    assert cleaned.text == f"{PATROL}\n\n{FOLLOW}"
    assert cleaned.dateline == "JARINJE"


def test_header_lines_around_a_plain_text_article_go() -> None:
    page = "\n".join(
        [
            "North Desk | Politics | Security | Economy",
            "Today: 26 November 2026",
            "Stones hit a patrol near Jarinje",
            "By Ana Petrovic, North Desk",
            "Updated: 2 hours ago",
            "Share on X | Copy link",
            PATROL,
            FOLLOW,
            "Source: North Desk, agencies",
        ]
    )
    assert clean_text(page, "Stones hit a patrol near Jarinje") == f"{PATROL}\n\n{FOLLOW}"


@pytest.mark.parametrize(
    "line",
    [
        "Thursday, 26.11.2026.",
        "NEWS 26.11.2026 18:05",
        "3 hours ago",
        "5 min read",
        "Posted: Nov. 26, 2026 / 6:05 PM CET",
        "2026-11-26T18:05+0000",
    ],
)
def test_stamps_are_furniture(line: str) -> None:
    assert is_stamp(line)
    assert is_furniture_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "Poland 250 Austria 160",
        "On 26.11.2026 the mission said it would stay.",
        "Troops have been in Kosovo since 1999.",
    ],
)
def test_figures_and_dates_in_prose_or_tables_are_no_stamp(line: str) -> None:
    assert not is_stamp(line)


@pytest.mark.parametrize(
    "line",
    [
        "By Ana Petrovic, North Desk",
        "Photo: Ana Petrovic",
        "REUTERS/Ana Petrovic",
        "Keystone / Ana Petrovic",
        "AP",
        "Sign-in desk/ap",
        "\u2014 Ana Petrovic (@anapetrovic) November 26, 2026",
        "https://north-desk.example/2026/11/26/stones",
        "setTimeout(function(){ track('view'); }, 4000);",
    ],
)
def test_bylines_credits_links_and_code_are_furniture_lines(line: str) -> None:
    assert is_furniture_line(line)


def test_a_credit_at_the_end_of_a_paragraph_is_trimmed_and_its_sentence_kept() -> None:
    page = (
        f"{PATROL}\n\n"
        "Lorries may cross again from Friday, once customs officers return. (Photo: Agency)"
    )
    assert clean_text(page) == (
        f"{PATROL}\n\nLorries may cross again from Friday, once customs officers return."
    )


def test_an_article_of_one_paragraph_ending_in_a_credit_is_kept() -> None:
    page = f"{PATROL} {FOLLOW} (Photo: Agency)"
    assert clean_text(page) == f"{PATROL} {FOLLOW}"


@pytest.mark.parametrize(
    "caption",
    [
        # a lone sentence closed by a bare credit
        "Soldiers watch the road at the Jarinje crossing. REUTERS/Jane Roe",
        # a line without a full stop above its credit line
        "Soldiers at the Jarinje crossing in 2025\nJane Roe / AFP",
        # written twice, as alternative text and as caption
        "Soldiers load sandbags onto a lorry near the bridge\n"
        "Soldiers load sandbags onto a lorry near the bridge",
    ],
)
def test_a_caption_goes_wherever_it_stands(caption: str) -> None:
    assert clean_text(f"{caption}\n\n{PATROL}\n\n{FOLLOW}") == f"{PATROL}\n\n{FOLLOW}"
    assert clean_text(f"{PATROL}\n\n{caption}\n\n{FOLLOW}") == f"{PATROL}\n\n{FOLLOW}"


@pytest.mark.parametrize(
    "caption",
    [
        # closed by a bracketed credit
        "Soldiers watch the road at the Jarinje crossing. (Photo: Jane Roe/Agency)",
        # closed by the day the picture was taken, set apart by a comma
        "A soldier stands guard at the Brnjak crossing, November 20, 2026",
        "Soldiers patrol near Jarinje, Kosovo, Tuesday, Nov. 20, 2026.",
    ],
)
def test_a_caption_above_the_first_paragraph_goes(caption: str) -> None:
    assert clean_text(f"{caption}\n\n{PATROL}\n\n{FOLLOW}") == f"{PATROL}\n\n{FOLLOW}"


def test_a_one_sentence_paragraph_between_others_keeps_its_sentence_before_a_credit() -> None:
    page = f"{PATROL}\n\nThe crossing reopens on Friday. (Photo: Agency)\n\n{FOLLOW}"
    assert clean_text(page) == f"{PATROL}\n\nThe crossing reopens on Friday.\n\n{FOLLOW}"


@pytest.mark.parametrize(
    "lead",
    [
        "Owners must re-register cars with Serbian plates by Tuesday, December 20, 2026.",
        "Talks on the crossings resume in Brussels on Monday, December 20, 2026",
    ],
)
def test_a_first_sentence_whose_date_a_preposition_brings_in_is_no_caption(lead: str) -> None:
    assert clean_text(f"{lead}\n\n{PATROL}\n\n{FOLLOW}") == f"{lead}\n\n{PATROL}\n\n{FOLLOW}"


def test_prose_keeps_its_last_sentence_when_a_bare_credit_closes_it() -> None:
    page = f"{PATROL}\n\n{FOLLOW} Talks resume on Monday. Photo: Agency"
    assert clean_text(page) == f"{PATROL}\n\n{FOLLOW} Talks resume on Monday."


def test_a_sentence_above_a_caption_that_starts_with_photo_stays() -> None:
    page = f"{PATROL}\n\n{FOLLOW}\n\nPhoto: soldiers at the crossing\n\nTalks resume on Monday."
    assert clean_text(page) == f"{PATROL}\n\n{FOLLOW}\n\nTalks resume on Monday."


def test_a_ticker_of_other_headlines_goes_and_a_bulleted_summary_stays() -> None:
    ticker = (
        "Breaking\n"
        "Floods close the motorway between Pristina and Skopje for a second day\n"
        "Farmers block a road near Peja over milk prices set by the government\n"
        "New stadium in Prizren to open in the spring after two years of works\n"
    )
    summary = (
        "\u2022 Youths threw stones at a patrol near the Jarinje crossing\n"
        "\u2022 Nobody was hurt and the road reopened during the night\n"
        "\u2022 The mission said it would keep patrolling the area as before\n"
    )
    items = summary.strip().replace("\n", "\n\n")
    assert clean_text(f"{ticker}\n{PATROL}\n\n{summary}\n{FOLLOW}") == (
        f"{PATROL}\n\n{items}\n\n{FOLLOW}"
    )


def test_the_comment_section_and_all_after_it_goes() -> None:
    page = (
        f"{PATROL}\n\n{FOLLOW}\n\n(3) comments\n\nWelcome to the discussion.\n\n"
        "Please keep your remarks civil and on the topic of the article at all times."
    )
    assert clean_text(page) == f"{PATROL}\n\n{FOLLOW}"


def test_a_paywall_and_all_after_it_goes() -> None:
    page = (
        f"{PATROL}\n\nTo get full access to every article, see our\nSubscription offer\n"
        "Already have an account? Log in.\n\nThe rest of the story is for subscribers only."
    )
    assert clean_text(page) == PATROL


def test_a_block_of_teasers_that_ends_the_page_goes() -> None:
    page = (
        f"{PATROL}\n\n{FOLLOW}\n\nRelated articles\n\n"
        "Floods close the motorway to Skopje\n\n"
        "The motorway between Pristina and Skopje stayed shut on Thursday after heavy rain.\n\n"
        "Farmers block a road near Peja\n\n"
        "Dozens of tractors blocked the road into the town in a protest over milk prices."
    )
    assert clean_text(page) == f"{PATROL}\n\n{FOLLOW}"


def test_a_related_label_inside_the_article_does_not_take_the_rest_with_it() -> None:
    page = (
        f"{PATROL}\n\nRelated coverage\n\n{FOLLOW}\n\n"
        "Local leaders asked both sides to keep calm, and a meeting was set for Monday at the "
        "municipal building in Zubin Potok."
    )
    assert clean_text(page) == page.replace("Related coverage\n\n", "")


def test_a_script_and_the_widget_after_it_go_but_a_short_last_paragraph_stays() -> None:
    widget = (
        "!function(f,b,e){if(f.fbq)return;n=f.fbq=function(){n.callMethod()};}(window);\n"
        "How useful was this post?\nClick on a star to rate it!\nFollow us on social media!"
    )
    assert clean_text(f"{PATROL}\n\n{FOLLOW}\n\n{widget}") == f"{PATROL}\n\n{FOLLOW}"
    page = f"{PATROL}\n\nPhoto: Agency\n\nTalks resume on Monday."
    assert clean_text(page) == f"{PATROL}\n\nTalks resume on Monday."


def test_the_page_header_above_the_headline_goes() -> None:
    page = (
        "An official news service of the regional government\n"
        "This site uses secure connections only.\n"
        "Home : News : Security\n\n"
        "Stones hit a patrol near Jarinje\n\n"
        f"{PATROL}\n\n{FOLLOW}"
    )
    assert clean_text(page, "Stones hit a patrol near Jarinje") == f"{PATROL}\n\n{FOLLOW}"


def test_the_headline_repeated_between_two_sentences_goes() -> None:
    title = "Stones hit a patrol near Jarinje"
    page = f"{PATROL} {title} {FOLLOW}"
    assert clean_text(page, title) == f"{PATROL} {FOLLOW}"


def test_a_line_of_facts_is_kept_in_a_column_of_labels() -> None:
    page = f"{PATROL}\n\nMission facts\nCommander: Major General Jane Roe\nTotal strength: 4,350"
    assert "Total strength: 4,350" in clean_text(page)


@pytest.mark.parametrize(
    ("paragraph", "dateline"),
    [
        ("JARINJE, Kosovo (Reuters) - Stones hit a patrol.", "JARINJE, Kosovo (Reuters)"),
        ("PRISTINA, Kosovo (AP) \u2014 Stones hit a patrol.", "PRISTINA, Kosovo (AP)"),
        ("MITROVICA Kosovo (Reuters) - Stones hit a patrol.", "MITROVICA Kosovo (Reuters)"),
        ("BELGRADE/PRISTINA (Reuters) - Stones hit a patrol.", "BELGRADE/PRISTINA (Reuters)"),
        ("PRISTINA, Nov 26 (Xinhua) -- Stones hit a patrol.", "PRISTINA, Nov 26 (Xinhua)"),
        ("Belgrade, Nov 26 (EFE).- Stones hit a patrol.", "Belgrade, Nov 26 (EFE)"),
        ("CAMP BONDSTEEL, Kosovo - Stones hit a patrol.", "CAMP BONDSTEEL, Kosovo"),
        ("ZVECAN \u2013 Stones hit a patrol.", "ZVECAN"),
        ("SKOPJE (Balkan Desk / 26 Nov) Stones hit a patrol.", "SKOPJE (Balkan Desk / 26 Nov)"),
    ],
)
def test_a_dateline_is_trimmed_and_kept_as_metadata(paragraph: str, dateline: str) -> None:
    found, rest = split_dateline(paragraph)
    assert found is not None
    assert found.text == dateline
    assert rest == "Stones hit a patrol."


@pytest.mark.parametrize(
    "paragraph",
    [
        "KFOR - the NATO-led mission - said the road was open.",
        "NATO \u2013 which leads the mission \u2013 sent more troops.",
        "Kosovo - a country of 1.8 million - held elections.",
        "The police said - without giving details - that two men were held.",
        "US troops \u2013 some 600 of them \u2013 arrived on Monday.",
    ],
)
def test_a_sentence_with_dashes_is_no_dateline(paragraph: str) -> None:
    assert split_dateline(paragraph) == (None, paragraph)


@pytest.mark.parametrize(
    "page",
    [
        f"26.11.2026 18:05 Stones hit a patrol near Jarinje Share on X | Copy link "
        f"JARINJE - {PATROL}\n\n{FOLLOW}",
        f"{PATROL}\n\nWhat happens next\n\n{FOLLOW}",
        f"BRUSSELS (Agency) - {PATROL} (Photo: Agency)\n\n{FOLLOW}",
    ],
)
def test_clean_text_cleans_to_itself(page: str) -> None:
    once = clean_text(page, "Stones hit a patrol near Jarinje")
    assert clean_text(once, "Stones hit a patrol near Jarinje") == once


@pytest.mark.timeout(60)
@pytest.mark.parametrize(
    "page",
    [
        "'a " * 33_000 + ".",
        "# a" + " " * 50_000 + "b",
        "(a " * 30_000,
        "[1]" * 30_000 + "\n" + "x." * 20_000,
        "a/b " * 20_000 + ". Photo: X",
        "JARINJE " * 20_000 + "- text",
        "http://a.com/" + "a." * 40_000,
    ],
)
def test_cleaning_hostile_text_finishes(page: str) -> None:
    clean_article(page, "a headline")


def test_a_gallery_label_run_into_a_sentence_goes() -> None:
    page = f"{PATROL} more photos {FOLLOW}"
    assert clean_text(page) == f"{PATROL} {FOLLOW}"


def test_a_page_flattened_into_one_line_that_starts_like_navigation_keeps_its_prose() -> None:
    page = (
        f"Jump to content North Desk | Politics | Security Stones hit a patrol. {PATROL} {FOLLOW}"
    )
    assert clean_text(page) == f"{PATROL} {FOLLOW}"


def test_a_one_line_notice_is_still_no_article() -> None:
    notice = "Skip to content Home | News We use cookies. By continuing you agree. Read more"
    assert clean_text(notice) == ""
