"""Rules that tell page furniture (menus, stamps, bylines, captions, credits, footers) from prose.

They judge the shape of text, not its exact words, at three levels:
- a line alone: a player or share bar, a date stamp, a byline, a photo credit, code, a link;
- a line among its neighbours: a caption above its credit, a run of menu items or headlines,
  the comment section or paywall and all after it, a block of teasers that ends the page;
- a span inside a line of prose: the headline and stamps glued before the first sentence, a
  dateline, a credit closing a paragraph, the headline repeated between two sentences.

Every rule leaves its own output alone, so cleaning clean text changes nothing.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from briefings.dates import DATE_MARKER
from briefings.patterns import LazyPattern

# A line that ends like a sentence: full stop, question or exclamation mark, ellipsis or closing
# quote, in Latin, Arabic/Urdu, Devanagari and CJK scripts; closing brackets are looked through.
_SENTENCE_END = frozenset(".!?\u2026\"\u201d\u2019'\u00bb\u06d4\u061f\u0964\u3002\uff01\uff1f")
HEADING_MAX_WORDS = 8
LEAD_IN_MIN_WORDS = 4
TITLE_CASE_MAX_WORDS = 20
TITLE_CASE_SHARE = 0.8
# A caption repeated on the next line (an image's alternative text, then its caption) is at most
# this long; a longer paragraph repeated is kept once.
CAPTION_MAX_WORDS = 35
SHORT_FURNITURE_MAX_WORDS = 15
# Stamps, bylines and credits are short lines.
STAMP_MAX_WORDS = 12
CREDIT_MAX_WORDS = 8
# Headlines and menu items stand in a column: this many lines in a row with no sentence among
# them are a menu, a ticker of other stories or a table of facts about the page.
MENU_MIN_LINES = 3
# Lines at the end of a page after a furniture line are furniture too while they are this short
# (rating widgets, teaser headlines, advertisement labels).
TAIL_MAX_WORDS = 12
TEASER_MAX_WORDS = 20
# The page's header (site name, menus, banners, stamps) above the headline is at most this long.
HEADER_MAX_LINES = 25
HEADER_MAX_CHARS = 1_000
HEADER_LINE_MAX_WORDS = 40
# A caption above the first paragraph (a single sentence closed by a credit or a date) is at most
# this long.
LEAD_CAPTION_MAX_WORDS = 60
# A credit after a caption's last sentence is no longer than this.
BARE_CREDIT_MAX_CHARS = 120
# Stamps and a share bar glued before the first words take no more than this.
LEADING_FURNITURE_MAX_CHARS = 200
# A line longer than this without closing punctuation is a paragraph of its own, not a line of
# hard-wrapped text running on into the next.
WRAPPED_LINE_MAX_CHARS = 100


def _word_set(*lines: str) -> frozenset[str]:
    return frozenset(" ".join(lines).split())


def _alternation(words: Iterable[str]) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=lambda w: (-len(w), w)))


# News agencies and picture libraries, as they sign credits ("REUTERS/Jane Roe", "(AP)").
AGENCIES = _word_set(
    "reuters ap afp getty epa efe anadolu aa xinhua keystone dpa ansa apa tass ria sputnik beta",
    "tanjug fonet pixsell shutterstock alamy zuma imago nurphoto abaca upi belga hina agerpres",
    "stringer str sda kyodo yonhap ani pti",
)
_AGENCY = rf"(?:{_alternation(AGENCIES)})"
_CREDIT_LABEL = r"(?:photo|photograph|image|picture|foto|fotografija|credit|illustration|video)s?"

# A video or audio player's label: "WATCH: ...", "Video - ...", "LISTEN | ...".
_MEDIA_PREFIX = LazyPattern(
    r"^(?:watch|video|videos|listen|audio|podcast|gallery|live)(?:\s*[:|]|\s+[\u2013\u2014-]\s)"
    r"\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
# Furniture at the start of a line. One alternation tried once at position 0 (`match`): a line
# of prose is rejected after a few characters instead of being scanned by each rule in turn.
_FURNITURE_START = LazyPattern(
    "|".join(
        f"(?:{rule})"
        for rule in (
            # player chrome and scripts that did not run
            r"please wait\W*$|loading\W*$",
            r"(?:play|pause|replay|mute|unmute)(?: video| audio)?$",
            # navigation and sharing
            r"skip to\b|jump to\b|back to top\b|(?:share|tweet|email|print) (?:this|on)\b",
            r"share\s*:|copy link$|previous\s+[\"\u201c]|(?:previous|next)(?: article| post| story)?"
            r"\s*[:|\u00bb\u203a>]",
            # photo and image credits: a leading label
            rf"\(?(?:{_CREDIT_LABEL}|captions?)\s*:",
            # rights and sources, in the languages of the region's feeds
            r"copyright\b|cite (?:as|this)\b|how to cite\b|disclaimer(?=\W|[A-Z])",
            r"\(?(?:sources?|izvor|izvori|fonte|fuente|quelle|burimi)\s*(?:e foto\s*)?:",
            # blog-engine footers
            r"the post .+ appeared first on\b",
            # a code snippet of the page
            r"/\*|\*/|\}\)|function\s*\(|var \w+\s*=|window\.|document\.",
        )
    ),
    re.IGNORECASE,
)
# Furniture wherever it appears in the line, compared in lower case (see `_fold_case`): plain
# substring tests, since a case-insensitive regex scan for them costs tens of microseconds a line.
_FURNITURE_PHRASES = (
    # player chrome and scripts that did not run
    "no media source",
    "browser does not support",
    "browser nepodr\u017eava",
    "enable javascript",
    # rights
    "\u00a9",
    "all rights reserved",
    # encyclopedia and archive pages
    "from wikipedia, the free encyclopedia",
    "(redirected from ",
)
# The same, on short lines only (the test is done for them alone, to spare prose the time).
_SHORT_PHRASES = (
    # rating and reaction widgets
    "rate this post",
    "rate this article",
    "click on a star",
    "vote count",
    "no votes so far",
    "found this post useful",
    "was this article helpful",
    "required fields are marked",
    "please complete the required fields",
    # where the rest of a story is
    "for the full story",
    "continue reading on",
    "read the full story",
    "read the full article",
    "in the video player above",
)
# A photo credit in a trailing parenthesis: "(Photo: Reuters)", "(U.S. Army photo by ...)",
# "(BETAPHOTO/JANE ROE)".
_CREDIT_AT_END = LazyPattern(
    rf"[(\[](?:[^()\[\]]{{0,80}}\b{_CREDIT_LABEL}\s*(?:[:/]|by\b)[^()\[\]]{{0,80}}"
    rf"|(?:file |archive |stock )?{_CREDIT_LABEL}"
    rf"|[^()\[\]]{{0,40}}/\s?{_AGENCY}\b[^()\[\]]{{0,20}}|{_AGENCY}(?:\s?/[^()\[\]]{{0,40}})?"
    r"|\w{2,}PHOTO/[^()\[\]]{0,40})[)\]]$",
    re.IGNORECASE,
)
# A credit written after the caption's last full stop, without brackets: "... on Monday.
# Photo: AFP", "... 2019. REUTERS/Jane Roe", "... decision. Keystone / Jane Roe".
_BARE_CREDIT_AT_END = LazyPattern(
    rf"(?:(?<=[.!?\"\u201d\u2019)])\s+|\s+(?=\b{_CREDIT_LABEL}\s*:))"
    rf"(?P<credit>{_CREDIT_LABEL}\s*:\s*\S[^!?]{{0,60}}"
    r"|[A-Z][\w-]*(?: [A-Z][\w-]*){0,2} ?/ ?[A-Za-z]\w*(?:[ -][A-Za-z]\w*){0,3}"
    rf"|/ ?{_AGENCY})$",
    re.IGNORECASE,
)
# A line that is only a credit: an agency, or agency and photographer, or the desk's initials.
_CREDIT_LINE = LazyPattern(
    rf"^\(?(?:{_AGENCY}(?:\s?[/,-]\s?[\w .'-]{{1,40}})?|[\w.'-]{{1,30}}(?: [\w.'-]{{1,30}}){{0,3}}"
    rf"\s?/\s?(?:{_AGENCY}|(?-i:[A-Z]{{2,}}))\b[\w .'-]{{0,40}}|[\w-]{{2,20}}/(?-i:[a-z]{{2,4}})"
    rf"|[\w .,;'-]{{0,40}}\b{_CREDIT_LABEL}\s*(?::|by\b)[^()]{{0,60}})\)?$",
    re.IGNORECASE,
)
# A byline: who wrote it, for whom, sometimes when.
_BYLINE = LazyPattern(
    r"^\(?(?:by|written by|posted by|reported by|words by|text by|von|gepostet von|di|par|por"
    r"|nga|autor|author)\s+\S",
    re.IGNORECASE,
)
# Where the page's comments, paywall or sign-in box begins: nothing after it is the article.
_END_OF_ARTICLE = LazyPattern(
    r"^(?:-\s*)?(?:\(?\d+\)?\s+comments?|comments?\s*\(\d+\)|komentari\s*\(\d+\)|kommentare\s*\(\d+\)"
    r"|leave a (?:comment|reply)|post a comment|add a comment|join the discussion"
    r"|welcome to the discussion|log in to (?:post )?comment|log in to post comments"
    r"|to get full access|already have an account|subscribe to (?:read|continue)"
    r"|this (?:article|content) is (?:only )?(?:for|available to) subscribers"
    r"|how useful was this post)\b",
    re.IGNORECASE,
)
# re.IGNORECASE also equates dotless and dotted I with "i" and long S with "s"; str.lower() does not.
_REGEX_ONLY_CASES = "\u0131\u0130\u017f"
_REGEX_CASE = str.maketrans(_REGEX_ONLY_CASES, "iis")
# Furniture only on a short line, since a sentence of news may start or run the same way: teasers
# for other stories, agency credits, newsletter and app promotion.
_SHORT_FURNITURE = LazyPattern(
    r"^(?:read more|read also|also read|also worth reading|related(?: articles| stories| news"
    r"| content| coverage| topics| posts)?|more on this(?: story| topic)?|see also|you may also like"
    r"|recommended(?: for you)?|most read|most popular|trending|check also|source link|latest news"
    r"|articoli correlati|povezane vijesti|povezane vesti|more from|advertisement)\b|^more\s*$"
    r"|^\(?(?:with )?(?:additional )?reporting by\b|^\(?(?:writing|editing) by\b"
    r"|^(?:sign up|subscribe)\b|\bnewsletter\b|^follow us\b|^download (?:our|the) app\b"
    r"|^this content was published on\b|^(?:published|posted|updated|last updated)\s*:?\s*$",
    re.IGNORECASE,
)
# The outlet describing itself at the foot of the page: "X journalists report ... We provide ...".
_SELF_DESCRIPTION = LazyPattern(
    r"^\S+(?: \S+){0,3} (?:journalists|reporters|correspondents|editors) (?:report|cover|bring"
    r"|work)\b",
    re.IGNORECASE,
)
_FIRST_PERSON_PLURAL = LazyPattern(r"\b(?:we|our|us)\b", re.IGNORECASE)
# A web address or a file or site name, within one word.
_ADDRESS = LazyPattern(r"^(?:https?://|www\.)|\.(?:com|org|net|html?|php|jpe?g|png)(?:/|\W*$)")
_EMBED_LINK = LazyPattern(r" ?\b(?:pic\.twitter\.com|t\.co)/\w+")
# Characters of code; a line of prose holds almost none of them.
_CODE_CHARS = LazyPattern(r"[{}();=<>\[\]@\\|$]")
_BULLET = "\u2022\u00b7\u25aa\u25cf-*\u2013"

# --- stamps: lines of dates, times and their labels ------------------------------------------------

_MONTH_NAMES = _word_set(
    "jan feb mar apr may jun jul aug sep sept oct nov dec january february march april june",
    "july august september october november december",
    # Serbian, Bosnian, Croatian, Albanian, German, Italian, French, Spanish
    "januar februar mart maj juni juli avgust septembar oktobar novembar decembar siječanj",
    "janar shkurt prill qershor korrik gusht shtator tetor nëntor dhjetor märz mai",
    "oktober dezember gennaio febbraio marzo aprile maggio giugno luglio agosto settembre",
    "ottobre dicembre janvier février mars avril juin juillet août septembre octobre novembre",
    "décembre enero febrero abril mayo junio julio septiembre octubre noviembre diciembre",
)
_WEEKDAY_NAMES = _word_set(
    "mon tue tues wed thu thur thurs fri sat sun monday tuesday wednesday thursday friday",
    "saturday sunday ponedeljak utorak sreda srijeda četvrtak petak subota nedelja nedjelja",
    "montag dienstag mittwoch donnerstag freitag samstag sonntag lunedì martedì mercoledì",
    "giovedì venerdì sabato domenica",
)
# Words that label a stamp or make a relative time: "Updated 2 hours ago", "3 min read".
_STAMP_WORDS = _word_set(
    "news published updated last modified posted date time today yesterday ago just now",
    "min mins minute minutes hour hours hr hrs day days week weeks sec secs second seconds read",
    "am pm gmt utc cet cest eet eest bst cdt cst edt est pdt pst msk local access_time archive",
    "on at of the and by am um le el il der die das od u",
)
_DATE_TOKEN = LazyPattern(
    r"\d[\d.:/+-]*(?:st|nd|rd|th|h)?|[tz]?\d{1,2}[.:]\d{2}[\d:.+-]*", re.IGNORECASE
)
_STAMP_TOKEN = LazyPattern(r"[^\W_]+(?:[.:/+-]\d[\d.:/+-]*)?")


def _calendar_word(token: str) -> bool:
    lowered = token.lower().rstrip(".")
    return lowered in _MONTH_NAMES or lowered in _WEEKDAY_NAMES


def is_stamp(line: str) -> bool:
    """A date stamp, a time, a relative time or a reading time, with at most a few label words:
    "NEWS 28.12.2020 09:57", "Updated: 2 hours ago", "Monday, 28.11.2011.", "3 min read".

    It needs a date or a time: a month or weekday name, figures joined by a date or time
    separator, or a relative time; a line of names and bare figures is a table.
    """
    tokens = _STAMP_TOKEN.findall(line)
    if not tokens or len(tokens) > STAMP_MAX_WORDS:
        return False
    figures = [t for t in tokens if _DATE_TOKEN.fullmatch(t)]
    calendar = [t for t in tokens if _calendar_word(t)]
    labels = [t for t in tokens if t.lower() in _STAMP_WORDS]
    relative = any(t.lower() in ("ago", "read", "today", "yesterday") for t in labels)
    dated = calendar or any(_DATE_SEPARATED.search(t) for t in figures)
    if not (dated or relative or (figures and labels and len(tokens) <= 3)):
        return False
    others = len(tokens) - len(figures) - len(calendar) - len(labels)
    return others <= (1 if ends_like_sentence(line) else 3)


_DATE_SEPARATED = LazyPattern(r"\d[./:-]\d|\d{5,}")


# --- single lines ----------------------------------------------------------------------------------


def strip_date_marker(raw: str) -> str:
    """Drop a leading "date YYYY-MM-DD" marker: it is metadata (read by `dates`), not prose."""
    return _DATE_MARKER.sub("", raw, count=1)


# The store's "date" marker, also when only its year and month are known.
_DATE_MARKER = LazyPattern(rf"{DATE_MARKER.pattern}|\A\s*date\s+\d{{4}}-\d{{2}}\b", re.IGNORECASE)


def ends_like_sentence(line: str) -> bool:
    """Whether the line ends with sentence punctuation, looking through closing brackets and
    reference marks ("... in 2009.[5]")."""
    stripped = line.rstrip(")] ")
    if stripped[-1:] not in _SENTENCE_END and line.endswith("]"):
        stripped = _REFERENCE_MARKS.sub("", line[-120:]).rstrip(")] ")
    return bool(stripped) and stripped[-1] in _SENTENCE_END


_REFERENCE_MARKS = LazyPattern(r"(?:\[[^\[\]\s]{1,12}\] ?)+$")


def is_heading(line: str) -> bool:
    """A heading, label or menu item: no closing punctuation and short or in Title Case.

    A clause ending in a colon ("The authors suggest:") introduces what follows and is kept.
    """
    if line.count(" ") >= 2 and ends_like_sentence(line):
        return False
    words = line.split()
    if len(words) < 3 and line[-1:] not in ".!?":
        return not _FACT_LINE.match(line)
    if ends_like_sentence(line) or (line.endswith(":") and len(words) >= LEAD_IN_MIN_WORDS):
        return False
    if _FACT_LINE.match(line):
        return False
    return len(words) < HEADING_MAX_WORDS or (
        len(words) <= TITLE_CASE_MAX_WORDS and _title_case(words)
    )


# A line of a fact box: a label, a colon, a figure ("Total strength: 4,273").
_FACT_LINE = LazyPattern(r"[^:\d]{2,60}:\s?[^\W_]{0,12}\s?\d")
# What a sub-heading is made of: words, and the punctuation of a phrase.
_SUBHEADING = LazyPattern(r"[\w\s'\u2019\"\u201c\u201d\u201e&,:;!?.-]+")


# Words after which a capitalised word continues a phrase rather than starting a sentence.
_JOINING_WORDS = _word_set(
    "a an the of in on at to for from by with and or but nor as into onto near over under",
    "between against about after before during amid across among towards toward via per",
    "than that which who whose its their his her our is are was were be been",
)
_SMALL_WORDS = _JOINING_WORDS - {"is", "are", "was", "were", "be", "been", "who", "which"}


def _title_case(words: Sequence[str]) -> bool:
    significant = [
        letters
        for word in words
        if (letters := "".join(c for c in word if c.isalpha()))
        and letters.lower() not in _SMALL_WORDS
    ]
    if len(significant) < 3:
        return False
    capitalised = sum(1 for word in significant if word[0].isupper())
    return capitalised >= TITLE_CASE_SHARE * len(significant)


def is_furniture_line(line: str) -> bool:
    """A line that is page furniture whatever surrounds it: a player, share bar, stamp, byline,
    credit, code, a bare link, or a footer."""
    if not _LETTER.search(line):
        return True
    if _MEDIA_PREFIX.match(line) or _FURNITURE_START.match(line) or _is_navigation(line):
        return True
    folded = _fold_case(line)
    for phrase in _FURNITURE_PHRASES:
        if phrase in folded:
            return True
    # The word count first: it is cheap, and most lines of prose are too long to be furniture.
    words = line.count(" ") + 1
    if words > SHORT_FURNITURE_MAX_WORDS:
        return _is_code(line) or _is_links(line)
    return (
        any(phrase in folded for phrase in _SHORT_PHRASES)
        or bool(_SHORT_FURNITURE.search(line))
        or is_stamp(line)
        or is_credit(line)
        or _is_byline(line)
        or _is_code(line)
        or _is_links(line)
        or bool(_END_OF_ARTICLE.match(line))
    )


def is_credit(line: str) -> bool:
    """A line that only credits a picture or a story: "Photo: Jane Roe", "REUTERS/Jane Roe",
    "AP", "Keystone-SDA/ac", "Pristina, Kosovo; Photo: European Union"."""
    return (
        len(line.split()) <= CREDIT_MAX_WORDS
        and not line.endswith(":")
        and bool(_CREDIT_LINE.match(line.strip(_BULLET + " ")))
    )


def _is_byline(line: str) -> bool:
    return (
        len(line.split()) <= STAMP_MAX_WORDS
        and not ends_like_sentence(line)
        and bool(_BYLINE.match(line))
    )


def _is_code(line: str) -> bool:
    """A line of script or markup: three kinds of code characters or more, together a tenth of
    the line (a smiley's brackets are one kind)."""
    if "{" not in line and ";" not in line and "=" not in line:
        return False
    code = _CODE_CHARS.findall(line)
    return len(code) >= 4 and len(code) * 10 >= len(line) and len(set(code)) >= 3


def _is_links(line: str) -> bool:
    """A line that is mostly web addresses, or holds two of them (a feed's or a page's markup
    flattened into text), or an embedded post's signature ("— Name (@name) May 1, 2024")."""
    if "/" not in line and "www" not in line and "(@" not in line:
        return False
    if _HANDLE.search(line) and line.count(" ") < SHORT_FURNITURE_MAX_WORDS:
        return True
    links = [word for word in line.split() if _ADDRESS.search(word)]
    addresses = sum(1 for link in links if link.startswith("http"))
    return addresses >= 2 or sum(map(len, links)) * 2 >= len(line.replace(" ", ""))


_HANDLE = LazyPattern(r"\(@\w+\)")
# Navigation arrows and pipes that open or close a line: "| Next story >", "« Previous".
_NAVIGATION_MARKS = "|<>\u00ab\u00bb\u2039\u203a"


def _is_navigation(line: str) -> bool:
    return (line[0] in _NAVIGATION_MARKS or line[-1] in _NAVIGATION_MARKS) and not (
        ends_like_sentence(line)
    )


def _fold_case(line: str) -> str:
    """`line` in lower case, letter for letter, so a phrase is found in it exactly when a
    case-insensitive regex would find it."""
    if not line.isascii() and any(c in line for c in _REGEX_ONLY_CASES):
        line = line.translate(_REGEX_CASE)
    return line.lower()


_NON_WORD = LazyPattern(r"\W+")
_LETTER = LazyPattern(r"[^\W\d_]")


def _key(text: str) -> str:
    """Text reduced to its words, for spotting repeats that differ only in case or punctuation.

    Every run of non-word characters becomes one space, ends trimmed: the words joined by single
    spaces, without building a string for each word first (this ran for every paragraph).
    """
    return _NON_WORD.sub(" ", text.casefold()).strip(" ")


# --- lines among their neighbours ------------------------------------------------------------------


def _column_item(line: str) -> str | None:
    """How a line can stand in a column of headlines or menu items: "bullet" for a bulleted line
    with no closing punctuation, "item" for an unbulleted one that also has no comma or dash to
    run on with, a capital (or figure) first, and is not cut after a small word as hard-wrapped
    prose is; None for a line of prose."""
    if not line or ends_like_sentence(line) or line.count(" ") >= TEASER_MAX_WORDS:
        return None
    if _FACT_LINE.match(line):
        return None
    if line[0] in _BULLET:
        return "bullet"
    if line[-1] in ",;:\u2013\u2014-" or not (line[0].isupper() or line[0].isdigit()):
        return None
    last = line.rsplit(" ", 1)[-1].lower()
    return None if last in _JOINING_WORDS else "item"


def _menus(lines: Sequence[str]) -> set[int]:
    """Lines in runs of MENU_MIN_LINES or more column items (blank lines between do not count).

    A run with bulleted lines is a menu only when half its lines are short: a bulleted summary of
    the story is a list of long lines.
    """
    found: set[int] = set()
    run: list[int] = []
    for i, line in enumerate((*lines, ".")):
        if not line:
            continue
        if _column_item(line) or _caption_in_column(lines, i):
            run.append(i)
            continue
        items = [lines[j] for j in run]
        bulleted = any(_column_item(item) == "bullet" for item in items)
        short = sum(1 for item in items if len(item.split()) < HEADING_MAX_WORDS)
        if len(run) >= MENU_MIN_LINES and (not bulleted or 2 * short >= len(run)):
            found.update(run)
        run = []
    return found


def _caption_in_column(lines: Sequence[str], i: int) -> bool:
    """A short sentence after a column item and before at least MENU_MIN_LINES of them: the
    caption of a fact box (an encyclopedia's infobox)."""
    if not 0 < i < len(lines) or lines[i].count(" ") >= SHORT_FURNITURE_MAX_WORDS:
        return False
    before = [line for line in lines[max(0, i - 2) : i] if line][-1:]
    after = [line for line in lines[i + 1 : i + 1 + 2 * MENU_MIN_LINES] if line][:MENU_MIN_LINES]
    return (
        bool(before)
        and len(after) == MENU_MIN_LINES
        and all(_column_item(line) for line in (*before, *after))
    )


def _header_end(lines: Sequence[str], title_key: str | None) -> int:
    """Where the article starts when the page's header stands above its headline: the headline's
    line, else 0. The header is a few short lines (a paragraph of prose above the headline means
    the headline line is something else)."""
    if not title_key:
        return 0
    for i, line in enumerate(lines[:HEADER_MAX_LINES]):
        if line and _is_title_line(line, title_key):
            above = [above for above in lines[:i] if above]
            short = all(above.count(" ") < HEADER_LINE_MAX_WORDS for above in above)
            return i if short and sum(map(len, above)) <= HEADER_MAX_CHARS else 0
    return 0


def _lead_caption(unit: str, credited: bool) -> bool:
    """A caption above the first paragraph: one sentence (or none) closed by a photo credit or by
    the date the picture was taken."""
    return (
        unit.count(" ") < LEAD_CAPTION_MAX_WORDS
        and _single_sentence(unit)
        and (credited or _ends_with_date(unit))
    )


def _end_of_article(lines: Sequence[str]) -> int:
    """Where the article ends: the first comment, paywall or rating box, else the last line."""
    for i, line in enumerate(lines):
        if line and len(line.split()) <= SHORT_FURNITURE_MAX_WORDS and _END_OF_ARTICLE.match(line):
            return i
    return len(lines)


def _captions(lines: Sequence[str], furniture: set[int]) -> set[int]:
    """Captions: a line without a full stop that a photo credit follows, a lone sentence closed by
    a bare credit, a caption written twice in a row, and a line that opens like a neighbouring
    caption."""
    found: set[int] = set()
    written = [i for i, line in enumerate(lines) if line]
    for before, i in zip([None, *written], written, strict=False):
        line = lines[i]
        # A caption above its credit has no full stop; a sentence of prose may end right above
        # a picture's caption that starts with "Photo:".
        if (
            before is not None
            and _photo_credit(line)
            and _caption_sized(lines[before])
            and not ends_like_sentence(lines[before])
        ):
            found.add(before)
        if _closed_by_bare_credit(line) and _single_sentence(_strip_bare_credit(line)):
            found.add(i)
        doubled = len(line) // 2
        if (
            len(line) > 40
            and line.find(line[:12], 12) >= 0
            and _key(line[:doubled]) == _key(line[doubled:])
        ):
            found.add(i)
    for before, after in itertools.pairwise(written):
        if (before in found) != (after in found) and _opening(lines[before]) == _opening(
            lines[after]
        ):
            found.update((before, after))
    return found - furniture


def _photo_credit(line: str) -> bool:
    """A credit line naming a picture or its photographer ("Photo: X", "AGENCY/Jane Roe"), not
    a story's source ("AP", "Keystone-SDA/ac"), which may follow the last paragraph."""
    return is_credit(line) and (
        bool(_PHOTO_WORD.search(line)) or ("/" in line and not _DESK_SIGN_OFF.match(line))
    )


_PHOTO_WORD = LazyPattern(_CREDIT_LABEL, re.IGNORECASE)


def _caption_sized(line: str) -> bool:
    return (
        0 < len(line.split()) <= CAPTION_MAX_WORDS
        and _single_sentence(line)
        and not is_furniture_line(line)
    )


def _closed_by_bare_credit(line: str) -> bool:
    return line.count(" ") < CAPTION_MAX_WORDS + CREDIT_MAX_WORDS and bool(_bare_credit(line))


def _single_sentence(text: str) -> bool:
    """At most one sentence: no word or figure closed by a full stop, question or exclamation
    mark before a capital inside ("U.S. Army" is one sentence)."""
    return not _SENTENCE_INSIDE.search(text.rstrip(" .!?"))


_SENTENCE_INSIDE = LazyPattern(
    r"(?:[^\W\d_]{2}|\d)[.!?][\"\u201d\u2019)]?\s+[\"\u201c\u2018(]?[A-Z]"
)
# A caption's closing date: ", September 17, 2011" or ", 24 September 2023".
_CLOSING_DATE = LazyPattern(
    r",\s(?:(?P<m1>[^\W\d_]{3,9})\.? \d{1,2},? \d{4}|\d{1,2}\.? (?P<m2>[^\W\d_]{3,9})\.? \d{4})\.?$"
)


def _ends_with_date(text: str) -> bool:
    """Whether a caption's date closes `text`: set apart by a comma after a place, not brought
    in by a preposition ("must re-register by Tuesday, December 20, 2026." is a sentence)."""
    tail = text[-40:]
    found = _CLOSING_DATE.search(tail)
    if not found or not _calendar_word(found.group("m1") or found.group("m2")):
        return False
    before = (text[: len(text) - len(tail) + found.start()]).split()[-2:]
    if before and _calendar_word(before[-1].rstrip(",")):
        before = before[:-1]
    return not before or before[-1].lower() not in _DATE_PREPOSITIONS


# Words that bring a date into a sentence's grammar ("by", "until", "on"), in the feeds' languages.
_DATE_PREPOSITIONS = _word_set(
    "by until till before after on from since through to of as at do od nakon posle poslije pre",
    "prije bis vor nach seit am ab entro dal fino prima dopo deri më nga pas para",
)


def _opening(line: str) -> str:
    return " ".join(_key(line[:OPENING_CHARS]).split()[:8])


OPENING_CHARS = 120


def _is_tail_opener(line: str) -> bool:
    """A line after which a page's last lines are furniture: a "Related" or "More" heading, an
    advertisement label, a news desk's sign-off, code."""
    if _is_code(line):
        return True
    short = line.count(" ") < SHORT_FURNITURE_MAX_WORDS
    return short and bool(_SHORT_FURNITURE.match(line) or _DESK_SIGN_OFF.match(line))


_DESK_SIGN_OFF = LazyPattern(r"^[\w-]{2,20}/(?-i:[a-z]{2,4})$")


def _page_tail(lines: Sequence[str]) -> int:
    """Where the furniture that ends the page begins, else the number of lines.

    The page's last lines are read backwards while they are short, headlines, furniture or
    teasers (a sentence under a headline); the first tail opener among them (see
    `_is_tail_opener`) is where the article ended. A short closing paragraph after a photo
    credit stays: a credit is no opener.
    """
    cut = len(lines)
    for i in range(len(lines) - 1, -1, -1):
        line = lines[i]
        if not line:
            continue
        words = line.count(" ") + 1
        if _is_tail_opener(line):
            cut = i
        elif not (
            words <= TAIL_MAX_WORDS
            or (words <= TEASER_MAX_WORDS and not ends_like_sentence(line))
            or is_furniture_line(line)
            or (words <= TEASER_MAX_WORDS + 10 and _after_headline(lines, i))
        ):
            break
    return cut


def _after_headline(lines: Sequence[str], i: int) -> bool:
    """Whether the line before line i (blank lines skipped) is a headline or a label: a teaser."""
    for j in range(i - 1, -1, -1):
        if lines[j]:
            return not ends_like_sentence(lines[j]) and len(lines[j].split()) <= TEASER_MAX_WORDS
    return False


# --- spans inside a line of prose ------------------------------------------------------------------

# Stamps, relative times and labels glued before the first words of a paragraph.
_LEADING_STAMP = LazyPattern(
    r"(?:(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|\d{4}-\d{2}-\d{2}(?:T[\d:+-]{2,20}Z?)?"
    r"|\d{1,2}:\d{2}(?::\d{2})?(?: ?[ap]\.?m\.?)?|(?:today|yesterday|updated|published|posted) ?:"
    r"|\d{1,3} (?:seconds?|minutes?|mins?|hours?|hrs?|days?) ago)[ :|,\u00b7\u2022-]{0,3})+"
    r"(?=[^\W\d_])",
    re.IGNORECASE,
)
# A share bar run into the text: "Share on X | Copy link", "Share this article".
_SHARE_WORDS = r"(?:share(?: this(?: article| story| page)?| on \w+)?|copy link|tweet|email|print)"
_LEADING_SHARE = LazyPattern(
    rf"{_SHARE_WORDS}(?: ?[|\u00b7\u2022/,] ?{_SHARE_WORDS})* (?=[^\W\d_])", re.IGNORECASE
)
# A tag or section name run into the first word: "kosovoThe Government ...".
_LEADING_TAG = LazyPattern(r"[^\W\dA-Z]{3,20}(?=[A-Z][^\W\dA-Z])")
# A gallery's or player's label run into the next sentence: "... the scene. more photos KFOR ...".
_RUN_IN_LABEL = LazyPattern(
    r"(?:^|(?<=[.!?] ))(?:more photos|more videos|photo gallery|view gallery|see more) (?=[A-Z])",
    re.IGNORECASE,
)
# "From Reuters: " opening a paragraph.
_LEADING_SOURCE = LazyPattern(rf"(?:from|via|according to) {_AGENCY}\s*:\s*", re.IGNORECASE)
# A dateline: a place (a region, a date, an agency in brackets), then a dash, before the first
# sentence: "JARINJE, Kosovo (Reuters) - ", "PRISTINA, June 18 (Xinhua) -- ", "Belgrade, Sep 24
# (EFE).- ". Read by `_dateline`, which checks the place; a caps place with its agency may also
# stand without a dash: "BELGRADE (Sputnik - 3 July) The ...".
_DATELINE_DASH = LazyPattern(r"(?P<head>[^\W\d_][^\n]{1,80}?) ?(?:[-\u2013\u2014]{1,2}|\.-)(?: |$)")
_DATELINE_CAPS = LazyPattern(
    r"(?P<place>[^\W\d_]{3,30}(?:[ /][^\W\d_]{2,30}){0,2}) \((?P<agency>[^()]{2,60})\)"
    r" (?:[-\u2013\u2014]{1,2} )?(?=[^\W\d_])"
)
_AGENCY_IN_BRACKETS = LazyPattern(r"\s*\(([^()]{1,40})\)\.?$")
_DATE_IN_DATELINE = LazyPattern(r"^[^\W\d_]{3,9}\.? \d{1,2}$")
# Capitalised words that open paragraphs before a dash but are organisations, not places.
_NOT_PLACES = _word_set(
    "KFOR NATO EULEX UNMIK OSCE EU UN US USA UK UNHCR UNESCO ROSU KSF IMF AP AFP BBC CNN RFE",
    "UPDATE BREAKING EXCLUSIVE WATCH VIDEO PHOTOS ANALYSIS OPINION EDITORIAL",
)


@dataclass(frozen=True)
class Dateline:
    """Where and through whom a story was filed, as its dateline wrote it."""

    text: str


def split_dateline(paragraph: str) -> tuple[Dateline | None, str]:
    """The dateline opening a paragraph, if any, and the paragraph without it."""
    found = _DATELINE_CAPS.match(paragraph)
    if found and found.group("place").replace("/", "").isupper():
        head = f"{found.group('place')} ({found.group('agency')})"
    else:
        found = _DATELINE_DASH.match(paragraph)
        if not found or not _is_dateline(found.group("head")):
            return None, paragraph
        head = found.group("head")
    return Dateline(head.rstrip(" ,.")), paragraph[found.end() :].lstrip()


def _is_dateline(head: str) -> bool:
    """Whether `head` is a place (in capitals, or named with an agency), then optionally a
    region, a date and an agency in brackets."""
    agency = _AGENCY_IN_BRACKETS.search(head)
    if agency:
        head = head[: agency.start()]
        region = _AGENCY_IN_BRACKETS.search(head)
        if region:
            head = head[: region.start()]
    parts = [p.strip() for p in re.split(r"[,.]\s", head.rstrip(",. ")) if p.strip()]
    if not parts or len(parts) > 3:
        return False
    words = parts[0].split()
    caps = list(itertools.takewhile(_in_capitals, words))
    if len(caps) > 4 or (words and words[0] in _NOT_PLACES):
        return False
    # The place is in capitals ("CAMP BONDSTEEL"), a region may follow it without a comma
    # ("MITROVICA Kosovo"); a place in title case needs an agency ("Belgrade, ... (EFE)").
    place_in_caps = bool(caps)
    if not place_in_caps and not (agency and len(words) <= 3 and words[0][0].isupper()):
        return False
    if not agency and len(parts) == 1 and len(words) == len(caps) == 1:
        letters = words[0].replace("/", "")
        if len(letters) < 4 or words[0] in _NOT_PLACES:
            return False
    rest = words[len(caps) :] if place_in_caps else []
    extra = [" ".join(rest)] if rest else []
    return all(
        len(part.split()) <= 3
        and (part[:1].isupper() or _DATE_IN_DATELINE.match(part) is not None)
        and not ends_like_sentence(part.rstrip("."))
        for part in [*extra, *parts[1:]]
    )


def _in_capitals(word: str) -> bool:
    return word.replace("/", "").replace("-", "").replace(".", "").isupper()


def _strip_leading_furniture(paragraph: str, title_key: str | None) -> str:
    """A paragraph without the stamps, headline, share bar and source label glued before its
    first words (the page's header flattened into one line)."""
    while True:
        before = paragraph
        for pattern in (_LEADING_STAMP, _LEADING_SHARE, _LEADING_TAG):
            found = pattern.match(paragraph[:LEADING_FURNITURE_MAX_CHARS])
            if found and found.end() < len(paragraph):
                paragraph = paragraph[found.end() :]
        if title_key:
            paragraph = _strip_title(paragraph, title_key)
        if paragraph == before:
            return paragraph


def _strip_title(paragraph: str, title_key: str) -> str:
    """The paragraph without the headline opening it, when more text follows in a new sentence."""
    words = paragraph.split(" ")
    key = ""
    for i, word in enumerate(words[:60]):
        key = f"{key} {_key(word)}".strip() if _key(word) else key
        if key == title_key:
            rest = " ".join(words[i + 1 :])
            return rest if rest[:1].isupper() or rest[:1] in '"\u201c\u201e' else paragraph
        if not title_key.startswith(key):
            return paragraph
    return paragraph


def _strip_inline_title(paragraph: str, title: str | None) -> str:
    """The paragraph without its headline repeated between two of its sentences."""
    if not title or len(title.split()) < LEAD_IN_MIN_WORDS or title not in paragraph:
        return paragraph
    at = paragraph.find(title)
    before, after = paragraph[:at], paragraph[at + len(title) :]
    if ends_like_sentence(before.rstrip()) and after[:1] == " " and after[1:2].isupper():
        return before + after[1:]
    return paragraph


def _strip_trailing_credit(paragraph: str) -> str | None:
    """The paragraph without a bracketed credit at its end; None when what is left is only a
    caption (no sentence)."""
    found = _CREDIT_AT_END.search(paragraph) if paragraph[-1:] in ")]" else None
    if not found:
        return paragraph
    rest = paragraph[: found.start()].rstrip()
    if not ends_like_sentence(rest) and len(rest.split()) <= CAPTION_MAX_WORDS:
        return None
    return rest


def _strip_bare_credit(paragraph: str) -> str:
    """The paragraph without a credit written after its last sentence ("... said. Photo: AFP")."""
    found = _bare_credit(paragraph)
    return paragraph[: found.start()].rstrip() if found else paragraph


def _bare_credit(text: str) -> re.Match[str] | None:
    """Where a bare credit closes `text`: looked for in its last characters only, since a
    credit is short."""
    start = max(0, len(text) - BARE_CREDIT_MAX_CHARS)
    if text.find("/", start) < 0 and text.find(":", start) < 0:
        return None
    return _BARE_CREDIT_AT_END.search(text, start)


# --- whole articles --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Article:
    """The article's own paragraphs, and its dateline when one opened it."""

    paragraphs: list[str]
    dateline: Dateline | None = None


# "1: Heading run into the first sentence ..." (paragraph numbering seen in seed 002).
_NUMBERED = LazyPattern(r"^\d{1,2}:\s+")
# Words that commonly open a sentence in news prose.
_OPENERS = _word_set(
    "the a an as in on at after before during while with this that these those it its he",
    "she they we there according following since despite although however meanwhile but",
    "when still today yesterday earlier later",
)


def _units(lines: Iterable[str], furniture: set[int]) -> tuple[list[str], set[str]]:
    """Lines grouped into paragraph candidates, furniture lines dropped.

    A blank line ends a paragraph. Within a block, a line that does not end like a sentence runs
    on into the next when the next starts in lower case, it ends with a comma or dash, or it is
    short hard-wrapped text rather than a heading. Also returns the captions of media players,
    which pages tend to repeat on the following line.
    """
    units: list[str] = []
    echoes: set[str] = set()
    # The paragraph being built, as its lines and its word count: joining and re-reading it for
    # every line that runs on made thousands of such lines quadratic.
    current: list[str] = []
    words = 0
    for i, line in enumerate((*lines, "")):
        media = _MEDIA_PREFIX.match(line)
        if media:
            echoes.add(_key(media.group("rest")))
        if i in furniture:
            continue
        if current and line and _runs_on(current, words, line):
            current.append(line)
            words += len(line.split())
            continue
        if current:
            units.append(" ".join(current))
        current, words = ([line], len(line.split())) if line else ([], 0)
    return units, echoes


def _runs_on(current: list[str], words: int, line: str) -> bool:
    """Whether `line` continues the paragraph of lines `current` (`words` words so far).

    The paragraph ends as its last line does, and one of more than TITLE_CASE_MAX_WORDS words is
    never a heading, so a long paragraph is neither joined nor read again for each line.
    """
    last = current[-1]
    if ends_like_sentence(last) or line == last or line[0] in _BULLET:
        return False
    if line[0].islower() or last[-1] in ",;:\u2013\u2014-":
        return True
    heading = words <= TITLE_CASE_MAX_WORDS and is_heading(" ".join(current))
    return not heading and len(last) <= WRAPPED_LINE_MAX_CHARS


def drop_numbered_heading(paragraph: str) -> str:
    """Strip "N: " numbering and the heading run into the first sentence after it.

    Only for numbered paragraphs. The heading ends before a capitalised word that follows a word
    which does not join phrases ("... clashes in Kosovo As a response ..."), and that word either
    commonly opens a sentence or repeats a heading word ("... mission in Kosovo KFOR's mission
    is ..."). When no such point exists the text after the number is kept whole.
    """
    numbered = _NUMBERED.match(paragraph)
    if not numbered:
        return paragraph
    words = paragraph[numbered.end() :].split()
    for i in range(2, min(len(words) - 3, 16)):
        if words[i - 1][-1:] in ",;:.!?":
            break
        word = _key(words[i])
        if not words[i][:1].isupper() or words[i - 1].lower() in _JOINING_WORDS:
            continue
        heading = words[:i]
        repeated = word in {_key(w) for w in heading}
        if (word in _OPENERS or repeated) and any(w[:1].islower() for w in heading):
            return " ".join(words[i:])
    return " ".join(words)


def _is_self_description(paragraph: str) -> bool:
    return bool(_SELF_DESCRIPTION.match(paragraph) and _FIRST_PERSON_PLURAL.search(paragraph))


def _is_title_line(line: str, title_key: str | None) -> bool:
    """The headline, alone or with the site's name after a separator ("Headline | Site")."""
    if not title_key or not 0.5 * len(title_key) <= len(line) <= 2 * len(title_key) + 40:
        return False
    key = _key(line)
    if key == title_key:
        return True
    if not key.startswith(title_key):
        return False
    for separator in (" | ", " - ", " \u2013 ", " \u2014 "):
        head, _, tail = line.partition(separator)
        if tail and _key(head) == title_key and len(tail.split()) <= 4:
            return True
    return False


def article(lines: Sequence[str], title: str | None) -> Article:
    """The paragraphs of the article itself, in order, and its dateline.

    Dropped: everything from the comment section or paywall on; the run of furniture, teasers
    and advertisements that ends a page; furniture lines, menus and tickers, captions and their
    credits, headings, the headline repeated (alone, with the site's name, or run into a
    paragraph), media-player captions, captions shown twice in a row, and a closing paragraph in
    which the outlet describes itself. Trimmed: stamps, share bars and the headline glued before
    the first words, the dateline, a credit closing a paragraph. A long paragraph repeated in a
    row is kept once. A text of one line that is not furniture is kept whatever its shape: a
    headline-only feed entry is the content, not furniture around it.
    """
    lines = list(lines[: _end_of_article(lines)])
    del lines[_page_tail(lines) :]
    title_key = _key(title) if title else None
    furniture = set(range(_header_end(lines, title_key)))
    furniture |= {i for i, line in enumerate(lines) if line and is_furniture_line(line)}
    furniture |= {i for i, line in enumerate(lines) if line and _is_title_line(line, title_key)}
    furniture |= _menus(lines)
    furniture |= _captions(lines, furniture)
    units, echoes = _units(lines, furniture)
    # Whether each unit says the same words as the next: each pair is compared once.
    repeated = [_same_text(a, b) for a, b in itertools.pairwise(units)]
    kept: list[str] = []
    # Whether every unit from here to the end is a heading.
    headings_to_end = list(itertools.accumulate(map(is_heading, reversed(units)), _and))[::-1]
    dateline = None
    for i, unit in enumerate(units):
        source = _LEADING_SOURCE.match(unit)
        if source:
            unit = unit[source.end() :]
        if not kept:
            unit = _strip_leading_furniture(unit, title_key)
        if len(kept) < 2 and dateline is None:
            dateline, unit = split_dateline(unit)
        if "t.co/" in unit or "pic.twitter" in unit:
            unit = _EMBED_LINK.sub("", unit)
        untrimmed = _strip_bare_credit(unit)
        trimmed = _strip_trailing_credit(untrimmed)
        if not trimmed:
            continue
        credited = len(trimmed) < len(untrimmed)
        if not kept and i + 1 < len(units) and _lead_caption(trimmed, credited):
            continue
        unit = _strip_inline_title(trimmed, title)
        if "more " in unit or "gallery" in unit:
            unit = _RUN_IN_LABEL.sub("", unit)
        second_copy = i > 0 and repeated[i - 1]
        first_copy = i + 1 < len(units) and repeated[i]
        if second_copy or (first_copy and len(unit.split()) <= CAPTION_MAX_WORDS):
            continue
        short = title is not None and len(unit) <= 2 * len(title) + 40
        if (short or echoes) and _key(unit) in (title_key, *echoes):
            continue
        if is_heading(unit):
            # A sub-heading between paragraphs of prose is the article's structure, kept as a
            # paragraph of its own (derive does not take it for a sentence).
            later_prose = i + 1 < len(units) and not headings_to_end[i + 1]
            if kept and later_prose and _subheading_shaped(unit):
                kept.append(unit)
            continue
        kept.append(drop_numbered_heading(unit))
    while kept and _is_self_description(kept[-1]):
        kept.pop()
    written = [line for line in lines if line]
    if not kept and len(written) == 1:
        line = written[0]
        return Article([line] if not is_furniture_line(line) else _run_on_prose(line))
    return Article(kept, dateline)


def _run_on_prose(line: str) -> list[str]:
    """The sentences of a whole page flattened into one line that are no furniture: the line
    starts like navigation ("Jump to content") or holds a notice, but its prose is the article.
    Empty when no sentence is left, or when the line holds too few sentences to be a page."""
    sentences = _SENTENCE_BREAK.split(line)
    if len(sentences) < RUN_ON_MIN_SENTENCES:
        return []
    prose = [
        s for s in sentences if s.count(" ") >= RUN_ON_MIN_WORDS - 1 and not is_furniture_line(s)
    ]
    return [" ".join(prose)] if prose else []


# A line of this many sentences or more is a flattened page, not one line of furniture; of its
# sentences, those of fewer words are a notice's or a menu's.
RUN_ON_MIN_SENTENCES = 3
RUN_ON_MIN_WORDS = 6
_SENTENCE_BREAK = LazyPattern(r"(?<=[^\W\d_]{2}[.!?])\s+(?=[\"\u201c\u2018(]?[A-Z])")


def _same_text(a: str, b: str) -> bool:
    """Whether two units say the same words (their lengths are compared first, which is cheap)."""
    return (
        abs(len(a) - len(b)) <= 10 + len(a) // 10
        and _key(a[-40:]) == _key(b[-40:])
        and _key(a[:OPENING_CHARS]) == _key(b[:OPENING_CHARS])
        and _key(a) == _key(b)
    )


def _and(a: bool, b: bool) -> bool:
    return a and b


def _subheading_shaped(line: str) -> bool:
    """Words with at least one capital, and no brackets, links or bare figures: "Peace park",
    not "undefined", "[edit]" or "Slideshow ( 3 images )"."""
    return (
        line.count(" ") < HEADING_MAX_WORDS + 2
        and any(c.isupper() for c in line)
        and bool(_SUBHEADING.fullmatch(line))
        and not is_furniture_line(line)
    )


def article_paragraphs(lines: Sequence[str], title: str | None) -> list[str]:
    """The paragraphs of the article itself, in order (see `article`)."""
    return article(lines, title).paragraphs
