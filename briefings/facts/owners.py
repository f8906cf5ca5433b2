"""Whose troops a number counts: the mission's, one nation's contingent, or someone else's.

The owner is read from the counted noun phrase first ("5,000 KFOR members", "350 Turkish
soldiers", "1,500 Serbian soldiers"), then from what follows it ("troops from the NATO-led Kosovo
Force", "troops stationed across Europe", "soldiers from Germany"), then from the force named last
before it in its clause ("KFOR consists of 3,500 soldiers", "the Pentagon has 90,000 troops",
"NATO's new brigade in Estonia will count 6,000"), and last from what the figure is for ("sending
100 troops to bolster NATO's force in Kosovo"). A clause ends at a semicolon, a bar, a spaced dash and quotation marks, and
at ", and" / ", while": another statement's force never owns a number.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefings.facts import words
from briefings.facts.sentence import NEAR, Sentence
from briefings.patterns import LazyPattern

MISSION = "KFOR"
NATIONAL = "national"
OTHER = "other"
UNKNOWN = ""

# Capitalised words that are no nation: a headline capitalises every word.
_GENERIC = frozenset(
    {
        "international",
        "multinational",
        "foreign",
        "allied",
        "alliance",
        "peacekeeping",
        "military",
        "additional",
        "extra",
        "more",
        "further",
        "fresh",
        "new",
        "combat",
        "active",
        "armed",
        "ground",
        "special",
        "elite",
        "reserve",
        "regular",
        "troop",
        "service",
        "citizen",
        "the",
        "its",
        "their",
        "our",
        "his",
        "her",
        "and",
        "of",
        "de",
        "di",
        "del",
        "della",
        "la",
        "le",
        "el",
    }
)
# Adjectives of nationality written in lower case (Romance, Slavic and German languages).
_NATIONAL_LOWER = LazyPattern(
    r"(?i:^(?:italian[oiae]|turc[hio]{1,2}|britannic[oiae]|american[oiae]|tedesc?h?[io]|"
    r"frances[ei]|svizzer[oiae]|ungheres[ei]|rumen[oiae]|polacc?h?[io]|austriac[oi]|"
    r"brit[áa]nic[oa]s|estadounidenses|alemanes|franceses|suizos|h[úu]ngaros|rumanos|polacos|"
    r"turcos|italianos|brit[âa]nicos|americanos|"
    r"\w+(?:skih|[čc]kih|[šs]kih|ski|[čc]ki|ske|[čc]ke)|"
    r"\w+ische[nrs]?|britannique\w*|am[ée]ricain\w*|fran[çc]ais\w*|allemand\w*|turc|turcs|"
    r"rom[âa]ni|britanici|americani|turci|germani|italieni|maghiari|polonezi)$)"
)
_PARTY = LazyPattern(
    r"(?i:^(?:serb|serbs|serbian|serbia's|kosovo|kosovar|kosovo's|kosovan|russian|albanian|"
    r"srpsk\w*|kosovsk\w*|ruski\w*|albansk\w*|serbi\w*|kosovar\w*)$)"
)
# Between the counted noun and a name of the mission after it: "troops from the NATO-led",
# "membri della forza di pace", "personnel in the".
_TOWARDS = LazyPattern(
    r"(?i:\s*(?:\(\s*)?(?:(?:from|of|in|with|into|to|within|under|for|on|serving\s+(?:in|with|on)|"
    r"assigned\s+to|(?:deployed|stationed|based)\s+(?:in|with)|della|del|dello|dei|di|de\s+la|"
    r"de|dell[ao'\u2019]|des|der|iz|u\s+sastavu|u|na|en|nel(?:la)?|im|bei|din|la|da|a)\s+)?"
    r"(?:(?:the|la|il|el|a|den|die|das|o|l['\u2019])\s*)?(?:[\w'\u2019-]+\s+){0,3})"
)
_FROM_NATION = LazyPattern(
    r"\s+from\s+(?:the\s+)?(?-i:[A-Z])(?!\w*\s+(?:countries|nations|states))"
)
_FROM_COUNTRIES = LazyPattern(r"(?i:\s+from\s+(?:\w+\s+)?\d)")


@dataclass(frozen=True)
class Owner:
    """Whose troops: MISSION, NATIONAL (one nation's, part of the mission or not), OTHER or UNKNOWN;
    `how` says which rule decided, for the reader of an export."""

    who: str
    how: str


def troop_owner(s: Sentence, head: int, mods: str, noun_end: int, *, context: bool) -> Owner:
    """Whose troops the number at `head` counts, its noun phrase being `mods` + a troop noun that
    ends at `noun_end` (`mods` is empty and `noun_end` the number's end when it has no noun).

    `context`: the article names the mission elsewhere, so generic troops in Kosovo are its.
    """
    inside = _owner_inside(mods)
    if inside is not None:
        return inside
    after_end = min(s.window_after(noun_end), noun_end + 60)
    mission_after = s.named.first_after(noun_end, after_end)
    other_after = s.others.first_after(noun_end, after_end)
    if (
        mission_after
        and _TOWARDS.fullmatch(s.text, noun_end, mission_after[0])
        and (other_after is None or other_after[0] > mission_after[0])
    ):
        return Owner(MISSION, "the mission named after the figure")
    if other_after and other_after[0] - noun_end <= NEAR:
        return Owner(OTHER, "another force or place named after the figure")
    if _FROM_NATION.match(s.text, noun_end) and not _FROM_COUNTRIES.match(s.text, noun_end):
        return Owner(NATIONAL, "from one country")
    lowest = s.window_before(head)
    mission_before = s.mission.last_before(head, lowest)
    other_before = s.others.last_before(head, lowest)
    if other_before and (mission_before is None or other_before[0] > mission_before[0]):
        return Owner(OTHER, "another force or place named before the figure")
    if mission_before:
        return Owner(MISSION, "the mission named before the figure")
    if s.peace.last_before(head, lowest):
        return Owner(MISSION, "peacekeeping named before the figure")
    if mission_after and (other_after is None or other_after[0] > mission_after[0]):
        return Owner(MISSION, "the mission named later in the clause")
    if other_after:
        return Owner(OTHER, "another force or place named later in the clause")
    if context and s.country.any_in(lowest, after_end):
        return Owner(MISSION, "troops in Kosovo, in an article about the mission")
    return Owner(UNKNOWN, "no force named")


def _owner_inside(mods: str) -> Owner | None:
    """The owner the words between the number and its noun give: "KFOR", "Turkish", "Serbian"."""
    if not mods.strip():
        return None
    if words.MISSION.search(mods):
        return Owner(MISSION, "the mission named in the noun phrase")
    if words.OTHER_FORCE.search(mods):
        return Owner(OTHER, "another force named in the noun phrase")
    for token in mods.split():
        bare = token.strip(".,'\u2019()")
        if not bare or bare.lower() in _GENERIC:
            continue
        if _PARTY.match(bare):
            return Owner(OTHER, "a party's force named in the noun phrase")
        if bare[0].isupper() or _NATIONAL_LOWER.match(bare):
            return Owner(NATIONAL, "a nation named in the noun phrase")
    return None


def national_mods(mods: str) -> bool:
    """Whether the noun phrase names a nation ("Romanian troops", "britanskih vojnika")."""
    found = _owner_inside(mods)
    return found is not None and found.who == NATIONAL
