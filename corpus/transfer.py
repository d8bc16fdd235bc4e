"""Copying a corpus between stores (the data folder's SQLite and PostgreSQL), table by table."""

from __future__ import annotations

from collections.abc import Callable

from corpus.sqlite_store import DOC_COLUMNS, SQLStore

# In the order foreign keys need; the change log is written anew, so the target's index rebuilds from it.
TABLES: dict[str, tuple[str, ...]] = {
    "documents": tuple(DOC_COLUMNS),
    "parties": ("doc_id", "code"),
    "clauses": ("doc_id", "number", "label", "heading", "text"),
    "revisions": ("doc_id", "revision", "title", "text", "content_hash", "clauses", "saved_at", "capture"),
    "locations": ("doc_id", "url", "source", "seen_at"),
    "runs": ("job", "started", "ended", "status", "counts", "errors"),
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


class CopyError(Exception):
    """The target store is not empty, or the copy failed; the message says which."""


def copy_store(source: SQLStore, target: SQLStore, progress: Callable[[str, int], None] | None = None) -> dict:
    """Every row of every table from source to target (an empty store), in one transaction per table."""
    if target.stats().documents:
        raise CopyError("the target store already holds documents; copy into an empty one")
    counts = {}
    for table, columns in TABLES.items():
        names = ", ".join(columns)
        rows = [tuple(r[c] for c in columns) for r in source._con.execute(f"SELECT {names} FROM {table}")]
        with target._write() as con:
            for start in range(0, len(rows), BATCH):
                con.executemany(
                    f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})",
                    rows[start : start + BATCH],
                )
            if table == "documents":
                con.executemany(
                    "INSERT INTO changes (doc_id, op, at) VALUES (?, 'upsert', ?)", [(r[0], r[16]) for r in rows]
                )
        counts[table] = len(rows)
        if progress:
            progress(table, len(rows))
    return counts
