"""Analysis of mixed Russian/English text: one token per word, stemmed by its script."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cache

from rapidfuzz import process
from rapidfuzz.distance import OSA
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StopFilter, Token
from whoosh.lang import stemmer_for_language, stopwords_for_language

from corpus.metadata import RU_ENDINGS, gazetteer

# Hyphenated words with these prefixes are one word ("co-operation" is "cooperation");
# other hyphens separate words ("Russian-Kyrgyz", "российско-киргизские").
JOINED_PREFIXES = "co|non|re|pre|multi|inter|anti|post|counter|socio|cyber|e"
WORD = rf"(?:(?:{JOINED_PREFIXES})-(?=\w))?\w+"
NAME_ENDINGS = ("", "а", "я", "ы", "и", "у", "ю", "е", "й", "ом", "ем", "ой", "ей")  # the singular cases
JOINED = re.compile(rf"\b({JOINED_PREFIXES})-(?=\w)", re.IGNORECASE)
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
STOPWORDS = frozenset(stopwords_for_language("ru")) | frozenset(stopwords_for_language("en"))


class FoldFilter(Filter):
    """ё to е, stress marks and joining hyphens out: the forms a user types match the forms printed."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            t.text = t.text.replace("ё", "е").replace("\u0301", "").replace("-", "")
            yield t


@cache
def _name_stems() -> frozenset[str]:
    """Russian stems of country and group names: the gazetteer's words marked * ("иран*", "кита*")."""
    stems = set()
    for entry in gazetteer():
        if entry.language == "ru":
            for word in entry.pattern.lstrip("=").lower().replace("ё", "е").split():
                if word.endswith("*"):  # words without * ("острова", "государство") are ordinary words
                    stems.add(word.rstrip("*"))
    return frozenset(s for s in stems if len(s) >= 3)


@cache
def _morph():
    import pymorphy3  # loading its dictionaries takes a moment: only when a Russian word is first seen

    return pymorphy3.MorphAnalyzer()


PERSON = frozenset({"Surn", "Name", "Patr"})


def russian_stem(word: str) -> str:
    """A Russian word's lemma: one key for every case form, names included; Snowball for unknown words.

    Snowball split names («Иран» to «ира», «Ираном» to «иран») and plain nouns alike («остров» to «остр»,
    «острова» to «остров»); a dictionary's lemma is the same for every form. A person's name wins over a
    common word («Пескова», «Песков» are Peskov, not «песок»), and words the dictionary does not know
    («Ростеха») go to Snowball, whose cut is steadier than the dictionary's guesses."""
    morph = _morph()
    parses = morph.parse(word)
    if not morph.word_is_known(word):
        # Snowball alone cuts an unknown name differently by case («Пахалгам» to «пахалг», «Пахалгаме» to
        # «пахалгам»), the dictionary's guess at its dictionary form is unsteady («Ростехом» to «ростехома»):
        # the shorter of Snowball's cuts of the word and of the guess is the stem of more of its forms
        snowball = _snowball("ru")
        return min(snowball(word), snowball(parses[0].normal_form.replace("ё", "е")), key=len)
    person = [p for p in parses if PERSON & p.tag.grammemes]
    return (person or parses)[0].normal_form.replace("ё", "е")


def place_lemma(word: str) -> str | None:
    """The dictionary form of a Russian word read as a place name («Индии»: «индия»), else None."""
    place = next((p for p in _morph().parse(word) if "Geox" in p.tag), None)
    return place.normal_form.replace("ё", "е") if place else None


PROPER = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"})  # the dictionary's proper names


def common_russian(word: str) -> bool:
    """Whether the dictionary knows a word form as a common word (not as one of the many rare names it lists,
    which a slip can hit: «байран» for «байрам»)."""
    return known_russian(word) and not PROPER & _morph().parse(word)[0].tag.grammemes


def known_russian(word: str) -> bool:
    """Whether the Russian dictionary knows a word form (rather than guessing from its ending)."""
    return _morph().word_is_known(word)


def name_stem(word: str) -> str | None:
    """The gazetteer stem a folded Russian word is a form of (the longest ending off first), else None."""
    names = _name_stems()
    for ending in RU_ENDINGS:
        if word.endswith(ending) and word[: -len(ending)] in names:
            return word[: -len(ending)]
    return word if word in names else None


def name_forms(word: str) -> list[str]:
    """Every case form of a Russian country or group name (for engines whose stemmer splits them), else []."""
    folded = word.lower().replace("ё", "е")
    name = name_stem(folded) if CYRILLIC.search(folded) else None
    return [name + ending for ending in NAME_ENDINGS] if name else []


def join_prefixes(text: str) -> str:
    """ "co-operation" as "cooperation": the joined spelling of hyphenated prefixes, as the analyzer reads them."""
    return JOINED.sub(r"\1", text)


@cache
def _snowball(lang: str):
    return stemmer_for_language(lang)


_STEMS: dict[str, str] = {}  # shared by all analyzers; kept out of the schema, which Whoosh pickles


def stem(word: str) -> str:
    """A word's stem: Russian (name-aware) for Cyrillic words, English for the rest."""
    result = _STEMS.get(word)
    if result is None:
        result = russian_stem(word) if CYRILLIC.search(word) else _snowball("en")(word)
        if len(_STEMS) < 500_000:
            _STEMS[word] = result
    return result


class ScriptStemFilter(Filter):
    """Russian stemming for Cyrillic words, English stemming for Latin ones; numbers as they are."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            if not t.stopped:
                t.text = stem(t.text)
            yield t


def stemming_analyzer():
    """Words, lowercased, folded, stop words out, stemmed by script: the main text fields."""
    return (
        RegexTokenizer(WORD)
        | LowercaseFilter()
        | FoldFilter()
        | StopFilter(stoplist=STOPWORDS, minsize=1)
        | ScriptStemFilter()
    )


VOCABULARY_WORD = re.compile(r"[^\W\d_]{3,}")


def words(text: str) -> set[str]:
    """The distinct words of a text as the index reads them (lowercased, folded, "anti-piracy" joined): the
    vocabulary it adds, for spelling suggestions and prefixes."""
    return set(VOCABULARY_WORD.findall(join_prefixes(text).lower().replace("ё", "е")))


QUERY_WORD = re.compile(r"(?<![\w:])[^\W\d_]+(?![\w:*])")  # a plain word of a query: no field, no wildcard


def fold(word: str) -> str:
    return word.lower().replace("ё", "е")


def max_edits(word: str) -> int:
    """How far a suggestion may be from a word: one edit up to five letters, two beyond ("dzud" is not "due")."""
    return 1 if len(word) <= 5 else 2


def correct_spelling(
    text: str,
    known: Callable[[set[str]], set[str]],
    candidates: Callable[[str], tuple[Sequence[str], Mapping[str, int]]],
) -> str | None:
    """A query with its unknown words replaced by the nearest known ones (the most common among equally near
    ones, at most max_edits() away; two letters swapped count as one edit); None when nothing needs replacing.
    `known` says which words the index has; `candidates` gives the words worth comparing with one, and how
    many documents hold each. A Russian word the dictionary knows as a common word is spelled right, held by
    the index or not («остров» is not to be «осипов»)."""
    words = {fold(m.group(0)) for m in QUERY_WORD.finditer(text)}
    words = {w for w in words if len(w) >= 3 and w not in STOPWORDS}
    words = {w for w in words if not (CYRILLIC.search(w) and common_russian(w))}
    fixes = {}
    for word in sorted(words - known(words)):
        options, counts = candidates(word)
        found = process.extract(word, options, scorer=OSA.distance, score_cutoff=max_edits(word), limit=20)
        if found:
            fixes[word] = min(found, key=lambda f: (f[1], -counts[f[0]], f[0]))[0]
    if not fixes:
        return None
    return QUERY_WORD.sub(lambda m: fixes.get(fold(m.group(0)), m.group(0)), text)
