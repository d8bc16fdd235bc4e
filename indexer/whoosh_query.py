"""Our query tree (indexer/query.py) as a Whoosh query: the same grammar the PostgreSQL backend reads."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from itertools import islice

from whoosh import matching, query
from whoosh.reading import IndexReader

from indexer.query import (
    MAX_PREFIX_WORDS,
    And,
    Field,
    Names,
    Node,
    Not,
    Words,
    YearRange,
    fold,
    map_leaves,
    too_many,
)
from indexer.schema import analyzer  # made once: queries widened by names hold dozens of words

# About a rare word's score: a fixed bonus rather than the name's score again, which cost a second pass over
# the postings of every name (twice the time of a query naming Russia, whose names are many)
PARTY_BONUS = 5.0
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
    # the same word twice (two forms of one lemma) would count twice
    children = list(dict.fromkeys(q for q in (to_whoosh(n, reader, years) for n in node.nodes) if q is not None))
    if not children:
        return None
    if isinstance(node, Names):
        titled = [to_whoosh(map_leaves(n, _in_title), reader, years) for n in node.nodes]
        return _names(children, [q for q in dict.fromkeys(titled) if q is not None], node.code)
    if len(children) == 1:
        return children[0]
    return query.And(children) if isinstance(node, And) else query.Or(children)


def _names(children: list[query.Query], titled: list[query.Query], code: str) -> query.Query:
    """A party's names: the best of them scores; a text the party made or signed gains PARTY_BONUS, and one
    whose title names the party its title's score, so that texts about the party rank above texts that only
    name it (the joint statement of Russia and Kyrgyzstan above a greeting that names Kyrgyzstan once)."""
    named = _best(children)
    about = [_best(titled)] if titled else []
    if code:  # the parties field is not scored: a term there scores its boost wherever it stands
        about.append(query.Term("parties", code.lower(), boost=PARTY_BONUS))
    return query.AndMaybe(named, query.Or(about)) if about else named


def _best(queries: list[query.Query]) -> query.Query:
    return BestOf(queries) if len(queries) > 1 else queries[0]


def _in_title(leaf: Words) -> Words:
    return replace(leaf, field="title")


class BestMatcher(matching.DisjunctionMaxMatcher):
    """Whoosh's DisjunctionMaxMatcher also takes the score of a sub-matcher that stands on a later document
    (it checks only that both are active); this one takes the best of those on the current document."""

    def score(self) -> float:
        a, b = self.a, self.b
        if not a.is_active() or (b.is_active() and b.id() < a.id()):
            return b.score()
        if not b.is_active() or a.id() < b.id():
            return a.score()
        return max(a.score(), b.score())


class BestOf(query.DisjunctionMax):
    """Any of the queries matches; a document scores as the best of those it matches, not their sum."""

    def _matcher(self, subs, searcher, context):  # type: ignore[no-untyped-def]
        reader = searcher.reader()
        return self._tree_matcher(subs, BestMatcher, searcher, context, lambda q: q.estimate_size(reader))


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


def text_words(parsed: query.Query) -> tuple[set[str], set[tuple[str, ...]]]:
    """(the stems a query looks for alone, the phrases it looks for, as stems) in the text fields."""
    alone, phrases = set(), set()
    for leaf in parsed.leaves() if parsed.children() else [parsed]:
        if isinstance(leaf, query.Term) and leaf.fieldname in ("text", "title"):
            alone.add(leaf.text)
        elif isinstance(leaf, query.Phrase) and leaf.fieldname in ("text", "title"):
            phrases.add(tuple(leaf.words))
    return alone, phrases
