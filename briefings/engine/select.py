"""Point selection (pure): readable sentences, duplicates merged into one cited point, ranked, chosen by MMR."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from briefings.anchors import anchors
from briefings.engine.candidates import ArticleInfo, Candidate
from briefings.engine.sentences import (
    MIN_CHARS,
    jaccard,
    readable,
    tokens,
    trimmed,
)
from briefings.engine.when import order_key, span
from briefings.models import Precision, Published

# Token-set Jaccard at or above which two sentences of different articles say the same thing:
# lower inside one story (a republication rewords its source a little), higher across stories.
MERGE_SAME_STORY = 0.5
MERGE_ANY = 0.6
# Two chosen points this similar would read as a repeat, so the second is dropped outright.
REDUNDANT = 0.4
MMR_LAMBDA = 0.7
# Each point already taken from an article makes the next one from it this much less attractive.
SAME_ARTICLE_PENALTY = 0.08
# What a citation adds to a point's length in a rendered reply ("[12]" and a space).
CITATION_CHARS = 5
HALF_LIFE_DAYS = 14
# A point speaks in its earliest source's words unless another's sentence is clearly better.
LEAD_MARGIN = 0.05
# Only this many of the best sentences are compared pairwise; the rest could not win a place.
POOL = 150


@dataclass(frozen=True)
class Point:
    """One thing to say: a sentence (or trimmed span) and every article that says it, earliest first."""

    text: str
    topic: str
    members: tuple[Candidate, ...]
    date: Published
    score: float
    tokens: frozenset[str]
    background: bool = False

    @property
    def articles(self) -> tuple[ArticleInfo, ...]:
        """The cited articles, in citation order."""
        return tuple(m.article for m in self.members)


@dataclass(frozen=True)
class Selection:
    """The points chosen for a reply, in reply order, and how many good ones did not fit."""

    points: tuple[Point, ...]
    omitted: int


def recency(date: Published, reference: dt.date) -> float:
    """1 for news of the reference day, halving every HALF_LIFE_DAYS before it; 0 when undated.

    When it came is no clue to an undated sentence's age: an old report read today is not news.
    """
    bounds = span(date)
    if bounds is None:
        return 0.0
    age = max(0, (reference - bounds[1]).days)
    return math.pow(0.5, age / HALF_LIFE_DAYS)


def candidate_score(
    candidate: Candidate, topic: str, reference: dt.date | None, sources: int = 1
) -> float:
    """Topic relevance, recency, informativeness and corroboration, weighted into 0..1.

    With no reference day (a timeline, where old news is the point) recency counts fully for all.
    """
    fresh = 1.0 if reference is None else recency(candidate.date, reference)
    return _weighted(candidate.topics.get(topic, 0.0), fresh, candidate.informative, sources)


def _weighted(relevance: float, fresh: float, informative: float, sources: int) -> float:
    """`candidate_score`'s weighting, apart so that `score_ceiling` rounds exactly as it does."""
    return 0.4 * relevance + 0.2 * fresh + 0.3 * informative + 0.1 * min(1.0, (sources - 1) / 3)


def quick_score(candidate: Candidate, reference: dt.date | None) -> float:
    """A cheap first cut of `candidate_score` (article date, no text analysis) for large windows."""
    fresh = 1.0 if reference is None else recency(candidate.article.date, reference)
    facts = min(1.0, 0.5 * len(set(candidate.fact_kinds)))
    return 0.4 * max(candidate.topics.values(), default=0.0) + 0.2 * fresh + 0.15 * facts


def best_topic(candidate: Candidate, topics: Sequence[str]) -> str:
    """The requested topic the sentence scores highest on (the first requested on a tie)."""
    return max(topics, key=lambda name: (candidate.topics.get(name, 0.0), -topics.index(name)))


def build_points(
    candidates: Sequence[Candidate], topics: Sequence[str], reference: dt.date | None
) -> list[Point]:
    """Readable candidates merged into points: one point per thing said, citing each article that says it."""
    return [point_of(group, topics, reference) for group in merged(candidates, topics, reference)]


# Candidates that say one thing, each with its content words.
Group = list[tuple[Candidate, frozenset[str]]]


def merged(
    candidates: Sequence[Candidate], topics: Sequence[str], reference: dt.date | None
) -> list[Group]:
    """The best readable candidates grouped by what they say: `build_points` before each group is
    made a point, for callers that need only some of the points.

    Background sentences are left out of a topic that has a sentence reporting what happened.
    """
    readable_ones = _reporting_first(_best_readable(candidates, topics, reference), topics)
    if len(readable_ones) > POOL:
        readable_ones.sort(key=lambda c: -candidate_score(c, best_topic(c, topics), reference))
    pool = readable_ones[:POOL]
    words = [tokens(c.text) for c in pool]
    return [[(pool[i], words[i]) for i in group] for group in duplicate_groups(pool, words)]


def first_said(group: Group) -> tuple[dt.date, dt.date]:
    """When a group's thing was first reported: the earliest date (as `when.order_key`) of the
    dated articles saying it, each dated by its story (see `ArticleInfo.date`), so a
    republication months later does not make it news again. Undated ones count only when none
    is dated."""
    dated = [order_key(c.article.date) for c, _ in group if c.article.date.value]
    return min(dated, default=order_key(group[0][0].article.date))


def point_of(group: Group, topics: Sequence[str], reference: dt.date | None) -> Point:
    """The point a group of `merged` makes."""
    return _point([c for c, _ in group], [w for _, w in group], topics, reference)


def score_ceiling(group: Group, topics: Sequence[str]) -> float:
    """A score `point_of(group, ...)` cannot exceed, found without building the point: every
    weighted part at its best over the members, so callers can skip groups that cannot win."""
    members = [c for c, _ in group]
    return _weighted(
        max(c.topics.get(name, 0.0) for c in members for name in topics),
        1.0,
        max(c.informative for c in members),
        len({c.article.id for c in members}),
    )


def _best_readable(
    candidates: Sequence[Candidate], topics: Sequence[str], reference: dt.date | None
) -> list[Candidate]:
    """The readable on-topic candidates (datelines trimmed): all, in the given order, when at most
    POOL are; else the 2 * POOL best by `quick_score`, best first.

    Reading a sentence costs more than scoring it, so a large pool is ranked first and read in
    rank order only until enough are found; a stable sort makes this the same as reading all.
    """
    on_topic = [c for c in candidates if any(name in c.topics for name in topics)]
    if len(on_topic) > POOL:
        found = []
        for candidate in sorted(on_topic, key=lambda c: -quick_score(c, reference)):
            if (usable := _as_point(candidate)) is not None:
                found.append(usable)
                if len(found) == 2 * POOL:
                    break
        if len(found) > POOL:
            return found
    return [usable for c in on_topic if (usable := _as_point(c)) is not None]


def _reporting_first(candidates: list[Candidate], topics: Sequence[str]) -> list[Candidate]:
    """The candidates without the background ones of topics (each candidate's best) that have a
    sentence reporting what happened: context is shown only where there is nothing else."""
    best = [best_topic(c, topics) for c in candidates]
    reporting = {topic for c, topic in zip(candidates, best, strict=True) if not c.background}
    return [
        c
        for c, topic in zip(candidates, best, strict=True)
        if not c.background or topic not in reporting
    ]


def _as_point(candidate: Candidate) -> Candidate | None:
    """The candidate with its dateline trimmed, or None when it cannot stand alone."""
    text = trimmed(candidate.text)
    if not readable(text):
        return None
    return candidate if text == candidate.text else _with_text(candidate, text)


def _with_text(candidate: Candidate, text: str) -> Candidate:
    return Candidate(candidate.article, candidate.idx, text, candidate.topics, candidate.fact_kinds)


def duplicate_groups(
    candidates: Sequence[Candidate], words: Sequence[frozenset[str]]
) -> list[list[int]]:
    """Indexes of candidates grouped by what they say (union of near-duplicate pairs across articles).

    Two candidates say the same thing only if they state the same figures and names (`anchors`),
    so only candidates with equal anchors are compared. Among those, pairs are found by prefix
    filtering: two sets with Jaccard >= t share at least one of the len - ceil(t * len) + 1
    rarest words of either (rarest among the candidates compared; any one order will do), so
    only those need indexing.
    """
    parent = list(range(len(candidates)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    stating: dict[frozenset[str], list[int]] = defaultdict(list)
    for i, candidate in enumerate(candidates):
        stating[anchors(candidate.text)].append(i)
    alike = [members for members in stating.values() if len(members) > 1]
    frequency = Counter(w for members in alike for i in members for w in words[i])
    rank = {w: r for r, w in enumerate(sorted(frequency, key=lambda w: (frequency[w], w)))}
    for members in alike:
        index: dict[str, list[int]] = defaultdict(list)
        for i in members:
            ordered = sorted(words[i], key=rank.__getitem__)
            prefix = ordered[: len(ordered) - math.ceil(MERGE_SAME_STORY * len(ordered)) + 1]
            for j in sorted(set().union(*(index[word] for word in prefix))):
                if root(i) != root(j) and _same_thing(
                    candidates[i], candidates[j], words[i], words[j]
                ):
                    parent[root(i)] = root(j)
            for word in prefix:
                index[word].append(i)
    groups: dict[int, list[int]] = defaultdict(list)
    for i in range(len(candidates)):
        groups[root(i)].append(i)
    return list(groups.values())


def _same_thing(a: Candidate, b: Candidate, wa: frozenset[str], wb: frozenset[str]) -> bool:
    """Near-duplicates from two articles; the caller has checked that they state the same anchors."""
    if a.article.id == b.article.id:
        return False
    needed = MERGE_SAME_STORY if a.article.story_id == b.article.story_id else MERGE_ANY
    return jaccard(wa, wb) >= needed


def _point(
    members: list[Candidate],
    words: list[frozenset[str]],
    topics: Sequence[str],
    reference: dt.date | None,
) -> Point:
    """The point a group makes: its best sentence's text, one citation per article, the most precise date."""
    per_article: dict[int, Candidate] = {}
    topic_scores = {name: max(m.topics.get(name, 0.0) for m in members) for name in topics}
    topic = max(topics, key=lambda name: (topic_scores[name], -topics.index(name)))
    ranked = sorted(
        members,
        key=lambda m: (-candidate_score(m, topic, reference), order_key(m.date), m.article.id),
    )
    for member in ranked:
        per_article.setdefault(member.article.id, member)
    cited = sorted(per_article.values(), key=lambda m: (_date_order(m), m.article.id))
    lead = cited[0]
    if (
        candidate_score(ranked[0], topic, reference)
        > candidate_score(lead, topic, reference) + LEAD_MARGIN
    ):
        lead = ranked[0]
    date = min(
        (m.date for m in cited),
        key=lambda d: (_PRECISION_RANK[d.precision], order_key(d)),
    )
    score = candidate_score(lead, topic, reference, sources=len(cited))
    return Point(
        text=lead.text,
        topic=topic,
        members=tuple(cited),
        date=date,
        score=score,
        tokens=words[members.index(lead)],
        background=lead.background,
    )


_PRECISION_RANK = {Precision.DAY: 0, Precision.MONTH: 1, Precision.YEAR: 2, Precision.UNKNOWN: 3}


def _date_order(candidate: Candidate) -> tuple[dt.date, dt.date]:
    """Undated articles order by when they were stored."""
    if candidate.date.value is None:
        day = candidate.article.added_at.date()
        return day, day
    return order_key(candidate.date)


def cost(point: Point) -> int:
    """Characters a point takes in a reply, its citations included."""
    return len(point.text) + CITATION_CHARS * len(point.members)


def choose(
    points: Sequence[Point],
    budget_chars: int,
    limit: int | None = None,
    per_article: int | None = None,
) -> tuple[list[Point], int]:
    """Maximal marginal relevance under a character budget: good points, not repeats, many sources.

    Dated points come before undated ones whatever their scores: a report of unknown age is
    said only once everything dated that fits is. Returns the chosen points (best first, at
    most `limit`, at most `per_article` citing any one article) and how many non-redundant
    points did not fit.
    """
    remaining = sorted(points, key=lambda p: -p.score)
    closest = [0.0] * len(remaining)
    taken: Counter[int] = Counter()
    chosen: list[Point] = []
    used = 0
    left_out = 0
    while remaining:
        if budget_chars - used < MIN_CHARS or len(chosen) == limit:
            left_out += sum(1 for sim in closest if sim < REDUNDANT)
            break
        best = max(
            range(len(remaining)),
            key=lambda i: (
                remaining[i].date.value is not None,
                MMR_LAMBDA * remaining[i].score
                - (1 - MMR_LAMBDA) * closest[i]
                - SAME_ARTICLE_PENALTY * sum(taken[a.id] for a in remaining[i].articles),
            ),
        )
        point, similarity = remaining.pop(best), closest.pop(best)
        if similarity >= REDUNDANT:
            continue
        crowded = per_article is not None and any(
            taken[a.id] >= per_article for a in point.articles
        )
        if crowded or used + cost(point) > budget_chars:
            left_out += 1
            continue
        chosen.append(point)
        used += cost(point)
        taken.update(a.id for a in point.articles)
        closest = [
            max(sim, jaccard(p.tokens, point.tokens))
            for sim, p in zip(closest, remaining, strict=True)
        ]
    return chosen, left_out


def arrange(points: Iterable[Point], topics: Sequence[str]) -> list[Point]:
    """Reply order: by requested topic, then by date within it, undated last."""
    return sorted(
        points,
        key=lambda p: (
            topics.index(p.topic),
            p.date.value is None,
            order_key(p.date),
            p.members[0].article.id,
            p.members[0].idx,
        ),
    )


def select_points(
    candidates: Sequence[Candidate],
    topics: Sequence[str],
    *,
    reference: dt.date,
    budget_chars: int,
) -> Selection:
    """The whole selection: build points, choose under the budget, arrange for reading."""
    chosen, omitted = choose(build_points(candidates, topics, reference), budget_chars)
    return Selection(tuple(arrange(chosen, topics)), omitted)
