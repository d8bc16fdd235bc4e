"""Clause-by-clause alignment of two documents: pairs, classes, scores, word-level differences."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from corpus.model import Clause, Document
from indexer.analysis import stem

PAIR_MIN = 55.0  # similarity (0-100) from which two clauses are counterparts
IDENTICAL = 100.0
GAP_MIN = 36.0  # between two kept pairs, the lower bar for leftover clauses: edit ratio …
GAP_SHARED = 0.25  # … or share of words in common
SPLIT_GAIN = 8.0  # how much better a clause must match two neighbours joined than one, to be a split or merge
KINDS = ("identical", "reworded", "moved", "split", "merged", "added", "removed")
WORD = re.compile(r"\w+", re.UNICODE)


METHOD = (
    f"pairs: character edit ratio (rapidfuzz) of the normalized clauses, at least {PAIR_MIN:g}/100, greedy one to "
    "one, best first; neighbours joined when that matches better (splits, merges); score: edit ratio over the "
    "words (stemmed), shared words: Jaccard; moved: outside the longest run kept in order"
)


class AlignmentError(ValueError):
    """Two documents that cannot be aligned meaningfully; the message says why."""


@dataclass(frozen=True)
class Options:
    ignore_case: bool = True
    ignore_punctuation: bool = True
    stems: bool = True  # compare stems, so changed case endings alone are not a rewording


@dataclass(frozen=True)
class Pair:
    """One row of an alignment: clauses of A and of B that correspond (either side may be empty)."""

    a: tuple[int, ...]  # clause numbers in A
    b: tuple[int, ...]  # clause numbers in B
    kind: str  # identical, reworded, moved, split, merged, added, removed
    score: float = 0.0  # edit-ratio similarity 0-100 of the compared forms
    shared_words: float = 0.0  # share of distinct words in common (Jaccard), 0-1
    moved: bool = False  # the pair is out of order relative to the others
    diff: tuple[tuple[str, str], ...] = ()  # word-level: ("equal"|"insert"|"delete", text) in order


@dataclass(frozen=True)
class Summary:
    clauses_a: int
    clauses_b: int
    kept: float  # share of A's words found unchanged in B
    counts: dict[str, int]
    method: str


@dataclass(frozen=True)
class Alignment:
    a: Document
    b: Document
    pairs: tuple[Pair, ...]
    summary: Summary
    options: Options = field(default_factory=Options)


def normalize(text: str, options: Options) -> list[str]:
    """The words compared: lowercased, without punctuation, stemmed, as the options say."""
    words = (
        WORD.findall(text.lower() if options.ignore_case else text)
        if options.ignore_punctuation
        else text.lower().split()
        if options.ignore_case
        else text.split()
    )
    return [stem(w.lower()).replace("ё", "е") for w in words] if options.stems else words


def similarity(a: list[str], b: list[str]) -> tuple[float, float]:
    """(edit ratio over the word sequences, 0-100; shared distinct words, 0-1)."""
    if not a and not b:
        return 100.0, 1.0
    ratio = Indel.normalized_similarity(a, b) * 100
    sa, sb = set(a), set(b)
    return ratio, len(sa & sb) / len(sa | sb) if sa | sb else 1.0


def word_diff(a: str, b: str) -> tuple[tuple[str, str], ...]:
    """Word-level differences of two clause texts (original words kept, spacing normalized)."""
    wa, wb = a.split(), b.split()
    key_a = [w.lower().strip(".,;:!?«»\"'()") for w in wa]
    key_b = [w.lower().strip(".,;:!?«»\"'()") for w in wb]
    out: list[tuple[str, str]] = []
    for op in Indel.opcodes(key_a, key_b):
        if op.tag == "equal":
            out.append(("equal", " ".join(wb[op.dest_start : op.dest_end])))
        else:
            if op.src_end > op.src_start:
                out.append(("delete", " ".join(wa[op.src_start : op.src_end])))
            if op.dest_end > op.dest_start:
                out.append(("insert", " ".join(wb[op.dest_start : op.dest_end])))
    return tuple(out)


def align(a: Document, b: Document, options: Options | None = None) -> Alignment:
    """Pair each clause of A with its counterpart in B, even when reordered, split or merged."""
    options = options or Options()
    if a.language and b.language and a.language != b.language:
        raise AlignmentError(
            f"the documents are in different languages ({a.language} and {b.language}); "
            "compare each with a text in the same language (its translation, where one is known)"
        )
    na = [normalize(c.text, options) for c in a.clauses]
    nb = [normalize(c.text, options) for c in b.clauses]
    scores = _matrix(na, nb)
    matches = _fill_gaps(_greedy(scores), na, nb)
    groups = _splits_and_merges(matches, na, nb, scores)
    pairs = _pairs(a.clauses, b.clauses, na, nb, groups)
    return Alignment(a, b, tuple(pairs), _summary(a, b, pairs), options)


def _matrix(na: list[list[str]], nb: list[list[str]]) -> dict[tuple[int, int], float]:
    """Similarity of every pair of clauses that could be counterparts (at least PAIR_MIN), sparse."""
    joined_b = [" ".join(x) for x in nb]
    scores = {}
    for i, words in enumerate(na):
        for _, score, j in process.extract(
            " ".join(words), joined_b, scorer=fuzz.ratio, score_cutoff=PAIR_MIN, limit=None
        ):
            scores[(i, j)] = score
    return scores


def _greedy(scores: dict[tuple[int, int], float]) -> dict[int, int]:
    """One-to-one pairs, best first, above the pairing threshold: A index -> B index."""
    candidates = sorted(((s, i, j) for (i, j), s in scores.items()), key=lambda t: (-t[0], abs(t[1] - t[2]), t[1]))
    used_a, used_b, matches = set(), set(), {}
    for _, i, j in candidates:
        if i not in used_a and j not in used_b:
            matches[i] = j
            used_a.add(i)
            used_b.add(j)
    return matches


def _fill_gaps(matches: dict[int, int], na: list[list[str]], nb: list[list[str]]) -> dict[int, int]:
    """Between two pairs kept in order, clauses left over on both sides are paired on a lower bar."""
    anchors = sorted(matches.items())
    in_order = (
        [(-1, -1)]
        + [(i, j) for i, j in anchors if j > max([-1] + [b for a, b in anchors if a < i])]
        + [(len(na), len(nb))]
    )
    filled = dict(matches)
    used_b = set(matches.values())
    for (i0, j0), (i1, j1) in itertools.pairwise(in_order):
        free_a = [i for i in range(i0 + 1, i1) if i not in filled]
        free_b = [j for j in range(j0 + 1, j1) if j not in used_b]
        candidates = []
        for i in free_a:
            for j in free_b:
                ratio, shared = similarity(na[i], nb[j])
                if ratio >= GAP_MIN or shared >= GAP_SHARED:
                    candidates.append((max(ratio / 100, shared), i, j))
        for _, i, j in sorted(candidates, key=lambda t: (-t[0], t[1])):
            if i not in filled and j not in used_b:
                filled[i] = j
                used_b.add(j)
    return filled


def _splits_and_merges(
    matches: dict[int, int], na: list[list[str]], nb: list[list[str]], scores: dict[tuple[int, int], float]
) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Groups (A indexes, B indexes): 1-1 pairs, and 1-2 / 2-1 where joining neighbours matches better."""
    groups: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    free_a = set(range(len(na))) - set(matches)
    free_b = set(range(len(nb))) - set(matches.values())
    for i, j in sorted(matches.items()):
        single = similarity(na[i], nb[j])[0]
        for nj in (j + 1, j - 1):  # A's clause split into B's j and a free neighbour
            if nj in free_b:
                joined = nb[min(j, nj)] + nb[max(j, nj)]
                if similarity(na[i], joined)[0] >= single + SPLIT_GAIN:
                    groups.append(((i,), tuple(sorted((j, nj)))))
                    free_b.discard(nj)
                    break
        else:
            for ni in (i + 1, i - 1):  # A's clause and a free neighbour merged into B's j
                if ni in free_a:
                    joined = na[min(i, ni)] + na[max(i, ni)]
                    if similarity(joined, nb[j])[0] >= single + SPLIT_GAIN:
                        groups.append((tuple(sorted((i, ni))), (j,)))
                        free_a.discard(ni)
                        break
            else:
                groups.append(((i,), (j,)))
    groups += [((i,), ()) for i in sorted(free_a)] + [((), (j,)) for j in sorted(free_b)]
    return groups


def _moved(groups: list[tuple[tuple[int, ...], tuple[int, ...]]]) -> set[int]:
    """Indexes (into groups) of the pairs outside the longest run that keeps its order: the moved ones."""
    paired = [(n, g[0][0], g[1][0]) for n, g in enumerate(groups) if g[0] and g[1]]
    paired.sort(key=lambda t: t[1])
    seq = [b for _, _, b in paired]
    # longest increasing subsequence of B positions, in order of A
    tails: list[int] = []
    tails_at: list[int] = []
    previous = [-1] * len(seq)
    for k, value in enumerate(seq):
        lo, hi = 0, len(tails)
        while lo < hi:
            mid = (lo + hi) // 2
            if tails[mid] < value:
                lo = mid + 1
            else:
                hi = mid
        previous[k] = tails_at[lo - 1] if lo else -1
        if lo == len(tails):
            tails.append(value)
            tails_at.append(k)
        else:
            tails[lo], tails_at[lo] = value, k
    keep, k = set(), tails_at[-1] if tails_at else -1
    while k >= 0:
        keep.add(k)
        k = previous[k]
    return {paired[k][0] for k in range(len(paired)) if k not in keep}


def _pairs(
    ca: tuple[Clause, ...],
    cb: tuple[Clause, ...],
    na: list[list[str]],
    nb: list[list[str]],
    groups: list[tuple[tuple[int, ...], tuple[int, ...]]],
) -> list[Pair]:
    moved = _moved(groups)
    pairs = []
    for n, (ia, ib) in enumerate(groups):
        text_a = " ".join(ca[i].text for i in ia)
        text_b = " ".join(cb[j].text for j in ib)
        numbers_a, numbers_b = tuple(ca[i].number for i in ia), tuple(cb[j].number for j in ib)
        if not ib:
            pairs.append(Pair(numbers_a, (), "removed", diff=(("delete", text_a),)))
            continue
        if not ia:
            pairs.append(Pair((), numbers_b, "added", diff=(("insert", text_b),)))
            continue
        score, shared = similarity([w for i in ia for w in na[i]], [w for j in ib for w in nb[j]])
        kind = (
            "split" if len(ib) > 1 else "merged" if len(ia) > 1 else "identical" if score >= IDENTICAL else "reworded"
        )
        shown = "moved" if n in moved and kind in ("identical", "reworded") else kind
        diff = () if kind == "identical" else word_diff(text_a, text_b)
        pairs.append(Pair(numbers_a, numbers_b, shown, round(score, 1), round(shared, 3), n in moved, diff))
    return _in_reading_order(pairs)


def _in_reading_order(pairs: list[Pair]) -> list[Pair]:
    """Rows in B's order; a removed clause of A stands after the row of the clause that preceded it in A."""
    placed = [p for p in pairs if p.b]
    placed.sort(key=lambda p: p.b[0])
    removed = sorted((p for p in pairs if not p.b), key=lambda p: p.a[0])
    rows: list[Pair] = []
    for p in placed:
        rows.append(p)
    for r in removed:
        after = max((k for k, p in enumerate(rows) if p.a and p.a[0] < r.a[0] and not p.moved), default=-1)
        rows.insert(after + 1, r)
    return rows


def _summary(a: Document, b: Document, pairs: list[Pair]) -> Summary:
    counts = {kind: sum(p.kind == kind for p in pairs) for kind in KINDS}
    words_a = sum(len(c.text.split()) for c in a.clauses) or 1
    kept = sum(
        len(text.split())
        for p in pairs
        if p.a and p.b
        for op, text in (p.diff or (("equal", " ".join(c.text for c in a.clauses if c.number in p.a)),))
        if op == "equal"
    )
    return Summary(len(a.clauses), len(b.clauses), round(min(1.0, kept / words_a), 3), counts, METHOD)
