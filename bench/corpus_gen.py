"""A synthetic but realistic corpus for the benchmarks: mining and commodity news, with figures.

    python bench/corpus_gen.py OUT_DIR [--chunks 1000] [--seed 7]

`generate(folder, target_chunks, seed)` writes .txt articles (20-60 sentences each) built from
templates and word lists: production in tonnes, investments in dollars, market shares, prices,
years, named places, companies and people. Output is deterministic for a seed, and a larger
corpus starts with the same articles as a smaller one. Generation stops once chunking the
articles with remqa's `chunk_spans(text, 60, 1)` reaches `target_chunks`.

It returns about 40 (question, expected figure) pairs. Each answer sentence is the only place
its company appears in the whole corpus, and the question names that company, the commodity
and (for figure questions) the year, so every question has exactly one right answer.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from remqa.ingest.chunking import chunk_spans

CHUNK_MAX_WORDS = 60
OVERLAP_SENTENCES = 1
N_QUESTIONS = 40

_STEM_HEADS = (
    "North South East West Red Black Silver Iron Stone Cold High Deep Green Blue Lake River "
    "Crown Star Bright Grand Old New Far Long White Golden Copper Ash Oak Pine Elm Cedar Frost "
    "Sun Wolf Eagle Hawk Bear Fox Raven"
).split()
_STEM_TAILS = (
    "vale ridge field stone wood brook haven moor crest ford gate well bury mere hill peak "
    "shore wick stead mark land dale holm port rock"
).split()
_COMPANY_KINDS = (
    "Mining Resources Metals Minerals Holdings Refining Industries Materials Group Energy"
).split()
_COUNTRIES = (
    "Chile|Peru|Australia|Canada|Brazil|Indonesia|Zambia|South Africa|Kazakhstan|Mongolia|"
    "Norway|Finland|Sweden|Poland|Germany|Vietnam|the Philippines|Argentina|Bolivia|Mexico|"
    "Ghana|Namibia|Morocco|Turkey|India|Japan|South Korea|Portugal|Serbia|Tanzania"
).split("|")
_TOWNS = (
    "Karvik|Montesol|Tallinor|Redcliff|Port Arden|Vasselby|Kimbara|Ostrava Flats|Lindqvist Bay|"
    "Mirova|Salt Creek|Ferrandina|Oruvale|Castlemoor|Tern Harbour|Koskela|Valdora|Brennick|"
    "Aurelton|Duskwater|Palomar Springs|Ketterby|Nordholm|Sierra Baja|Quillan|Marrowgate|"
    "Esterlund|Pelham Point|Rovanta|Ilsworth|Cape Meridian|Zanderbrook|Halvard|Tamsin Ridge|"
    "Olcott|Verran|Greyhaven|Santa Lucena|Baydon|Morwenna"
).split("|")
_REGIONS = (
    "European|Asian|North American|South American|African|global|Pacific|Nordic|Andean|"
    "Middle Eastern"
).split("|")
_COMMODITIES = (
    "cobalt|copper|lithium|nickel|zinc|lead|tin|tungsten|manganese|graphite|bauxite|iron ore|"
    "gold|silver|platinum|palladium|neodymium|vanadium|antimony|gallium|germanium|molybdenum|"
    "chromium|potash|phosphate|uranium|titanium|magnesium|rare earths|zircon"
).split("|")
_SITES = "mine|open-pit mine|underground mine|smelter|refinery|processing plant|concentrator".split(
    "|"
)
_FACILITIES = (
    "refinery|smelter|processing plant|battery materials plant|research centre|port terminal|"
    "leaching facility|concentrator|recycling plant|rail spur"
).split("|")
_FIRST_NAMES = (
    "Maria|James|Aiko|Lars|Priya|Tomas|Chen|Fatima|Oliver|Ingrid|Rafael|Nadia|Kwame|Elena|"
    "Dmitri|Sofia|Hiro|Amara|Lucas|Freya|Mateo|Leila|Jonas|Zanele|Pieter|Anika|Omar|Greta"
).split("|")
_LAST_NAMES = (
    "Lindqvist|Okafor|Tanaka|Moreno|Novak|Brennan|Haddad|Kowalski|Fernandes|Sato|Mbeki|Larsen|"
    "Petrov|Alvarez|Nakamura|Osei|Virtanen|Castillo|Weber|Chaudhry|Duarte|Holm|Ibrahim|Kaur"
).split("|")
_ROLES = (
    "chief executive|chief financial officer|head of operations|mine manager|chief geologist|"
    "head of sustainability|board chair|head of trading|senior analyst|managing director"
).split("|")
_SOURCES = (
    "the International Metals Council|Benchmark Minerals Watch|the Geological Survey of Karvik|"
    "analysts at Harwood Partners|the Commodity Research Bureau|a ministry report|"
    "industry data compiled by Fieldline|the national statistics office|Meridian Capital"
).split("|")
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
).split("|")
_TRANSPORT = "rail|truck|barge|conveyor|pipeline slurry|coastal shipping".split("|")
_CONCERNS = (
    "water use|tailings safety|dust from haul roads|the loss of grazing land|noise at night|"
    "the relocation of two villages|its carbon footprint|the treatment of contract workers"
).split("|")
_DRIVERS = (
    "demand from battery makers|a slowdown in Chinese construction|new export quotas|"
    "higher energy costs|a strike at a rival producer|stockpiling by defence ministries|"
    "weaker steel output|a wave of electric vehicle launches|tighter environmental rules|"
    "a strong dollar"
).split("|")
_QUOTES = (
    "We expect demand to keep rising for the rest of the decade|"
    "The permitting process is simply too slow|"
    "Our priority is to run the operation safely and to keep costs down|"
    "Nobody should assume that prices will stay this high|"
    "This project will change the economics of the whole region|"
    "We are not going to chase volume at any price|"
    "The market has been tighter than most forecasts suggested|"
    "Local communities have to share in the benefits of mining"
).split("|")


def _money(rng: random.Random, small: bool = False) -> str:
    if small:
        return f"${rng.randint(120, 48_000):,}"
    if rng.random() < 0.3:
        return f"${rng.randint(11, 99) / 10:.1f} billion"
    return f"${rng.randint(12, 950)} million"


def _percent(rng: random.Random) -> str:
    return f"{rng.randint(11, 789) / 10:.1f}%" if rng.random() < 0.6 else f"{rng.randint(2, 85)}%"


def _tonnes(rng: random.Random) -> str:
    return f"{rng.randint(120, 98_000):,} tonnes"


@dataclass
class _Names:
    """Company stems; those reserved for questions never appear in filler text."""

    reserved: list[str]
    filler: list[str]
    people: list[str] = field(default_factory=list)


def _names(seed: int) -> _Names:
    rng = random.Random(f"names-{seed}")
    stems = [head + tail for head in _STEM_HEADS for tail in _STEM_TAILS]
    rng.shuffle(stems)
    people = [f"{f} {last}" for f in _FIRST_NAMES for last in _LAST_NAMES]
    return _Names(stems[:N_QUESTIONS], stems[N_QUESTIONS:], people)


_TEMPLATES = (
    "In {year}, {co} produced {tonnes} of {commodity} at its {town} {site}.",
    "{country} exported {tonnes} of {commodity} in {year}, {updown} {percent} on the year before.",
    "{co} plans to spend {money} on a new {facility} near {town} by {later_year}.",
    "The {region} market for {commodity} was worth {money} in {year}, according to {source}.",
    "{country} accounts for {percent} of global {commodity} {stage}.",
    "The price of {commodity} {moved} {percent} to {price} a tonne in {month} {year}.",
    "The {town} {site} employs {staff} people and ships most of its output by {transport}.",
    '"{quote}," said {person}, {role} at {co}.',
    "Analysts blamed {driver} for the swing in {commodity} prices.",
    "Environmental groups have questioned the {town} project over {concern}.",
    "The {site} at {town} was first opened in {year} and expanded in {later_year}.",
    "{co} reported revenue of {money} for {year}, {updown} {percent} from a year earlier.",
    "Its {commodity} is mostly sold to buyers in {country2} and {country3}, where it goes into "
    "{use}.",
    "{co} also owns a minority stake in a {other} project in {country2}.",
    "Ore grades at {town} have fallen to {grade} grams per tonne, which pushes up the cost of "
    "every ounce recovered.",
    "Officials in {country} said a new royalty regime would be announced before the end of {year}.",
    "The company declined to comment on the report.",
    "Drilling results published in {month} pointed to a larger deposit than first thought, though "
    "no new resource estimate has been filed.",
    "Most of the {commodity} mined in {country} is still shipped abroad as concentrate rather than "
    "refined at home.",
    "Shares in {co} have {shares_moved} since the start of {year}.",
    "{person}, who has run the {town} operation since {year}, expects output to {trend} next year.",
    "The {town} {site} processed {tonnes} of ore in the {quarter} quarter of {year}.",
)
_TITLES = (
    "{Commodity} output climbs at {town}",
    "{country} weighs new rules for {commodity} miners",
    "Why the {commodity} market keeps surprising traders",
    "{town} expansion tests local patience",
    "A quieter year for {commodity} in {country}",
    "{co} bets on {commodity} as prices {trend}",
)


class _Fill(dict[str, str]):
    """Template fields: the article's topic, plus fresh random values drawn on first use."""

    def __init__(self, rng: random.Random, topic: dict[str, str], names: _Names) -> None:
        super().__init__(topic)
        self.rng = rng
        self.names = names

    def __missing__(self, key: str) -> str:
        r = self.rng
        year = int(self["year"]) if key == "later_year" else 0
        value = {
            "year": lambda: str(r.randint(1998, 2025)),
            "later_year": lambda: str(min(2030, year + r.randint(1, 12))),
            "tonnes": lambda: _tonnes(r),
            "money": lambda: _money(r),
            "price": lambda: _money(r, small=True),
            "percent": lambda: _percent(r),
            "updown": lambda: r.choice(["up", "down"]),
            "moved": lambda: r.choice(["rose", "fell", "climbed", "slipped"]),
            "trend": lambda: r.choice(["rise", "fall", "hold steady", "recover"]),
            "stage": lambda: r.choice(["output", "refining", "reserves", "exports"]),
            "site": lambda: r.choice(_SITES),
            "facility": lambda: r.choice(_FACILITIES),
            "region": lambda: r.choice(_REGIONS),
            "source": lambda: r.choice(_SOURCES),
            "month": lambda: r.choice(_MONTHS),
            "quarter": lambda: r.choice(["first", "second", "third", "fourth"]),
            "transport": lambda: r.choice(_TRANSPORT),
            "concern": lambda: r.choice(_CONCERNS),
            "driver": lambda: r.choice(_DRIVERS),
            "quote": lambda: r.choice(_QUOTES),
            "person": lambda: r.choice(self.names.people),
            "role": lambda: r.choice(_ROLES),
            "staff": lambda: f"{r.randint(40, 6000):,}",
            "grade": lambda: f"{r.randint(2, 40) / 10:.1f}",
            "country2": lambda: r.choice(_COUNTRIES),
            "country3": lambda: r.choice(_COUNTRIES),
            "other": lambda: r.choice(_COMMODITIES),
            "use": lambda: r.choice(
                ["batteries", "steel", "magnets", "electronics", "fertiliser", "alloys"]
            ),
            "shares_moved": lambda: r.choice(
                ["doubled", "halved", "gained a third", "lost a quarter"]
            ),
        }[key]()
        self[key] = value
        return value


class _Writer:
    """Articles about a topic (a commodity, a country, a town and a few companies)."""

    def __init__(self, rng: random.Random, names: _Names) -> None:
        self.rng = rng
        self.names = names

    def _company(self) -> str:
        return f"{self.rng.choice(self.names.filler)} {self.rng.choice(_COMPANY_KINDS)}"

    def _fill(self, template: str, topic: dict[str, str], companies: list[str]) -> str:
        fields = _Fill(self.rng, topic | {"co": self.rng.choice(companies)}, self.names)
        text = template.format_map(fields)
        return text[0].upper() + text[1:]  # "the Philippines exported" starts a sentence

    def article(self) -> list[list[str]]:
        """Paragraphs of sentences; the first paragraph is the title line."""
        r = self.rng
        commodity = r.choice(_COMMODITIES)
        topic = {
            "commodity": commodity,
            "Commodity": commodity.capitalize(),
            "country": r.choice(_COUNTRIES),
            "town": r.choice(_TOWNS),
        }
        companies = [self._company() for _ in range(r.randint(2, 4))]
        paragraphs = [[self._fill(r.choice(_TITLES), topic, companies)]]
        left = r.randint(20, 60)
        while left > 0:
            size = min(left, r.randint(2, 6))
            paragraphs.append(
                [self._fill(r.choice(_TEMPLATES), topic, companies) for _ in range(size)]
            )
            left -= size
        return paragraphs


def _questions(seed: int, names: _Names) -> list[tuple[str, str, str]]:
    """(answer sentence, question, expected figure), one reserved company each."""
    rng = random.Random(f"questions-{seed}")
    out: list[tuple[str, str, str]] = []
    for i, stem in enumerate(names.reserved):
        co = f"{stem} {rng.choice(_COMPANY_KINDS)}"
        commodity, town = rng.choice(_COMMODITIES), rng.choice(_TOWNS)
        year = rng.randint(2001, 2024)
        kind = i % 4
        if kind == 0:
            figure = _tonnes(rng)
            sentence = f"In {year}, {co} produced {figure} of {commodity} at its {town} mine."
            question = f"How many tonnes of {commodity} did {co} produce in {year}?"
        elif kind == 1:
            figure = _money(rng)
            facility = rng.choice(_FACILITIES)
            sentence = f"In {year}, {co} invested {figure} in its {facility} at {town}."
            question = f"How much did {co} invest in its {facility} at {town} in {year}?"
        elif kind == 2:
            figure = _percent(rng)
            country = rng.choice([c for c in _COUNTRIES if not c.startswith("the ")])
            sentence = f"{co} accounted for {figure} of {country}'s {commodity} exports in {year}."
            question = (
                f"What share of {country}'s {commodity} exports did {co} account for in {year}?"
            )
        else:
            figure = str(year)
            facility = rng.choice(_FACILITIES)
            sentence = (
                f"{co} opened its {commodity} {facility} at {town} in {year}, after "
                f"{rng.choice(['two', 'three', 'four'])} years of construction."
            )
            question = f"In which year did {co} open its {commodity} {facility} at {town}?"
        out.append((sentence, question, figure))
    return out


def _render(paragraphs: list[list[str]]) -> str:
    return "\n\n".join(" ".join(p) for p in paragraphs) + "\n"


def _count(text: str) -> int:
    return len(chunk_spans(text, CHUNK_MAX_WORDS, OVERLAP_SENTENCES))


def generate(folder: Path, target_chunks: int, seed: int = 7) -> list[tuple[str, str]]:
    """Write articles to `folder` until they chunk into about `target_chunks` chunks.

    Returns (question, expected figure) pairs answerable from the corpus."""
    folder.mkdir(parents=True, exist_ok=True)
    names = _names(seed)
    writer = _Writer(random.Random(f"articles-{seed}"), names)
    articles: list[list[list[str]]] = []
    total = 0
    while total < target_chunks:
        article = writer.article()
        articles.append(article)
        total += _count(_render(article))

    # Spread the answer sentences evenly, each into a body paragraph of its own article.
    placement = random.Random(f"placement-{seed}")
    pairs: list[tuple[str, str]] = []
    for i, (sentence, question, figure) in enumerate(_questions(seed, names)):
        article = articles[i * len(articles) // N_QUESTIONS]
        paragraph = placement.choice(article[1:])
        paragraph.insert(placement.randint(0, len(paragraph)), sentence)
        pairs.append((question, figure))

    width = len(str(len(articles)))
    for number, article in enumerate(articles):
        slug = re.sub(r"[^a-z0-9]+", "-", article[0][0].lower()).strip("-")[:40]
        (folder / f"{number:0{width}d}-{slug}.txt").write_text(
            _render(article), encoding="utf-8", newline="\n"
        )
    return pairs


def main() -> None:
    """Write a corpus and print its size and questions."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--chunks", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    pairs = generate(args.folder, args.chunks, args.seed)
    files = sorted(args.folder.glob("*.txt"))
    texts = [f.read_text(encoding="utf-8") for f in files]
    chunks = sum(_count(t) for t in texts)
    words = sum(len(t.split()) for t in texts)
    print(f"{len(files)} files, {chunks} chunks, {words} words", file=sys.stderr)
    for question, figure in pairs:
        print(f"{figure}\t{question}")


if __name__ == "__main__":
    main()
