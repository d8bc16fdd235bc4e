"""The Whoosh schema of the documents index: stemmed text, its word positions and offsets, and facet fields.

Title + text are indexed twice from one analysis: `text` holds each word's count only, which is all that
matching and scoring read, so its posting blocks stay small; `positions` holds each word's positions and
character offsets, read only to check phrases and to place snippets. (An index made before the split
holds both in `text`; searches read it as it is until `index --rebuild`.)

`pairs` holds each two neighbouring frequent words as one term ("unit nation"): a phrase of frequent
words, whose positions are the costly ones to check (thousands of documents hold "united" and "nations"),
is looked up instead. Only frequent words, so that the pairs stay few: the frequent words are chosen from
the first documents that fill the index and kept in its schema, so every document of an index is paired
by the same words and a phrase of them finds every document it stands in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from functools import cache
from itertools import pairwise

from whoosh import formats
from whoosh.analysis import Analyzer, IDTokenizer, Token
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, FieldType, Schema

from indexer.analysis import stemming_analyzer

POSITIONS = "positions"
PAIRS = "pairs"
FREQUENT = 0.35  # a word in at least this share of the sampled documents is frequent


@cache
def analyzer() -> Analyzer:
    """The stemming analyzer, made once (making one costs about a millisecond; using one is thread-safe)."""
    return stemming_analyzer()


class Analyzed(str):
    """A text with its tokens, analyzed once for the two fields that index it."""

    tokens: list[tuple[str, int, int, int]]


def analyzed(text: str) -> Analyzed:
    """The text with its stemmed words, their positions and character offsets."""
    value = Analyzed(text)
    tokens = analyzer()(text, positions=True, chars=True)
    value.tokens = [(t.text, t.pos, t.startchar, t.endchar) for t in tokens]
    return value


class SharedAnalyzer(Analyzer):
    """The stemming analyzer, except that an Analyzed text has its tokens replayed rather than analyzed again."""

    def __init__(self) -> None:
        self.inner = stemming_analyzer()

    def __eq__(self, other: object) -> bool:
        return type(other) is SharedAnalyzer

    def __call__(self, value: str, positions: bool = False, chars: bool = False, **kwargs: object) -> Iterator[Token]:
        tokens = getattr(value, "tokens", None)
        if tokens is None:
            yield from self.inner(value, positions=positions, chars=chars, **kwargs)
            return
        token = Token(positions, chars, mode=kwargs.get("mode", ""))
        for text, pos, start, end in tokens:
            token.text, token.pos, token.startchar, token.endchar = text, pos, start, end
            token.boost, token.stopped = 1.0, False
            yield token


class PairField(FieldType):
    """Neighbouring frequent words as one term, in a document or not (no counts, no positions)."""

    def __init__(self) -> None:
        super().__init__(formats.Existence(), IDTokenizer(), scorable=False, stored=False)
        self.words: frozenset[str] = frozenset()  # the frequent words; none: no pairs in this index


def pair(first: str, second: str) -> str:
    """The term of two neighbouring stems."""
    return f"{first} {second}"


def pairs_of(text: Analyzed, words: frozenset[str]) -> list[str] | None:
    """The distinct pairs of neighbouring frequent words of an analyzed text (None: none)."""
    found = {
        pair(a, b)
        for (a, at, _, _), (b, bt, _, _) in pairwise(text.tokens)
        if bt == at + 1 and a in words and b in words
    }
    return sorted(found) or None


def frequent_words(texts: Iterable[tuple[str, str]]) -> frozenset[str]:
    """The stems in at least FREQUENT of the (language, text) texts of their language (two at least): each
    language's own, so that a language of few documents has its frequent words too."""
    counts: dict[str, Counter[str]] = {}
    totals: Counter[str] = Counter()
    for language, text in texts:
        counts.setdefault(language, Counter()).update({t.text for t in analyzer()(text)})
        totals[language] += 1
    return frozenset(
        word
        for language, found in counts.items()
        for word, n in found.items()
        if n >= max(2, FREQUENT * totals[language])
    )


def document_schema() -> Schema:
    stemmed = stemming_analyzer()
    shared = SharedAnalyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=stemmed, stored=True, field_boost=2.0),
        text=TEXT(analyzer=shared, phrase=False),  # title + text: word counts, for matching and scoring
        positions=TEXT(analyzer=shared, chars=True),  # the same words' positions and offsets: phrases, snippets
        pairs=PairField(),
        parties=KEYWORD(stored=True, lowercase=True, scorable=False),
        mentions=KEYWORD(stored=True, lowercase=True, scorable=False),
        year=NUMERIC(int, bits=16, stored=True, signed=False),
        date=STORED(),
        doc_type=ID(stored=True),
        language=ID(stored=True),
        source=ID(stored=True),
        url=STORED(),
        content_hash=STORED(),
        revision=STORED(),
    )


def positions_field(schema: Schema) -> str:
    """The field that holds word positions and offsets: `positions`, or `text` in an index made before it."""
    return "text" if schema["text"].format.supports("characters") else POSITIONS
