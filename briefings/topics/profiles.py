"""Topic profiles read from TOML, and the scores that say how much a sentence or article is about each."""

from __future__ import annotations

import functools
import math
import re
import tomllib
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from unidecode import unidecode

from briefings.errors import KforError
from briefings.patterns import LazyPattern

DEFAULT_THRESHOLD = 0.4
# A sentence scoring this much states the topic plainly: alone it puts an article on the topic, if
# the article's context (see `TopicProfile.context`) is there too.
DEFAULT_CLEAR = 0.75
# The title is read by everyone who sees the article, so it counts as much as this many sentences.
TITLE_WEIGHT = 2.0
# An article is on a topic when its sentences (and title) add up to at least one confident sentence,
# from at least two sentences or the title plus one, and the topic is not a passing remark in a long text.
MIN_SUPPORT = 1.0
MIN_SENTENCES = 2
MIN_SHARE = 0.03

_NAME = LazyPattern(r"[a-z][a-z0-9_]{0,31}")
_NON_WORD = LazyPattern(r"[^0-9a-z]+")
# Combining marks are kept inside words here and dropped after decomposition.
_WORD = LazyPattern(r"[\w\u0300-\u036f]+")
_MARKS = LazyPattern(r"[\u0300-\u036f]+")
_TOPIC_KEYS = frozenset(
    {
        "title",
        "threshold",
        "clear",
        "clear_requires",
        "requires",
        "exclude",
        "context",
        "own_context",
        "terms",
    }
)

# A needle is a normalised term padded so that a plain substring test is a whole-word match:
# " kosovo force " for a phrase, " peacekeep" (no trailing space) for a prefix term "peacekeep*".
Needle = str
# Every part must be present; a part is satisfied by any one of its needles.
Requirement = tuple[tuple[Needle, ...], ...]


class TopicFileError(KforError):
    """A topics file is missing, is not TOML, or describes a topic the scorer cannot use."""


@dataclass(frozen=True)
class TopicProfile:
    """One topic: its heading and the compiled terms that decide whether a sentence is about it."""

    name: str
    title: str
    terms: tuple[tuple[Needle, float], ...]
    requires: tuple[Requirement, ...] = ()
    exclude: tuple[Needle, ...] = ()
    threshold: float = DEFAULT_THRESHOLD
    # Terms of which the article must hold one (in its title or any sentence) to be on the topic:
    # the place or body the topic is about, so that plates in New York or KFOR the television
    # station stay off. Empty: no such condition.
    context: tuple[Needle, ...] = ()
    clear: float = DEFAULT_CLEAR
    # What one clear sentence must also say, in the shape of `requires` (empty: nothing more).
    clear_requires: tuple[Requirement, ...] = ()
    # Terms that give a clear sentence its context by themselves ("Serbian plates" names the
    # disputed plates): such a sentence needs no other to give it.
    own_context: tuple[Needle, ...] = ()
    _index: _Index = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", _Index.of(self))


# Words are also indexed by their first STEM letters, so most searches for a prefix term or a
# phrase are skipped by one set lookup when the sentence has no word starting that way.
STEM = 4


def _key(needle: Needle) -> str:
    """A single whole word is looked up as the bare word; anything else is searched for as is."""
    word = needle.strip(" ")
    return word if needle.endswith(" ") and " " not in word else needle


def _gate(needle: Needle) -> str | None:
    """The stem a sentence must contain before `needle` is worth searching for (None: always)."""
    first = needle.strip(" ").split(" ")[0]
    whole = " " in needle.strip(" ") or needle.endswith(" ")
    return first[:STEM] if whole or len(first) >= STEM else None


@dataclass(frozen=True)
class _Index:
    """A profile's terms keyed for speed: single words by set intersection, the rest by search."""

    words: frozenset[str]
    # Needles searched for in every sentence (no gate), and the rest keyed by their gate, so the
    # gates a sentence opens are found by one set intersection rather than a test per needle.
    always: tuple[Needle, ...]
    gated: dict[str, tuple[Needle, ...]]
    weights: dict[str, float]
    exclude: frozenset[str]
    requires: tuple[tuple[frozenset[str], ...], ...]
    threshold: float

    @classmethod
    def of(cls, profile: TopicProfile) -> _Index:
        needles = {n for n, _ in profile.terms} | set(profile.exclude)
        needles.update(n for rule in profile.requires for part in rule for n in part)
        keys = {_key(n) for n in needles}
        gated: dict[str, list[Needle]] = {}
        for key in sorted(k for k in keys if k.startswith(" ")):
            gated.setdefault(_gate(key) or "", []).append(key)
        return cls(
            words=frozenset(k for k in keys if not k.startswith(" ")),
            always=tuple(gated.pop("", ())),
            gated={gate: tuple(needles) for gate, needles in gated.items()},
            weights={_key(n): w for n, w in profile.terms},
            exclude=frozenset(_key(n) for n in profile.exclude),
            requires=tuple(
                tuple(frozenset(_key(n) for n in part) for part in rule)
                for rule in profile.requires
            ),
            threshold=profile.threshold,
        )

    def present(self, text: str, words: set[str], stems: set[str]) -> tuple[Needle, ...]:
        """The terms found in `text`, each as a needle (a bare word padded like one): a part of
        `text` that holds none of them scores 0."""
        return (
            *(f" {word} " for word in words & self.words),
            *(needle for needle in self.always if needle in text),
            *(
                needle
                for gate in stems & self.gated.keys()
                for needle in self.gated[gate]
                if needle in text
            ),
        )

    def score(self, text: str, words: set[str], stems: set[str]) -> float:
        """The sentence's score, or 0 below the threshold, with an exclusion or no requirement met."""
        hits = words & self.words
        found = [needle for needle in self.always if needle in text]
        for gate in stems & self.gated.keys():
            found.extend(needle for needle in self.gated[gate] if needle in text)
        # Added in needle order, as before, so `hits` is built exactly as it was.
        hits.update(sorted(found))
        if not hits or not self.exclude.isdisjoint(hits):
            return 0.0
        miss = 1.0
        for key in hits:
            miss *= 1.0 - self.weights.get(key, 0.0)
        score = round(1.0 - miss, 3)
        if score < self.threshold:
            return 0.0
        if self.requires and not any(
            all(not part.isdisjoint(hits) for part in rule) for rule in self.requires
        ):
            return 0.0
        return score


# Derive normalises each sentence twice (scores, then the article's evidence): the second time is
# a dictionary lookup.
@functools.lru_cache(maxsize=4096)
def normalize(text: str) -> str:
    """Lower-case ASCII words separated by single spaces and padded, so needles match whole words.

    Accents are dropped by decomposition, which is cheap; Unidecode is kept for letters that do not
    decompose (đ, ø, Cyrillic), since it is slow and most text never needs it.
    """
    # The words joined, rather than every run between them replaced: most runs are one space.
    words = " ".join(_WORD.findall(text.lower().replace("_", " ")))
    if not words.isascii():
        words = _MARKS.sub("", unicodedata.normalize("NFKD", words))
        if not words.isascii():
            words = _NON_WORD.sub(" ", unidecode(words).lower())
    return f" {words.strip()} "


def score_sentence(sentence: str, profiles: Sequence[TopicProfile]) -> dict[str, float]:
    """Score one sentence against every profile, keeping only the topics it is clearly about.

    The weights of the terms found combine like independent evidence (1 - product of misses), so
    the score stays within 0..1 and each extra term adds less than the one before.
    """
    return _scores(normalize(sentence), profiles)


def score_sentences(
    sentences: Sequence[str], profiles: Sequence[TopicProfile]
) -> tuple[dict[str, float], ...]:
    """`score_sentence` for each sentence of one text, faster.

    Most sentences hold none of a profile's terms, and building each one's word sets cost more
    than the scoring. So the terms are first looked for in the whole text, and a sentence is
    scored against a profile only when one of them is in it. The normalised sentences are joined
    by a line break, which neither they nor a needle can hold, so a needle found in the whole is
    in one sentence.
    """
    texts = [normalize(sentence) for sentence in sentences]
    whole = "\n".join(texts)
    words = set(whole.split())
    stems = {word[:STEM] for word in words}
    found = [(profile, profile._index.present(whole, words, stems)) for profile in profiles]
    found = [(profile, needles) for profile, needles in found if needles]
    return tuple(
        _scores(text, [p for p, needles in found if any(n in text for n in needles)])
        for text in texts
    )


def _scores(text: str, profiles: Sequence[TopicProfile]) -> dict[str, float]:
    """A normalised sentence's scores against these profiles (the ones above 0)."""
    if not profiles:
        return {}
    words = set(text.split())
    stems = {word[:STEM] for word in words}
    scores: dict[str, float] = {}
    for profile in profiles:
        score = profile._index.score(text, words, stems)
        if score:
            scores[profile.name] = score
    return scores


@dataclass(frozen=True)
class Evidence:
    """What an article's text tells about its topics beyond its sentences' scores (see
    `article_evidence`); sentence numbers are indices, -1 is the title."""

    # For each topic with context terms, the sentences that hold one.
    context: Mapping[str, frozenset[int]]
    # For each topic with clear-sentence requirements, the sentences that meet one.
    plain: Mapping[str, frozenset[int]]
    # Sentences that recall an earlier time ("last summer", "years ago").
    background: frozenset[int] = frozenset()
    # For each topic with own-context terms, the sentences that hold one.
    own_context: Mapping[str, frozenset[int]] = field(default_factory=dict)


def article_topics(
    sentence_scores: Sequence[Mapping[str, float]],
    title_scores: Mapping[str, float],
    profiles: Sequence[TopicProfile] = (),
    evidence: Evidence | None = None,
) -> list[str]:
    """The topics an article is about, strongest first.

    A topic needs enough support: sentences (and the title) adding up to one confident sentence,
    from two sentences or the title and one, and more than a passing remark in a long text. Or,
    given `profiles` and `evidence`, one clear sentence: a short item that states its news once
    is on the topic. A clear sentence scores `TopicProfile.clear`, meets `clear_requires`, does
    not recall an earlier time, and the title or another sentence gives the topic's context: a
    Ukraine summit story that thanks KFOR in passing is not KFOR news. With `evidence`, a topic
    whose context is nowhere in the article is off. A body with no sentences is judged by its
    title.
    """
    by_name = {profile.name: profile for profile in profiles}
    support: dict[str, float] = {}
    hits: dict[str, int] = {}
    for scores in sentence_scores:
        for name, score in scores.items():
            support[name] = support.get(name, 0.0) + score
            hits[name] = hits.get(name, 0) + 1
    for name, score in title_scores.items():
        support[name] = support.get(name, 0.0) + TITLE_WEIGHT * score
    room = len(sentence_scores) + TITLE_WEIGHT
    chosen = []
    for name, total in support.items():
        profile = by_name.get(name)
        if evidence is not None and name in evidence.context and not evidence.context[name]:
            continue
        count = hits.get(name, 0)
        enough_sentences = count >= MIN_SENTENCES or (count >= 1 and name in title_scores)
        if not sentence_scores:
            enough_sentences = True
        supported = total >= MIN_SUPPORT and enough_sentences and total / room >= MIN_SHARE
        if supported or (
            profile is not None
            and evidence is not None
            and _clear_sentence(profile, sentence_scores, evidence)
        ):
            chosen.append(name)
    return sorted(chosen, key=lambda name: (-support[name], name))


def _clear_sentence(
    profile: TopicProfile, sentence_scores: Sequence[Mapping[str, float]], evidence: Evidence
) -> bool:
    """Whether one sentence states the topic plainly, with its context given elsewhere or by
    one of its own-context terms."""
    context = evidence.context.get(profile.name)
    plain = evidence.plain.get(profile.name)
    own = evidence.own_context.get(profile.name, frozenset())
    return any(
        scores.get(profile.name, 0.0) >= profile.clear
        and i not in evidence.background
        and (plain is None or i in plain)
        and (context is None or bool(context - {i}) or i in own)
        for i, scores in enumerate(sentence_scores)
    )


# Words that set a sentence back in time: it recalls what happened, it does not report it.
_BACKGROUND = LazyPattern(
    r"\b(?:(?:last|previous|past) (?:year|summer|winter|spring|autumn|decade)"
    r"|(?:a|one|two|three|several|many|\d+) (?:years|decades) ago|first (?:arose|erupted|flared))\b",
    re.IGNORECASE,
)


def article_evidence(
    sentences: Sequence[str],
    title: str,
    profiles: Sequence[TopicProfile],
    scores: Sequence[Mapping[str, float]] | None = None,
) -> Evidence:
    """Context, clear-sentence requirements and background of one article (see `Evidence`).

    A title that holds one of a profile's exclusions (another country's border or plates) puts
    the whole article off that topic. Context terms are first looked for in the whole text, so a
    sentence is tested only for those in it, as in `score_sentences`. Given the sentences'
    `scores`, only topics they hold are examined, and only sentences clear enough.
    """
    texts = [normalize(title), *(normalize(sentence) for sentence in sentences)]
    whole = "\n".join(texts)
    context: dict[str, frozenset[int]] = {}
    plain: dict[str, frozenset[int]] = {}
    own: dict[str, frozenset[int]] = {}
    scored = {name for sentence in scores for name in sentence} if scores is not None else None
    for profile in profiles:
        if scored is not None and profile.name not in scored:
            continue
        if profile.context:
            excluded = any(needle in texts[0] for needle in profile.exclude)
            present = [] if excluded else [n for n in profile.context if n in whole]
            context[profile.name] = frozenset(
                i - 1 for i, text in enumerate(texts) if any(n in text for n in present)
            )
        present = [n for n in profile.own_context if n in whole]
        if present:
            own[profile.name] = frozenset(
                i - 1 for i, text in enumerate(texts) if i and any(n in text for n in present)
            )
        if profile.clear_requires:
            plain[profile.name] = frozenset(
                i - 1
                for i, text in enumerate(texts)
                if i
                and (scores is None or scores[i - 1].get(profile.name, 0.0) >= profile.clear)
                and _meets(text, profile.clear_requires)
            )
    clear = min((p.clear for p in profiles), default=DEFAULT_CLEAR)
    background = frozenset(
        i
        for i, sentence in enumerate(sentences)
        if (scores is None or any(v >= clear for v in scores[i].values()))
        and _BACKGROUND.search(sentence)
    )
    return Evidence(context, plain, background, own)


def _meets(text: str, rules: tuple[Requirement, ...]) -> bool:
    """Whether a normalised text satisfies one of `rules`: every part by one of its needles."""
    return any(all(any(needle in text for needle in part) for part in rule) for rule in rules)


def load_profiles(extra_paths: Sequence[Path] = ()) -> tuple[TopicProfile, ...]:
    """The built-in profiles, then each operator file in order: a topic with a known name replaces it."""
    default = resources.files("briefings.topics").joinpath("default.toml")
    merged = _parse(default.read_text(encoding="utf-8"), "built-in topics")
    for path in extra_paths:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise TopicFileError(f"topics file {path} cannot be read: {exc}") from exc
        merged.update(_parse(text, f"topics file {path}"))
    return tuple(merged.values())


def _parse(text: str, source: str) -> dict[str, TopicProfile]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TopicFileError(f"{source} is not valid TOML: {exc}") from exc
    unknown = sorted(set(data) - {"topics"})
    if unknown:
        raise TopicFileError(
            f"{source}: unknown top-level key {unknown[0]!r}; expected [topics.<name>]"
        )
    topics = data.get("topics")
    if not isinstance(topics, dict) or not topics:
        raise TopicFileError(f"{source}: no topics; add at least one [topics.<name>] table")
    return {
        name: _profile(name, table, f"{source}: topic {name!r}") for name, table in topics.items()
    }


def _profile(name: str, table: Any, where: str) -> TopicProfile:
    if not _NAME.fullmatch(name):
        raise TopicFileError(f"{where}: a name is lower-case letters, digits and _ (at most 32)")
    if not isinstance(table, dict):
        raise TopicFileError(f"{where}: must be a table")
    unknown = sorted(set(table) - _TOPIC_KEYS)
    if unknown:
        raise TopicFileError(f"{where}: unknown key {unknown[0]!r}; allowed: {sorted(_TOPIC_KEYS)}")
    title = table.get("title")
    if not isinstance(title, str) or not title.strip():
        raise TopicFileError(f"{where}: 'title' must be a non-empty string")
    threshold = table.get("threshold", DEFAULT_THRESHOLD)
    if not _is_fraction(threshold):
        raise TopicFileError(f"{where}: 'threshold' must be a number above 0 and at most 1")
    terms = table.get("terms")
    if not isinstance(terms, dict) or not terms:
        raise TopicFileError(f"{where}: 'terms' must be a table of at least one term = weight")
    compiled = []
    for term, weight in terms.items():
        if not _is_fraction(weight):
            raise TopicFileError(f"{where}: term {term!r} needs a weight above 0 and at most 1")
        compiled.append((_needle(term, where), float(weight)))
    clear = table.get("clear", DEFAULT_CLEAR)
    if not _is_fraction(clear):
        raise TopicFileError(f"{where}: 'clear' must be a number above 0 and at most 1")
    return TopicProfile(
        name=name,
        title=title.strip(),
        terms=tuple(compiled),
        requires=tuple(_requirement(rule, where) for rule in _strings(table, "requires", where)),
        exclude=tuple(_needle(term, where) for term in _strings(table, "exclude", where)),
        threshold=float(threshold),
        context=tuple(_needle(term, where) for term in _strings(table, "context", where)),
        clear=float(clear),
        clear_requires=tuple(
            _requirement(rule, where) for rule in _strings(table, "clear_requires", where)
        ),
        own_context=tuple(_needle(term, where) for term in _strings(table, "own_context", where)),
    )


def _is_fraction(value: object) -> bool:
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and 0 < value <= 1
    )


def _strings(table: dict[str, Any], key: str, where: str) -> list[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise TopicFileError(f"{where}: {key!r} must be a list of strings")
    return value


def _requirement(rule: str, where: str) -> Requirement:
    """Parse "a|b + c": every "+" part must be present, any "|" alternative satisfies a part."""
    return tuple(
        tuple(_needle(word, where) for word in part.split("|")) for part in rule.split("+")
    )


def _needle(term: str, where: str) -> Needle:
    prefix = term.strip().endswith("*")
    words = normalize(term.strip().removesuffix("*")).strip()
    if not words or "*" in term.strip()[:-1]:
        raise TopicFileError(
            f"{where}: {term!r} is not a usable term (words, optionally ending in one '*')"
        )
    return f" {words}" if prefix else f" {words} "
