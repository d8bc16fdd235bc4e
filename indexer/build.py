"""Building the index from the store: incremental by the store's change log, or from scratch."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from whoosh import index
from whoosh.index import FileIndex, LockError
from whoosh.writing import CLEAR, IndexWriter

from corpus.model import Document
from corpus.store import Store
from indexer.schema import clause_schema, document_schema

STATE_FILE = "state.json"
BATCH = 2000  # documents per commit: a killed run loses at most one batch of work


class IndexBusy(Exception):
    """Another process holds the index's write lock."""


@dataclass
class BuildReport:
    updated: int = 0
    deleted: int = 0
    last_change: int = 0
    rebuilt: bool = False
    errors: list[str] = field(default_factory=list)


def open_indexes(path: Path) -> tuple[FileIndex, FileIndex]:
    """The documents and clauses indexes in a folder, created empty when missing."""
    path.mkdir(parents=True, exist_ok=True)
    docs = _open_or_create(path, "documents", document_schema)
    clauses = _open_or_create(path, "clauses", clause_schema)
    return docs, clauses


def _open_or_create(path: Path, name: str, schema: Callable) -> FileIndex:
    if index.exists_in(str(path), indexname=name):
        return index.open_dir(str(path), indexname=name)
    return index.create_in(str(path), schema(), indexname=name)


def read_state(path: Path) -> dict[str, int]:
    try:
        return json.loads((path / STATE_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {"last_change": 0}


def write_state(path: Path, state: dict[str, int]) -> None:
    """Atomically: a state file is either the old one or the new one, never half written."""
    tmp = path / (STATE_FILE + ".tmp")
    tmp.write_text(json.dumps(state), "utf-8")
    os.replace(tmp, path / STATE_FILE)


def document_fields(doc: Document) -> dict[str, object]:
    return {
        "id": doc.id,
        "title": doc.title,
        "text": doc.text,
        "exact": f"{doc.title}\n{doc.text}",
        "parties": " ".join(doc.parties),
        "year": doc.year or 0,
        "date": doc.date.isoformat() if doc.date else "",
        "doc_type": doc.doc_type,
        "language": doc.language,
        "source": doc.source,
        "url": doc.url,
        "content_hash": doc.content_hash,
        "revision": doc.revision,
    }


def _writers(docs_ix: FileIndex, clauses_ix: FileIndex, timeout: float) -> tuple[IndexWriter, IndexWriter]:
    try:
        writer = docs_ix.writer(timeout=timeout, limitmb=256)
    except LockError:
        raise IndexBusy(f"another index update holds the lock; gave up after {timeout:g} s") from None
    try:
        return writer, clauses_ix.writer(timeout=timeout, limitmb=128)
    except LockError:
        writer.cancel()
        raise IndexBusy(f"another index update holds the lock; gave up after {timeout:g} s") from None


def _add(doc: Document, writer: IndexWriter, clause_writer: IndexWriter, update: bool) -> None:
    add = writer.update_document if update else writer.add_document
    add(**document_fields(doc))
    if update:
        clause_writer.delete_by_term("doc_id", doc.id)
    for clause in doc.clauses:
        clause_writer.add_document(
            key=f"{doc.id}#{clause.number}",
            doc_id=doc.id,
            number=clause.number,
            text=clause.text,
            language=doc.language,
        )


def update_index(
    store: Store,
    path: Path,
    rebuild: bool = False,
    lock_timeout: float = 10.0,
    progress: Callable[[int], None] | None = None,
) -> BuildReport:
    """Bring the index up to the store: only changed and deleted documents, or all with rebuild."""
    docs_ix, clauses_ix = open_indexes(path)
    if rebuild:
        return _rebuild(store, path, docs_ix, clauses_ix, lock_timeout, progress)
    state = read_state(path)
    changes = store.changes_since(state["last_change"])
    report = BuildReport(last_change=state["last_change"])
    for start in range(0, len(changes), BATCH):
        batch = changes[start : start + BATCH]
        latest: dict[str, str] = {c.doc_id: c.op for c in batch}  # only the last change of a document counts
        writer, clause_writer = _writers(docs_ix, clauses_ix, lock_timeout)
        try:
            _apply(store, latest, writer, clause_writer, report, progress)
        except BaseException:
            writer.cancel()
            clause_writer.cancel()
            raise
        clause_writer.commit()
        writer.commit()
        report.last_change = batch[-1].seq
        write_state(path, {"last_change": report.last_change})
    return report


def _apply(
    store: Store,
    latest: dict[str, str],
    writer: IndexWriter,
    clause_writer: IndexWriter,
    report: BuildReport,
    progress: Callable[[int], None] | None,
) -> None:
    upserts = [doc_id for doc_id, op in latest.items() if op == "upsert"]
    for doc_id, op in latest.items():
        if op == "delete":
            writer.delete_by_term("id", doc_id)
            clause_writer.delete_by_term("doc_id", doc_id)
            report.deleted += 1
    found = set()
    for doc in store.iter_documents(upserts):
        found.add(doc.id)
        _add(doc, writer, clause_writer, update=True)
        report.updated += 1
        if progress:
            progress(1)
    for doc_id in set(upserts) - found:  # saved, then deleted or merged before this run
        writer.delete_by_term("id", doc_id)
        clause_writer.delete_by_term("doc_id", doc_id)


def _rebuild(
    store: Store,
    path: Path,
    docs_ix: FileIndex,
    clauses_ix: FileIndex,
    lock_timeout: float,
    progress: Callable[[int], None] | None,
) -> BuildReport:
    """Index everything in one writer; searches see the old index until the single commit."""
    last_change = store.last_change()
    report = BuildReport(last_change=last_change, rebuilt=True)
    writer, clause_writer = _writers(docs_ix, clauses_ix, lock_timeout)
    try:
        for doc in _all(store):
            _add(doc, writer, clause_writer, update=False)
            report.updated += 1
            if progress:
                progress(1)
    except BaseException:
        writer.cancel()
        clause_writer.cancel()
        raise
    clause_writer.commit(mergetype=CLEAR)
    writer.commit(mergetype=CLEAR)
    write_state(path, {"last_change": last_change})
    return report


def _all(store: Store) -> Iterable[Document]:
    return store.iter_documents()
