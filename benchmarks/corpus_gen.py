"""A deterministic synthetic news corpus written as RSS 2.0 files, for the benchmark."""

from __future__ import annotations

import calendar
import datetime as dt
import email.utils
import hashlib
import json
import random
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

SEED = 20_061_999
END = dt.datetime(2026, 10, 31, 18, 0, tzinfo=dt.UTC)
SPAN = dt.timedelta(days=3 * 365)
MIN_CHARS, MAX_CHARS = 300, 8_000
TOPIC_SHARE = 0.20
SYNDICATED_SHARE = 0.05
GENERATOR_VERSION = 4

# Slot vocabularies. Names and places are real-sounding but every sentence is assembled here.
PEOPLE = [
    "Goran Rakic",
    "Albin Kurti",
    "Aleksandar Vucic",
    "Vjosa Osmani",
    "Petar Petkovic",
    "Besnik Bislimi",
    "Miroslav Lajcak",
    "Ozgur Saglam",
    "Angelo Michele Ristuccia",
    "Xhelal Sveçla",
    "Milica Djurdjevic",
    "Driton Gashi",
    "Jelena Markovic",
    "Arben Hoxha",
    "Marco Bianchi",
    "Katarina Novak",
]
NORTH_PLACES = ["Zvecan", "Zubin Potok", "Leposavic", "North Mitrovica", "Banjska", "Rudare"]
CROSSINGS = ["Jarinje", "Brnjak", "Merdare", "Dheu i Bardhe", "Konculj", "Mutivode"]
CITIES = [
    "Pristina",
    "Belgrade",
    "Skopje",
    "Tirana",
    "Podgorica",
    "Sarajevo",
    "Zagreb",
    "Ljubljana",
    "Vienna",
    "Brussels",
    "Sofia",
    "Bucharest",
    "Athens",
    "Novi Sad",
    "Nis",
    "Prizren",
    "Peja",
    "Split",
    "Ohrid",
    "Budapest",
]
NATIONS = [
    "Italy",
    "Germany",
    "Turkey",
    "the United States",
    "Hungary",
    "Austria",
    "Poland",
    "Switzerland",
    "Romania",
    "Slovenia",
]
OUTLETS = [
    "Balkan Wire",
    "Danube Post",
    "Adriatic Herald",
    "Pristina Daily",
    "Belgrade Courier",
    "Europe Desk",
    "Western Balkans Monitor",
    "Sava Tribune",
    "Morava News",
    "Ibar Observer",
]
MONTHS = list(calendar.month_name[1:])
WEEKDAYS = list(calendar.day_name)

# On-topic sentence templates, by theme. {n} and friends are filled per sentence.
TOPIC_SENTENCES: dict[str, list[str]] = {
    "strength": [
        "KFOR now has about {troops} troops in Kosovo, the NATO-led mission said on {weekday}.",
        "The Kosovo Force numbers some {troops} soldiers from {k} contributing nations, according to {person}.",
        "NATO said it would send {extra} additional troops to reinforce KFOR after the violence in {north}.",
        "{nation} will deploy a further {extra} soldiers to the NATO-led peacekeeping mission in Kosovo.",
        "The alliance has kept more than {troops} peacekeepers in Kosovo since the unrest of {month}.",
        "KFOR commander {person} said the mission's {troops} troops would stay as long as needed.",
        "A battalion of {extra} reserve forces arrived at Camp Bondsteel on {weekday}, NATO said.",
        "The peacekeepers patrol the north together with Kosovo police, a KFOR spokesperson told reporters.",
    ],
    "border": [
        "Traffic at the {crossing} border crossing resumed on {weekday} after a {hours}-hour closure.",
        "Kosovo police closed the {crossing} crossing point with Serbia, citing security concerns.",
        "Hundreds of trucks queued at {crossing} as customs checks slowed traffic on the administrative line.",
        "Serbia and Kosovo traded accusations over the incident near the {crossing} crossing.",
        "KFOR increased patrols near {crossing} and {crossing2} on the boundary with Serbia.",
        "Border police at {crossing} reported {n} arrests for smuggling during {month}.",
    ],
    "barricades": [
        "Local Serbs put up barricades on the road to {crossing} near {north} on {weekday}.",
        "The roadblocks near {north} were removed after {days} days of talks, officials said.",
        "Trucks and tractors blocked the roads leading to the {crossing} border crossing in northern Kosovo.",
        "KFOR soldiers stood between the barricades and Kosovo police units in {north}.",
        "{person} called for the barricades in {north} to be removed peacefully.",
        "About {n} people gathered at the barricade near {north} overnight.",
    ],
    "plates": [
        "Kosovo set a deadline of {month} {day} for drivers to re-register cars with Serbian license plates.",
        "Some {plates} vehicles in the north still carry Serbian-issued licence plates, officials said.",
        "Drivers who keep the old plates face fines of {fine} euros, the Kosovo government said.",
        "Under the EU-brokered deal, Serbia stopped issuing plates for Kosovo towns and Kosovo paused penalties.",
        "Motorists lined up in {north} to swap their plates for RKS registration plates.",
        "{person} said the license plate dispute would be settled through reciprocity, not force.",
    ],
}
TOPIC_TITLES: dict[str, list[str]] = {
    "strength": [
        "NATO to reinforce KFOR with {extra} troops",
        "KFOR strength stands at {troops}, mission says",
        "{nation} sends more soldiers to Kosovo",
    ],
    "border": [
        "{crossing} crossing reopens after closure",
        "Queues at {crossing} as checks tighten",
        "Tension on the administrative line near {crossing}",
    ],
    "barricades": [
        "Barricades go up near {north}",
        "Roadblocks removed in northern Kosovo",
        "Serbs block roads to {crossing}",
    ],
    "plates": [
        "Kosovo extends license plate deadline",
        "Plate dispute: {plates} cars still unregistered",
        "Drivers swap plates in {north}",
    ],
}
CONTEXT_SENTENCES = [
    "The EU-facilitated dialogue between Belgrade and Pristina has made little progress this year.",
    "Kosovo declared independence from Serbia in 2008, which Belgrade does not recognise.",
    "About {n} ethnic Serbs live in the four northern municipalities.",
    "{person} met envoys from Brussels and Washington in {city} on {weekday}.",
    "Officials in {city} said talks would continue in {month}.",
    "The situation remained calm but tense, according to local residents.",
]
GENERIC_THEMES: dict[str, list[str]] = {
    "economy": [
        "Inflation in {country} eased to {pct} percent in {month}, the statistics office said.",
        "The central bank in {city} left its key rate at {pct} percent on {weekday}.",
        "Exports to the European Union rose by {pct} percent in the first half of the year.",
        "The government in {city} approved a budget of {money} million euros for road works.",
        "Retailers in {city} reported weaker sales as energy bills climbed.",
        "Analysts expect growth of about {pct} percent next year, {person} said.",
    ],
    "energy": [
        "A new gas interconnector between {country} and {country2} will open in {month}.",
        "Hydropower output fell after a dry summer, the utility in {city} said.",
        "The {city} power plant will be shut for {days} days of maintenance.",
        "{country} signed a deal for {money} million euros of solar capacity.",
        "Electricity prices on the regional exchange rose {pct} percent on {weekday}.",
    ],
    "politics": [
        "Voters in {country} go to the polls in {month} for early parliamentary elections.",
        "{person} said the coalition in {city} would survive the vote of confidence.",
        "Opposition parties staged a protest of about {n} people in central {city}.",
        "The EU accession talks with {country} opened a new cluster on {weekday}.",
        "Parliament in {city} passed the judicial reform by {n} votes.",
    ],
    "culture": [
        "The {city} film festival opened on {weekday} with {n} films in competition.",
        "Tourist arrivals in {city} reached a record {n} in {month}.",
        "A restored Ottoman bridge near {city} reopened to visitors after {days} months of work.",
        "The national theatre in {city} announced a season of {n} premieres.",
        "Heavy rain forced organisers in {city} to move the concert indoors.",
    ],
    "sport": [
        "{city} won the derby {score} in front of {n} spectators.",
        "The national team coach named {n} players for the qualifiers in {month}.",
        "A marathon through {city} drew {n} runners on {weekday}.",
        "The basketball club from {city} reached the regional league final.",
    ],
    "weather": [
        "Temperatures in {city} reached {temp} degrees on {weekday}, the weather service said.",
        "Snow closed mountain roads between {city} and {city2} for {hours} hours.",
        "Floods damaged {n} homes in villages near {city}.",
        "Forecasters warned of strong winds along the coast near {city} until {weekday}.",
    ],
}
GENERIC_TITLES = {
    "economy": ["Inflation eases in {country}", "{city} approves road budget"],
    "energy": ["Power prices climb on regional exchange", "{country} signs solar deal"],
    "politics": ["Early elections called in {country}", "Protest in {city} draws crowds"],
    "culture": ["Record tourist season in {city}", "{city} film festival opens"],
    "sport": ["{city} wins the derby", "Coach names squad for qualifiers"],
    "weather": ["Storm warning near {city}", "Floods hit villages near {city}"],
}
COUNTRIES = [
    "Serbia",
    "Kosovo",
    "Albania",
    "North Macedonia",
    "Montenegro",
    "Bosnia and Herzegovina",
    "Croatia",
    "Slovenia",
    "Bulgaria",
    "Romania",
    "Greece",
    "Hungary",
]
# Furniture a syndicating outlet wraps around a story it republishes.
HEADERS = [
    "By staff reporters",
    "Reporting by our correspondent in {city}",
    "{outlet} | {weekday}",
    "Listen to this article",
]
FOOTERS = [
    "Reporting by {person}; editing by {person2}",
    "© {year} {outlet}. All rights reserved.",
    "Also worth reading: more news from the region",
    "Share this article on social media",
    "Photo: {outlet} / archive",
]


@dataclass(frozen=True)
class Item:
    """One generated article as it will be written into a feed."""

    feed: int
    title: str
    paragraphs: tuple[str, ...]
    url: str
    guid: str
    published: dt.datetime

    @property
    def chars(self) -> int:
        """Raw text size: title and body, the figure the database size is compared with."""
        return len(self.title) + sum(len(p) + 2 for p in self.paragraphs)


@dataclass(frozen=True)
class Manifest:
    """What was generated: sizes, the newest date and the feed files, cached beside them."""

    articles: int
    feeds: int
    seed: int
    raw_chars: int
    raw_bytes: int
    newest: str
    files: tuple[str, ...]


# KFOR's strength over the corpus's three years, as (from, troops): reports mostly agree with it.
STRENGTH = (
    (dt.datetime(2000, 1, 1, tzinfo=dt.UTC), 4_500),
    (dt.datetime(2024, 6, 1, tzinfo=dt.UTC), 4_600),
    (dt.datetime(2025, 4, 1, tzinfo=dt.UTC), 4_700),
    (dt.datetime(2026, 2, 1, tzinfo=dt.UTC), 4_500),
)
# Share of strength figures that disagree with the current one (stale, rounded or misreported).
DISAGREEING_SHARE = 0.12


def strength_at(when: dt.datetime) -> int:
    """The mission's strength on a date: the last step of STRENGTH at or before it."""
    return [troops for start, troops in STRENGTH if start <= when][-1]


class _Filler:
    """Fills template slots from one seeded random source, so a corpus is reproducible.

    `when` is the article's date: figures that are facts of the world (KFOR's strength, the number
    of contributing nations) follow it, so sources mostly agree, as real ones do.
    """

    def __init__(self, rng: random.Random, when: dt.datetime = END) -> None:
        self.rng = rng
        self.when = when

    def _troops(self) -> str:
        troops = strength_at(self.when)
        if self.rng.random() < DISAGREEING_SHARE:
            troops += self.rng.choice([-200, -100, 100, 200, -500])
        return f"{troops:,}"

    def fill(self, template: str) -> str:
        rng = self.rng
        slots = {
            "troops": self._troops(),
            "extra": str(rng.choice([70, 100, 130, 200, 300, 500, 700])),
            "k": "28" if self.when.year < 2025 else "27",
            "n": f"{rng.randint(2, 900):,}",
            "plates": f"{rng.randint(2, 12)},{rng.randint(0, 999):03d}",
            "fine": str(rng.choice([150, 300, 500])),
            "hours": str(rng.randint(2, 48)),
            "days": str(rng.randint(2, 30)),
            "day": str(rng.randint(1, 28)),
            "pct": f"{rng.randint(1, 9)}.{rng.randint(0, 9)}",
            "money": str(rng.randint(5, 900)),
            "temp": str(rng.randint(-12, 41)),
            "score": f"{rng.randint(0, 4)}-{rng.randint(0, 4)}",
            "year": str(rng.randint(2023, 2026)),
            "person": rng.choice(PEOPLE),
            "person2": rng.choice(PEOPLE),
            "north": rng.choice(NORTH_PLACES),
            "crossing": rng.choice(CROSSINGS),
            "crossing2": rng.choice(CROSSINGS),
            "city": rng.choice(CITIES),
            "city2": rng.choice(CITIES),
            "nation": rng.choice(NATIONS),
            "country": rng.choice(COUNTRIES),
            "country2": rng.choice(COUNTRIES),
            "month": rng.choice(MONTHS),
            "weekday": rng.choice(WEEKDAYS),
            "outlet": rng.choice(OUTLETS),
        }
        text = template.format(**slots)
        return text[0].upper() + text[1:]


def _target_length(rng: random.Random) -> int:
    """Most articles are 1-3 KB; a long tail reaches 8 KB, a few are brief 300-character notes."""
    return max(MIN_CHARS, min(MAX_CHARS, int(rng.lognormvariate(7.6, 0.6))))


def _body(filler: _Filler, pools: list[list[str]], weights: list[float], length: int) -> list[str]:
    """Paragraphs of 2-4 sentences drawn from the pools until the target length is reached."""
    rng = filler.rng
    paragraphs: list[str] = []
    total = 0
    while total < length:
        sentences = []
        for _ in range(rng.randint(2, 4)):
            pool = rng.choices(pools, weights)[0]
            sentences.append(filler.fill(rng.choice(pool)))
        paragraph = " ".join(sentences)
        if total + len(paragraph) > length and paragraphs:
            break
        paragraphs.append(paragraph)
        total += len(paragraph) + 2
    return paragraphs


def generate(articles: int, feeds: int, seed: int = SEED) -> list[Item]:
    """Every article, oldest first, each assigned to a feed; the same arguments give the same list."""
    rng = random.Random(seed)
    filler = _Filler(rng)
    stamps = sorted(rng.random() for _ in range(articles))
    items: list[Item] = []
    context = CONTEXT_SENTENCES
    for index, share in enumerate(stamps):
        published = END - SPAN + SPAN * share
        published = published.replace(microsecond=0)
        filler.when = published
        feed = rng.randrange(feeds)
        outlet = f"{OUTLETS[feed % len(OUTLETS)]} {feed:04d}"
        slug_base = f"https://news{feed:04d}.example.org/{published:%Y/%m/%d}/a{index:06d}"
        roll = rng.random()
        if roll < SYNDICATED_SHARE and items:
            original = items[rng.randrange(max(0, len(items) - 200), len(items))]
            head = filler.fill(rng.choice(HEADERS))
            foot = filler.fill(rng.choice(FOOTERS))
            paragraphs = (head, *original.paragraphs, foot)
            title = original.title if rng.random() < 0.5 else f"{original.title} - {outlet}"
            published = max(published, original.published + dt.timedelta(hours=rng.randint(1, 30)))
            published = min(published, END)
        elif roll < SYNDICATED_SHARE + TOPIC_SHARE:
            theme = rng.choice(list(TOPIC_SENTENCES))
            others = [TOPIC_SENTENCES[t] for t in TOPIC_SENTENCES if t != theme]
            pools = [TOPIC_SENTENCES[theme], context, *others]
            paragraphs = tuple(_body(filler, pools, [6, 2, 0.3, 0.3, 0.3], _target_length(rng)))
            title = filler.fill(rng.choice(TOPIC_TITLES[theme]))
        else:
            theme = rng.choice(list(GENERIC_THEMES))
            pools = [GENERIC_THEMES[theme], *GENERIC_THEMES.values()]
            weights = [8] + [0.4] * len(GENERIC_THEMES)
            paragraphs = tuple(_body(filler, pools, weights, _target_length(rng)))
            title = filler.fill(rng.choice(GENERIC_TITLES[theme]))
        digest = hashlib.sha1(f"{seed}:{index}".encode(), usedforsecurity=False).hexdigest()[:12]
        items.append(
            Item(
                feed=feed,
                title=title,
                paragraphs=tuple(paragraphs),
                url=f"{slug_base}-{digest}",
                guid=f"urn:bench:{seed}:{index}",
                published=published,
            )
        )
    return items


def item_xml(item: Item) -> str:
    """One RSS <item>: the body as escaped HTML paragraphs in <description>."""
    body = "".join(f"<p>{escape(p)}</p>" for p in item.paragraphs)
    return (
        "<item>"
        f"<title>{escape(item.title)}</title>"
        f"<link>{escape(item.url)}</link>"
        f'<guid isPermaLink="false">{escape(item.guid)}</guid>'
        f"<pubDate>{email.utils.format_datetime(item.published)}</pubDate>"
        f"<description>{escape(body)}</description>"
        "</item>\n"
    )


def feed_xml(feed: int, items: list[Item], extra: str = "") -> str:
    """A whole RSS 2.0 document, newest item first, with optional extra items at the top."""
    outlet = f"{OUTLETS[feed % len(OUTLETS)]} {feed:04d}"
    entries = "".join(item_xml(i) for i in sorted(items, key=lambda i: i.published, reverse=True))
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0"><channel>'
        f"<title>{escape(outlet)}</title>"
        f"<link>https://news{feed:04d}.example.org/</link>"
        f"<description>News from {escape(outlet)}</description>\n"
        f"{extra}{entries}</channel></rss>\n"
    )


def extra_item(feed: int, generation: int, seed: int = SEED) -> str:
    """A new item a feed gains between polls, so a 'changed' feed has something new to store."""
    rng = random.Random(f"{seed}:{feed}:{generation}")
    filler = _Filler(rng, END)
    theme = rng.choice(list(TOPIC_SENTENCES))
    paragraphs = tuple(_body(filler, [TOPIC_SENTENCES[theme]], [1], _target_length(rng)))
    item = Item(
        feed=feed,
        title=filler.fill(rng.choice(TOPIC_TITLES[theme])),
        paragraphs=paragraphs,
        url=f"https://news{feed:04d}.example.org/update/{generation}",
        guid=f"urn:bench:{seed}:update:{feed}:{generation}",
        published=END + dt.timedelta(minutes=generation),
    )
    return item_xml(item)


def write_corpus(root: Path, articles: int, feeds: int, seed: int = SEED) -> Manifest:
    """Write the feed files and a manifest under `root`, or reuse them if already written."""
    manifest_path = root / "manifest.json"
    if manifest_path.exists():
        data = json.loads(manifest_path.read_text())
        if data.get("version") == GENERATOR_VERSION:
            data.pop("version")
            return Manifest(**{**data, "files": tuple(data["files"])})
    root.mkdir(parents=True, exist_ok=True)
    items = generate(articles, feeds, seed)
    by_feed: dict[int, list[Item]] = {}
    for item in items:
        by_feed.setdefault(item.feed, []).append(item)
    files = []
    raw_bytes = 0
    for feed in range(feeds):
        path = root / f"feed_{feed:04d}.xml"
        path.write_text(feed_xml(feed, by_feed.get(feed, [])), encoding="utf-8")
        raw_bytes += path.stat().st_size
        files.append(path.name)
    manifest = Manifest(
        articles=articles,
        feeds=feeds,
        seed=seed,
        raw_chars=sum(i.chars for i in items),
        raw_bytes=raw_bytes,
        newest=max(i.published for i in items).isoformat(),
        files=tuple(files),
    )
    data = {**manifest.__dict__, "files": list(files), "version": GENERATOR_VERSION}
    manifest_path.write_text(json.dumps(data, indent=1))
    return manifest
