"""The metadata gold (tests/golden/metadata_gold.json): 300+ real documents of every corpus folder, read by a
person apart from the code — their makers (parties), type and date. Floors from issue 12: party precision and
recall 0.95 each, type accuracy 0.9 for every type with 10 examples or more, date accuracy 0.97."""

import json
import tarfile
from collections import Counter
from pathlib import Path

import pytest

from corpus.importers import READERS, ImportFailed, read_file
from corpus.model import Document
from crawler.extract import read_html_file

GOLD = json.loads((Path(__file__).parent / "golden" / "metadata_gold.json").read_text("utf-8"))
READ = {**READERS, ".html": read_html_file}
KREMLIN_MIRROR = "kremlin_en_html/en.kremlin.ru_news_mirror_2020-08.tar.xz"
MISSING = Document("", "", "", "", "", doc_type="(not imported)", date_precision="day")  # counts as wrong
KREMLIN_RU = ("kremlin_ru_2025/kremlin_articles_ru_enhanced.csv", "kremlin_ru_2025/supplements_data.json")


def _archive_members(archive: Path, wanted: set[str]) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar if m.isfile() and m.name in wanted}  # type: ignore[union-attr]


def _by_url(corpus_dir: Path) -> dict[str, object]:
    docs = {}
    for path in KREMLIN_RU:
        for doc in read_file(str(corpus_dir / path), (corpus_dir / path).read_bytes(), READ):
            docs[doc.url] = doc
    return docs


def load_gold_documents(corpus_dir: Path) -> list[tuple[dict, object]]:
    """Each gold entry with the document our importers make of its file, page or row."""
    kremlin = [g for g in GOLD if g["source"] == "kremlin_en_html"]
    pages = _archive_members(corpus_dir / KREMLIN_MIRROR, {g["path"] for g in kremlin})
    rows = _by_url(corpus_dir)
    packed = [g for g in GOLD if g["source"] not in ("kremlin_en_html", "kremlin_ru_2025")]
    packed = [g for g in packed if not (corpus_dir / g["key"]).exists()]  # in the folder's archive
    members = {}
    for folder in {g["key"].split("/")[0] for g in packed}:
        (archive,) = (corpus_dir / folder).glob("*.tar.xz")
        wanted = {g["key"].split("/", 1)[1] for g in packed if g["key"].startswith(folder + "/")}
        members |= {f"{folder}/{k}": (f"{archive}:{k}", v) for k, v in _archive_members(archive, wanted).items()}
    found = []
    for g in GOLD:
        if g["source"] == "kremlin_en_html":
            doc = _page(g["path"], pages[g["path"]])
        elif g["source"] == "kremlin_ru_2025":
            doc = rows[g["key"]]
        elif (corpus_dir / g["key"]).exists():
            doc = read_file(str(corpus_dir / g["key"]), (corpus_dir / g["key"]).read_bytes(), READ)[0]
        else:
            doc = read_file(*members[g["key"]], READ)[0]
        found.append((g, doc))
    return found


def _page(name: str, data: bytes) -> object:
    """A saved kremlin.ru page as a document; a page without a body is not one (import reports it): MISSING."""
    try:
        return read_file(name, data, READ)[0]
    except ImportFailed:
        return MISSING


@pytest.fixture(scope="module")
def gold(corpus_dir):
    return load_gold_documents(corpus_dir)


def party_scores(pairs) -> tuple[float, float]:
    """Micro precision and recall of the parties found against the gold's."""
    tp = fp = fn = 0
    for g, doc in pairs:
        want, got = set(g["parties"]), set(doc.parties)
        tp, fp, fn = tp + len(want & got), fp + len(got - want), fn + len(want - got)
    return tp / (tp + fp), tp / (tp + fn)


def type_accuracy(pairs) -> dict[str, float]:
    """Accuracy per gold type, for the types with 10 examples or more."""
    counts = Counter(g["type"] for g, _ in pairs)
    right = Counter(g["type"] for g, doc in pairs if doc.doc_type == g["type"])
    return {t: right[t] / n for t, n in counts.items() if n >= 10}


def date_accuracy(pairs) -> float:
    """Share of documents whose date, shown to its precision, is the gold's ("2022-03-05", "2022-03", "1994")."""
    return sum(doc.date_shown == (g["date"] or "") for g, doc in pairs) / len(pairs)


def test_the_gold_is_large_and_covers_every_folder_and_both_languages():
    assert len(GOLD) >= 300
    assert {g["source"] for g in GOLD} >= {"kremlin_en_html", "kremlin_ru_2025", "manytreaties", "tota", "ungdc"}
    assert sum(g["source"].startswith("kremlin") and g["type"] == "news" for g in GOLD) >= 100  # kremlin.ru news
    assert sum(g["language"] == "ru" for g in GOLD) >= 50


def test_parties_are_the_makers(gold):
    precision, recall = party_scores(gold)
    wrong = [(g["key"], sorted(g["parties"]), list(d.parties)) for g, d in gold if set(g["parties"]) != set(d.parties)]
    assert precision >= 0.95 and recall >= 0.95, wrong


def test_types_from_the_documents(gold):
    accuracy = type_accuracy(gold)
    wrong = [(g["key"], g["type"], d.doc_type) for g, d in gold if g["type"] != d.doc_type]
    assert all(a >= 0.9 for a in accuracy.values()), (accuracy, wrong)


def test_dates_to_their_precision(gold):
    wrong = [(g["key"], g["date"], d.date_shown) for g, d in gold if (g["date"] or "") != d.date_shown]
    assert date_accuracy(gold) >= 0.97, wrong
