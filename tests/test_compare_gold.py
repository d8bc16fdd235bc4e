"""The aligner against a gold drawn by reading real pairs (tests/golden/alignment_anchors.json), with a plain
difflib paragraph diff over the same units as the baseline it must beat."""

from __future__ import annotations

import difflib
import json
import tarfile
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from compare.align import Options, align, normalize
from compare.units import Unit, units
from corpus.importers import read_file
from corpus.model import Document
from tests.gold_windows import locate
from treatysearch.cli import readers

GOLD = json.loads((Path(__file__).parent / "golden" / "alignment_anchors.json").read_text("utf-8"))
PAIRED = ("same", "reworded", "moved", "split", "merged", "formal")
OVERALL_FLOOR, MOVED_FLOOR = 0.9, 0.8  # what issue 13 asks for: not reached yet (see the xfail below)
# What the aligner reaches now (0.857 and 9/14, with the mutual-best rescue asking for two shared stems; 0.853 with
# clauses tied by two sentences that are each other's one best; 0.849 and 9/14 before, with leftovers joined to a
# pair by a sentence they share with it and second-round pairs kept only where one of the two units has its best
# counterpart in the other; 0.843 and 9/14 before them, 0.830 and 7/14 before the best-sentence Dice): a fall below
# is a regression.
REACHED_OVERALL, REACHED_MOVED = 0.855, 0.6


@cache
def archive_member(corpus: Path, archive: str, member: str) -> bytes:
    with tarfile.open(corpus / archive, "r:xz") as tar:
        handle = tar.extractfile(member)
        assert handle is not None, f"{member} is not a file in {archive}"
        return handle.read()


def load(corpus: Path, path: str) -> Document:
    """A gold document: a file, a member of a .tar.xz ("archive!member") or one record of a JSON file ("file#id")."""
    if "!" in path:
        archive, member = path.split("!", 1)
        return read_file(member, archive_member(corpus, archive, member), readers())[0]
    name, _, record = path.partition("#")
    docs = read_file(str(corpus / name), (corpus / name).read_bytes(), readers())
    return next(d for d in docs if not record or d.url.rstrip("/").endswith("/" + record))


def printed(found: tuple[Unit, ...]) -> list[str]:
    """Units as a reader sees them, with their printed labels ("(iii) We will …"), where anchors are looked for."""
    return [f"{u.label} {u.text}" if u.label else u.text for u in found]


def groups_of_aligner(a: Document, b: Document) -> tuple[list[str], list[str], dict, dict]:
    """Unit texts of A and B and, for each unit index, the pair (row) it stands in, or None."""
    result = align(a, b)
    in_a = {n - 1: row for row, p in enumerate(result.pairs) if p.b for n in p.a}
    in_b = {n - 1: row for row, p in enumerate(result.pairs) if p.a for n in p.b}
    return printed(result.units_a), printed(result.units_b), in_a, in_b


def groups_of_difflib(a: Document, b: Document) -> tuple[list[str], list[str], dict, dict]:
    """The baseline: difflib over the same units' normalised texts; a replaced block is paired row by row."""
    ua, ub = units(a), units(b)
    options = Options()
    key_a, key_b = (
        [" ".join(normalize(u.text, options)) for u in ua],
        [" ".join(normalize(u.text, options)) for u in ub],
    )
    in_a, in_b, row = {}, {}, 0
    for tag, i0, i1, j0, j1 in difflib.SequenceMatcher(None, key_a, key_b, autojunk=False).get_opcodes():
        if tag in ("equal", "replace"):
            for i, j in zip(range(i0, i1), range(j0, j1), strict=False):
                in_a[i], in_b[j], row = row, row, row + 1
    return printed(ua), printed(ub), in_a, in_b


def right(anchor: dict, ta: list[str], tb: list[str], in_a: dict, in_b: dict) -> bool:
    """Whether an alignment pairs the anchor as the gold says (or leaves it unpaired, for added and removed)."""
    ia, ib = locate(ta, anchor["a"]), locate(tb, anchor["b"])
    relation = anchor["relation"]
    if relation == "removed":
        return ia not in in_a
    if relation == "added":
        return ib not in in_b
    if ia is None or ib is None:  # one side given only: it must be paired with something
        return (ia if ia is not None else ib) in (in_a if ia is not None else in_b)
    return ia in in_a and in_a[ia] == in_b.get(ib)


def scores(grouping, corpus: Path) -> tuple[Counter, Counter]:
    """(anchors right, anchors) per relation, over the whole gold."""
    hit, total = Counter(), Counter()
    for pair in GOLD:
        ta, tb, in_a, in_b = grouping(load(corpus, pair["a"]), load(corpus, pair["b"]))
        for anchor in pair["anchors"]:
            total[anchor["relation"]] += 1
            hit[anchor["relation"]] += right(anchor, ta, tb, in_a, in_b)
    return hit, total


def accuracy(hit: Counter, total: Counter, relations=None) -> float:
    keys = relations or list(total)
    return sum(hit[k] for k in keys) / max(1, sum(total[k] for k in keys))


def table(name: str, hit: Counter, total: Counter) -> str:
    cells = " ".join(f"{k} {hit[k]}/{total[k]}" for k in sorted(total))
    return f"{name}: overall {accuracy(hit, total):.3f} ({sum(hit.values())}/{sum(total.values())}); {cells}"


def test_the_gold_is_large_varied_and_free_of_corpus_text():
    anchors = [x for p in GOLD for x in p["anchors"]]
    assert len(GOLD) >= 16 and len(anchors) >= 240
    assert len({p["a"].split("/")[0] for p in GOLD}) >= 4
    assert all(set(x) == {"a", "b", "relation"} and x["relation"] in (*PAIRED, "added", "removed") for x in anchors)
    assert all(loc is None or set(loc) == {"words", "hash"} for x in anchors for loc in (x["a"], x["b"]))


@pytest.fixture(scope="module")
def results(corpus_dir):
    return scores(groups_of_aligner, corpus_dir), scores(groups_of_difflib, corpus_dir)


def test_pairing_accuracy_does_not_fall(results):
    (hit, total), _ = results
    print("\n" + table("aligner", hit, total))
    assert accuracy(hit, total) >= REACHED_OVERALL
    assert accuracy(hit, total, ["moved"]) >= REACHED_MOVED


@pytest.mark.xfail(
    strict=True,
    reason="measured 0.857 overall and 9/14 on moved anchors (0.849 before this round): of the "
    "142 anchors paired by rewording, merging, splitting or moving, the true counterpart outscores the best "
    "counterpart of the removed and added units in only 0.80 of cases (AUC), so every lower bar, second round "
    "or gathering of leftovers measured pairs as many removed or added units wrongly as it pairs anchors rightly; "
    "they are paragraphs a reader pairs by meaning (merged summaries, rewritten speeches); a multilingual sentence "
    "model pairing leftovers by cosine reached only 0.862 and 9/14 (corpus-trained vectors and LSA less)",
)
def test_pairing_accuracy_reaches_the_floors_of_issue_13(results):
    (hit, total), _ = results
    assert accuracy(hit, total) >= OVERALL_FLOOR
    assert accuracy(hit, total, ["moved"]) >= MOVED_FLOOR


def test_the_aligner_beats_a_difflib_paragraph_diff(results):
    (hit, total), (base_hit, base_total) = results
    print("\n" + table("difflib", base_hit, base_total))
    for relation in total:
        assert hit[relation] >= base_hit[relation], relation
    assert accuracy(hit, total) >= accuracy(base_hit, base_total) + 0.1
