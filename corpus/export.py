"""Export: documents as JSON Lines (clauses nested) or CSV (one row per document)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO

from corpus.model import Document
from corpus.spreadsheets import SafeWriter

CSV_COLUMNS = [
    "id",
    "source",
    "url",
    "canonical_url",
    "language",
    "title",
    "date",
    "date_precision",
    "doc_type",
    "parties",
    "mentions",
    "document_number",
    "translation_key",
    "revision",
    "content_hash",
    "clauses",
    "first_seen",
    "last_seen",
    "text",
]


def as_dict(doc: Document) -> dict[str, object]:
    """A document as plain JSON-ready data, with its id, hash and clauses."""
    return {
        "id": doc.id,
        "source": doc.source,
        "source_id": doc.source_id,
        "url": doc.url,
        "canonical_url": doc.canonical_url,
        "language": doc.language,
        "title": doc.title,
        "date": doc.date.isoformat() if doc.date else None,
        "date_precision": doc.date_precision,
        "doc_type": doc.doc_type,
        "parties": list(doc.parties),
        "mentions": dict(doc.mentions),
        "document_number": doc.document_number,
        "translation_key": doc.translation_key,
        "capture": doc.capture,
        "revision": doc.revision,
        "content_hash": doc.content_hash,
        "first_seen": doc.first_seen.isoformat() if doc.first_seen else None,
        "last_seen": doc.last_seen.isoformat() if doc.last_seen else None,
        "extra": dict(doc.extra),
        "text": doc.text,
        "clauses": [
            {"number": c.number, "label": c.label, "heading": c.heading, "kind": c.kind, "text": c.text}
            for c in doc.clauses
        ],
    }


def write_jsonl(docs: Iterable[Document], out: IO[str]) -> int:
    count = 0
    for doc in docs:
        out.write(json.dumps(as_dict(doc), ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(docs: Iterable[Document], out: IO[str]) -> int:
    """One row per document; cells that would start a spreadsheet formula are neutralised."""
    writer = SafeWriter(out)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for doc in docs:
        row = as_dict(doc)
        row["parties"] = ";".join(doc.parties)
        row["mentions"] = ";".join(f"{code}:{n}" for code, n in doc.mentions)
        row["clauses"] = len(doc.clauses)
        writer.writerow(row.get(column, "") for column in CSV_COLUMNS)
        count += 1
    return count


WRITERS = {"jsonl": write_jsonl, "csv": write_csv}
