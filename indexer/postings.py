"""Every match of a query with its score, in one pass over Whoosh's postings, a block at a time with numpy.

Whoosh's collectors step through a matcher tree one posting at a time in Python, and our search used two
such walks (every match for the facets, then the best few scored). Here the matcher tree Whoosh builds for
the query is evaluated whole: each leaf's posting blocks are read as arrays, combined by the tree's own
shape (so additions happen in Whoosh's order), and scored with the leaf's own BM25F parameters: the
scores are Whoosh's to the last bit. Relies on whoosh-reloaded 2.7.5's matcher internals (the version is
pinned); a matcher or scorer it does not know raises Unsupported, and the caller falls back to Whoosh.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from itertools import accumulate, chain
from pickle import loads

import numpy as np
from whoosh import formats, matching, scoring
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.matching.combo import ArrayUnionMatcher
from whoosh.query import Phrase, Query, Term
from whoosh.query.spans import SpanNear2
from whoosh.searching import Searcher
from whoosh.system import _INT_SIZE
from whoosh.util import make_binary_tree
from whoosh.util.numeric import byte_to_length

from indexer.schema import PAIRS, POSITIONS, PackedPositions, RawLeafMatcher, indexed_phrases, joined
from indexer.whoosh_query import BestMatcher

EMPTY_IDS = np.zeros(0, dtype=np.int64)
EMPTY_SCORES = np.zeros(0, dtype=np.float64)
WALK_BEYOND = 16  # a phrase's word with more postings than this many times the documents to check is walked
BLOCKS = (W3LeafMatcher, RawLeafMatcher)  # postings read from blocks: Whoosh's, or ours (indexer/schema.py)
LEAVES = (*BLOCKS, matching.ListMatcher)  # a term's postings
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
    q = idle_phrases(q)
    parts = []
    for subsearcher, offset in searcher.leaf_searchers():
        found = _evaluate(q.matcher(subsearcher, context), _Segment(subsearcher))
        parts.append(found.shifted(offset))
    if len(parts) == 1:
        return parts[0]
    return Matches(np.concatenate([p.ids for p in parts]), np.concatenate([p.scores for p in parts]))


class _Segment:
    """One segment's field lengths, read once per field, and the matches of each term the query holds, read
    once per query (a name widened holds its words alone and in phrases: «russian» and "russian feder")."""

    def __init__(self, searcher: Searcher) -> None:
        self.reader = searcher.reader()
        self._lengths: dict[str, np.ndarray] = {}
        self._leaves: dict[tuple, Matches] = {}

    def leaf(self, m: matching.Matcher) -> Matches:
        """A term's matches with their scores."""
        key = m.term()
        if key is None:
            return self._read(m)
        if key not in self._leaves:
            self._leaves[key] = self._read(m)
        return self._leaves[key]

    def _read(self, m: matching.Matcher) -> Matches:
        ids, weights, _ = leaf_postings(m)
        return Matches(ids, _scores(m, ids, weights, self))

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


@dataclass(frozen=True)
class Scope:
    """Where a subtree's matches are needed: exactly at these documents (None: everywhere) and, `onward`,
    each side's first match at or after each of them too (what a DisjunctionMaxMatcher scores by)."""

    within: np.ndarray | None = None
    onward: bool = False

    def narrowed(self, ids: np.ndarray) -> Scope:
        """This scope, needed only where `ids` match too (the other side of an intersection)."""
        if self.within is None or self.onward:
            return Scope(ids, self.onward)
        return Scope(np.intersect1d(self.within, ids, assume_unique=True), False)


EVERYWHERE = Scope()


def _evaluate(m: matching.Matcher, segment: _Segment, scope: Scope = EVERYWHERE) -> Matches:
    """The matches of one matcher tree in one segment, from its structure (not its current position).
    Only phrases heed the scope (their positions are the costly part); everything else is read whole."""
    kind = type(m)
    if kind in LEAVES:
        return segment.leaf(m)
    if kind is matching.NullMatcherClass:
        return NONE
    if kind is matching.FilterMatcher:
        return _filtered(_evaluate(m.child, segment, scope), m._ids, m._exclude, m.boost)
    if kind is matching.IntersectionMatcher:
        return _intersection(m, segment, scope)
    if kind in (matching.UnionMatcher, matching.AndMaybeMatcher):
        combine = union if kind is matching.UnionMatcher else and_maybe
        return combine(_evaluate(m.a, segment, scope), _evaluate(m.b, segment, scope))
    if kind is BestMatcher:
        return best_of(_evaluate(m.a, segment, scope), _evaluate(m.b, segment, scope))
    if kind is matching.DisjunctionMaxMatcher:
        onward = Scope(scope.within, onward=True)
        return disjunction_max(_evaluate(m.a, segment, onward), _evaluate(m.b, segment, onward))
    if kind is matching.AndNotMatcher:
        kept = _evaluate(m.a, segment, EVERYWHERE if scope.onward else scope)
        return and_not(kept, _evaluate(m.b, segment, Scope(kept.ids)))
    if kind is ArrayUnionMatcher:
        return _array_union(m, segment, scope)
    if kind is matching.WrappingMatcher:
        inner = _evaluate(m.child, segment, scope)
        return inner if m.boost == 1.0 else Matches(inner.ids, inner.scores * m.boost)
    if isinstance(m, _LazyPhrase):
        return _phrase(m, segment, scope)
    if kind is matching.InverseMatcher:
        return _inverse(m, segment)
    raise Unsupported(kind.__name__)


def _intersection(m: matching.IntersectionMatcher, segment: _Segment, scope: Scope) -> Matches:
    """Both sides' documents, scores added (a's first); a side with a phrase is read only where the other
    side matches."""
    if _has_phrase(m.a) and not _has_phrase(m.b):
        b = _evaluate(m.b, segment, scope)
        return intersect(_evaluate(m.a, segment, scope.narrowed(b.ids)), b)
    a = _evaluate(m.a, segment, scope)
    return intersect(a, _evaluate(m.b, segment, scope.narrowed(a.ids) if _has_phrase(m.b) else scope))


def _inverse(m: matching.InverseMatcher, segment: _Segment) -> Matches:
    """Every live document the child does not match, each scored the matcher's weight (a "NOT" alone)."""
    keep = np.ones(m.limit, dtype=bool)
    keep[_evaluate(m.child, segment).ids] = False
    deleted = list(getattr(segment.reader, "deleted_docs_set", None) or ())
    keep[np.asarray(deleted, dtype=np.int64)] = False
    ids = np.flatnonzero(keep).astype(np.int64)
    return Matches(ids, np.full(len(ids), float(m._weight)))


def _has_phrase(m: matching.Matcher) -> bool:
    if isinstance(m, _LazyPhrase):
        return True
    if isinstance(m, ArrayUnionMatcher):
        return any(_has_phrase(sub) for sub in m._submatchers)
    return any(_has_phrase(sub) for sub in m.children())


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
        if block_values is not None and not isinstance(block_values, bytes):  # values of varying size
            values.extend(block_values)
        if m._lastblock:
            break
        m._goto(m._nextoffset)
    m.reset()
    fixed = m._fixedsize is not None and m._fixedsize >= 0
    return np.concatenate(id_blocks), np.concatenate(weight_blocks), None if fixed else values


def _scores(m: matching.Matcher, ids: np.ndarray, weights: np.ndarray, segment: _Segment) -> np.ndarray:
    """Each posting's score by the matcher's own scorer, computed as Whoosh computes it."""
    scorer = m.scorer if type(m) in BLOCKS else m._scorer
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
    dense = _dense_size(a, b)
    if dense:
        scores, hit = np.zeros(dense), np.zeros(dense, dtype=bool)
        scores[a.ids], hit[a.ids] = a.scores, True
        scores[b.ids] = scores[b.ids] + b.scores  # a's score first, then b's: the order Whoosh adds them in
        hit[b.ids] = True
        ids = np.flatnonzero(hit)
        return Matches(ids, scores[ids])
    ids = np.union1d(a.ids, b.ids)
    scores = np.zeros(len(ids))
    in_a, in_b = np.searchsorted(ids, a.ids), np.searchsorted(ids, b.ids)
    scores[in_a] = a.scores
    both = np.isin(b.ids, a.ids, assume_unique=True)
    scores[in_b[~both]] = b.scores[~both]
    where = in_b[both]
    scores[where] = scores[where] + b.scores[both]
    return Matches(ids, scores)


def best_of(a: Matches, b: Matches) -> Matches:
    """Both sides' documents, each scored as the better of the sides that match it (a name's many forms)."""
    dense = _dense_size(a, b)
    if dense:
        scores, hit = np.zeros(dense), np.zeros(dense, dtype=bool)
        scores[a.ids], hit[a.ids] = a.scores, True
        scores[b.ids] = np.maximum(scores[b.ids], b.scores)
        hit[b.ids] = True
        ids = np.flatnonzero(hit)
        return Matches(ids, scores[ids])
    ids = np.union1d(a.ids, b.ids)
    scores = np.zeros(len(ids))
    scores[np.searchsorted(ids, a.ids)] = a.scores
    at_b = np.searchsorted(ids, b.ids)
    scores[at_b] = np.maximum(scores[at_b], b.scores)
    return Matches(ids, scores)


DENSE_SHARE = 1 / 32  # sides holding this share of the documents up to the last are combined over all of them


def _dense_size(a: Matches, b: Matches) -> int:
    """The number of documents to combine two sides over as arrays indexed by document (faster than sorting
    their union when they hold many), or 0 to sort."""
    if not len(a.ids) or not len(b.ids):
        return 0
    size = int(max(a.ids[-1], b.ids[-1])) + 1
    return size if len(a.ids) + len(b.ids) >= DENSE_SHARE * size else 0


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


def _array_union(m: ArrayUnionMatcher, segment: _Segment, scope: Scope) -> Matches:
    """Whoosh's preloading union: scores summed in the order of its matchers; a zero total is no match."""
    if not m._scored:
        raise Unsupported("unscored ArrayUnionMatcher")
    total = np.zeros(segment.reader.doc_count_all())
    hit = np.zeros(len(total), dtype=bool)
    for sub in m._submatchers:
        found = _evaluate(sub, segment, scope)
        total[found.ids] += found.scores * m._boost
        hit[found.ids] = True
    ids = np.flatnonzero(hit & (total > 0))
    return Matches(ids.astype(np.int64), total[ids])


# Phrases: Whoosh's phrase matcher walks to its first match as soon as it is made, and checks positions at
# every document holding all the words. Here a phrase is matched by its words' counts (the small postings,
# scored as the phrase is: the sum of its words' scores, in a binary tree as Whoosh adds them), and
# positions are read only where the phrase's match matters.


class PhraseOf(Phrase):
    """A phrase whose matcher stands idle: evaluate() matches it itself."""

    def matcher(self, searcher: Searcher, context=None) -> matching.Matcher:
        field = dict(searcher.schema.items()).get(self.fieldname)
        if field is None or not field.format or not field.format.supports("positions"):
            return Phrase.matcher(self, searcher, context)  # nothing to match, or Whoosh's own error
        reader = searcher.reader()
        if any((self.fieldname, field.to_bytes(word)) not in reader for word in self.words):
            return matching.NullMatcher()  # as Phrase.matcher: the shape of the tree around it stays Whoosh's
        idle = _LazyPhrase(searcher, self.fieldname, self.words, context)
        return idle if self.boost == 1.0 else matching.WrappingMatcher(idle, boost=self.boost)


class _LazyPhrase(SpanNear2.SpanNear2Matcher):
    """An inactive stand-in for Whoosh's phrase matcher (made without its constructor, which would walk),
    with what evaluate() needs to match the phrase."""

    def __init__(self, searcher: Searcher, fieldname: str, words: list[str], context) -> None:
        self.searcher, self.fieldname, self.words, self.context = searcher, fieldname, words, context
        self.ms, self.child, self._spans = [], matching.NullMatcher(), None
        self.slop, self.ordered, self.mindist = 1, True, 1


def idle_phrases(q: Query) -> Query:
    """The query with its phrases as PhraseOf, matched by evaluate() rather than walked by Whoosh."""
    if type(q) is Phrase and q.slop == 1:
        return PhraseOf(q.fieldname, q.words, boost=q.boost)
    return q.apply(idle_phrases) if q.children() else q


def _phrase(m: _LazyPhrase, segment: _Segment, scope: Scope) -> Matches:
    """The documents where the words stand one after another, where the scope needs them."""
    counts = m.fieldname if m.fieldname != POSITIONS else "text"  # `text` counts the same words
    words = [_evaluate(Term(counts, w).matcher(m.searcher, m.context), segment) for w in m.words]
    candidates = make_binary_tree(intersect, words)
    paired, whole = _paired(m, segment) if m.fieldname == POSITIONS else (None, False)
    if paired is not None:  # the documents where the phrase, or each two neighbouring words, stand together
        candidates = _kept(candidates, np.isin(candidates.ids, paired, assume_unique=True))
        if whole:
            return candidates
    docs = _to_check(candidates.ids, scope)
    checker = _PositionChecker(m.searcher.reader(), m.fieldname, m.words, len(docs))
    if scope.within is None or not scope.onward:
        found = checker.holding(docs)
    else:
        found = _first_matches(candidates.ids, scope.within, checker)
    return _kept(candidates, np.isin(candidates.ids, np.asarray(found, dtype=np.int64), assume_unique=True))


def _kept(matches: Matches, keep: np.ndarray) -> Matches:
    return Matches(matches.ids[keep], matches.scores[keep])


def _paired(m: _LazyPhrase, segment: _Segment) -> tuple[np.ndarray | None, bool]:
    """The documents holding the phrase as one term (a name the index holds whole), and True; else those
    holding every neighbouring pair of its words as a word pair, and whether that is the phrase (two words);
    None when neither is indexed."""
    schema = m.searcher.schema
    if PAIRS not in schema.names():
        return None, False
    field = schema[PAIRS]
    whole = joined(m.words)
    if whole in indexed_phrases(field):
        return _pair_postings(segment, whole), True
    if not all(w in field.words for w in m.words):
        return None, False
    found = None
    for first, second in zip(m.words, m.words[1:], strict=False):
        ids = _pair_postings(segment, joined((first, second)))
        found = ids if found is None else np.intersect1d(found, ids, assume_unique=True)
    return found, len(m.words) == 2


def _pair_postings(segment: _Segment, term: str) -> np.ndarray:
    if (PAIRS, term) not in segment.reader:
        return EMPTY_IDS
    return leaf_postings(unfiltered(segment.reader.postings(PAIRS, term)))[0]


def _to_check(candidates: np.ndarray, scope: Scope) -> np.ndarray:
    if scope.within is None or scope.onward:
        return candidates
    return np.intersect1d(candidates, scope.within, assume_unique=True)


def _first_matches(candidates: np.ndarray, within: np.ndarray, checker: _PositionChecker) -> list[int]:
    """For each document in `within`, the first candidate at or after it where the phrase stands."""
    found: list[int] = []
    last = -1  # the latest match found; every candidate between the scan's start and it was checked
    for d in within.tolist():
        if d <= last:
            continue
        for c in candidates[np.searchsorted(candidates, d) :].tolist():
            if checker.holds(c):
                found.append(c)
                last = c
                break
        else:
            break  # no match at or after d, so none after any later document either
    return found


class _PositionChecker:
    """Which documents hold a phrase's words one after another, as arrays: each word's positions at the
    documents to check, keyed by document and by where the phrase would start, the keys of all the words
    intersected. A word whose postings are few beside the documents to check is read whole once; a word of
    many more is sought document by document, skipping whole blocks."""

    def __init__(self, reader, fieldname: str, words: list[str], checks: int) -> None:
        self.leaves = [unfiltered(reader.postings(fieldname, w)) for w in words]
        fmt = reader.schema[fieldname].format
        self.packed = type(fmt) is PackedPositions  # positions as arrays of 32-bit numbers: joined, not decoded
        self.decode = _character_positions if type(fmt) is formats.Characters else fmt.decoder("positions")
        self.whole = [
            self._read_whole(leaf) if reader.doc_frequency(fieldname, w) <= WALK_BEYOND * checks else None
            for leaf, w in zip(self.leaves, words, strict=True)
        ]

    def holding(self, docs: np.ndarray) -> list[int]:
        """Those of the documents (ascending) where the phrase stands."""
        starts = None
        for i, (leaf, whole) in enumerate(zip(self.leaves, self.whole, strict=True)):
            at, positions = _gathered(whole, docs) if whole is not None else self._sought(leaf, docs)
            keys = (at << 32) + positions - i  # a position before i leaves its document: no start there
            starts = keys if starts is None else np.intersect1d(starts, keys, assume_unique=True)
            if not len(starts):
                return []
        return np.unique(starts >> 32).tolist() if starts is not None else []

    def holds(self, docnum: int) -> bool:
        return bool(self.holding(np.array([docnum], dtype=np.int64)))

    def _read_whole(self, leaf) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(ids, each posting's count of positions, where its positions begin, every position) of a word."""
        ids, _, values = leaf_postings(leaf)
        counts, positions = self._positions(values or [])
        return ids, counts, np.cumsum(counts) - counts, positions

    def _sought(self, leaf, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(document of each position, position) of a word at the documents, sought one by one."""
        held, values = [], []
        for docnum in docs.tolist():
            seek(leaf, docnum)
            if not leaf.is_active():
                break
            if leaf.id() == docnum:
                held.append(docnum)
                values.append(leaf.value())
        counts, positions = self._positions(values)
        return np.repeat(np.asarray(held, dtype=np.int64), counts), positions

    def _positions(self, values: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
        """(count of positions of each value, all their positions in one array)."""
        if self.packed:
            counts = np.fromiter(map(len, values), dtype=np.int64, count=len(values)) // 4
            return counts, np.frombuffer(b"".join(values), dtype="<u4").astype(np.int64)
        decoded = [self.decode(v) for v in values]
        counts = np.fromiter(map(len, decoded), dtype=np.int64, count=len(decoded))
        return counts, np.fromiter(chain.from_iterable(decoded), dtype=np.int64, count=int(counts.sum()))


def _gathered(whole: tuple[np.ndarray, ...], docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(document of each position, position) of a word read whole, at those of the documents it holds."""
    ids, counts, begins, positions = whole
    at = np.minimum(np.searchsorted(ids, docs), max(len(ids) - 1, 0))
    chosen = at[ids[at] == docs] if len(ids) else at[:0]
    lengths = counts[chosen]
    # the positions of each chosen posting, one range after another
    steps = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return np.repeat(ids[chosen], lengths), positions[np.repeat(begins[chosen], lengths) + steps]


def _character_positions(value: bytes) -> list[int]:
    """The word positions of a posting in Whoosh's Characters format (a pickled list of (position, start,
    end) deltas, its STOP opcode dropped), as formats.Characters.decode_positions reads them, faster."""
    return list(accumulate(code[0] for code in loads(value[_INT_SIZE:] + b".")))


def seek(m: matching.Matcher, docnum: int) -> None:
    """m.skip_to(docnum), with a binary search inside the posting block where Whoosh steps id by id."""
    if type(m) not in BLOCKS:
        m.skip_to(docnum)
        return
    if not m.is_active() or docnum <= m.id():
        return
    if docnum > m.block_max_id():
        m._skip_to_block(lambda: docnum > m.block_max_id())
        if not m.is_active():
            return
        m.id()  # reads the block's ids
    m._i = bisect_left(m._ids, docnum, m._i)  # the block's largest id is >= docnum: still in the block


def unfiltered(m: matching.Matcher) -> matching.Matcher:
    """A term's postings without the deletions filter (the candidates are live documents already)."""
    return m.child if type(m) is matching.FilterMatcher else m
