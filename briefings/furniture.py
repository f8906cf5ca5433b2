"""Rules that tell page furniture (menus, players, captions, credits, footers) from article prose."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from briefings.dates import DATE_MARKER

# A line that ends like a sentence: full stop, question or exclamation mark, ellipsis or closing
# quote, in Latin, Arabic/Urdu, Devanagari and CJK scripts; closing brackets are looked through.
_SENTENCE_END = frozenset(".!?\u2026\"\u201d\u2019'\u00bb\u06d4\u061f\u0964\u3002\uff01\uff1f")
HEADING_MAX_WORDS = 8
LEAD_IN_MIN_WORDS = 4
TITLE_CASE_MAX_WORDS = 20
TITLE_CASE_SHARE = 0.8
CAPTION_MAX_WORDS = 25
SHORT_FURNITURE_MAX_WORDS = 15

# A video or audio player's label: "WATCH: ...", "Video - ...", "LISTEN | ...".
_MEDIA_PREFIX = re.compile(
    r"^(?:watch|video|videos|listen|audio|podcast|gallery|live)(?:\s*[:|]|\s+[\u2013\u2014-]\s)"
    r"\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
# Furniture at the start of a line. One alternation tried once at position 0 (`match`): a line
# of prose is rejected after a few characters instead of being scanned by each rule in turn.
_FURNITURE_START = re.compile(
    "|".join(
        f"(?:{rule})"
        for rule in (
            # player chrome and scripts that did not run
            r"please wait\W*$|loading\W*$",
            r"(?:play|pause|replay|mute|unmute)(?: video| audio)?$",
            # navigation and sharing
            r"skip to\b|jump to\b|back to top\b|(?:share|tweet|email|print) (?:this|on)\b",
            r"share\s*:|copy link$",
            # photo and image credits: a leading label
            r"(?:photo|image|picture|photograph|credit|caption|foto)s?\s*:",
            # rights and sources
            r"copyright\b",
            r"\(?sources?\s*:",
            # blog-engine footers
            r"the post .+ appeared first on\b",
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
    "enable javascript",
    # rights
    "©",
    "all rights reserved",
)
# A photo credit in a trailing parenthesis: "(Photo: Reuters)".
_CREDIT_AT_END = re.compile(
    r"\([^()]*\b(?:photo|image|picture|photograph|credit|foto)s?\s*[:/][^()]*\)\s*$",
    re.IGNORECASE,
)
# re.IGNORECASE also equates dotless and dotted I with "i" and long S with "s"; str.lower() does not.
_REGEX_ONLY_CASES = "\u0131\u0130\u017f"
_REGEX_CASE = str.maketrans(_REGEX_ONLY_CASES, "iis")
# Furniture only on a short line, since a sentence of news may start or run the same way: teasers
# for other stories, agency credits, newsletter and app promotion.
_SHORT_FURNITURE = re.compile(
    r"^(?:read more|read also|also read|also worth reading|related(?: articles| stories| news"
    r"| content| coverage| topics)?|more on this(?: story| topic)?|see also|you may also like"
    r"|recommended(?: for you)?|most read|most popular|trending)\b"
    r"|^\(?(?:with )?(?:additional )?reporting by\b|^\(?(?:writing|editing) by\b"
    r"|^(?:sign up|subscribe)\b|\bnewsletter\b|^follow us\b|^download (?:our|the) app\b",
    re.IGNORECASE,
)
# The outlet describing itself at the foot of the page: "X journalists report ... We provide ...".
_SELF_DESCRIPTION = re.compile(
    r"^\S+(?: \S+){0,3} (?:journalists|reporters|correspondents|editors) (?:report|cover|bring"
    r"|work)\b",
    re.IGNORECASE,
)
_FIRST_PERSON_PLURAL = re.compile(r"\b(?:we|our|us)\b", re.IGNORECASE)


def _word_set(*lines: str) -> frozenset[str]:
    return frozenset(" ".join(lines).split())


# "1: Heading run into the first sentence ..." (paragraph numbering seen in seed 002).
_NUMBERED = re.compile(r"^\d{1,2}:\s+")
# Words after which a capitalised word continues a phrase rather than starting a sentence.
_JOINING_WORDS = _word_set(
    "a an the of in on at to for from by with and or but nor as into onto near over under",
    "between against about after before during amid across among towards toward via per",
    "than that which who whose its their his her our is are was were be been",
)
# Words that commonly open a sentence in news prose.
_OPENERS = _word_set(
    "the a an as in on at after before during while with this that these those it its he",
    "she they we there according following since despite although however meanwhile but",
    "when still today yesterday earlier later",
)
_SMALL_WORDS = _JOINING_WORDS - {"is", "are", "was", "were", "be", "been", "who", "which"}


def strip_date_marker(raw: str) -> str:
    """Drop a leading "date YYYY-MM-DD" marker: it is metadata (read by `dates`), not prose."""
    return DATE_MARKER.sub("", raw, count=1)


def ends_like_sentence(line: str) -> bool:
    """Whether the line ends with sentence punctuation, looking through closing brackets."""
    stripped = line.rstrip(")] ")
    return bool(stripped) and stripped[-1] in _SENTENCE_END


def is_heading(line: str) -> bool:
    """A heading, label or menu item: no closing punctuation and short or in Title Case.

    A clause ending in a colon ("The authors suggest:") introduces what follows and is kept.
    """
    words = line.split()
    if ends_like_sentence(line) or (line.endswith(":") and len(words) >= LEAD_IN_MIN_WORDS):
        return False
    return len(words) < HEADING_MAX_WORDS or (
        len(words) <= TITLE_CASE_MAX_WORDS and _title_case(words)
    )


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
    """A line that is page furniture whatever surrounds it: player, share, credit, footer text."""
    if not any(c.isalpha() for c in line):
        return True
    if _MEDIA_PREFIX.match(line) or _FURNITURE_START.match(line) or _credit_at_end(line):
        return True
    folded = _fold_case(line)
    if any(phrase in folded for phrase in _FURNITURE_PHRASES):
        return True
    # The word count first: it is cheap, and most lines of prose are too long to be furniture.
    return len(line.split()) <= SHORT_FURNITURE_MAX_WORDS and bool(_SHORT_FURNITURE.search(line))


def _credit_at_end(line: str) -> bool:
    """A photo credit in the line's last parenthesis. Only that parenthesis is searched: searched
    from every "(", a long line of "(photo: photo: ..." took time quadratic in its length."""
    stripped = line.rstrip()
    if not stripped.endswith(")"):
        return False
    return _CREDIT_AT_END.search(stripped, stripped.rfind("(")) is not None


def _fold_case(line: str) -> str:
    """`line` in lower case, letter for letter, so a phrase is found in it exactly when a
    case-insensitive regex would find it."""
    if not line.isascii() and any(c in line for c in _REGEX_ONLY_CASES):
        line = line.translate(_REGEX_CASE)
    return line.lower()


_NON_WORD = re.compile(r"\W+")


def _key(text: str) -> str:
    """Text reduced to its words, for spotting repeats that differ only in case or punctuation.

    Every run of non-word characters becomes one space, ends trimmed: the words joined by single
    spaces, without building a string for each word first (this ran for every paragraph).
    """
    return _NON_WORD.sub(" ", text.casefold()).strip(" ")


def _units(lines: Iterable[str]) -> tuple[list[str], set[str]]:
    """Lines grouped into paragraph candidates, furniture lines dropped.

    A blank line ends a paragraph. Within a block, a line that does not end like a sentence runs
    on into the next when it is not a heading, ends with a comma or dash, or the next line starts in
    lower case (hard-wrapped text). Also returns the captions of media players, which pages tend to
    repeat on the following line.
    """
    units: list[str] = []
    echoes: set[str] = set()
    # The paragraph being built, as its lines and its word count: joining and re-reading it for
    # every line that runs on made thousands of such lines quadratic.
    current: list[str] = []
    words = 0
    for line in (*lines, ""):
        media = _MEDIA_PREFIX.match(line)
        if media:
            echoes.add(_key(media.group("rest")))
        if line and is_furniture_line(line):
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

    Every line kept has a letter, so the paragraph ends as its last line does; and one of more
    than TITLE_CASE_MAX_WORDS words is never a heading.
    """
    last = current[-1]
    if ends_like_sentence(last):
        return False
    if line[0].islower() or last[-1] in ",;:\u2013\u2014-":
        return True
    return words > TITLE_CASE_MAX_WORDS or not is_heading(" ".join(current))


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


def article_paragraphs(lines: Sequence[str], title: str | None) -> list[str]:
    """The paragraphs of the article itself, in order.

    Dropped: furniture lines, headings, the title repeated, media-player captions, captions shown
    twice in a row, and a closing paragraph in which the outlet describes itself. A long paragraph
    repeated in a row is kept once. A text of one line that is not furniture is kept whatever its
    shape: a headline-only feed entry is the content, not furniture around it.
    """
    units, echoes = _units(lines)
    title_key = _key(title) if title else None
    keys = [_key(u) for u in units]
    kept: list[str] = []
    for i, unit in enumerate(units):
        second_copy = i > 0 and keys[i - 1] == keys[i]
        first_copy = i + 1 < len(units) and keys[i + 1] == keys[i]
        if second_copy or (first_copy and len(unit.split()) <= CAPTION_MAX_WORDS):
            continue
        if keys[i] == title_key or keys[i] in echoes or is_heading(unit):
            continue
        kept.append(drop_numbered_heading(unit))
    while kept and _is_self_description(kept[-1]):
        kept.pop()
    written = [line for line in lines if line]
    if not kept and len(written) == 1 and not is_furniture_line(written[0]):
        return written
    return kept
