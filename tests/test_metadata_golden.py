"""Golden metadata for real documents of ../shared/corpus: parties, type, date, language, clause count."""

import json
import tarfile
from pathlib import Path

import pytest

from corpus.importers import READERS, read_file, read_tota
from corpus.metadata import extract_parties, is_country
from crawler.extract import read_html_file

GOLDEN = json.loads((Path(__file__).parent / "golden" / "metadata.json").read_text("utf-8"))
READ = {**READERS, ".html": read_html_file}
PARTY_FLOOR = 0.93  # two known misses of 44: see the "note" fields in golden/metadata.json


def load(corpus_dir: Path, entry: dict) -> object:
    path, _, key = entry["path"].partition("#")
    docs = read_file(str(corpus_dir / path), (corpus_dir / path).read_bytes(), READ)
    return next(d for d in docs if d.url.endswith("/" + key)) if key else docs[0]


@pytest.fixture(scope="module")
def loaded(corpus_dir):
    return [(entry, load(corpus_dir, entry)) for entry in GOLDEN]


def test_the_golden_set_is_large_and_bilingual():
    assert len(GOLDEN) >= 40
    assert {e["language"] for e in GOLDEN} >= {"en", "ru"}


@pytest.mark.parametrize("field", ["doc_type", "date", "language", "clauses"])
def test_golden_fields(loaded, field):
    def value(doc):
        return {"doc_type": doc.doc_type, "date": str(doc.date), "language": doc.language, "clauses": len(doc.clauses)}[
            field
        ]

    wrong = [(e["path"], e[field], value(d)) for e, d in loaded if value(d) != e[field]]
    assert wrong == []


def test_golden_parties(loaded):
    wrong = [(e["path"], e["parties"], list(d.parties)) for e, d in loaded if list(d.parties) != e["parties"]]
    assert 1 - len(wrong) / len(loaded) >= PARTY_FLOOR, wrong


def test_seed_is_one_joint_statement_of_rus_and_kgz_without_noise(corpus_dir):
    (doc,) = read_file("seed.txt", (corpus_dir / "seed" / "000_3dab5950da06293c.txt").read_bytes(), READ)
    assert (doc.doc_type, doc.parties, doc.language) == ("joint_statement", ("KGZ", "RUS"), "en")
    assert doc.canonical_url == "https://www.mid.ru/ru/foreign_policy/news/1803158/"
    assert doc.title.startswith("Joint statement by the Minister of Foreign Affairs of the Russian Federation")
    texts = [c.text for c in doc.clauses]
    assert len(texts) == 21
    assert texts[0].startswith("At the invitation of the Minister of Foreign Affairs")
    assert texts[-1].startswith("The Foreign Ministers of the Russian Federation and the Kyrgyz Republic")
    noise = ("Google+", "Pinterest", "Source:", "Share.", "Leave A Reply", "Wednesday, April 24")
    assert not [t for t in texts if any(n in t for n in noise)]


def tota_scores(corpus_dir: Path, max_parties: int) -> tuple[float, float]:
    """Micro precision and recall of party extraction (title + opening) against ToTA's own metadata."""
    tp = fp = fn = 0
    with tarfile.open(corpus_dir / "tota" / "ToTA_xml_all.tar.xz") as archive:
        for member in archive:
            if not member.name.endswith(".xml"):
                continue
            (doc,) = read_tota(member.name, archive.extractfile(member).read())
            if doc.language != "en" or len(doc.parties) > max_parties:
                continue
            gold = set(doc.parties)
            got = {p for p in extract_parties(doc.title, doc.text) if is_country(p)}
            tp, fp, fn = tp + len(gold & got), fp + len(got - gold), fn + len(gold - got)
    return tp / (tp + fp), tp / (tp + fn)


def test_party_extraction_against_tota_metadata(corpus_dir):
    # Floors a little under the measured figures (issue note): bilateral 0.99/0.99, up to five parties
    # 0.97/0.80, all 0.94/0.34 (ToTA lists the member states of the EU, EFTA, ASEAN…; we record the group).
    precision, recall = tota_scores(corpus_dir, 2)
    assert precision >= 0.97 and recall >= 0.97
    precision, recall = tota_scores(corpus_dir, 5)
    assert precision >= 0.95 and recall >= 0.77
    precision, recall = tota_scores(corpus_dir, 999)
    assert precision >= 0.92 and recall >= 0.30
