"""Our query tree (indexer/query.py) as a Whoosh query: the same grammar the PostgreSQL backend reads."""

from __future__ import annotations

from collections.abc import Collection
from itertools import islice

from whoosh import query
from whoosh.reading import IndexReader

from indexer.query import MAX_PREFIX_WORDS, And, Field, Names, Node, Not, Words, YearRange, fold, too_many
from indexer.schema import analyzer  # made once: queries widened by names hold dozens of words

NOTHING = query.Term("id", "")  # no document has an empty id: a condition no document meets
ANY_YEAR = (1, 9999)  # year 0 is "unknown": open ranges leave it out, as on PostgreSQL


def to_whoosh(node: Node, reader: IndexReader, years: Collection[int]) -> query.Query | None:
    """The Whoosh query of a tree; None where it puts no condition (only stop words, an empty group).

    `years` are the years the index holds: a range is those of its years, because Whoosh's NumericRange
    over a 16-bit field finds every document for a low bound below about 1600."""
    if isinstance(node, Words):
        return _words(node, reader)
    if isinstance(node, Field):
        return _field(node)
    if isinstance(node, YearRange):
        low, high = node.low or ANY_YEAR[0], node.high or ANY_YEAR[1]
        terms = [query.Term("year", y) for y in sorted(years) if low <= y <= high]
        return query.Or(terms) if terms else NOTHING
    if isinstance(node, Not):
        inner = to_whoosh(node.node, reader, years)
        return query.Not(inner) if inner is not None else None
    children = [q for q in (to_whoosh(n, reader, years) for n in node.nodes) if q is not None]
    if not children:
        return None
    if len(children) == 1:
        return children[0]
    if isinstance(node, Names):
        return query.DisjunctionMax(children)
    return query.And(children) if isinstance(node, And) else query.Or(children)


def _words(node: Words, reader: IndexReader) -> query.Query | None:
    field = "title" if node.field == "title" else "text"
    if node.prefix:
        return _prefix(field, fold(node.text), reader)
    stems = [t.text for t in analyzer()(node.text)]
    if not stems:
        return None  # stop words only
    if len(stems) == 1:
        return query.Term(field, stems[0])
    if node.phrase:
        return query.Phrase(field, stems)
    return query.And([query.Term(field, s) for s in stems])  # "Russian-Kyrgyz": both words


def _prefix(field: str, prefix: str, reader: IndexReader) -> query.Query:
    """The index's stems that start with a prefix, at most MAX_PREFIX_WORDS of them."""
    stems = [t.decode() for t in islice(reader.expand_prefix(field, prefix), MAX_PREFIX_WORDS + 1)]
    if len(stems) > MAX_PREFIX_WORDS:
        raise too_many(prefix)
    return query.Or([query.Term(field, s) for s in stems]) if stems else NOTHING


def _field(node: Field) -> query.Query:
    if node.field == "year":
        year = int(node.value) if node.value.isdigit() else -1
        return query.Term("year", year) if 0 < year <= ANY_YEAR[1] else NOTHING
    value = node.value if node.field == "id" else node.value.lower()
    return query.Term(node.field, value)


def text_terms(parsed: query.Query) -> set[str]:
    """The stems a query looks for in the text fields (for highlighting), not the metadata conditions."""
    found = set()
    for leaf in parsed.leaves() if parsed.children() else [parsed]:
        if isinstance(leaf, query.Term) and leaf.fieldname in ("text", "title"):
            found.add(leaf.text)
        elif isinstance(leaf, query.Phrase) and leaf.fieldname in ("text", "title"):
            found.update(leaf.words)
    return found
