"""Which language a sentence is written in, told by its script and its commonest words.

Topics and facts are read by English rules (with the region's place names and a few of its words),
so a reply marks any point in another language rather than pass it off as English. A sentence
with too few telling words counts as English: names and figures read the same in any language.
"""

from __future__ import annotations

from briefings.patterns import LazyPattern


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that nearly every English sentence of news holds one of.
_ENGLISH = _words(
    """the an of to and is was were are on for with at by from that it has have had be been as
    this will would could should might can also not but their they he she we his her its there
    who what when which more than into about over after before said says added told him them
    you your our under while during because if or so"""
)
# The languages of the region's and the wires' feeds, by frequent short words; a word two of them
# share (Italian and Spanish "una") is left out of both.
_COMMON_WORDS = {
    "sr": "je su se da od za sa koji koja koje iz nije ce će kao ali bio bila bilo prema kod već vec"
    " još jos na u i tom ili",
    "sq": "të te në ne dhe një nje për per nga që qe është eshte janë jane tha ka",
    "de": "der die das und ist nicht ein eine den dem des mit von zu auf für sich auch wurde sind"
    " nach bei aus am war",
    "it": "il di che è gli della del delle dei per sono nel nella alla ha non",
    "fr": "le les des et est du que qui pour dans pas sur au avec ont",
    "es": "el los las y que en por con para del es fue como más",
    "pt": "os um uma do da dos das para com não por é no na ao em",
    "ro": "și si în este care pentru din cu pe fost această au",
}
NAMES = {
    "en": "English",
    "sr": "Serbian, Bosnian or Croatian",
    "sq": "Albanian",
    "de": "German",
    "it": "Italian",
    "fr": "French",
    "es": "Spanish",
    "pt": "Portuguese",
    "ro": "Romanian",
    "cyrl": "a language in Cyrillic script",
    "ar": "Arabic",
    "xx": "a language other than English",
}
_WORDS = {
    word: language
    for language, words in _COMMON_WORDS.items()
    for word in words.split()
    if sum(word in other.split() for other in _COMMON_WORDS.values()) == 1
}
_TOKEN = LazyPattern(r"[^\W\d_]+")
_CYRILLIC = LazyPattern(r"[\u0400-\u04ff]")
_ARABIC = LazyPattern(r"[\u0600-\u06ff]")
# A sentence of this many words with no English word at all is in another language.
NO_ENGLISH_WORDS = 6


def language_of(text: str) -> str:
    """The language code of `text`: "en" when it reads as English or cannot be told (a name or
    a figure reads the same in any language), "xx" when it is not English but its language is
    not one of those known here."""
    words = _TOKEN.findall(text.lower())
    if not words:
        return "en"
    letters = sum(map(len, words))
    if len(_CYRILLIC.findall(text)) * 2 > letters:
        return "cyrl"
    if len(_ARABIC.findall(text)) * 2 > letters:
        return "ar"
    english = sum(1 for word in words if word in _ENGLISH)
    counts: dict[str, int] = {}
    for word in words:
        language = _WORDS.get(word)
        if language:
            counts[language] = counts.get(language, 0) + 1
    best = max(counts, key=counts.__getitem__, default=None)
    if best is not None and counts[best] > english:
        return best
    # Letters English does not write ("în", "operações") in more words than English ones.
    marked = sum(1 for word in words if not word.isascii())
    if (english == 0 and len(words) >= NO_ENGLISH_WORDS) or (marked >= 2 and marked > english):
        return best or "xx"
    return "en"


def name_of(code: str) -> str:
    """How a reply names the language."""
    return NAMES.get(code, code)
