"""The Whoosh schema of the documents index: stemmed text with character offsets, and facet fields."""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from indexer.analysis import stemming_analyzer


def document_schema() -> Schema:
    stemmed = stemming_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=stemmed, stored=True, field_boost=2.0),
        text=TEXT(analyzer=stemmed, chars=True),  # title + text; character offsets make highlighting fast
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
