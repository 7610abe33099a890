"""Find numeric figures (percentages, money, tonnages, years, multipliers, counts) in English text.

The answer engine uses this to tell whether a sentence holds the kind of figure a question asks
for and to check that every figure in an answer is backed by a cited quote; the eval suite uses
it to match gold figures against answers. Values are normalised (scale words applied, units made
canonical) so that "$15bn" and "15 billion dollars" compare equal.

Design notes:
- Ordinals ("4th place", "fourth") are not figures; they rank, they do not measure.
- Number words ("eight") are counts only when a plural noun follows, directly or after one
  modifier ("eight national projects"), so "one of the largest" yields nothing.
- A bare 4-digit integer 1000-2100 is a year, even before a plural noun ("2000 mines"); any
  number written with its era is one too ("AD 120", "4000 BC", "8,500 BP"), its text keeping
  the era.
- A span of time written as one word ("a five-year course", "a 10-day strike") is a count of
  its unit.
- Ranges are built by joining two adjacent figures over "-", "–", "to" (not "from X to Y",
  which is a change between two values) or "between X and Y".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

FigureKind = Literal["percent", "money", "quantity", "year", "multiplier", "count"]


def _alts(spec: str, sep: str = "|") -> list[str]:
    """Split a word list; keeps the tables below compact and readable."""
    return spec.split(sep)


def _trie(words: list[str]) -> str:
    """Alternation factored by prefix: re tries branches one by one, so this keeps scans fast."""
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any]) -> str:
        alts = [
            (r"\s+" if ch == " " else re.escape(ch)) + emit(sub) for ch, sub in node.items() if ch
        ]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" not in node:
            return body
        return f"(?:{body})?" if len(alts) == 1 else body + "?"

    return emit(root)


_SMALL = _alts(
    "zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    "fifteen|sixteen|seventeen|eighteen|nineteen"
)
_TENS = _alts("twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety")
_WORD_VALUES: dict[str, float] = {w: float(i) for i, w in enumerate(_SMALL)}
for _i, _t in enumerate(_TENS):
    _WORD_VALUES[_t] = 20.0 + 10 * _i
    for _j in range(1, 10):
        _WORD_VALUES[f"{_t}-{_SMALL[_j]}"] = 20.0 + 10 * _i + _j
_WORD_VALUES.update(hundred=100.0, thousand=1000.0)
_WORDS = _trie(list(_WORD_VALUES))

_QUALIFIERS: dict[str, str] = {
    phrase: canonical
    for canonical, phrases in (
        ("gt", "more than|greater than|over|above|exceeds|exceeded|exceeding|exceed|at least|"
         "in excess of|upwards of"),
        ("lt", "less than|fewer than|under|below|up to|at most|no more than|not more than|"
         "not exceed|not exceeding|not to exceed|does not exceed|do not exceed|did not exceed|"
         "doesn't exceed|as much as|as many as"),
        ("approx", "about|approximately|approx|around|roughly|nearly|almost|circa|close to|"
         "an estimated|estimated|~"),
    )
    for phrase in _alts(phrases)
}  # fmt: skip
_QUAL_RE = _trie([q for q in _QUALIFIERS if q != "~"])

# Units of measure of everyday documents (datasheets, reports, encyclopaedias): each is a
# quantity kept in its own unit (a figure matches only the same unit). General English, not
# any one document's vocabulary. Symbols are matched case-sensitively ("MW", "Pa"), words in
# any case; spellings that are also common words ("in", "real", "won") are left out.
_MEASURE_SYMBOLS = {
    "m": "m", "cm": "cm", "mm": "mm", "ft": "ft", "ha": "ha", "km2": "km2|km²",
    "m2": "m2|m²", "m3": "m3|m³", "g": "g", "lb": "lb|lbs", "W": "W", "kW": "kW",
    "MW": "MW", "GW": "GW", "kWh": "kWh", "MWh": "MWh", "GWh": "GWh", "TWh": "TWh",
    "V": "V", "A": "A", "Pa": "Pa", "°C": "°C", "°F": "°F", "km/h": "km/h", "mph": "mph",
    "m/s": "m/s", "m3/s": "m3/s|m³/s",
}  # fmt: skip
_MEASURE_WORDS = {
    "m": "metre|metres|meter|meters",
    "cm": "centimetre|centimetres|centimeter|centimeters",
    "mm": "millimetre|millimetres|millimeter|millimeters",
    "km": "kilometre|kilometres|kilometer|kilometers",
    "mi": "mile|miles",
    "ft": "foot|feet",
    "in": "inch|inches",
    "ha": "hectare|hectares",
    "acre": "acre|acres",
    "km2": "square kilometre|square kilometres|square kilometer|square kilometers",
    "m2": "square metre|square metres|square meter|square meters",
    "mi2": "square mile|square miles",
    "m3": "cubic metre|cubic metres|cubic meter|cubic meters",
    "l": "litre|litres|liter|liters",
    "gal": "gallon|gallons",
    "bbl": "barrel|barrels",
    "g": "gram|grams",
    "kg": "kilogram|kilograms",
    "W": "watt|watts",
    "kW": "kilowatt|kilowatts",
    "MW": "megawatt|megawatts",
    "GW": "gigawatt|gigawatts",
    "kWh": "kilowatt-hour|kilowatt-hours|kilowatt hours",
    "V": "volt|volts",
    "A": "ampere|amperes",
    "Pa": "pascal|pascals",
    "°C": "degrees celsius",
    "°F": "degrees fahrenheit",
    "K": "kelvin|kelvins",
    "km/h": "kilometres per hour|kilometers per hour",
    "mph": "miles per hour",
    "m/s": "metres per second|meters per second",
    "m3/s": "cubic metres per second|cubic meters per second",
}
_CURRENCY_WORDS = {
    "SEK": "krona|kronor", "NOK": "krone|kroner", "JPY": "yen", "INR": "rupee|rupees",
    "CHF": "franc|francs", "MXN": "peso|pesos", "PLN": "zloty|zlotys", "ILS": "shekel|shekels",
    "HUF": "forint|forints", "CZK": "koruna|korunas", "AED": "dirham|dirhams",
}  # fmt: skip
# What each unit measures: "how heavy" wants a mass, "how long" a length or a time. A span
# of time is read as a count of its unit ("11-13 days", "a five-year course").
_TIME_UNITS = {"second", "minute", "hour", "day", "week", "month", "year", "decade", "century"}
_LENGTH_UNITS = {"m", "cm", "mm", "km", "mi", "ft", "in"}
DIMENSIONS = {
    "length": _LENGTH_UNITS,
    "time": _TIME_UNITS,
    "length or time": _LENGTH_UNITS | _TIME_UNITS,
    "mass": {"g", "kg", "t", "lb"},
    "area": {"ha", "acre", "km2", "m2", "mi2"},
    "volume": {"m3", "l", "gal", "bbl"},
    "speed": {"km/h", "mph", "m/s"},
    "power": {"W", "kW", "MW", "GW"},
    "temperature": {"°C", "°F", "K"},
}
_MEASURES: dict[str, tuple[FigureKind, str, float]] = {
    spelling.lower(): ("quantity", unit, 1.0)
    for table in (_MEASURE_SYMBOLS, _MEASURE_WORDS)
    for unit, spellings in table.items()
    for spelling in _alts(spellings)
} | {
    spelling: ("money", code, 1.0)
    for code, spellings in _CURRENCY_WORDS.items()
    for spelling in _alts(spellings)
}
_UNIT_WORDS = sorted(
    [s for table in (_MEASURE_WORDS, _CURRENCY_WORDS) for v in table.values() for s in _alts(v)],
    key=len,
    reverse=True,
)
_UNIT_SYMBOLS = sorted(
    (s for v in _MEASURE_SYMBOLS.values() for s in _alts(v)), key=len, reverse=True
)

# Canonical unit table: lower-cased, whitespace-collapsed spelling -> (kind, unit, factor).
_UNITS: dict[str, tuple[FigureKind, str, float]] = {
    **dict.fromkeys(["%", "percent", "per cent", "pct"], ("percent", "%", 1.0)),
    **dict.fromkeys(["percentage point", "percentage points"], ("percent", "pp", 1.0)),
    **dict.fromkeys(
        _alts("t|ton|tons|tonne|tonnes|metric ton|metric tons|metric tonne|metric tonnes"),
        ("quantity", "t", 1.0),
    ),
    "kt": ("quantity", "t", 1e3),
    "mt": ("quantity", "t", 1e6),  # the regex only admits the spelling "Mt"
    "kg": ("quantity", "kg", 1.0),
    "km": ("quantity", "km", 1.0),
    **_MEASURES,
    **dict.fromkeys(
        ["$", "us$", "usd", "dollar", "dollars", "us dollar", "us dollars"], ("money", "USD", 1.0)
    ),
    **dict.fromkeys(["€", "eur", "euro", "euros"], ("money", "EUR", 1.0)),
    **dict.fromkeys(["£", "gbp"], ("money", "GBP", 1.0)),
    **dict.fromkeys(["rub", "ruble", "rubles", "rouble", "roubles"], ("money", "RUB", 1.0)),
    **dict.fromkeys(["cny", "rmb", "yuan"], ("money", "CNY", 1.0)),
}
_SCALES = dict(
    zip(
        _alts("hundred|thousand|million|billion|trillion|k|m|mn|b|bn|tn"),
        (1e2, 1e3, 1e6, 1e9, 1e12, 1e3, 1e6, 1e6, 1e9, 1e9, 1e12),
        strict=True,
    )
)

# A number never starts inside a word, a decimal, "COVID-19", or a thousands group ("1,000").
# Thousands are grouped by commas or, in the SI style of papers, by a (thin) space
# ("35 000 to 60 000 ventilators", "201\u202f200 deaths").
_NUM = (
    r"(?<![\w.])(?<![A-Za-z]-)(?!(?<=[0-9],)[0-9]{3}(?![0-9]))"
    r"(?:[0-9]{1,3}(?:,[0-9]{3}){1,4}(?![0-9])"
    r"|[0-9]{1,3}(?:[ \u00a0\u2009\u202f][0-9]{3}){1,4}(?![0-9]|[,.][0-9])|[0-9]{1,15})"
    r"(?:\.[0-9]+)?"
)
_GROUPING = re.compile(r"[, \u00a0\u2009\u202f]")
_CUR_RE = r"(?:(?<![A-Za-z])(?:US\s?\$|USD|EUR|GBP|RUB|CNY|RMB)|[$€£])\s?"
_UNIT_RE = (
    r"%|(?i:percentage\s+points?|per\s?cent|pct|(?:us\s+)?dollars?|euros?|r(?:o)?ubles?|yuan"
    r"|metric\s+ton(?:ne)?s?|tonnes?|tons?|"
    + "|".join(re.escape(s).replace(r"\ ", r"\s+") for s in _UNIT_WORDS)
    + r")(?![A-Za-z])"
    r"|(?:USD|EUR|GBP|RUB|CNY|RMB|kt|Mt|t|kg|km|"
    + "|".join(re.escape(s) for s in _UNIT_SYMBOLS)
    + r")(?![A-Za-z0-9²³/])"
)
_PATTERN = re.compile(
    r"(?=[\[0-9$€£~A-Za-z])"  # cheap reject of positions that cannot start a figure
    r"(?:(?P<cite>\[[0-9]{1,4}(?:\s*[,;–-]\s*[0-9]{1,4})*\])"
    rf"|(?:(?P<qual>(?i:\b{_QUAL_RE}\b\.?)|~)\s*)?(?:"
    r"(?i:\b(?P<twice>twice|thrice)\b)"
    rf"|(?P<cur>{_CUR_RE})?(?:(?P<num>{_NUM})"
    rf"|(?i:\b(?P<word>{_WORDS})(?=[-\s]?fold|[^A-Za-z-]|$)))(?:"
    r"(?P<mult>\s?-?\s?(?i:fold)\b|\s+(?i:times)\b|(?<=[0-9])[x×](?![A-Za-z0-9]))"
    r"|(?:\s?(?P<scale>(?i:hundred|thousand|million|billion|trillion|bn|mn|tn))(?![A-Za-z])"
    r"|(?(cur)(?P<sscale>[kKmMbB])(?![A-Za-z])|(?!)))?"
    rf"(?:\s?(?P<unit>{_UNIT_RE}))?(?:(?<=%)|(?![A-Za-z0-9]))"
    r")))(?=(?:\s+(?P<w1>[A-Za-z]+(?:-[A-Za-z]+)*)"
    r"(?:\s+(?P<w2>[A-Za-z]+(?:-[A-Za-z]+)*)(?:\s+(?P<w3>[A-Za-z]+(?:-[A-Za-z]+)*))?)?)?)"
)
_STOP = set(
    _alts(
        "a an the of and or but nor to in on at by for with from into per as than that this "
        "these those which who whom whose is are was were be been being has have had its it "
        "their his her our your they we he she more less most also not no so if then thus yes "
        "does always perhaps whereas sometimes afterwards towards besides across unless times "
        "percent",
        " ",
    )
)
_CONNECTOR = re.compile(r"\s?[-–—]\s?|\s+(?:to|and)\s+")
_BEFORE = {"to": re.compile(r"(?i)\bfrom\s+$"), "and": re.compile(r"(?i)\bbetween\s+$")}


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure in a text, normalised so differently written figures compare equal.

    `text` includes a leading qualifier ("up to 38%"); a count's noun is kept in `unit`
    ("17 metals" -> text "17", unit "metal") so that the text stays the number itself.
    """

    text: str
    start: int
    end: int
    kind: FigureKind
    low: float
    high: float
    unit: str | None = None
    qualifier: str | None = None

    @property
    def is_range(self) -> bool:
        """True for a span such as 80-95%, which only ever matches another span."""
        return self.high != self.low


class _Tok(NamedTuple):
    """A figure plus what range-joining needs: its scale, and whether it has no unit."""

    fig: Figure
    scale: float = 1.0
    plain: bool = False  # a count with no currency or unit, which may borrow a neighbour's
    spelled: bool = False  # a number word; these never form ranges ("1- thousand" is noise)


_NEXT_WORD = re.compile(r"[\s-]+([^\W\d_]+)")


def with_time_unit(figure: Figure, text: str) -> str:
    """The words of `text` that state the figure, its time unit included when the word
    right after a count names it: "19 days", not "19" (a span of time means nothing
    without its unit). `figure` is one of `text`'s figures."""
    stated = text[figure.start : figure.end]
    if figure.kind != "count" or figure.unit not in _TIME_UNITS:
        return stated
    after = _NEXT_WORD.match(text, figure.end)
    if after is None or _singular(after.group(1)) != figure.unit:
        return stated
    return text[figure.start : after.end()]


def _singular(word: str) -> str | None:
    """Singular of a plural noun, or None when the word does not look like one."""
    w = word.lower()
    if len(w) < 3 or w in _STOP or not w.endswith("s") or w.endswith(("ss", "us", "is")):
        return None
    if w in ("species", "series"):
        return w
    if w.endswith("ies"):
        return w[:-3] + "y"
    if w.endswith(("sses", "xes", "ches", "shes", "zes")):
        return w[:-2]
    return w[:-1]


def _count_unit(words: Sequence[str | None], strict: bool = False) -> str | None:
    """The noun a count counts: the first plural of the next words, after at most two
    modifiers ("six new ship-to-shore cranes", "two well-known ports").

    strict (used for number words) accepts lower-case words only, so "Three Gorges" is no count.
    """
    for word in words:
        if word is None or word.lower() in _STOP or (strict and not word.islower()):
            return None
        if noun := _singular(word):
            return noun
    return None


def _token(m: re.Match[str]) -> _Tok | None:
    """Turn one regex match into a token, or None for citations and lone number words."""
    names = ("qual", "twice", "word", "num", "mult", "scale", "sscale", "cur", "unit")
    qual, twice, word, num, mult, sc, ssc, cur, unit_w = m.group(*names)
    kind: FigureKind = "count"
    unit: str | None = None
    scale, plain = 1.0, False
    if twice:
        kind, value = "multiplier", 2.0 if twice.lower() == "twice" else 3.0
    elif num is None and word is None:
        return None  # a citation marker
    else:
        value = float(_GROUPING.sub("", num)) if num else _WORD_VALUES[word.lower()]
        scale = _SCALES[(sc or ssc).lower()] if sc or ssc else 1.0
        value *= scale
        if mult:
            kind = "multiplier"
        elif cur or unit_w:
            key = "".join(cur.split()) if cur else " ".join(unit_w.split())
            kind, unit, factor = _UNITS[key.lower()]
            value *= factor
        elif num and len(num) == 4 and num.isdigit() and 1000 <= value <= 2100:
            kind = "year"
        else:
            unit, plain = _count_unit(m.group("w1", "w2", "w3"), strict=not num), True
            if unit is None and not num and scale == 1.0:
                return None  # "one of the largest": a number word but no counted noun
    q = _QUALIFIERS[" ".join(qual.lower().rstrip(".").split())] if qual else None
    fig = Figure(m[0], m.start(), m.end(), kind, value, value, unit, q)
    return _Tok(fig, scale, plain, bool(word or twice))


def _join(a: _Tok, b: _Tok, text: str) -> _Tok | None:
    """Join two adjacent figures into a range when the text between them says so."""
    fa, fb = a.fig, b.fig
    gap = text[fa.end : fb.start]
    if not gap or len(gap) > 7 or fa.is_range or fb.qualifier or a.spelled or b.spelled:
        return None
    if not _CONNECTOR.fullmatch(gap):
        return None
    word, start = gap.strip().lower(), fa.start
    if word in ("to", "and"):  # "from X to Y" is a change, not a range; "X and Y" needs "between"
        lead = _BEFORE[word].search(text, max(0, fa.start - 9), fa.start)
        if (word == "to") == (lead is not None):
            return None
        start = lead.start() if lead else start
    low, high, kind, unit = fa.low, fb.high, fb.kind, fb.unit
    if fa.kind == "year" and b.plain and b.scale == 1 and len(fb.text) == 2 and word in "-–—":
        high, kind, unit = fa.low // 100 * 100 + fb.low, "year", None  # 2023-24
    elif "year" in (fa.kind, fb.kind) and fa.kind != fb.kind:
        return None
    elif a.plain:
        unit = fb.unit or fa.unit
    elif b.plain:
        kind, unit = fa.kind, fa.unit
    elif fa.kind != fb.kind or (fa.unit and fb.unit and fa.unit != fb.unit):
        return None
    else:
        unit = fb.unit or fa.unit
    if a.scale == 1 and b.scale != 1:  # $5-10 million
        low *= b.scale
    elif b.scale == 1 and a.scale != 1:
        high *= a.scale
    if not low < high:
        return None
    fig = Figure(text[start : fb.end], start, fb.end, kind, low, high, unit, fa.qualifier)
    return _Tok(fig, max(a.scale, b.scale))


# "a five-year course", "a 10-day strike", "a 6-year-old girl": a count of a span of time
# (an age), written as one word.
_DURATION = re.compile(
    rf"(?<![\w-])(?P<n>[0-9]{{1,3}}|(?i:{_WORDS}))-(?P<unit>(?i:year|month|week|day|hour|minute"
    r"|second|decade|century))(?:s?-old)?(?![\w-])"
)


def _durations(text: str) -> list[Figure]:
    out = []
    for m in _DURATION.finditer(text):
        n = m["n"]
        value = float(n) if n.isdigit() else _WORD_VALUES[n.lower()]
        out.append(Figure(m[0], m.start(), m.end(), "count", value, value, m["unit"].lower()))
    return out


# A year written with its era: "AD 120", "120 AD", "4000 BC", "300 B.C.", "476 CE", "8,500 BP".
# Era letters in capitals only ("5 ce" is no era). The value counts from the common era, so
# "753 BC" is -753 and never equals the year 753, and "8,500 BP" (before 1950, by convention)
# is -6550.
_ERA_YEAR = re.compile(
    r"(?<![\w.,])(?:(?:AD|A\.D\.)\s?[0-9]{1,4}"
    r"|(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,6})\s?(?:BCE|BC|B\.C\.(?:E\.)?|AD|A\.D\.|CE|C\.E\.|BP))"
    r"(?![A-Za-z0-9-]|,[0-9])"
)
# A number, its era and a plural noun ("120 AD patients", "5 CE devices") is more likely a
# count of something the letters abbreviate, unless a word of time leads ("in 43 AD legions").
_TIME_LEAD = re.compile(
    r"(?i)\b(?:in|by|from|until|till|to|since|before|after|around|about|circa|c\.|ca\.)\s+$"
)


def era_years(text: str) -> list[Figure]:
    """The years of text written with their era, as year figures."""
    out = []
    for m in _ERA_YEAR.finditer(text):
        era = re.sub(r"[^A-Z]", "", m[0])
        number = float(re.sub(r"[^0-9]", "", m[0]))
        if m[0][0].isdigit():  # the era after the number: is it an abbreviation?
            after = _NEXT_WORD.match(text, m.end())
            plural = after is not None and after[1].islower() and _singular(after[1])
            if plural and not _TIME_LEAD.search(text, max(0, m.start() - 8), m.start()):
                continue
        value = -number if era in ("BC", "BCE") else 1950 - number if era == "BP" else number
        out.append(Figure(m[0], m.start(), m.end(), "year", value, value))
    return out


# "two thirds of the flow", "a quarter of all exports", "half of the output": a share of
# something, read as a percentage (its text stays as written).
_DENOMINATORS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5,
    "fifths": 5, "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7, "eighth": 8,
    "eighths": 8, "ninth": 9, "ninths": 9, "tenth": 10, "tenths": 10,
}  # fmt: skip
_FRACTION = re.compile(
    r"(?<![\w-])(?:(?P<n>(?i:a|one|two|three|four|five|six|seven|eight|nine))[\s-]+)?"
    rf"(?P<d>(?i:{'|'.join(sorted(_DENOMINATORS, key=len, reverse=True))}))(?=\s+of\b)"
)


def _fractions(text: str) -> list[Figure]:
    out = []
    for m in _FRACTION.finditer(text):
        denominator = _DENOMINATORS[m["d"].lower()]
        if m["n"] is None and denominator != 2:
            continue  # "the third of May": only "half" goes without "a" or "one"
        numerator = 1.0 if m["n"] in (None, "a", "A") else _WORD_VALUES[m["n"].lower()]
        if numerator >= denominator:
            continue
        share = round(100 * numerator / denominator, 1)
        out.append(Figure(m[0], m.start(), m.end(), "percent", share, share, "%"))
    return out


def find_figures(text: str) -> list[Figure]:
    """All figures in text, in order, non-overlapping. Citation markers like [1] are skipped."""
    out: list[_Tok] = []
    for m in _PATTERN.finditer(text):
        tok = _token(m)
        if tok is None:
            continue
        joined = _join(out[-1], tok, text) if out else None
        if joined is not None:
            out[-1] = joined
        else:
            out.append(tok)
    figures = [t.fig for t in out]
    # A span of time in one word, a fraction of something and a year with its era replace
    # what the pattern read there: "five-year" is a count of years, "two thirds" a share, not
    # a count of thirds, "AD 120" a year, not a count.
    for whole in [*_durations(text), *_fractions(text), *era_years(text)]:
        figures = [f for f in figures if not (f.start < whole.end and whole.start < f.end)]
        figures.append(whole)
    return sorted(figures, key=lambda f: f.start)


def parse_figure(value: str) -> Figure:
    """Parse one gold figure such as '98.8%', '$430 million', '80-95%' or 'eightfold'."""
    found = find_figures(value)
    word = value.strip()
    if not found and word.lower() in _WORD_VALUES:
        start = value.index(word)
        num = _WORD_VALUES[word.lower()]
        return Figure(word, start, start + len(word), "count", num, num)
    if not found:
        raise ValueError(f"no figure found in {value!r}")
    if len(found) > 1:
        texts = ", ".join(repr(f.text) for f in found)
        raise ValueError(f"expected one figure in {value!r}, found {len(found)}: {texts}")
    return found[0]


def _close(x: float, y: float) -> bool:
    """Equal within a relative tolerance of 1e-9, so 0.1*1e9 matches 1e8."""
    return x == y or abs(x - y) <= 1e-9 * max(abs(x), abs(y))


def same_figure(a: Figure, b: Figure) -> bool:
    """Same kind, value(s) and compatible unit; a range only equals a range. Ignores qualifier."""
    return (
        a.kind == b.kind
        and a.is_range == b.is_range
        and _close(a.low, b.low)
        and _close(a.high, b.high)
        and (a.unit is None or b.unit is None or a.unit == b.unit)
    )


def contains_figure(text: str, figure: Figure | str) -> bool:
    """True when some figure found in text is the same figure as `figure`."""
    target = parse_figure(figure) if isinstance(figure, str) else figure
    return any(same_figure(f, target) for f in find_figures(text))


def figures_of_kind(text: str, kinds: set[FigureKind]) -> list[Figure]:
    """The figures in text whose kind is one of `kinds`, e.g. to spot a sentence with a year."""
    return [f for f in find_figures(text) if f.kind in kinds]
