"""Every match of a query with its score, in one pass over Whoosh's postings, a block at a time with numpy.

Whoosh's collectors step through a matcher tree one posting at a time in Python, and our search used two
such walks (every match for the facets, then the best few scored). Here the matcher tree Whoosh builds for
the query is evaluated whole: each leaf's posting blocks are read as arrays, combined by the tree's own
shape (so additions happen in Whoosh's order), and scored with the leaf's own BM25F parameters: the
scores are Whoosh's to the last bit. Relies on whoosh-reloaded 2.7.5's matcher internals (the version is
pinned); a matcher or scorer it does not know raises Unsupported, and the caller falls back to Whoosh.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh import matching, scoring
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.combo import ArrayUnionMatcher
from whoosh.query import Query
from whoosh.query.spans import SpanNear2
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

EMPTY_IDS = np.zeros(0, dtype=np.int64)
EMPTY_SCORES = np.zeros(0, dtype=np.float64)
LENGTHS = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)


class Unsupported(Exception):
    """A matcher or scorer this evaluator does not reproduce exactly."""


@dataclass(frozen=True)
class Matches:
    """Document numbers (ascending) and their scores."""

    ids: np.ndarray
    scores: np.ndarray

    def shifted(self, offset: int) -> Matches:
        return Matches(self.ids + offset, self.scores) if offset else self


NONE = Matches(EMPTY_IDS, EMPTY_SCORES)


def evaluate(searcher: Searcher, q: Query) -> Matches:
    """Every document the query matches, with Whoosh's score, over all segments; Unsupported if it cannot."""
    context = searcher.context()
    parts = []
    for subsearcher, offset in searcher.leaf_searchers():
        found = _evaluate(q.matcher(subsearcher, context), _Segment(subsearcher))
        parts.append(found.shifted(offset))
    if len(parts) == 1:
        return parts[0]
    return Matches(np.concatenate([p.ids for p in parts]), np.concatenate([p.scores for p in parts]))


class _Segment:
    """One segment's field lengths, read once per field."""

    def __init__(self, searcher: Searcher) -> None:
        self.reader = searcher.reader()
        self._lengths: dict[str, np.ndarray] = {}

    def lengths(self, fieldname: str) -> np.ndarray:
        if fieldname not in self._lengths:
            perdoc = self.reader._perdoc
            column = perdoc._cached_reader(f"_{fieldname}_len", _lengths_column())
            count = self.reader.doc_count_all()
            raw = np.zeros(count, dtype=np.uint8)
            if column is not None:
                stored = np.frombuffer(column._dbfile.get(column._basepos, column._count), dtype=np.uint8)
                raw[: len(stored)] = stored[:count]
            self._lengths[fieldname] = LENGTHS[raw]
        return self._lengths[fieldname]


def _lengths_column():
    from whoosh.codec.whoosh3 import LENGTHS_COLUMN

    return LENGTHS_COLUMN


def _evaluate(m: matching.Matcher, segment: _Segment) -> Matches:
    """The matches of one matcher tree in one segment, from its structure (not its current position)."""
    kind = type(m)
    if kind in (W3LeafMatcher, matching.ListMatcher):
        ids, weights, _ = leaf_postings(m)
        return Matches(ids, _scores(m, ids, weights, segment))
    if kind is matching.NullMatcherClass:
        return NONE
    if kind is matching.FilterMatcher:
        return _filtered(_evaluate(m.child, segment), m._ids, m._exclude, m.boost)
    if kind is matching.IntersectionMatcher:
        return intersect(_evaluate(m.a, segment), _evaluate(m.b, segment))
    if kind is matching.UnionMatcher:
        return union(_evaluate(m.a, segment), _evaluate(m.b, segment))
    if kind is matching.AndMaybeMatcher:
        return and_maybe(_evaluate(m.a, segment), _evaluate(m.b, segment))
    if kind is matching.DisjunctionMaxMatcher:
        return disjunction_max(_evaluate(m.a, segment), _evaluate(m.b, segment))
    if kind is matching.AndNotMatcher:
        return and_not(_evaluate(m.a, segment), _evaluate(m.b, segment))
    if kind is ArrayUnionMatcher:
        return _array_union(m, segment)
    if kind is matching.WrappingMatcher:
        inner = _evaluate(m.child, segment)
        return inner if m.boost == 1.0 else Matches(inner.ids, inner.scores * m.boost)
    if kind is SpanNear2.SpanNear2Matcher and m.slop == 1 and m.ordered and m.mindist == 1:
        return _phrase(m, segment)
    raise Unsupported(kind.__name__)


def leaf_postings(m: matching.Matcher) -> tuple[np.ndarray, np.ndarray, list[bytes] | None]:
    """A term's postings in one segment from the start: ids, weights and encoded values (None if fixed)."""
    if type(m) is matching.ListMatcher:
        ids = np.asarray(m._ids, dtype=np.int64)
        weights = np.ones(len(ids)) if m._weights is None else np.asarray(m._weights, dtype=np.float64)
        return ids, weights, list(m._values) if m._values is not None else None
    m.reset()
    id_blocks, weight_blocks, values = [], [], []
    while True:
        if m._data is None:
            m._read_data()
        deltas, weights, block_values = m._data
        id_blocks.append(np.cumsum(np.asarray(deltas, dtype=np.int64)))
        if weights is None or isinstance(weights, float):
            weight_blocks.append(np.full(m._blocklength, 1.0 if weights is None else weights))
        else:
            weight_blocks.append(np.asarray(weights, dtype=np.float64))
        if isinstance(block_values, tuple):
            values.extend(block_values)
        if m._lastblock:
            break
        m._goto(m._nextoffset)
    m.reset()
    fixed = m._fixedsize is not None and m._fixedsize >= 0
    return np.concatenate(id_blocks), np.concatenate(weight_blocks), None if fixed else values


def _scores(m: matching.Matcher, ids: np.ndarray, weights: np.ndarray, segment: _Segment) -> np.ndarray:
    """Each posting's score by the matcher's own scorer, computed as Whoosh computes it."""
    scorer = m.scorer if type(m) is W3LeafMatcher else m._scorer
    kind = type(scorer)
    if kind is scoring.WeightScorer:
        return weights.copy()
    if kind is not scoring.BM25FScorer:
        raise Unsupported(kind.__name__)
    fieldname = m.term()[0] if m.term() else None
    if fieldname is None:
        raise Unsupported("a leaf without a term")
    lengths = segment.lengths(fieldname)[ids]
    idf, avgfl, b, k1 = scorer.idf, scorer.avgfl, scorer.B, scorer.K1
    # whoosh.scoring.bm25, operation for operation, so that every rounding is the same
    return idf * ((weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * lengths / avgfl)))


def intersect(a: Matches, b: Matches) -> Matches:
    ids, ia, ib = np.intersect1d(a.ids, b.ids, assume_unique=True, return_indices=True)
    return Matches(ids, a.scores[ia] + b.scores[ib])


def union(a: Matches, b: Matches) -> Matches:
    """Both sides' documents; where both match, their scores added."""
    ids = np.union1d(a.ids, b.ids)
    scores = np.zeros(len(ids))
    in_a, in_b = np.searchsorted(ids, a.ids), np.searchsorted(ids, b.ids)
    only_b = np.ones(len(ids), dtype=bool)
    only_b[in_a] = False
    scores[in_a] = a.scores
    both = np.isin(b.ids, a.ids, assume_unique=True)
    scores[in_b[~both]] = b.scores[~both]
    where = in_b[both]
    scores[where] = scores[where] + b.scores[both]
    return Matches(ids, scores)


def disjunction_max(a: Matches, b: Matches) -> Matches:
    """Both sides' documents, scored as whoosh's DisjunctionMaxMatcher scores them: the larger of the two
    sides' scores where each side stands, its first document at or after this one (not necessarily this
    one: so Whoosh computes it, and so the ranking stays as it was)."""
    ids = np.union1d(a.ids, b.ids)
    at_a, at_b = np.searchsorted(a.ids, ids), np.searchsorted(b.ids, ids)
    live_a, live_b = at_a < len(a.ids), at_b < len(b.ids)
    score_a = a.scores[np.minimum(at_a, len(a.ids) - 1)] if len(a.ids) else np.zeros(len(ids))
    score_b = b.scores[np.minimum(at_b, len(b.ids) - 1)] if len(b.ids) else np.zeros(len(ids))
    scores = np.where(live_a & live_b, np.maximum(score_a, score_b), np.where(live_a, score_a, score_b))
    return Matches(ids, scores)


def and_maybe(a: Matches, b: Matches) -> Matches:
    """a's documents, with b's score added where b matches too."""
    scores = a.scores.copy()
    _, ia, ib = np.intersect1d(a.ids, b.ids, assume_unique=True, return_indices=True)
    scores[ia] = scores[ia] + b.scores[ib]
    return Matches(a.ids, scores)


def and_not(a: Matches, b: Matches) -> Matches:
    keep = ~np.isin(a.ids, b.ids, assume_unique=True)
    return Matches(a.ids[keep], a.scores[keep])


def _filtered(inner: Matches, ids: object, exclude: bool, boost: float) -> Matches:
    listed = np.isin(inner.ids, np.fromiter(ids, dtype=np.int64))
    keep = ~listed if exclude else listed
    scores = inner.scores[keep]
    return Matches(inner.ids[keep], scores if boost == 1.0 else scores * boost)


def _array_union(m: ArrayUnionMatcher, segment: _Segment) -> Matches:
    """Whoosh's preloading union: scores summed in the order of its matchers; a zero total is no match."""
    if not m._scored:
        raise Unsupported("unscored ArrayUnionMatcher")
    total = np.zeros(segment.reader.doc_count_all())
    hit = np.zeros(len(total), dtype=bool)
    for sub in m._submatchers:
        found = _evaluate(sub, segment)
        total[found.ids] += found.scores * m._boost
        hit[found.ids] = True
    ids = np.flatnonzero(hit & (total > 0))
    return Matches(ids.astype(np.int64), total[ids])


def _phrase(m: SpanNear2.SpanNear2Matcher, segment: _Segment) -> Matches:
    """The documents where the words stand one after another, scored as their intersection."""
    candidates = _evaluate(m.child, segment)
    if not len(candidates.ids):
        return candidates
    positions = [_positions_in(leaf, candidates.ids) for leaf in m.ms]
    keep = np.array([_consecutive([p[i] for p in positions]) for i in range(len(candidates.ids))], dtype=bool)
    return Matches(candidates.ids[keep], candidates.scores[keep])


def _positions_in(m: matching.Matcher, docnums: np.ndarray) -> list[list[int]]:
    """A term's positions in each of the given documents (all of which hold it)."""
    deleted = None
    if type(m) is matching.FilterMatcher:
        m, deleted = m.child, m._ids
    if type(m) not in (W3LeafMatcher, matching.ListMatcher):
        raise Unsupported(type(m).__name__)
    ids, _, values = leaf_postings(m)
    if values is None:
        raise Unsupported("a phrase over a field without positions")
    del deleted  # the candidates are already live documents
    at = np.searchsorted(ids, docnums)
    decode = m.format.decoder("positions")
    return [decode(values[i]) for i in at.tolist()]


def _consecutive(positions: list[list[int]]) -> bool:
    """Whether some position p of the first word has word i at p + i for every i."""
    starts = set(positions[0])
    for i, later in enumerate(positions[1:], start=1):
        starts &= {p - i for p in later}
        if not starts:
            return False
    return True
