"""Generate the known-item query set (tests/golden/known_items.json) from the real corpus.

    python bench/queryset.py [--corpus ../shared/corpus] [--out tests/golden/known_items.json] [--seed 15]

Each query is a few words a researcher would type for one document, of one kind: rare-word topics,
exact phrases, Russian and English word forms that do not occur in the target, names in another of
their forms (either language), misspellings, and a common word with party and year filters. The
target must be in the top 10. Only short queries and document ids are written, never passages.
The output was then read through and kept as generated (see the README of the benchmarks).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
from collections import Counter, defaultdict
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# The documents the test indexes (small enough to build in seconds; every source and both languages).
SOURCES = [
    "seed",
    "whitehouse_joint_statements",
    "kremlin_ru_2025",
    "kremlin_en_html/pages",
    "tota/xml",
    "manytreaties/treaty texts/Raw",
    "ungdc/TXT",
]
PER_KIND = 25
TOKEN = re.compile(r"\w+")
NAME_CODES = ("BLR", "KGZ", "KAZ", "CHN", "USA", "RUS", "GBR", "IND", "JPN", "DEU", "FRA", "UZB", "TJK", "ARM")


def load(corpus: Path):
    from corpus.importers import import_paths
    from corpus.sqlite_store import SQLiteStore
    from treatysearch.cli import readers

    store = SQLiteStore(Path(tempfile.mkdtemp()) / "corpus.sqlite3")
    import_paths(store, [corpus / s for s in SOURCES], readers())
    return list(store.iter_documents())


def fold(text: str) -> str:
    return text.lower().replace("ё", "е")


def _words_of(text: str) -> set[str]:
    """Whole words of five letters or more, as the index reads them («юстиции3» is one token, not «юстиции»)."""
    return {t for t in TOKEN.findall(fold(text)) if len(t) >= 5 and t.isalpha()}


class Corpus:
    """Word statistics of the documents: which words each holds, and in how many documents each stands."""

    def __init__(self, docs) -> None:
        from indexer.analysis import STOPWORDS, join_prefixes, stem

        self.docs = [d for d in docs if len(d.text) > 400]
        self.words = {d.id: _words_of(join_prefixes(f"{d.title}\n{d.text}")) - STOPWORDS for d in self.docs}
        self.df = Counter(w for ws in self.words.values() for w in ws)
        self.stem = {w: stem(w) for w in self.df}
        self.stem_df = Counter(s for ws in self.words.values() for s in {self.stem[w] for w in ws})

    def rare(self, doc, low: int, high: int) -> list[str]:
        """The document's words whose stem (what the index matches) stands in low to high documents."""
        return sorted(w for w in self.words[doc.id] if low <= self.stem_df[self.stem[w]] <= high)


def rare_words(c: Corpus, rng: random.Random) -> list[dict]:
    out = []
    for doc in rng.sample(c.docs, len(c.docs)):
        words = c.rare(doc, 2, 12)
        if len(words) >= 2:
            out.append({"q": " ".join(rng.sample(words, 2)), "targets": [doc.id]})
        if len(out) == PER_KIND:
            break
    return out


def phrases(c: Corpus, rng: random.Random) -> list[dict]:
    from indexer.analysis import STOPWORDS

    texts = {d.id: fold(f"{d.title}\n{d.text}") for d in c.docs}
    out = []
    for doc in rng.sample(c.docs, len(c.docs)):
        tokens = TOKEN.findall(fold(doc.title))
        pairs = [
            (a, b)
            for a, b in pairwise(tokens)
            if a not in STOPWORDS and b not in STOPWORDS and len(a) > 3 and len(b) > 3 and not a.isdigit()
        ]
        for a, b in rng.sample(pairs, len(pairs)):
            holders = [i for i, t in texts.items() if f"{a} {b}" in t]
            if 1 <= len(holders) <= 8:
                out.append({"q": f'"{a} {b}"', "targets": [doc.id]})
                break
        if len(out) == PER_KIND:
            break
    return out


def russian_forms(c: Corpus, rng: random.Random) -> list[dict]:
    """A noun of a Russian document in a case form the document does not hold, plus one rare word as it stands."""
    from indexer.analysis import _morph, russian_stem

    morph = _morph()
    out = []
    for doc in rng.sample([d for d in c.docs if d.language == "ru"], len([d for d in c.docs if d.language == "ru"])):
        words = [w for w in c.rare(doc, 1, 6) if re.fullmatch(r"[а-я]+", w)]
        for word in rng.sample(words, len(words)):
            lemma = russian_stem(word)  # the parse the index takes, so that the form is one of the same word
            parse = next((p for p in morph.parse(word) if p.normal_form == lemma), None)
            if parse is None or "NOUN" not in parse.tag or parse.normal_form == word:
                continue
            other = next((f.word for f in parse.lexeme if f.word not in c.words[doc.id] and "plur" not in f.tag), None)
            rest = [w for w in c.rare(doc, 2, 12) if w != word]
            if other and rest:
                out.append({"q": f"{other} {rng.choice(rest)}", "targets": [doc.id]})
                break
        if len(out) == PER_KIND:
            break
    return out


def english_forms(c: Corpus, rng: random.Random) -> list[dict]:
    """An English word in another form of its stem that the document does not hold, plus one rare word."""
    from indexer.analysis import stem

    by_stem = defaultdict(set)
    for w in c.df:
        if re.fullmatch(r"[a-z]+", w):
            by_stem[stem(w)].add(w)
    out = []
    english = [d for d in c.docs if d.language == "en"]
    for doc in rng.sample(english, len(english)):
        words = [w for w in c.rare(doc, 1, 8) if re.fullmatch(r"[a-z]+", w)]
        for word in rng.sample(words, len(words)):
            others = sorted(by_stem[stem(word)] - c.words[doc.id])
            rest = [w for w in c.rare(doc, 2, 12) if w != word and re.fullmatch(r"[a-z]+", w)]
            if others and rest:
                out.append({"q": f"{rng.choice(others)} {rng.choice(rest)}", "targets": [doc.id]})
                break
        if len(out) == PER_KIND:
            break
    return out


def name_variants(c: Corpus, rng: random.Random) -> list[dict]:
    """A party's name in a form the document does not use (another name, or the other language), plus a rare word."""
    from indexer.analysis import CYRILLIC, _morph
    from indexer.names import names_of

    def dictionary_form(name: str) -> bool:  # as a user types it: «Киргизия», not «Киргизией»
        if not CYRILLIC.search(name):
            return True
        parse = _morph().parse(fold(name))[0]
        return parse.normal_form == fold(name) and parse.tag.POS in ("NOUN", "ADJF")

    out = []
    for doc in rng.sample(c.docs, len(c.docs)):
        codes = [p for p in doc.parties if p in NAME_CODES]
        if not codes:
            continue
        code = rng.choice(codes)
        single = sorted({w.text for w in _words(names_of(code)) if " " not in w.text})
        absent = [
            n
            for n in single
            if fold(n) not in c.words[doc.id] and len(n) > 4 and fold(n) in c.df and dictionary_form(n)
        ]
        rest = c.rare(doc, 2, 10)
        if absent and rest:
            out.append({"q": f"{rng.choice(absent)} {rng.choice(rest)}", "targets": [doc.id]})
        if len(out) == PER_KIND:
            break
    return out


def _words(nodes):
    from indexer.query import leaves

    return [leaf for n in nodes for leaf in leaves(n)]


def misspellings(c: Corpus, rng: random.Random) -> list[dict]:
    """A rare long word with two neighbouring letters swapped (the target must be found through the suggestion)."""
    out = []
    for doc in rng.sample(c.docs, len(c.docs)):
        words = [w for w in c.rare(doc, 2, 6) if 8 <= len(w) <= 14]
        if not words:
            continue
        word = rng.choice(words)
        i = rng.randrange(2, len(word) - 2)
        typo = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
        if typo != word and typo not in c.df:
            out.append({"q": typo, "targets": [doc.id], "meant": word})
        if len(out) == PER_KIND:
            break
    return out


def filtered(c: Corpus, rng: random.Random) -> list[dict]:
    """A common word, the document's parties ("between") and its year."""
    out = []
    for doc in rng.sample(c.docs, len(c.docs)):
        if len(doc.parties) < 2 or not doc.year:
            continue
        words = c.rare(doc, 20, 200)
        if words:
            out.append({"q": rng.choice(words), "parties": list(doc.parties), "year": doc.year, "targets": [doc.id]})
        if len(out) == PER_KIND:
            break
    return out


KINDS = {
    "rare words": rare_words,
    "phrase": phrases,
    "russian form": russian_forms,
    "english form": english_forms,
    "name variant": name_variants,
    "misspelling": misspellings,
    "filters": filtered,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "golden" / "known_items.json")
    parser.add_argument("--seed", type=int, default=15)
    args = parser.parse_args()
    c = Corpus(load(args.corpus))
    queries = []
    for kind, make in KINDS.items():
        made = make(c, random.Random(f"{args.seed}-{kind}"))
        queries += [{"kind": kind, **q} for q in made]
        print(f"{kind}: {len(made)}", file=sys.stderr)
    data = {"sources": SOURCES, "queries": queries}
    args.out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")


if __name__ == "__main__":
    main()
