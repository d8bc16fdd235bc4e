"""Alignment of two documents: unit cases, and a gold set of real statement pairs drawn by hand."""

import json
from pathlib import Path

import pytest

from compare.align import AlignmentError, Options, align, word_diff
from corpus.clauses import segment
from corpus.importers import READERS, read_file
from corpus.model import Document

GOLD = json.loads((Path(__file__).parent / "golden" / "alignment.json").read_text("utf-8"))
BASE = [
    "The Sides reaffirmed their commitment to strategic partnership and alliance between the two countries.",
    "The Sides will deepen cooperation in trade, investment and energy within the Eurasian Economic Union.",
    "The Sides condemn terrorism in all its forms and manifestations and will counter extremism together.",
    "The Sides support the holding of regular consultations between the foreign ministries of the two states.",
    "The Sides welcome the cross Year of culture and will hold joint events to mark the anniversary.",
]


def doc(paragraphs, language="en", name="a"):
    text = "\n\n".join(paragraphs)
    return Document(
        source="test", url=f"http://x/{name}", language=language, title=name, text=text, clauses=segment(text)
    )


def kinds(alignment):
    return [(p.a, p.b, p.kind) for p in alignment.pairs]


def test_identical_documents():
    result = align(doc(BASE), doc(BASE, name="b"))
    assert kinds(result) == [((n,), (n,), "identical") for n in range(1, 6)]
    assert result.summary.kept == 1.0 and result.summary.counts["identical"] == 5


def test_reworded_added_and_removed():
    b = [
        BASE[0],
        BASE[1].replace("trade, investment and energy", "trade and energy"),
        BASE[2],
        BASE[4],
        "The Sides agreed to open a new consulate general in Osh to serve their citizens better.",
    ]
    result = align(doc(BASE), doc(b, name="b"))
    assert ((2,), (2,), "reworded") in kinds(result)
    assert ((4,), (), "removed") in kinds(result) and ((), (5,), "added") in kinds(result)
    reworded = next(p for p in result.pairs if p.kind == "reworded")
    assert ("delete", "investment", "") in reworded.diff
    assert 0 < reworded.score < 100 and 0 < reworded.shared_words < 1
    assert result.summary.counts == {
        "identical": 3,
        "reworded": 1,
        "moved": 0,
        "split": 0,
        "merged": 0,
        "formal": 0,
        "added": 1,
        "removed": 1,
    }


def test_reordered_clauses_are_moved_not_removed():
    b = [BASE[0], BASE[3], BASE[1], BASE[2], BASE[4]]
    result = align(doc(BASE), doc(b, name="b"))
    moved = [p for p in result.pairs if p.moved]
    assert [(p.a, p.b, p.kind) for p in moved] == [((4,), (2,), "moved")]
    assert not [p for p in result.pairs if p.kind in ("added", "removed")]


def test_split_and_merge():
    first, second = BASE[1].split(" within ")
    split = [BASE[0], first + ".", "Cooperation will be pursued within " + second, BASE[2]]
    result = align(doc(BASE[:3]), doc(split, name="b"))
    assert ((2,), (2, 3), "split") in kinds(result)
    merged = align(doc(split, name="b"), doc(BASE[:3]))
    assert ((2, 3), (2,), "merged") in kinds(merged)


def test_russian_case_endings_alone_are_not_a_rewording():
    a = doc(["Стороны подтвердили приверженность развитию сотрудничества в области культуры."], "ru")
    b = doc(["Стороны подтвердили приверженность развитию сотрудничеству в области культуры."], "ru", "b")
    assert kinds(align(a, b)) == [((1,), (1,), "identical")]
    assert kinds(align(a, b, Options(stems=False)))[0][2] == "reworded"


def test_case_and_punctuation_options():
    a = doc(["The Sides agree, on trade and energy cooperation in the region."])
    b = doc(["the sides agree on trade and energy cooperation in the region"], name="b")
    assert align(a, b).pairs[0].kind == "identical"
    assert align(a, b, Options(ignore_case=False, ignore_punctuation=False, stems=False)).pairs[0].kind == "reworded"


def test_empty_documents():
    empty = doc([], name="empty")
    result = align(empty, doc(BASE[:2], name="b"))
    assert [p.kind for p in result.pairs] == ["added", "added"] and result.summary.clauses_a == 0
    assert align(empty, doc([], name="e2")).pairs == ()


def test_documents_in_different_languages_are_refused_with_a_reason():
    with pytest.raises(AlignmentError, match="different languages"):
        align(doc(BASE), doc(["Стороны подтвердили приверженность сотрудничеству."], "ru", "b"))


def test_word_diff_keeps_original_words():
    assert word_diff("The Sides agree on trade.", "THE SIDES agree on trade and energy.") == (
        ("equal", "The Sides agree on trade.", "THE SIDES agree on trade"),
        ("insert", "", "and energy."),
    )
    assert word_diff("Стороны согласились.", "Стороны не согласились.") == (
        ("equal", "Стороны", "Стороны"),
        ("insert", "", "не"),
        ("equal", "согласились.", "согласились."),
    )


def load(corpus_dir, path):
    return read_file(str(corpus_dir / path), (corpus_dir / path).read_bytes(), READERS)[0]


def test_the_gold_set_is_six_real_pairs():
    assert len(GOLD) >= 6 and all(len(g["pairs"]) >= 5 for g in GOLD)


def test_alignment_precision_and_recall_on_the_gold_set(corpus_dir):
    tp = fp = fn = 0
    for entry in GOLD:
        result = align(load(corpus_dir, entry["a"]), load(corpus_dir, entry["b"]))
        ua, ub = result.units_a, result.units_b
        got = {(ua[a - 1].clause, ub[b - 1].clause) for p in result.pairs for a in p.a for b in p.b}
        want = {tuple(p) for p in entry["pairs"]}
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
    assert tp / (tp + fp) >= 0.9
    assert tp / (tp + fn) >= 0.9


def test_different_language_versions_of_a_treaty(corpus_dir):
    raw = load(corpus_dir, "manytreaties/treaty texts/Raw/RUS-TJK[GSR]_1993A.txt")
    formatted = load(corpus_dir, "manytreaties/treaty texts/Formatted/RUS-TJK[GSR]_1993A.txt")
    assert (raw.language, formatted.language) == ("ru", "en")
    with pytest.raises(AlignmentError, match=r"different languages \(ru and en\)"):
        align(raw, formatted)
