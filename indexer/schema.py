"""The Whoosh schemas: one index of documents, one of clauses (so a hit can name the clause)."""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from indexer.analysis import exact_analyzer, stemming_analyzer

# Query-syntax field names a user may type, and the schema fields they mean.
FIELD_ALIASES = {
    "title": "title",
    "text": "text",
    "party": "parties",
    "parties": "parties",
    "type": "doc_type",
    "lang": "language",
    "language": "language",
    "source": "source",
    "year": "year",
    "id": "id",
}


def document_schema() -> Schema:
    stemmed = stemming_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        title=TEXT(analyzer=stemmed, stored=True, field_boost=2.0),
        text=TEXT(analyzer=stemmed, chars=True),  # character offsets make highlighting fast on long texts
        exact=TEXT(analyzer=exact_analyzer(), phrase=False),  # unstemmed words for "did you mean"
        parties=KEYWORD(stored=True, lowercase=True, scorable=False),
        year=NUMERIC(int, bits=16, stored=True, signed=False),
        date=STORED(),
        doc_type=ID(stored=True),
        language=ID(stored=True),
        source=ID(stored=True),
        url=STORED(),
        content_hash=STORED(),
        revision=STORED(),
    )


def clause_schema() -> Schema:
    return Schema(
        key=ID(unique=True),  # "<doc id>#<clause number>"
        doc_id=ID(stored=True),
        number=NUMERIC(int, stored=True),
        text=TEXT(analyzer=stemming_analyzer()),
        language=ID(stored=True),
    )
