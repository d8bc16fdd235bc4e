"""The Whoosh schema of the documents index: stemmed text, its word positions and offsets, and facet fields.

Title + text are indexed twice from one analysis: `text` holds each word's count only, which is all that
matching and scoring read, so its posting blocks stay small; `positions` holds each word's positions and
character offsets, read only to check phrases and to place snippets. (An index made before the split
holds both in `text`; searches read it as it is until `index --rebuild`.)
"""

from __future__ import annotations

from collections.abc import Iterator

from whoosh.analysis import Analyzer, Token
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from indexer.analysis import stemming_analyzer

POSITIONS = "positions"


class Analyzed(str):
    """A text with its tokens, analyzed once for the two fields that index it."""

    tokens: list[tuple[str, int, int, int]]


def analyzed(text: str) -> Analyzed:
    """The text with its stemmed words, their positions and character offsets."""
    value = Analyzed(text)
    tokens = stemming_analyzer()(text, positions=True, chars=True)
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


def document_schema() -> Schema:
    stemmed = stemming_analyzer()
    shared = SharedAnalyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=stemmed, stored=True, field_boost=2.0),
        text=TEXT(analyzer=shared, phrase=False),  # title + text: word counts, for matching and scoring
        positions=TEXT(analyzer=shared, chars=True),  # the same words' positions and offsets: phrases, snippets
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
