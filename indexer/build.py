"""Building the index from the store: incremental by the store's change log, or from scratch."""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice
from pathlib import Path

from whoosh import index
from whoosh.index import TOC, FileIndex, LockError
from whoosh.writing import CLEAR, IndexWriter

from corpus.model import Document
from corpus.store import Store
from indexer.analysis import words
from indexer.names import name_phrases
from indexer.results import BuildReport, IndexBusy
from indexer.schema import (
    OFFSETS,
    PAIRS,
    POSITIONS,
    LayoutCodec,
    analyzed,
    document_schema,
    frequent_words,
    indexed_phrases,
    pairs_of,
)
from indexer.spans import clause_spans, packed_starts

INDEX_NAME = "documents"
STATE_FILE = "state.json"
VOCABULARY_FILE = "vocabulary.json"
BATCH = 2000  # documents per commit: a killed run loses at most one batch of work
PAIR_SAMPLE = 400  # documents the frequent words of word pairs are chosen from


def open_index(path: Path) -> FileIndex:
    """The documents index in a folder, created empty when missing."""
    path.mkdir(parents=True, exist_ok=True)
    if index.exists_in(str(path), indexname=INDEX_NAME):
        return _with_new_fields(path, index.open_dir(str(path), indexname=INDEX_NAME))
    return index.create_in(str(path), document_schema(), indexname=INDEX_NAME)


def _with_new_fields(path: Path, ix: FileIndex) -> FileIndex:
    """An index made before a field was added to the schema gets it (empty until documents are updated)."""
    missing = [(name, field) for name, field in document_schema().items() if name not in ix.schema]
    if missing:
        with ix.writer() as writer:
            for name, field in missing:
                writer.add_field(name, field)
        ix = index.open_dir(str(path), indexname=INDEX_NAME)
    return ix


def _write_json(path: Path, data: object) -> None:
    """Atomically: the file is either the old one or the new one, never half written."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    os.replace(tmp, path)


def read_state(path: Path) -> dict[str, int]:
    try:
        return json.loads((path / STATE_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {"last_change": 0}


def read_vocabulary(path: Path) -> Counter[str]:
    """Word -> number of documents it appears in (titles and texts, unstemmed): for "did you mean"."""
    try:
        return Counter(json.loads((path / VOCABULARY_FILE).read_text("utf-8")))
    except (OSError, ValueError):
        return Counter()


def indexed_text(doc: Document) -> str:
    """What the default field indexes: the title, then the text (so one field answers plain queries)."""
    return f"{doc.title}\n{doc.text}"


def document_fields(
    doc: Document, pair_words: frozenset[str] = frozenset(), phrases: frozenset[str] = frozenset()
) -> dict[str, object]:
    text = analyzed(indexed_text(doc))  # one analysis for the fields that index it
    return {
        "id": doc.id,
        "title": doc.title,
        "text": text,
        POSITIONS: text,
        OFFSETS: text,
        PAIRS: pairs_of(text, pair_words, phrases) if pair_words or phrases else None,
        "parties": " ".join(doc.parties),
        "mentions": " ".join(code for code, _ in doc.mentions),
        "year": doc.year or 0,
        "date": doc.date_shown,  # "2022" for a year-only date: shown as far as it is known
        "doc_type": doc.doc_type,
        "language": doc.language,
        "source": doc.source,
        "url": doc.link,
        "content_hash": doc.content_hash,
        "revision": doc.revision,
        "spans": packed_starts(clause_spans(doc.text, doc.clauses)),
        "reading": doc.reading_of,
    }


def pair_words(writer: IndexWriter) -> tuple[frozenset[str], frozenset[str]]:
    """The frequent words this index pairs and the names it holds whole (none in an index made before)."""
    if PAIRS not in writer.schema.names():
        return frozenset(), frozenset()
    field = writer.schema[PAIRS]
    return field.words, indexed_phrases(field)


def _choosing_pair_words(writer: IndexWriter, docs: Iterable[Document]) -> Iterator[Document]:
    """The documents, after the index's frequent words are chosen from the first of them (kept in the schema
    the writer commits); only for an index that holds no documents, whose every document is to be paired."""
    docs = iter(docs)
    if PAIRS in writer.schema.names():
        sample = list(islice(docs, PAIR_SAMPLE))
        writer.schema[PAIRS].words = frequent_words((doc.language, indexed_text(doc)) for doc in sample)
        writer.schema[PAIRS].phrases = name_phrases()
        docs = chain(sample, docs)
    yield from docs


def _writer(ix: FileIndex, timeout: float) -> IndexWriter:
    _remove_orphans(ix)
    try:
        return ix.writer(timeout=timeout, limitmb=256, codec=LayoutCodec())
    except LockError:
        raise IndexBusy(f"another index update holds the lock; gave up after {timeout:g} s") from None


def _remove_orphans(ix: FileIndex) -> None:
    """Remove what killed writers left: segments no generation names and temporary files (three killed
    rebuilds grew 440 MB to 3.9 GB). Only while no writer runs (holding its lock), so never a live one's."""
    lock = ix.storage.lock(f"{ix.indexname}_WRITELOCK")
    if not lock.acquire(blocking=False):
        return  # a writer is at work: its files are not orphans
    try:
        shutil.rmtree(Path(ix.storage.folder) / f"{ix.indexname}.tmp", ignore_errors=True)
        generation = ix.latest_generation()
        index.clean_files(ix.storage, ix.indexname, generation, TOC.read(ix.storage, ix.indexname).segments)
    finally:
        lock.release()


def update_index(
    store: Store,
    path: Path,
    rebuild: bool = False,
    lock_timeout: float = 10.0,
    progress: Callable[[int], None] | None = None,
) -> BuildReport:
    """Bring the index up to the store: only changed and deleted documents, or all with rebuild."""
    ix = open_index(path)
    if rebuild:
        return _rebuild(store, path, ix, lock_timeout, progress)
    state = read_state(path)
    changes = store.changes_since(state["last_change"])
    report = BuildReport(last_change=state["last_change"])
    vocabulary = read_vocabulary(path) if changes else Counter()
    for start in range(0, len(changes), BATCH):
        batch = changes[start : start + BATCH]
        latest = {c.doc_id: c.op for c in batch}  # only the last change of a document counts
        writer = _writer(ix, lock_timeout)
        try:
            _apply(store, latest, writer, vocabulary, report, progress, first=ix.doc_count_all() == 0)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        report.last_change = batch[-1].seq
        _write_json(path / VOCABULARY_FILE, vocabulary)
        _write_json(path / STATE_FILE, {"last_change": report.last_change})
    return report


def _apply(
    store: Store,
    latest: dict[str, str],
    writer: IndexWriter,
    vocabulary: Counter[str],
    report: BuildReport,
    progress: Callable[[int], None] | None,
    first: bool = False,
) -> None:
    upserts = [doc_id for doc_id, op in latest.items() if op == "upsert"]
    for doc_id, op in latest.items():
        if op == "delete":
            writer.delete_by_term("id", doc_id)
            report.deleted += 1
    found = set()
    docs = store.iter_documents(upserts)
    if first:
        docs = _choosing_pair_words(writer, docs)
    for doc in docs:
        found.add(doc.id)
        writer.update_document(**document_fields(doc, *pair_words(writer)))
        vocabulary.update(words(f"{doc.title}\n{doc.text}"))
        report.updated += 1
        if progress:
            progress(1)
    for doc_id in set(upserts) - found:  # saved, then deleted or merged before this run
        writer.delete_by_term("id", doc_id)


def _rebuild(
    store: Store, path: Path, ix: FileIndex, lock_timeout: float, progress: Callable[[int], None] | None
) -> BuildReport:
    """Index everything in one writer; searches see the old index until the single commit."""
    report = BuildReport(last_change=store.last_change(), rebuilt=True)
    vocabulary: Counter[str] = Counter()
    writer = _writer(ix, lock_timeout)
    try:
        for doc in _choosing_pair_words(writer, store.iter_documents()):
            writer.add_document(**document_fields(doc, *pair_words(writer)))
            vocabulary.update(words(f"{doc.title}\n{doc.text}"))
            report.updated += 1
            if progress:
                progress(1)
    except BaseException:
        writer.cancel()
        raise
    writer.commit(mergetype=CLEAR)
    _write_json(path / VOCABULARY_FILE, vocabulary)
    _write_json(path / STATE_FILE, {"last_change": report.last_change})
    return report
