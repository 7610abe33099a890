"""Build remqa's English lexicon (src/remqa/text/lexicon.json.gz) from Princeton WordNet 3.0.

    sudo apt-get install wordnet-base          # Debian's official copy of WordNet 3.0
    .venv/bin/python scripts/build_lexicon.py  # reads /usr/share/wordnet, writes the JSON

The lexicon holds, for each English word, the words that may stand for it in a question
(synonyms of its common senses, derived forms like "produce"/"production", the noun an
adjective pertains to like "Chinese"/"China", the country a capital or region is part of
like "Tokyo"/"Japan") and its antonyms ("largest"/"smallest", "imports"/"exports"), the
other names of a name by its first sense only ("China": PRC, Beijing, not Taiwan; "American":
the United States), plus WordNet's irregular inflections ("mice" -> "mouse"). None of it is
about any one document.
remqa.text.lexicon reads it (answering uses it for antonyms, for multi-word expressions such
as "rare earth", for the learned selector's paraphrase coverage, for what a count counts and
for the other names of a name).

Only the common senses of a word are used (the first senses WordNet lists, as many as were
seen in its sense-tagged corpus, at most MAX_SENSES), so that "plant" brings "factory" and
"flora" but not every rare sense. The file format is documented in wndb(5).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "src" / "remqa" / "text" / "lexicon.json.gz"
POS_FILES = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
MAX_SENSES = 3
MAX_WORDS = 3  # longer multi-word lemmas ("united kingdom of great britain and ...") are left out


@dataclass
class Synset:
    words: list[str]
    proper: bool  # names a place, person or thing (capitalised in WordNet's data)
    pointers: list[tuple[str, str, str, int, int]] = field(default_factory=list)
    # (symbol, target offset, target pos, source word number, target word number)


def _clean(word: str) -> str:
    word = word.split("(")[0]  # adjective markers: "big(a)", "galore(ip)"
    return word.replace("_", " ").lower()


def read_data(root: Path, pos: str) -> dict[str, Synset]:
    synsets: dict[str, Synset] = {}
    for line in (root / f"data.{POS_FILES[pos]}").read_text(encoding="latin-1").splitlines():
        if line.startswith(" "):  # the licence header
            continue
        fields = line.split(" | ")[0].split()
        offset, ss_type, n_words = fields[0], fields[2], int(fields[3], 16)
        words = [_clean(fields[4 + 2 * i]) for i in range(n_words)]
        at = 4 + 2 * n_words
        n_pointers = int(fields[at])
        pointers = []
        for i in range(n_pointers):
            symbol, target, target_pos, source_target = fields[at + 1 + 4 * i : at + 5 + 4 * i]
            pointers.append(
                (symbol, target, "a" if target_pos == "s" else target_pos,
                 int(source_target[:2], 16), int(source_target[2:], 16))
            )  # fmt: skip
        proper = fields[4][:1].isupper()
        synsets[offset] = Synset(words, proper, pointers)
        if ss_type == "s":
            synsets[offset].pointers.append(("satellite", "", "a", 0, 0))
    return synsets


def read_index(root: Path, pos: str) -> dict[str, list[str]]:
    """Lemma -> the offsets of its common senses, most frequent first."""
    senses: dict[str, list[str]] = {}
    for line in (root / f"index.{POS_FILES[pos]}").read_text(encoding="latin-1").splitlines():
        if line.startswith(" "):
            continue
        fields = line.split()
        lemma, n_synsets, n_pointers = fields[0], int(fields[2]), int(fields[3])
        tagged = int(fields[5 + n_pointers])
        offsets = fields[6 + n_pointers : 6 + n_pointers + n_synsets]
        senses[_clean(lemma)] = offsets[: max(1, min(tagged, MAX_SENSES))]
    return senses


def read_exceptions(root: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    for pos in POS_FILES.values():
        for line in (root / f"{pos}.exc").read_text(encoding="latin-1").splitlines():
            form, base, *_ = line.split()
            found.setdefault(_clean(form), _clean(base))
    return found


CITY_WORDS = {"city", "national capital", "state capital", "provincial capital", "port"}
CAPITAL_WORDS = {"national capital"}


def _is_city(synset: Synset, nouns: dict[str, Synset], kinds: set[str] = CITY_WORDS) -> bool:
    """A city, whose name often stands for its country's government ("Beijing said")."""
    return synset.proper and any(
        symbol == "@i" and kinds & set(nouns[target].words)
        for symbol, target, *_ in synset.pointers
    )


def build(root: Path) -> dict[str, object]:
    data = {pos: read_data(root, pos) for pos in POS_FILES}
    index = {pos: read_index(root, pos) for pos in POS_FILES}  # read once, used again for names
    related: dict[str, set[str]] = defaultdict(set)
    part_of: dict[str, set[str]] = defaultdict(set)  # one way: Tokyo -> Japan, not back
    capitals: set[str] = set()
    names: dict[str, set[str]] = defaultdict(set)  # a name's first sense only: China, not Taiwan
    opposite: dict[str, set[str]] = defaultdict(set)
    for pos in POS_FILES:
        for lemma, offsets in index[pos].items():
            for offset in offsets:
                synset = data[pos][offset]
                related[lemma].update(synset.words)
                here = [i + 1 for i, w in enumerate(synset.words) if w == lemma]
                for symbol, target, tpos, source, tword in synset.pointers:
                    if symbol == "satellite":
                        continue
                    other = data[tpos].get(target)
                    if other is None or (source and source not in here):
                        continue
                    targets = [other.words[tword - 1]] if tword else other.words
                    if symbol in {"+", "<"}:  # derived form, participle
                        related[lemma].update(targets)
                    elif symbol == "\\":  # pertainym: "Soviet" -> the Soviet Union, the USSR
                        related[lemma].update(other.words)
                    elif symbol == "!":
                        opposite[lemma].update(targets)
                    elif symbol == "#p" and pos == "n" and _is_city(synset, data["n"]):
                        part_of[lemma].update(targets)  # Tokyo stands for Japan
                        if _is_city(synset, data["n"], CAPITAL_WORDS):
                            capitals.add(lemma)
                    elif symbol == "&" and any(p[0] == "satellite" for p in synset.pointers):
                        # "tiny" is similar to "small", so it is opposite to "large"
                        for s2, t2, p2, _, w2 in other.pointers:
                            if s2 == "!":
                                head_opp = data[p2][t2]
                                opposite[lemma].update(
                                    [head_opp.words[w2 - 1]] if w2 else head_opp.words
                                )
    # Synonymy is symmetric: "restart" is listed under "resume" only, "Dutch" points to the
    # Netherlands but not back.
    for lemma, words in list(related.items()):
        for word in words:
            if word != lemma:
                related[word].add(lemma)
    noun_senses = index["n"]
    for lemma, offsets in noun_senses.items():
        first = data["n"][offsets[0]]
        if not first.proper:
            continue
        names[lemma].update(first.words)
        for symbol, target, tpos, _, tword in first.pointers:
            if symbol == "#p" and _is_city(first, data["n"]):  # Beijing stands for China
                country = data[tpos][target]
                names[lemma].update([country.words[tword - 1]] if tword else country.words)
                if _is_city(first, data["n"], CAPITAL_WORDS):
                    for word in country.words:  # and China for Beijing, when that is
                        if noun_senses.get(word, [""])[0] == target:  # what China means first
                            names[word].add(lemma)
    # A nationality word names its country: "American" the United States, "Dutch" the
    # Netherlands (the adjective's first sense, when it pertains to a name).
    for lemma, offsets in index["a"].items():
        for symbol, target, tpos, _, tword in data["a"][offsets[0]].pointers:
            noun = data["n"][target].words[tword - 1] if tpos == "n" and tword else ""
            if symbol == "\\" and noun in names:  # the noun's own first sense ("China")
                names[lemma].update([noun, *names[noun]])
    for lemma, words in part_of.items():
        related[lemma].update(words)
    # A country's capital stands for its government both ways: "Beijing announced" answers
    # a question about China, and "Japan" one about Tokyo.
    for lemma in capitals:
        for country in part_of.get(lemma, ()):
            related[country].add(lemma)

    def keep(words: set[str], lemma: str) -> list[str]:
        return sorted(w for w in words if w != lemma and len(w.split()) <= MAX_WORDS)

    return {
        "related": {k: v for k, s in sorted(related.items()) if (v := keep(s, k))},
        "opposite": {k: v for k, s in sorted(opposite.items()) if (v := keep(s, k))},
        "names": {k: v for k, s in sorted(names.items()) if (v := keep(s, k))},
        "exceptions": dict(sorted(read_exceptions(root).items())),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wordnet", type=Path, default=Path("/usr/share/wordnet"),
                        help="WordNet 3.0 database folder (Debian: wordnet-base)")  # fmt: skip
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    lexicon = build(args.wordnet)
    digest = hashlib.sha256((args.wordnet / "data.noun").read_bytes()).hexdigest()
    lexicon = {
        "source": "Princeton WordNet 3.0 (Debian wordnet-base); WordNet licence, see README",
        "data_noun_sha256": digest,
        **lexicon,
    }
    payload = json.dumps(lexicon, ensure_ascii=False, separators=(",", ":")).encode()
    args.out.write_bytes(gzip.compress(payload, mtime=0))
    print(
        f"{args.out}: {len(lexicon['related'])} words with related words, "  # type: ignore[arg-type]
        f"{len(lexicon['opposite'])} with antonyms, {args.out.stat().st_size / 1e6:.1f} MB"  # type: ignore[arg-type]
    )


if __name__ == "__main__":
    main()
