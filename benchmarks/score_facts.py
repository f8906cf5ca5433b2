"""Fact extraction scored against the labelled real-article set: precision and recall per kind.

Usage: python benchmarks/score_facts.py [--details] [--write]

The set (../shared/fixtures/real-articles, see its README) is served as one RSS feed the way real
sites publish it, read by the product's feed parser and derived article by article, exactly as
`kfor-bot ingest` would. A fact counts as found when the product would show it: its article
carries a topic, and (for troop figures and injuries) KFOR owns it. It is correct when the same
article has a gold fact of its kind and value (each gold fact matches once).

Left out of precision, because the set's labelling rules do not label them either way (see the
README): numbers written in words that do not open their sentence, injuries of anyone but KFOR,
deaths in a sentence giving more than one death toll, and troop figures dated by their own
sentence to an earlier year (history, shown with that date, never as today's figure).

Also counted: troop figures the product would show from articles the set calls off-topic, troop
figures it gives KFOR that the set does not (another force's, a contingent's, a population), and
numbers that are a clock time, a year or a day of a date read as a count.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `python benchmarks/score_facts.py` from a checkout
    sys.path.insert(0, str(ROOT))

from benchmarks import devset  # noqa: E402
from briefings.derive import DerivedArticle, EmptyArticle, derive  # noqa: E402
from briefings.ingest.feeds import parse_feed  # noqa: E402
from briefings.models import Fact  # noqa: E402
from briefings.numbers import NumberMatch, find_numbers  # noqa: E402
from briefings.topics import load_profiles  # noqa: E402

QUALITY_MD = Path(__file__).resolve().parent / "QUALITY.md"
SECTION_START = "<!-- score_facts: start -->"
SECTION_END = "<!-- score_facts: end -->"
KINDS = ("kfor_troops", "troop_increase", "countries", "injured", "killed", "deadline")
TROOP_KINDS = ("kfor_troops", "troop_increase")
TARGET_RECALL = 0.90
TARGET_PRECISION = 0.97
FETCHED_AT = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
# The same score of the product before figures had owners (commit fbec3ef, no topic gate), kept
# in the written section for comparison.
BASELINE = (
    "Before owners and the topic gate (fbec3ef): recall 32.9% (25/76), precision 80.6% (25/31), "
    "3 troop figures from off-topic articles (UNIFIL, an Estonia deployment), 1 given to KFOR "
    "that was not its own."
)
_CLOCK_NEAR = re.compile(r"\d\s*[:.h]\s*$|^\s*[:.h]\s*\d\d")
_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"(?:jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?)"
)
_MONTH_NEAR = re.compile(
    rf"(?i:\b{_MONTH}\s*(?:\d\d?\s*,\s*)?$|^(?:st|nd|rd|th)?\.?\s*(?:of\s+)?{_MONTH}(?!\w))"
)
_OPENING = re.compile(r"[\W_]*")


@dataclass
class Tally:
    """One kind's counts: gold facts, facts found, correct ones, and what was missed or wrong."""

    gold: int = 0
    found: int = 0
    correct: int = 0
    unlabelled: int = 0
    repeats: int = 0
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    def recall(self) -> float:
        return self.correct / self.gold if self.gold else 1.0

    def precision(self) -> float:
        return self.correct / self.found if self.found else 1.0


@dataclass
class Score:
    """Every kind's tally and the three counts that must be zero."""

    kinds: dict[str, Tally]
    off_topic: list[str]
    not_kfor: list[str]
    times_as_counts: list[str]
    history: list[str]
    rejected: list[str] = field(default_factory=list)
    untagged: list[str] = field(default_factory=list)

    def reached(self) -> Tally:
        """The total over the gold facts whose article ingest keeps and tags with a topic: what
        extraction itself is judged on."""
        total = self.total()
        lost = len(self.rejected) + len(self.untagged)
        return Tally(gold=total.gold - lost, found=total.found, correct=total.correct)

    def total(self) -> Tally:
        total = Tally()
        for tally in self.kinds.values():
            total.gold += tally.gold
            total.found += tally.found
            total.correct += tally.correct
            total.unlabelled += tally.unlabelled
            total.repeats += tally.repeats
        return total


def derived_articles() -> dict[str, DerivedArticle | None]:
    """Each set article as the product stores it (None when ingest rejects it), by set id."""
    articles = devset.load_articles()
    document = parse_feed(devset.as_rss(articles), {}, devset.FEED_URL, FETCHED_AT)
    drafts = {draft.guid: draft for draft in document.entries}
    profiles = load_profiles()
    found: dict[str, DerivedArticle | None] = {}
    for article in articles:
        draft = drafts.get(article.id)
        try:
            found[article.id] = derive(draft, profiles) if draft else None
        except EmptyArticle:
            found[article.id] = None
    return found


def score() -> Score:
    """Score every set article's facts against the gold."""
    articles = devset.by_id(devset.load_articles())
    gold = Counter((g.article, g.kind, str(g.value)) for g in devset.load_facts())
    derived = derived_articles()
    result = Score({kind: Tally() for kind in KINDS}, [], [], [], [])
    for (_, kind, _), count in gold.items():
        result.kinds[kind].gold += count
    remaining = Counter(gold)
    wrong_seen: set[tuple[str, str, str]] = set()
    for set_id, article in derived.items():
        if article is None:
            continue
        on_topic = bool(articles[set_id].topics)
        for fact in article.facts:
            sentence = article.sentences[fact.sentence_index]
            where = f"{set_id} {fact.kind} {fact.value} | {fact.span}"
            if isinstance(fact.value, int) and _time_or_year(sentence, fact):
                result.times_as_counts.append(where)
            if fact.kind not in KINDS or not shown(fact, article):
                continue
            if not on_topic:
                if fact.kind in TROOP_KINDS:
                    result.off_topic.append(where)
                continue
            if fact.kind in TROOP_KINDS and _history(fact, article):
                result.history.append(where)
                continue
            tally = result.kinds[fact.kind]
            key = (set_id, fact.kind, str(fact.value))
            if remaining[key] > 0:
                remaining[key] -= 1
                tally.found += 1
                tally.correct += 1
            elif key in gold or key in wrong_seen:
                tally.repeats += 1
            elif _unlabelled(fact, article):
                tally.unlabelled += 1
            else:
                wrong_seen.add(key)
                tally.found += 1
                tally.wrong.append(where)
                if fact.kind in TROOP_KINDS:
                    result.not_kfor.append(where)
    for (set_id, kind, value), count in remaining.items():
        for _ in range(count):
            miss = f"{set_id} {kind} {value}"
            result.kinds[kind].misses.append(miss)
            if derived[set_id] is None:
                result.rejected.append(miss)
            elif not derived[set_id].topics:
                result.untagged.append(miss)
    return result


def shown(fact: Fact, article: DerivedArticle) -> bool:
    """Whether the product would show the fact: its article carries a topic, and a troop figure
    or an injury is KFOR's."""
    if not article.topics:
        return False
    return fact.kind not in (*TROOP_KINDS, "injured", "countries") or fact.owner == "KFOR"


def _history(fact: Fact, article: DerivedArticle) -> bool:
    """A troop figure its own sentence dates to a year before its article's."""
    published = article.published.value
    return bool(fact.as_of) and published is not None and int(fact.as_of[:4]) < published.year


def _unlabelled(fact: Fact, article: DerivedArticle) -> bool:
    """Whether the set's labelling rules leave this fact out either way (see the module doc)."""
    sentence = article.sentences[fact.sentence_index]
    number = _number_of(sentence, fact)
    if fact.kind == "deadline":
        return not fact.resolved
    if (
        number is not None
        and not number.text[0].isdigit()
        and _OPENING.fullmatch(sentence, 0, number.start) is None
    ):
        return True
    if fact.kind == "killed":
        others = [
            f
            for f in article.facts
            if f.kind == "killed" and f.sentence_index == fact.sentence_index
        ]
        return len(others) > 1
    return False


def _number_of(sentence: str, fact: Fact) -> NumberMatch | None:
    """The number in the sentence that the fact's span holds with the fact's value."""
    at = sentence.find(fact.span)
    for number in find_numbers(sentence):
        inside = at < 0 or at <= number.start < at + len(fact.span)
        if number.value == fact.value and inside:
            return number
    return None


def _time_or_year(sentence: str, fact: Fact) -> bool:
    """Whether the fact's number is a year, part of a clock time, or the day of a date."""
    number = _number_of(sentence, fact)
    if number is None:
        return False
    if number.year_like:
        return True
    before, after = sentence[max(0, number.start - 12) : number.start], sentence[number.end :]
    if _CLOCK_NEAR.search(before) or _CLOCK_NEAR.match(after[:4]):
        return True
    day = number.value <= 31
    return day and bool(_MONTH_NEAR.search(before) or _MONTH_NEAR.match(after[:12]))


def table(result: Score) -> str:
    """The markdown table of the score, with the three counts that must be zero."""
    lines = [
        "| kind | gold | found | correct | recall | precision | not labelled |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for kind, tally in [*result.kinds.items(), ("all", result.total())]:
        name = f"**{kind}**" if kind == "all" else kind
        lines.append(
            f"| {name} | {tally.gold} | {tally.found} | {tally.correct} | "
            f"{tally.recall():.1%} | {tally.precision():.1%} | {tally.unlabelled} |"
        )
    total = result.total()
    reached = result.reached()
    lines += [
        "",
        f"- gold facts lost before extraction: {len(result.rejected)} (ingest rejects the "
        f"article), {len(result.untagged)} (the article gets no topic); recall on the "
        f"{reached.gold} others: {reached.recall():.1%}",
        f"- troop figures from off-topic articles: {len(result.off_topic)}",
        f"- troop figures given to KFOR that belong to others: {len(result.not_kfor)}",
        f"- clock times, years or days of a date read as counts: {len(result.times_as_counts)}",
        f"- past strengths kept as history with their own date: {len(result.history)}",
        f"- targets: recall >= {TARGET_RECALL:.0%} ({_met(total.recall() >= TARGET_RECALL)}), "
        f"precision >= {TARGET_PRECISION:.0%} ({_met(total.precision() >= TARGET_PRECISION)}), "
        "0 off-topic or other forces' figures "
        f"({_met(not result.off_topic and not result.not_kfor)}), "
        f"0 times or years as counts ({_met(not result.times_as_counts)})",
    ]
    return "\n".join(lines)


def _met(ok: bool) -> str:
    return "met" if ok else "MISSED"


def details(result: Score) -> str:
    """Every miss and every wrong or doubtful fact, one per line."""
    lines = []
    for kind, tally in result.kinds.items():
        lines += [f"missed {m}" for m in tally.misses]
        lines += [f"wrong  {w}" for w in tally.wrong]
        del kind
    lines += [f"rejected by ingest: {x}" for x in result.rejected]
    lines += [f"no topic: {x}" for x in result.untagged]
    lines += [f"off-topic {x}" for x in result.off_topic]
    lines += [f"time/year {x}" for x in result.times_as_counts]
    lines += [f"history {x}" for x in result.history]
    return "\n".join(lines)


def write_section(text: str, path: Path = QUALITY_MD) -> None:
    """Put the table in its own section of QUALITY.md, replacing only that section."""
    today = dt.datetime.now(dt.UTC).date().isoformat()
    section = (
        f"{SECTION_START}\n## Facts on real articles\n\n"
        f"Measured {today} by `python benchmarks/score_facts.py --write` on the labelled "
        "development set (../shared/fixtures/real-articles: 120 articles, 76 gold facts), "
        "served as RSS and derived as `ingest` does. See the script's docstring for what "
        "counts. Gold facts lost before extraction belong to furniture removal and topic "
        "detection, not to the fact rules.\n\n"
        f"{text}\n\n{BASELINE}\n{SECTION_END}\n"
    )
    current = path.read_text(encoding="utf-8") if path.exists() else ""
    start, end = current.find(SECTION_START), current.find(SECTION_END)
    if start >= 0 and end > start:
        updated = current[:start] + section + current[end + len(SECTION_END) + 1 :]
    else:
        updated = current.rstrip("\n") + "\n\n" + section
    path.write_text(updated, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Print the score; with --details every miss and wrong fact; with --write save the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", action="store_true", help="list misses and wrong facts")
    parser.add_argument("--write", action="store_true", help="also write benchmarks/QUALITY.md")
    args = parser.parse_args(argv)
    if not devset.available():
        print(devset.ABSENT)
        return 1
    result = score()
    text = table(result)
    print(text)
    if args.details:
        print()
        print(details(result))
    if args.write:
        write_section(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
