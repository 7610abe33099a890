"""The English of questions: the words that say what kind of answer is wanted, one table
each, shared by the question analysis (question.py). General English, never the words of
any one document."""

from __future__ import annotations

import re

from remqa.text.words import STOPWORDS

# Words that say what kind of answer is wanted; they are not the subject of the question.
PERCENT_CUES = {
    "share", "shares", "percentage", "percent", "proportion", "fraction", "portion", "stake",
    "slice", "%", "percentages", "part",
}  # fmt: skip
MONEY_CUES = {
    "worth", "value", "valued", "values", "cost", "costs", "price", "prices", "dollars",
    "dollar", "money", "invest", "investment", "investments", "revenue", "spend", "spent",
    "funding", "usd", "$",
}  # fmt: skip
# Cue words that ask for a figure only when they are what the question asks about ("what
# share of ...", "what is China's stake in ..."), not anywhere in it: "what part of the
# Rhine", "federal funding for what purpose", "a small fraction ... goes to what lake".
WEAK_CUES = {
    "share", "shares", "proportion", "fraction", "portion", "stake", "slice", "part",
    "value", "valued", "values", "invest", "investment", "investments", "spend", "spent",
    "funding",
}  # fmt: skip
ASKED_WITHIN = 8  # words from the start of the question
AFTER_WEAK_CUE = {"of", "in", "for", "does", "do", "did", "is", "was", "are", "were", "has"}
QUANTITY_UNITS = {"ton", "tons", "tonne", "tonnes", "tonnage", "kilograms", "kg", "t"}
QUANTITY_CUES = QUANTITY_UNITS | {"volume", "capacity", "amount", "quantity"}
YEAR_CUES = {"when", "year"}
MULTIPLIER_CUES = {"times", "fold", "factor", "multiply", "multiplied"}
# The dimension a "how ADJECTIVE" question asks about (None: any quantity).
DIMENSION_OF = {
    "heavy": "mass", "tall": "length", "wide": "length", "deep": "length", "far": "length",
    "high": "length", "thick": "length", "fast": "speed", "long": "length or time",
    "old": "time",  # an age: "a 6-year-old girl", "aged 70 years"
}  # fmt: skip
# "What is the boiling point of neodymium?": a measurable property asked for by name wants a
# quantity of its dimension ("about 1,000 tons" does not answer it).
PROPERTY_DIMENSION = {
    "boiling point": "temperature", "melting point": "temperature",
    "temperature": "temperature", "weight": "mass", "mass": "mass", "length": "length",
    "height": "length", "depth": "length", "width": "length", "distance": "length",
    "altitude": "length", "elevation": "length", "speed": "speed", "velocity": "speed",
    "area": "area", "power output": "power", "duration": "time", "incubation period": "time",
    "half life": "time", "lifespan": "time", "life span": "time", "life expectancy": "time",
    "time until": "time", "time to": "time", "time from": "time", "time between": "time",
}  # fmt: skip
# "What is the median time until death ...": a statistic of the property asks for it too.
STATISTICS = "median|mean|average|typical|usual|estimated|expected|maximum|minimum"
ASKED_PROPERTY = re.compile(
    r"\b(?:what|which)(?:'s| is| was| are| were)(?: the| its| their| an?)?(?: [\w-]+'s)?"
    rf"(?: (?:{STATISTICS}))? ("
    + "|".join(sorted(PROPERTY_DIMENSION, key=len, reverse=True))
    + r")\b"
)
CHANGE_VERBS = {"rise", "rose", "grow", "grew", "increase", "increased", "expand", "change"}
SCAFFOLD = {
    "much", "many", "big", "large", "larger", "largest", "high", "number", "amount", "level",
    "figure", "figures", "total", "roughly", "approximately", "exactly", "about", "around",
    "respective", "respectively", "compare", "contrast", "between", "according", "does", "do",
    "did", "doing", "name", "called", "named", "happen", "happened", "go", "goes", "way",
}  # fmt: skip
# Scope words narrow a question a little ("world production" vs "Russia's production"),
# but say less than the subject; they count at a fraction of their weight.
SCOPE_WORDS = {"world", "world's", "global", "worldwide", "planet", "overall", "whole", "total"}
GENERIC = PERCENT_CUES | MONEY_CUES | QUANTITY_CUES | YEAR_CUES | MULTIPLIER_CUES | SCAFFOLD
AUXILIARIES = {
    "did", "does", "do", "was", "were", "is", "are", "will", "would", "can", "could", "has",
    "have", "had", "should", "shall", "may", "might", "must",
}  # fmt: skip
# Words that end the noun phrase after "how many": stopwords and auxiliaries ("how many
# people may have left": NLTK's stopwords leave out "may", "might", "could", "would" ...).
UNIT_STOP = sorted(STOPWORDS | AUXILIARIES | {"exist", "remain", "operate", "work"})
QUESTION_WORDS = {"what", "which", "who", "whom", "whose", "when", "where", "why", "how"}
# Nouns that say what kind of thing "which/what NOUN" asks for: general English.
DATE_NOUNS = {
    "year", "years", "date", "century", "centuries", "decade", "decades", "month", "day",
    "era", "period", "time", "age",
}  # fmt: skip
PLACE_NOUNS = {
    "city", "cities", "country", "countries", "river", "rivers", "place", "places", "region",
    "state", "town", "location", "mountain", "mountains", "lake", "sea", "ocean", "island",
    "continent", "area", "border", "capital", "village", "province", "county", "valley",
    "nation", "canton", "port", "street",
}  # fmt: skip
NAME_NOUNS = {
    "person", "man", "woman", "people", "king", "queen", "president", "scientist", "author",
    "writer", "leader", "company", "organization", "organisation", "group", "team", "church",
    "university", "party", "bishop", "emperor", "philosopher", "physicist", "name", "called",
    "named", "founder", "minister", "agency", "firm", "body", "official", "officer",
    "director", "head", "chief", "executive", "manager", "spokesman", "spokesperson",
    "chairman", "owner", "operator", "shareholder", "general", "ruler", "artist", "composer",
    "inventor", "discoverer", "manufacturer", "producer", "supplier", "corporation", "who",
}  # fmt: skip
AMOUNT_NOUNS = {"percentage", "percent", "proportion", "share", "amount", "cost", "price"}
COUNT_NOUNS = {"number"}
# "How ADJECTIVE ...": a measure. "How big/large" may also ask for an amount or a share.
MEASURE_WORDS = {
    "long", "far", "big", "large", "tall", "old", "high", "wide", "deep", "fast", "heavy", "thick",
}  # fmt: skip
SIZE_WORDS = {"big", "large"}

BEFORE_WHEN = {"since", "until", "till", "from", "by", "and", "but", "so", "then"}
OTHER_QUESTION_WORDS = QUESTION_WORDS - {"when"}
