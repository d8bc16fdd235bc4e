"""Names as entities: a state or organisation named in a query stands for all its names, in both languages.

«Белоруссия» also finds «Беларусь», "Belarus" and "Byelorussia"; "Kirghizia" finds «Кыргызстан» and
"Kyrgyz Republic". The names come from the party gazetteer (corpus/data/gazetteer.tsv). A quoted name
is taken as written. Each hit can then say which other name it holds ("Белоруссия → Беларусь").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from corpus.metadata import RU_ENDINGS, GazetteerEntry, gazetteer, normalize
from indexer.analysis import CYRILLIC, STOPWORDS, known_russian, place_lemma, russian_stem
from indexer.query import And, Names, Node, Or, Words, expand_prefixes, leaves, map_leaves, parse_searchable
from indexer.results import check_query
from indexer.schema import analyzer, joined
from indexer.spelling import widen_spellings

LONGEST_NAME = 4  # words: runs of plain query words this long are tried as one name
FORM_ENDINGS = ["", *sorted(RU_ENDINGS, key=len)]  # the shortest real word is the name's dictionary form


@dataclass(frozen=True)
class Widening:
    """A name in the query and the party it names: the query also looks for the party's other names."""

    typed: str
    code: str


def _matcher(entry: GazetteerEntry) -> re.Pattern[str]:
    """A whole-text regex for a gazetteer name: a * stands for any ending of up to four letters."""
    pattern = entry.pattern.lstrip("=")
    parts = [re.escape(w[:-1]) + r"\w{0,4}" if w.endswith("*") else re.escape(w) for w in pattern.split()]
    flags = 0 if entry.pattern.startswith("=") else re.IGNORECASE
    return re.compile(r"[\s-]+".join(parts), flags)


@cache
def _entries() -> tuple[tuple[GazetteerEntry, re.Pattern[str]], ...]:
    return tuple((e, _matcher(e)) for e in gazetteer() if e.code != "-")


@cache
def _by_first_letter() -> dict[str, tuple[tuple[GazetteerEntry, re.Pattern[str]], ...]]:
    buckets: dict[str, list[tuple[GazetteerEntry, re.Pattern[str]]]] = {}
    for entry, matcher in _entries():
        buckets.setdefault(entry.pattern.lstrip("=")[0].lower(), []).append((entry, matcher))
    return {letter: tuple(found) for letter, found in buckets.items()}


def code_of(text: str) -> str | None:
    """The party a text (a few query words) names as a whole, else None."""
    text = normalize(text).strip()
    for entry, matcher in _by_first_letter().get(text[:1].lower(), ()):
        if matcher.fullmatch(text):
            return entry.code
    return None


@cache
def _entries_of(code: str) -> tuple[tuple[GazetteerEntry, re.Pattern[str]], ...]:
    """A party's gazetteer entries that a query widens to (not a name it shares with others: "South Korea" finds
    "Republic of Korea", not every "Korea"), each with its regex for a whole name standing in a text."""
    return tuple(
        (entry, re.compile(rf"(?<!\w){matcher.pattern}(?!\w)", matcher.flags))
        for entry, matcher in _entries()
        if entry.code == code and not entry.shared
    )


@cache
def names_of(code: str) -> tuple[Node, ...]:
    """Every name of a party as query nodes: single words (a Russian stem as its real forms) and phrases."""
    nodes: list[Node] = []
    for entry, _ in _entries_of(code):
        node = _name_node(entry)
        if node is not None and node not in nodes:
            nodes.append(node)
    return tuple(nodes)


@cache
def _name_stems(code: str) -> tuple[tuple[Words, tuple[str, ...]], ...]:
    """Each of a party's names as a query word or phrase, with its stems as the index holds them."""
    return tuple(
        (leaf, tuple(t.text for t in analyzer()(leaf.text))) for node in names_of(code) for leaf in leaves(node)
    )


def name_phrases() -> frozenset[str]:
    """The stems of every name of several words, as a query looks for them (the index holds them whole)."""
    codes = dict.fromkeys(entry.code for entry, _ in _entries())
    return frozenset(
        joined(stems) for code in codes for leaf, stems in _name_stems(code) if leaf.phrase and len(stems) > 1
    )


def _name_node(entry: GazetteerEntry) -> Node | None:
    words = entry.pattern.lstrip("=").split()
    if len(words) == 1 and not _searchable(words[0]):
        return None
    if len(words) > 1:
        return Words(" ".join(_dictionary_form(w) for w in words), phrase=True)
    if words[0].endswith("*") and CYRILLIC.search(words[0]):
        forms = _forms(words[0][:-1])
        return Or(tuple(Words(f) for f in forms)) if len(forms) > 1 else Words(forms[0])
    return Words(words[0].rstrip("*"))


WORD_ACRONYMS = frozenset({"us", "car"})  # "US", "CAR" (the Central African Republic): words once lowercased


def _searchable(word: str) -> bool:
    """Whether a one-word name finds the party in an index, which holds words lowercased: not when it is then
    a common word ("US": the pronoun «us») or falls apart into letters ("U.S.": «u»)."""
    stems = [t.text for t in analyzer()(word.rstrip("*"))]
    lowered = normalize(word).lower()
    return bool(stems) and lowered not in STOPWORDS | WORD_ACRONYMS and all(len(t) > 1 for t in stems)


def _forms(stem: str) -> list[str]:
    """The real words a Russian gazetteer stem stands for («Беларус*»: «Беларусь», «Беларуси» …): the forms
    whose lemma is the place's (or, for an adjective, the most common one), not other words that start so
    («Кита*»: «Китая», «Китай», not «Кита», the whale's; «Инди*»: «Индии», not «Индием», indium's)."""
    forms = [stem + e for e in FORM_ENDINGS if known_russian((stem + e).lower())]
    if not forms:
        return [stem]
    lemmas = [russian_stem(f.lower()) for f in forms]
    places = [lemma for f in forms if (lemma := place_lemma(f.lower()))]
    main = Counter(places or lemmas).most_common(1)[0][0]
    return [f for f, lemma in zip(forms, lemmas, strict=True) if lemma == main] or forms


def _dictionary_form(word: str) -> str:
    """A gazetteer word as a query word: a Russian stem as its dictionary form («Республик*»: «Республика»)."""
    if not (word.endswith("*") and CYRILLIC.search(word)):
        return word.rstrip("*")
    forms = _forms(word[:-1])
    return next((f for f in forms if russian_stem(f.lower()) == f.lower()), forms[0])


def query_tree(text: str, prefix_words: Callable[[str], list[str]]) -> tuple[Node | None, tuple[Widening, ...]]:
    """A query text as both backends read it: checked and parsed, names and spellings widened, prefixes expanded to
    the words `prefix_words` gives; with the names widened."""
    tree = parse_searchable(check_query(text).strip())
    if tree is None:
        return None, ()
    tree, widenings = widen(tree)
    return expand_prefixes(widen_spellings(tree), prefix_words), widenings


def widen(node: Node) -> tuple[Node, tuple[Widening, ...]]:
    """The tree with every unquoted name of a party (a word, or a run of plain words) widened to all its names."""
    found: list[Widening] = []

    def one(leaf: Words) -> Node:
        if leaf.phrase or leaf.prefix:
            return leaf
        return _widened(leaf.text, leaf.field, found) or leaf

    def walk(n: Node) -> Node:
        if isinstance(n, And):
            return And(tuple(c if done else walk(c) for c, done in _runs(n.nodes, found)))
        if isinstance(n, Or):
            return Or(tuple(walk(c) for c in n.nodes))
        return map_leaves(n, one)

    return walk(node), tuple(dict.fromkeys(found))


def _runs(nodes: tuple[Node, ...], found: list[Widening]) -> list[tuple[Node, bool]]:
    """Neighbouring plain words that together name a party ("Kyrgyz Republic") become one widened node
    (marked True: it is widened already)."""
    out: list[tuple[Node, bool]] = []
    i = 0
    while i < len(nodes):
        for size in range(min(LONGEST_NAME, len(nodes) - i), 1, -1):
            run = nodes[i : i + size]
            if all(isinstance(n, Words) and not (n.phrase or n.prefix) and n.field == "text" for n in run):
                widened = _widened(" ".join(n.text for n in run), "text", found)  # type: ignore[union-attr]
                if widened is not None:
                    out.append((widened, True))
                    i += size
                    break
        else:
            out.append((nodes[i], False))
            i += 1
    return out


def _widened(text: str, field: str, found: list[Widening]) -> Node | None:
    code = code_of(text)
    if code is None:
        return None
    found.append(Widening(text, code))
    names = tuple(_in_field(n, field) for n in names_of(code))
    typed = Words(text, field, phrase=" " in text)
    return Names((typed, *(n for n in names if n != typed)), code)


def _in_field(node: Node, field: str) -> Node:
    if field == "text":
        return node
    return map_leaves(node, lambda w: Words(w.text, field, w.phrase, w.prefix))


def explain(
    widenings: tuple[Widening, ...], text: str, places: list[tuple[int, int, str]] | None = None
) -> tuple[str, ...]:
    """For each widened name the document does not hold as typed, the name it holds: "Белоруссия → Беларусь".
    `places`, where the query's words stand in the text (start, end, stem): then only the passages around
    the party's names are read (the whole text where they hold neither the name typed nor another)."""
    notes = []
    for widening in widenings:
        note = None if places is None else _note_near(widening, text, places)
        if note is None:  # the start of the text then: a long one (a tariff schedule) is not read whole per hit
            note = _note(widening, text[:NOTE_READ])
        if note:
            notes.append(note)
    return tuple(notes)


def _note_near(widening: Widening, text: str, places: list[tuple[int, int, str]]) -> str | None:
    """_note over the passages around the places of the party's names; first around the name as typed alone
    (the common case, and fewer passages: each stands inside one of the wider ones, so a match there is one
    there too)."""
    typed = _typed_stems(widening.typed)
    if _stem_pattern(widening.typed).search(normalize(_around(text, places, typed))):
        return ""
    return _note(widening, _around(text, places, _party_stems(widening.code) | typed))


def _note(widening: Widening, text: str) -> str | None:
    """ "" when the text holds the name as typed, "typed → found" when it holds another of the party's names,
    None when it holds none."""
    text = normalize(text)
    if _stem_pattern(widening.typed).search(text):
        return ""
    match = _any_name(widening.code).search(text)
    return f"{widening.typed} → {' '.join(match.group(0).split())}" if match else None


@cache
def _any_name(code: str) -> re.Pattern[str]:
    """One regex for all of a party's names, each whole and with its own case rule: the first name in the text
    is found in one reading (the passages read stand around those names), not one reading per name. Where two
    names start at one place, the one the gazetteer lists first ("Russian Federation" before "Russian")."""
    branches = (f"(?{'i' if whole.flags & re.IGNORECASE else '-i'}:{whole.pattern})" for _, whole in _entries_of(code))
    return re.compile("|".join(branches))


@cache
def _party_stems(code: str) -> frozenset[str]:
    return frozenset(stem for _, stems in _name_stems(code) for stem in stems)


@cache
def _typed_stems(typed: str) -> frozenset[str]:
    return frozenset(t.text for t in analyzer()(typed))


NEAR = 100  # characters read on each side of a name's word
NOTE_READ = 100_000  # characters of a text read for its note where the passages around its names hold none


def _around(text: str, places: list[tuple[int, int, str]], stems: frozenset[str]) -> str:
    """The passages of the text around the places of those stems, whole words, one per line. The places'
    reaches are joined first and moved out to whole words after (as many moves as passages, not places):
    a reach's edges only move outward, so reaches that overlap still do, and the passages are the same."""
    reaches: list[list[int]] = []
    for start, end, _ in sorted(p for p in places if p[2] in stems):
        if reaches and start - NEAR <= reaches[-1][1]:
            reaches[-1][1] = max(reaches[-1][1], end + NEAR)
        else:
            reaches.append([start - NEAR, end + NEAR])
    passages: list[list[int]] = []
    for low, high in reaches:
        low, high = _word_edge(text, low, -1), _word_edge(text, high, 1)
        if passages and low <= passages[-1][1]:
            passages[-1][1] = max(passages[-1][1], high)
        else:
            passages.append([low, high])
    return "\n".join(text[low:high] for low, high in passages)


def _word_edge(text: str, at: int, step: int) -> int:
    """`at` moved outward to the nearest white space (or the text's edge), so no word is cut."""
    at = min(max(at, 0), len(text))
    while 0 < at < len(text) and not text[at - 1 if step < 0 else at].isspace():
        at += step
    return at


def _stem_pattern(typed: str) -> re.Pattern[str]:
    """The typed name in any of its endings (for Russian, up to three letters off the end)."""
    words = normalize(typed).split()
    parts = [re.escape(w[:-3] if CYRILLIC.search(w) and len(w) > 5 else w) + r"\w{0,4}" for w in words]
    return re.compile(r"(?<!\w)" + r"[\s-]+".join(parts) + r"(?!\w)", re.IGNORECASE)
