"""Copying a corpus between stores (the data folder's SQLite and PostgreSQL), all tables in one transaction."""

from __future__ import annotations

from collections.abc import Callable

from corpus.model import text_hash
from corpus.sqlite_store import DOC_COLUMNS, SQLStore, clean_text

# In the order foreign keys need; the change log is written anew, so the target's index rebuilds from it.
TABLES: dict[str, tuple[str, ...]] = {
    "documents": tuple(DOC_COLUMNS),
    "parties": ("doc_id", "code"),
    "mentions": ("doc_id", "code", "count"),
    "clauses": ("doc_id", "number", "label", "heading", "text", "kind"),
    "revisions": ("doc_id", "revision", "title", "text", "content_hash", "clauses", "saved_at", "capture"),
    "locations": ("doc_id", "url", "source", "seen_at"),
    "runs": ("job", "started", "ended", "status", "counts", "errors", "pid", "host"),
    "crawls": ("crawl", "generation", "started"),
    "frontier": (
        "crawl",
        "url",
        "kind",
        "language",
        "state",
        "generation",
        "depth",
        "tries",
        "next_at",
        "title",
        "error",
        "doc_id",
        "updated_at",
        "link",
        "failed_at",
        "hops",
        "until",
    ),
    "fetch_cache": ("url", "etag", "last_modified", "status", "capture", "fetched_at"),
}
BATCH = 500
HASHED = ("documents", "revisions")  # tables whose content_hash is that of their title and text


class CopyError(Exception):
    """The target store is not empty, or the copy failed; the message says which."""


def copy_store(source: SQLStore, target: SQLStore, progress: Callable[[str, int], None] | None = None) -> dict:
    """Every row of every table from source to target (an empty store), in one transaction: a copy that
    fails or is killed leaves the target as it was, and can simply be run again."""
    counts = {}
    with target._write() as con:
        if con.execute("SELECT count(*) FROM documents").fetchone()[0]:
            raise CopyError("the target store already holds documents; copy into an empty one")
        for table, columns in TABLES.items():
            counts[table] = _copy_table(source, con, table, columns)
            if table == "documents":  # the target's index builds from its change log
                rows = source._con.execute("SELECT id, last_seen FROM documents").fetchall()
                target._local.changes.extend((r[0], "upsert", r[1]) for r in rows)
            if progress:
                progress(table, counts[table])
    return counts


def _copy_table(source: SQLStore, con: object, table: str, columns: tuple[str, ...]) -> int:
    names = ", ".join(columns)
    insert = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})"
    rows = source._con.execute(f"SELECT {names} FROM {table}")
    count = 0
    while batch := rows.fetchmany(BATCH):
        con.executemany(insert, [_storable_row(table, columns, row) for row in batch])  # type: ignore[attr-defined]
        count += len(batch)
    return count


def _storable_row(table: str, columns: tuple[str, ...], row: object) -> tuple:
    """A row as the target can hold it: texts without NUL (an older SQLite store may hold them; PostgreSQL
    refuses them), and then a hash that matches the text again."""
    values = {c: row[c] for c in columns}  # type: ignore[index]
    cleaned = {c: clean_text(v) if isinstance(v, str) else v for c, v in values.items()}
    if table in HASHED and cleaned != values:
        cleaned["content_hash"] = text_hash(cleaned["title"], cleaned["text"])
    return tuple(cleaned[c] for c in columns)
