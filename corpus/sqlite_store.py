"""The store's SQL, shared by both dialects (SQLStore), and the embedded dialect: one SQLite file in WAL mode."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import socket
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from corpus.model import SOURCE_HASH, Change, Clause, Document, Location, Revision, SaveResult, is_web_url
from corpus.store import FetchRecord, FrontierItem, RejectedDocument, Run, Stats, StoreError

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        source_id TEXT NOT NULL,
        url TEXT NOT NULL,
        canonical_url TEXT NOT NULL DEFAULT '',
        language TEXT NOT NULL,
        title TEXT NOT NULL,
        date TEXT,
        doc_type TEXT NOT NULL,
        text TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        translation_key TEXT NOT NULL DEFAULT '',
        document_number TEXT NOT NULL DEFAULT '',
        capture TEXT NOT NULL DEFAULT '',
        revision INTEGER NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        extra TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX documents_url ON documents(url);
    CREATE INDEX documents_canonical_url ON documents(canonical_url);
    CREATE INDEX documents_translation_key ON documents(translation_key);
    CREATE TABLE parties (
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        code TEXT NOT NULL,
        PRIMARY KEY (doc_id, code)
    );
    CREATE INDEX parties_code ON parties(code);
    CREATE TABLE clauses (
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        label TEXT NOT NULL,
        heading TEXT NOT NULL,
        text TEXT NOT NULL,
        PRIMARY KEY (doc_id, number)
    );
    CREATE TABLE revisions (
        doc_id TEXT NOT NULL,
        revision INTEGER NOT NULL,
        title TEXT NOT NULL,
        text TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        clauses TEXT NOT NULL,
        saved_at TEXT NOT NULL,
        capture TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (doc_id, revision)
    );
    CREATE TABLE locations (
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        source TEXT NOT NULL,
        seen_at TEXT NOT NULL,
        PRIMARY KEY (doc_id, url)
    );
    CREATE TABLE changes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        doc_id TEXT NOT NULL,
        op TEXT NOT NULL,
        at TEXT NOT NULL
    );
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        job TEXT NOT NULL,
        started TEXT NOT NULL,
        ended TEXT,
        status TEXT NOT NULL,
        counts TEXT NOT NULL DEFAULT '{}',
        errors TEXT NOT NULL DEFAULT '[]'
    );
    """,
    """
    CREATE TABLE frontier (
        crawl TEXT NOT NULL,
        url TEXT NOT NULL,
        kind TEXT NOT NULL,
        language TEXT NOT NULL DEFAULT '',
        state TEXT NOT NULL DEFAULT 'pending',
        generation INTEGER NOT NULL,
        depth INTEGER NOT NULL DEFAULT 0,
        tries INTEGER NOT NULL DEFAULT 0,
        next_at REAL NOT NULL DEFAULT 0,
        title TEXT NOT NULL DEFAULT '',
        error TEXT NOT NULL DEFAULT '',
        doc_id TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL,
        PRIMARY KEY (crawl, url)
    );
    CREATE INDEX frontier_pending ON frontier(crawl, state, kind, depth);
    CREATE TABLE crawls (
        crawl TEXT PRIMARY KEY,
        generation INTEGER NOT NULL,
        started TEXT NOT NULL
    );
    CREATE TABLE fetch_cache (
        url TEXT PRIMARY KEY,
        etag TEXT NOT NULL DEFAULT '',
        last_modified TEXT NOT NULL DEFAULT '',
        status INTEGER NOT NULL,
        capture TEXT NOT NULL DEFAULT '',
        fetched_at TEXT NOT NULL
    );
    """,
    """
    ALTER TABLE frontier ADD COLUMN lease_until REAL NOT NULL DEFAULT 0;
    ALTER TABLE frontier ADD COLUMN leased_by TEXT NOT NULL DEFAULT '';
    CREATE TABLE hosts (
        host TEXT PRIMARY KEY,
        next_at REAL NOT NULL
    );
    """,
    """
    ALTER TABLE runs ADD COLUMN pid INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE runs ADD COLUMN host TEXT NOT NULL DEFAULT '';
    """,
    # the retry queue (failed_at: a run tries a URL once), the link as found beside its canonical key, follow hops,
    # the end of a listing's paging (last page or first day)
    """
    ALTER TABLE frontier ADD COLUMN link TEXT NOT NULL DEFAULT '';
    ALTER TABLE frontier ADD COLUMN failed_at REAL NOT NULL DEFAULT 0;
    ALTER TABLE frontier ADD COLUMN hops INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE frontier ADD COLUMN until TEXT NOT NULL DEFAULT '';
    """,
    """
    ALTER TABLE documents ADD COLUMN date_precision TEXT NOT NULL DEFAULT 'day';
    UPDATE documents SET date_precision = 'year' WHERE extra LIKE '%"date_precision": "year"%';
    ALTER TABLE clauses ADD COLUMN kind TEXT NOT NULL DEFAULT 'content';
    CREATE TABLE mentions (
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        code TEXT NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (doc_id, code)
    );
    CREATE INDEX mentions_code ON mentions(code);
    """,
)

DOC_COLUMNS = (
    "id source source_id url canonical_url language title date doc_type text content_hash translation_key "
    "document_number capture revision first_seen last_seen extra date_precision"
).split()
METADATA_FIELDS = (
    "url canonical_url date doc_type parties translation_key document_number title mentions date_precision".split()
)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


class SQLStore:
    """Documents, clauses, revisions, locations, a change log, runs and crawl state, in SQL written once
    for two dialects (upserts, RETURNING). A dialect supplies connections, transactions, migrations,
    locking and host pacing: SQLiteStore below, PostgresStore in corpus/postgres_store.py."""

    SKIP_LOCKED = ""  # a dialect whose readers can skip rows another worker holds says so
    database_url: str
    path: object  # where the store is, for messages
    _local: threading.local

    def close(self) -> None:
        con = getattr(self._local, "con", None)
        if con is not None:
            con.close()
            self._local.con = None

    # transactions: a dialect opens them (_transaction); the change log is written last, just before commit

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One atomic write transaction: all of it is committed or none of it."""
        con = self._con
        self._local.changes = []
        with self._transaction(con):
            yield con
            if self._local.changes:
                self._write_changes(con, self._local.changes)

    def _write_changes(self, con: sqlite3.Connection, changes: list[tuple[str, str, str]]) -> None:
        con.executemany("INSERT INTO changes (doc_id, op, at) VALUES (?, ?, ?)", changes)

    # writing

    def save(self, doc: Document, now: dt.datetime | None = None) -> SaveResult:
        return self.save_many([doc], now)[0]

    def save_many(self, docs: Iterable[Document], now: dt.datetime | None = None) -> list[SaveResult]:
        """Save documents in one transaction: new ones inserted, changed texts revised, copies linked."""
        now = now or utcnow()
        with self._write() as con:
            return [self._save(con, storable(doc), now) for doc in docs]

    def _save(self, con: sqlite3.Connection, doc: Document, now: dt.datetime) -> SaveResult:
        row = con.execute("SELECT * FROM documents WHERE id = ?", (doc.id,)).fetchone()
        if row is None:
            original = self._original_of(con, doc)
            if original:
                self._add_location(con, original, doc.url, doc.source, now)
                return SaveResult(original, "duplicate", 0, self._adopt_plain(con, doc, original, now))
            self._insert(con, doc.replace(first_seen=doc.first_seen or now, last_seen=now, revision=1), now)
            return SaveResult(
                doc.id, "new", 1, self._adopt_copies(con, doc, now) + self._adopt_plain(con, doc, doc.id, now)
            )
        old = _document(row, self._clauses(con, doc.id), self._parties(con, doc.id), self._mentions(con, doc.id))
        original = self._original_of(con, doc, old)
        if original and self._same_text(con, original, old) and self._same_text(con, original, doc):
            self._merge(con, doc.id, original, now)  # stored twice before copies were linked: one text, two URLs
            self._add_location(con, original, doc.url, doc.source, now)  # the address it came from this time
            return SaveResult(original, "duplicate", 0, (doc.id,))
        if old.text == doc.text or _read_anew(old, doc):  # a new title, or a better reading, is no new revision
            return self._refresh(con, old, doc, now)
        self._keep_revision(con, old, now)
        self._delete_rows(con, doc.id)
        self._insert(con, doc.replace(first_seen=old.first_seen, last_seen=now, revision=old.revision + 1), now)
        return SaveResult(doc.id, "changed", old.revision + 1)

    def _refresh(self, con: sqlite3.Connection, old: Document, doc: Document, now: dt.datetime) -> SaveResult:
        """Same text: update last-seen, and metadata when it differs (a better extraction)."""
        same = all(getattr(old, f) == getattr(doc, f) for f in (*METADATA_FIELDS, "text", "clauses"))
        if same and _but_source(old.extra) == _but_source(doc.extra):
            extra = _extra_json(doc.extra)  # the fingerprint of its newest bytes
            con.execute("UPDATE documents SET last_seen = ?, extra = ? WHERE id = ?", (now.isoformat(), extra, doc.id))
            return SaveResult(doc.id, "unchanged", old.revision)
        self._delete_rows(con, doc.id)
        self._insert(
            con,
            doc.replace(
                first_seen=old.first_seen, last_seen=now, revision=old.revision, capture=doc.capture or old.capture
            ),
            now,
        )
        return SaveResult(doc.id, "updated", old.revision)

    def _original_of(self, con: sqlite3.Connection, doc: Document, stored: Document | None = None) -> str | None:
        """The id of a stored document this one is a copy of (`stored`: this one as stored, if it is)."""
        return self._republished(con, doc) or self._same_file(con, doc, stored)

    def _republished(self, con: sqlite3.Connection, doc: Document) -> str | None:
        """The id of a stored document this one republishes: its canonical URL, a real web address, is that
        one's URL (or that one's canonical URL too). A copy with no address of its own is no location."""
        if not doc.url or not is_web_url(doc.canonical_url) or doc.canonical_url == doc.url:
            return None
        row = con.execute(
            "SELECT id FROM documents WHERE (url = ? OR canonical_url = ?) AND id != ? ORDER BY first_seen LIMIT 1",
            (doc.canonical_url, doc.canonical_url, doc.id),
        ).fetchone()
        return row["id"] if row else None

    def _same_file(self, con: sqlite3.Connection, doc: Document, stored: Document | None) -> str | None:
        """The id of a document of the same source read before from a file of the same name with the same
        title and text: an archive's member and its unpacked copy, or one file in two folders, are one text."""
        if not doc.url.startswith("file:"):
            return None
        sql = "SELECT id FROM documents WHERE url = ? AND source = ? AND content_hash = ? AND id != ?"
        params: tuple[object, ...] = (doc.url, doc.source, doc.content_hash, doc.id)
        if stored:  # of two copies stored before, the one stored first stays
            sql += " AND (first_seen < ? OR (first_seen = ? AND id < ?))"
            params += (stored.first_seen.isoformat(), stored.first_seen.isoformat(), stored.id)
        row = con.execute(sql + " ORDER BY first_seen, id LIMIT 1", params).fetchone()
        return row["id"] if row else None

    def _same_text(self, con: sqlite3.Connection, doc_id: str, copy: Document) -> bool:
        """True when a stored document has a copy's title and text (up to spacing): merging loses nothing."""
        row = con.execute("SELECT title, text FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return row["title"] == copy.title and row["text"].split() == copy.text.split()

    def _adopt_copies(self, con: sqlite3.Connection, doc: Document, now: dt.datetime) -> tuple[str, ...]:
        """When an original arrives after copies of it (their canonical URL is its real, equal URL), the
        copies are merged into it; the ids merged."""
        if not is_web_url(doc.url):
            return ()
        copies = con.execute(
            "SELECT id FROM documents WHERE canonical_url = ? AND id != ? AND url NOT IN ('', canonical_url)",
            (doc.url, doc.id),
        ).fetchall()
        for copy in copies:
            self._merge(con, copy["id"], doc.id, now)
        return tuple(copy["id"] for copy in copies)

    def _adopt_plain(self, con: sqlite3.Connection, doc: Document, into: str, now: dt.datetime) -> tuple[str, ...]:
        """A file an earlier reader stored as a plain file (source "file": a manytreaties text whose id it did not
        know) is this document read before: with the same text, it is merged into `into` (this document, or the
        one this is a duplicate of); the ids merged."""
        if doc.source == "file" or not doc.url.startswith("file:"):
            return ()
        rows = con.execute(
            "SELECT id, source_id, text FROM documents WHERE source = 'file' AND url = ? AND id NOT IN (?, ?)",
            (doc.url, doc.id, into),
        ).fetchall()
        plain = [
            row["id"]
            for row in rows
            if _same_path(doc.source_id, row["source_id"]) and row["text"].split() == doc.text.split()
        ]
        for plain_id in plain:
            self._merge(con, plain_id, into, now)
        return tuple(plain)

    def _merge(self, con: sqlite3.Connection, copy_id: str, into_id: str, now: dt.datetime) -> None:
        """The one way a document leaves the store apart from delete(): its URL and its own locations become
        locations of the document it copies (its earlier revisions stay in the revisions table)."""
        row = con.execute("SELECT url, source FROM documents WHERE id = ?", (copy_id,)).fetchone()
        con.execute(
            "INSERT INTO locations SELECT ?, url, source, seen_at FROM locations WHERE doc_id = ? "
            "ON CONFLICT (doc_id, url) DO NOTHING",
            (into_id, copy_id),
        )
        if row["url"]:
            self._add_location(con, into_id, row["url"], row["source"], now)
        con.execute("DELETE FROM documents WHERE id = ?", (copy_id,))  # its parties, clauses, locations cascade
        self._log(con, copy_id, "delete", now)

    def _insert(self, con: sqlite3.Connection, doc: Document, now: dt.datetime) -> None:
        values = _row(doc)
        con.execute(
            f"INSERT INTO documents ({', '.join(DOC_COLUMNS)}) VALUES ({', '.join('?' * len(DOC_COLUMNS))}) "
            f"ON CONFLICT (id) DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in DOC_COLUMNS[1:])}",
            [values[c] for c in DOC_COLUMNS],
        )
        con.executemany("INSERT INTO parties VALUES (?, ?)", [(doc.id, p) for p in dict.fromkeys(doc.parties)])
        con.executemany(
            "INSERT INTO mentions VALUES (?, ?, ?)", [(doc.id, code, n) for code, n in dict(doc.mentions).items()]
        )
        con.executemany(
            "INSERT INTO clauses (doc_id, number, label, heading, text, kind) VALUES (?, ?, ?, ?, ?, ?)",
            [(doc.id, c.number, c.label, c.heading, c.text, c.kind) for c in doc.clauses],
        )
        self._log(con, doc.id, "upsert", now)

    def _delete_rows(self, con: sqlite3.Connection, doc_id: str) -> None:
        con.execute("DELETE FROM parties WHERE doc_id = ?", (doc_id,))
        con.execute("DELETE FROM mentions WHERE doc_id = ?", (doc_id,))
        con.execute("DELETE FROM clauses WHERE doc_id = ?", (doc_id,))

    def _keep_revision(self, con: sqlite3.Connection, old: Document, now: dt.datetime) -> None:
        clauses = json.dumps([[c.number, c.label, c.heading, c.text, c.kind] for c in old.clauses], ensure_ascii=False)
        con.execute(
            "INSERT INTO revisions VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (doc_id, revision) DO UPDATE SET "
            "title = excluded.title, text = excluded.text, content_hash = excluded.content_hash, "
            "clauses = excluded.clauses, saved_at = excluded.saved_at, capture = excluded.capture",
            (old.id, old.revision, old.title, old.text, old.content_hash, clauses, now.isoformat(), old.capture),
        )

    def _add_location(self, con: sqlite3.Connection, doc_id: str, url: str, source: str, now: dt.datetime) -> None:
        con.execute(
            "INSERT INTO locations VALUES (?, ?, ?, ?) "
            "ON CONFLICT (doc_id, url) DO UPDATE SET seen_at = excluded.seen_at",
            (doc_id, url, source, now.isoformat()),
        )

    def _log(self, con: sqlite3.Connection, doc_id: str, op: str, now: dt.datetime) -> None:
        """A change for the index, written with the transaction's others at its end (see _write)."""
        self._local.changes.append((doc_id, op, now.isoformat()))

    def delete(self, doc_id: str) -> bool:
        with self._write() as con:
            deleted = con.execute("DELETE FROM documents WHERE id = ?", (doc_id,)).rowcount > 0
            if deleted:
                self._log(con, doc_id, "delete", utcnow())
            return deleted

    # reading

    def _clauses(self, con: sqlite3.Connection, doc_id: str) -> tuple[Clause, ...]:
        rows = con.execute("SELECT * FROM clauses WHERE doc_id = ? ORDER BY number", (doc_id,))
        return tuple(Clause(r["number"], r["text"], r["label"], r["heading"], r["kind"]) for r in rows)

    def _parties(self, con: sqlite3.Connection, doc_id: str) -> tuple[str, ...]:
        rows = con.execute("SELECT code FROM parties WHERE doc_id = ? ORDER BY code", (doc_id,))
        return tuple(r["code"] for r in rows)

    def _mentions(self, con: sqlite3.Connection, doc_id: str) -> tuple[tuple[str, int], ...]:
        rows = con.execute("SELECT code, count FROM mentions WHERE doc_id = ? ORDER BY count DESC, code", (doc_id,))
        return tuple((r["code"], r["count"]) for r in rows)

    def get(self, doc_id: str) -> Document | None:
        con = self._con
        con.execute("BEGIN")  # one snapshot for the document and its clauses
        try:
            row = con.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
            return (
                _document(row, self._clauses(con, doc_id), self._parties(con, doc_id), self._mentions(con, doc_id))
                if row
                else None
            )
        finally:
            con.execute("COMMIT")

    def text_of(self, doc_id: str) -> tuple[str, str] | None:
        row = self._con.execute("SELECT text, content_hash FROM documents WHERE id = ?", (doc_id,)).fetchone()
        return (row["text"], row["content_hash"]) if row else None

    def get_revision(self, doc_id: str, revision: int) -> Document | None:
        current = self.get(doc_id)
        if current is None or revision == current.revision:
            return current
        row = self._con.execute(
            "SELECT * FROM revisions WHERE doc_id = ? AND revision = ?", (doc_id, revision)
        ).fetchone()
        if row is None:
            return None
        return current.replace(
            title=row["title"],
            text=row["text"],
            revision=revision,
            capture=row["capture"],
            clauses=_revision_clauses(row["clauses"]),
        )

    def revisions(self, doc_id: str) -> list[Revision]:
        rows = self._con.execute("SELECT * FROM revisions WHERE doc_id = ? ORDER BY revision", (doc_id,))
        return [
            Revision(
                r["doc_id"],
                r["revision"],
                r["title"],
                r["text"],
                r["content_hash"],
                _revision_clauses(r["clauses"]),
                dt.datetime.fromisoformat(r["saved_at"]),
                r["capture"],
            )
            for r in rows
        ]

    def locations(self, doc_id: str) -> list[Location]:
        """The other addresses of a document (a copy read at its own URL, an archive's member unpacked, is none)."""
        rows = self._con.execute(
            "SELECT l.* FROM locations l JOIN documents d ON d.id = l.doc_id "
            "WHERE l.doc_id = ? AND l.url != d.url ORDER BY l.seen_at, l.url",
            (doc_id,),
        )
        return [Location(r["doc_id"], r["url"], r["source"], dt.datetime.fromisoformat(r["seen_at"])) for r in rows]

    def translations(self, doc_id: str) -> list[Document]:
        row = self._con.execute("SELECT translation_key FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None or not row["translation_key"]:
            return []
        ids = self._con.execute(
            "SELECT id FROM documents WHERE translation_key = ? AND id != ? ORDER BY language",
            (row["translation_key"], doc_id),
        )
        return list(self.iter_documents([r["id"] for r in ids]))

    def readings(self, translation_key: str, language: str, besides: str = "") -> list[tuple[str, str]]:
        """(id, text) of the documents filed as readings of one text in one language (its key and language), but
        the one `besides` (a document read again: its own stored text is no other reading)."""
        rows = self._con.execute(
            "SELECT id, text FROM documents WHERE translation_key = ? AND language = ? AND id != ? ORDER BY id",
            (translation_key, language, besides),
        )
        return [(r["id"], r["text"]) for r in rows]

    def find_by_url(self, url: str) -> Document | None:
        row = self._con.execute(
            "SELECT id FROM documents WHERE url = ? UNION SELECT doc_id FROM locations WHERE url = ? LIMIT 1",
            (url, url),
        ).fetchone()
        return self.get(row[0]) if row else None

    def existing(self, ids: Iterable[str]) -> set[str]:
        """Which of these ids the store holds."""
        found: set[str] = set()
        for ids_in, chunk in _in_chunks(list(ids)):
            found |= {r[0] for r in self._con.execute(f"SELECT id FROM documents WHERE id IN ({ids_in})", chunk)}
        return found

    def ids(self) -> list[str]:
        return [r[0] for r in self._con.execute("SELECT id FROM documents ORDER BY id")]

    def adopt_fingerprints(self, marks: dict[str, tuple[str, dt.datetime]]) -> int:
        """Give documents stored before fingerprints existed the fingerprint of the file they come from,
        {id: (fingerprint, when the file last changed)}, where it has not changed since they were last seen:
        it holds the bytes they were read from, so a better reading of it is no new revision. How many."""
        with self._write() as con:
            rows = [
                row
                for marks_in, chunk in _in_chunks(list(marks))
                for row in con.execute(
                    f"SELECT id, extra, last_seen FROM documents WHERE id IN ({marks_in}) AND extra NOT LIKE ?",
                    [*chunk, f"%{SOURCE_HASH}%"],
                )
            ]
            adopted = [
                (_extra_json({**json.loads(r["extra"]), SOURCE_HASH: marks[r["id"]][0]}), r["id"])
                for r in rows
                if dt.datetime.fromisoformat(r["last_seen"]) >= marks[r["id"]][1]
            ]
            if adopted:
                con.executemany("UPDATE documents SET extra = ? WHERE id = ?", adopted)
        return len(adopted)

    def iter_documents(self, ids: Iterable[str] | None = None) -> Iterator[Document]:
        """Documents by id (all of them when ids is None), in that order, skipping unknown ids."""
        for doc_id in self.ids() if ids is None else ids:
            doc = self.get(doc_id)
            if doc is not None:
                yield doc

    def changes_since(self, seq: int) -> list[Change]:
        rows = self._con.execute("SELECT seq, doc_id, op FROM changes WHERE seq > ? ORDER BY seq", (seq,))
        return [Change(r["seq"], r["doc_id"], r["op"]) for r in rows]

    def last_change(self) -> int:
        return int(self._con.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0])

    def stats(self) -> Stats:
        con = self._con

        def counts(sql: str) -> dict[str, int]:
            return {str(r[0]): r[1] for r in con.execute(sql).fetchall()}

        by_year = Counter(counts("SELECT coalesce(substr(date, 1, 4), 'undated'), count(*) FROM documents GROUP BY 1"))
        return Stats(
            documents=con.execute("SELECT count(*) FROM documents").fetchone()[0],
            clauses=con.execute("SELECT count(*) FROM clauses").fetchone()[0],
            revisions=con.execute("SELECT count(*) FROM revisions").fetchone()[0],
            by_source=counts("SELECT source, count(*) FROM documents GROUP BY 1 ORDER BY 2 DESC, 1"),
            by_language=counts("SELECT language, count(*) FROM documents GROUP BY 1 ORDER BY 2 DESC, 1"),
            by_year=dict(sorted(by_year.items())),
            by_type=counts("SELECT doc_type, count(*) FROM documents GROUP BY 1 ORDER BY 2 DESC, 1"),
            by_party=counts("SELECT code, count(*) FROM parties GROUP BY 1 ORDER BY 2 DESC, 1"),
        )

    # crawl state: the frontier of each crawl (resumable), and validators for conditional requests

    def begin_crawl(self, crawl: str, seeds: Iterable[FrontierItem]) -> int:
        """Join the pass of a crawl in progress (the number of URLs it has pending, never tried), or start a new
        pass with its seeds pending (0); URLs that only wait for a retry go on waiting in the new pass, so a
        flaky page never keeps a crawl from seeing what is new. Atomic: workers starting together start one
        pass between them."""
        with self._write() as con:
            self._lock_crawl(con, crawl)
            pending = con.execute(
                "SELECT count(*) FROM frontier WHERE crawl = ? AND state = 'pending' AND tries = 0", (crawl,)
            ).fetchone()[0]
            if pending:
                return int(pending)
            generation = self._generation(con, crawl) + 1
            con.execute(
                "INSERT INTO crawls VALUES (?, ?, ?) "
                "ON CONFLICT (crawl) DO UPDATE SET generation = excluded.generation, started = excluded.started",
                (crawl, generation, utcnow().isoformat()),
            )
            for item in seeds:
                self._enqueue(con, crawl, item, generation, requeue=True)
        return 0

    def revive_deferred(self, crawl: str) -> int:
        """Make the URLs an earlier `--since` crawl left for later pending in this pass (the backfill)."""
        with self._write() as con:
            generation = self._generation(con, crawl)
            return con.execute(
                "UPDATE frontier SET state = 'pending', generation = ?, updated_at = ? "
                "WHERE crawl = ? AND state = 'deferred'",
                (generation, utcnow().isoformat(), crawl),
            ).rowcount

    def _generation(self, con: sqlite3.Connection, crawl: str) -> int:
        row = con.execute("SELECT generation FROM crawls WHERE crawl = ?", (crawl,)).fetchone()
        return int(row[0]) if row else 0

    def _enqueue(self, con: sqlite3.Connection, crawl: str, item: FrontierItem, generation: int, requeue: bool) -> bool:
        """Add a URL in its state (pending, or skipped/deferred to remember it); a URL already there is left
        alone unless requeue and it belongs to an earlier pass (or was only remembered)."""
        row = con.execute(
            "SELECT state, generation FROM frontier WHERE crawl = ? AND url = ?", (crawl, item.url)
        ).fetchone()
        now = utcnow().isoformat()
        if row is None:
            con.execute(
                "INSERT INTO frontier (crawl, url, kind, language, state, generation, depth, title, updated_at, "
                "link, hops, until) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    crawl,
                    item.url,
                    item.kind,
                    item.language,
                    item.state,
                    generation,
                    item.depth,
                    item.title,
                    now,
                    item.link if item.link != item.url else "",
                    item.hops,
                    item.until,
                ),
            )
            return True
        if requeue and (row["generation"] < generation or row["state"] in ("skipped", "deferred")):
            con.execute(
                "UPDATE frontier SET state = ?, generation = ?, depth = ?, tries = 0, next_at = 0, failed_at = 0, "
                "error = '', until = ?, updated_at = ? WHERE crawl = ? AND url = ?",
                (item.state, generation, item.depth, item.until, now, crawl, item.url),
            )
            return True
        return False

    def enqueue(self, crawl: str, items: Iterable[FrontierItem], requeue: bool = False) -> int:
        with self._write() as con:
            generation = self._generation(con, crawl)
            return sum(self._enqueue(con, crawl, item, generation, requeue) for item in items)

    def known_urls(self, crawl: str, urls: Iterable[str]) -> set[str]:
        """Which of these URLs this crawl has seen before (queued, fetched or failed), or the store holds."""
        return set(self.url_states(crawl, urls))

    def url_states(self, crawl: str, urls: Iterable[str]) -> dict[str, str]:
        """What this crawl knows of these URLs: the state this pass gave it (pending, done, failed, skipped,
        deferred), else "stored" (a document or one of its locations), else "old:" and the state an earlier pass
        left."""
        urls = list(dict.fromkeys(urls))
        states: dict[str, str] = {}
        for start in range(0, len(urls), 500):
            chunk = urls[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            generation = self._generation(self._con, crawl)
            for row in self._con.execute(
                f"SELECT url, state, generation FROM frontier WHERE crawl = ? AND url IN ({marks})", (crawl, *chunk)
            ):
                old = row["generation"] < generation
                states[row["url"]] = f"old:{row['state']}" if old else row["state"]
            for table in ("documents", "locations"):
                for row in self._con.execute(f"SELECT url FROM {table} WHERE url IN ({marks})", chunk):
                    if states.get(row[0], "old:").startswith("old:"):  # what this pass stored is this pass's
                        states[row[0]] = "stored"
        return states

    def lease_next(
        self, crawl: str, now: float, lease: float, worker: str, run_started: float | None = None
    ) -> FrontierItem | None:
        """Take the next URL to fetch for `lease` seconds, newest first: by depth (a listing page's articles
        before the next listing page), feeds before listings before articles; none before its time, none another
        worker holds, none that failed since run_started (a run tries a URL once). A killed worker's lease runs
        out; then anyone takes it."""
        with self._write() as con:
            row = con.execute(
                "UPDATE frontier SET lease_until = ?, leased_by = ? WHERE rowid = ("
                "SELECT rowid FROM frontier WHERE crawl = ? AND state = 'pending' AND next_at <= ? "
                "AND lease_until <= ? AND failed_at < ? ORDER BY depth, "
                "CASE kind WHEN 'feed' THEN 0 WHEN 'sitemap' THEN 1 WHEN 'listing' THEN 2 ELSE 3 END, "
                f"rowid LIMIT 1{self.SKIP_LOCKED}) RETURNING *",
                (now + lease, worker, crawl, now, now, now if run_started is None else run_started),
            ).fetchone()
        return _frontier_item(row) if row else None

    def renew_lease(self, crawl: str, url: str, worker: str, until: float) -> bool:
        """Hold a leased URL until `until` (its fetch is done, its reading starts); False when the lease was lost."""
        with self._write() as con:
            return (
                con.execute(
                    "UPDATE frontier SET lease_until = ? WHERE crawl = ? AND url = ? AND leased_by = ? "
                    "AND state = 'pending'",
                    (until, crawl, url, worker),
                ).rowcount
                > 0
            )

    def lease_holders(self, crawl: str) -> set[str]:
        """The workers holding leases on this crawl's URLs."""
        rows = self._con.execute(
            "SELECT DISTINCT leased_by FROM frontier WHERE crawl = ? AND state = 'pending' AND leased_by <> ''",
            (crawl,),
        )
        return {r[0] for r in rows}

    def release_leases(self, crawl: str, workers: Iterable[str]) -> int:
        """Give back the URLs these workers hold (they are known to be dead): others may take them now."""
        with self._write() as con:
            return sum(
                con.execute(
                    "UPDATE frontier SET lease_until = 0, leased_by = '' WHERE crawl = ? AND leased_by = ? "
                    "AND state = 'pending'",
                    (crawl, worker),
                ).rowcount
                for worker in workers
            )

    def pending_count(self, crawl: str, run_started: float | None = None) -> tuple[int, float | None]:
        """How many URLs wait (or are being fetched) that a run started at run_started may still take, and the
        earliest time one of them may be taken."""
        row = self._con.execute(
            "SELECT count(*), min(CASE WHEN next_at > lease_until THEN next_at ELSE lease_until END) "
            "FROM frontier WHERE crawl = ? AND state = 'pending' AND failed_at < ?",
            (crawl, float("inf") if run_started is None else run_started),
        ).fetchone()
        return int(row[0]), row[1]

    def frontier_counts(self, crawl: str) -> dict[str, int]:
        """URLs of this crawl by state; "waiting" are the pending ones that failed and wait for a retry."""
        rows = self._con.execute(
            "SELECT CASE WHEN state = 'pending' AND tries > 0 THEN 'waiting' ELSE state END AS s, count(*) AS n "
            "FROM frontier WHERE crawl = ? GROUP BY 1",
            (crawl,),
        )
        return {r["s"]: int(r["n"]) for r in rows}

    def finish_url(
        self, crawl: str, url: str, state: str, error: str = "", doc_id: str = "", retry_at: float | None = None
    ) -> None:
        """Mark a URL done or failed, or (retry_at given) pending again after a failed try."""
        retry_after = None if retry_at is None else retry_at - time.time()
        self.complete_url(crawl, url, state, error=error, doc_id=doc_id, retry_after=retry_after)

    def complete_url(
        self,
        crawl: str,
        url: str,
        state: str,
        *,
        error: str = "",
        doc_id: str = "",
        retry_after: float | None = None,
        found: Iterable[FrontierItem] = (),
        requeue: Iterable[FrontierItem] = (),
        fetch: FetchRecord | None = None,
    ) -> int:
        """Finish a fetched URL in one transaction with what it produced: the URLs it found (queued), and its
        validators (so a page is never answered 304 before its links are queued); how many URLs were added.
        With retry_after, the URL failed transiently: it stays pending, to be tried that many seconds from now."""
        now = utcnow().isoformat()
        with self._write() as con:
            if fetch is not None:
                self._remember_fetch(con, fetch)
            generation = self._generation(con, crawl)
            added = sum(self._enqueue(con, crawl, item, generation, False) for item in found)
            added += sum(self._enqueue(con, crawl, item, generation, True) for item in requeue)
            if retry_after is not None:
                failed_at = time.time()
                con.execute(
                    "UPDATE frontier SET tries = tries + 1, next_at = ?, failed_at = ?, error = ?, updated_at = ?, "
                    "lease_until = 0, leased_by = '' WHERE crawl = ? AND url = ?",
                    (failed_at + retry_after, failed_at, error, now, crawl, url),
                )
            else:
                con.execute(
                    "UPDATE frontier SET state = ?, error = ?, doc_id = ?, updated_at = ?, lease_until = 0, "
                    "leased_by = '' WHERE crawl = ? AND url = ?",
                    (state, error, doc_id, now, crawl, url),
                )
        return added

    def validators(self, url: str) -> tuple[str, str]:
        """The ETag and Last-Modified last seen for a URL, for a conditional request."""
        row = self._con.execute("SELECT etag, last_modified FROM fetch_cache WHERE url = ?", (url,)).fetchone()
        return (row["etag"], row["last_modified"]) if row else ("", "")

    def remember_fetch(self, url: str, status: int, etag: str, last_modified: str, capture: str) -> None:
        with self._write() as con:
            self._remember_fetch(con, FetchRecord(url, status, etag, last_modified, capture))

    def _remember_fetch(self, con: sqlite3.Connection, fetch: FetchRecord) -> None:
        con.execute(
            "INSERT INTO fetch_cache VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO UPDATE SET "
            "etag = excluded.etag, last_modified = excluded.last_modified, status = excluded.status, "
            "capture = excluded.capture, fetched_at = excluded.fetched_at",
            (fetch.url, fetch.etag, fetch.last_modified, fetch.status, fetch.capture, utcnow().isoformat()),
        )

    # runs

    def start_run(self, job: str) -> Run:
        started, pid, host = utcnow(), os.getpid(), socket.gethostname()
        self.mark_interrupted()
        with self._write() as con:
            row = con.execute(
                "INSERT INTO runs (job, started, status, pid, host) VALUES (?, ?, 'running', ?, ?) RETURNING id",
                (job, started.isoformat(), pid, host),
            ).fetchone()
        return Run(id=int(row["id"]), job=job, started=started, pid=pid, host=host)

    def mark_interrupted(self) -> int:
        """Runs recorded as running on this host whose process is gone (killed, crashed) become
        "interrupted"; how many. Runs of other hosts cannot be checked from here and are left alone."""
        rows = self._con.execute(
            "SELECT id, pid FROM runs WHERE status = 'running' AND host = ? AND pid NOT IN (0, ?)",
            (socket.gethostname(), os.getpid()),
        ).fetchall()
        gone = [r["id"] for r in rows if not _alive(r["pid"])]
        if gone:
            with self._write() as con:
                con.executemany(
                    "UPDATE runs SET status = 'interrupted', ended = ? WHERE id = ? AND status = 'running'",
                    [(utcnow().isoformat(), i) for i in gone],
                )
        return len(gone)

    def finish_run(self, run: Run, status: str) -> None:
        run.status, run.ended = status, utcnow()
        with self._write() as con:
            con.execute(
                "UPDATE runs SET ended = ?, status = ?, counts = ?, errors = ? WHERE id = ?",
                (
                    run.ended.isoformat(),
                    status,
                    json.dumps(run.counts),
                    json.dumps(run.errors, ensure_ascii=False),
                    run.id,
                ),
            )

    def runs(self, limit: int = 20) -> list[Run]:
        with suppress(StoreError):  # a read-only store (a replica, a read-only folder) still lists its runs
            self.mark_interrupted()
        rows = self._con.execute("SELECT * FROM runs ORDER BY id DESC LIMIT ?", (limit,))
        return [
            Run(
                r["id"],
                r["job"],
                dt.datetime.fromisoformat(r["started"]),
                dt.datetime.fromisoformat(r["ended"]) if r["ended"] else None,
                r["status"],
                json.loads(r["counts"]),
                json.loads(r["errors"]),
                r["pid"],
                r["host"],
            )
            for r in rows
        ]


def _alive(pid: int) -> bool:
    """Whether a process of this host is running (a zombie, killed but not yet reaped, is not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def clean_text(text: str) -> str:
    """Text a store can hold: no NUL (PostgreSQL refuses it, no text means it), no lone surrogates."""
    text = text.replace("\x00", "")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def storable(doc: Document) -> Document:
    """The document as both stores keep it (so its hash, and a re-import's, are the same on both)."""
    changes: dict[str, object] = {
        f.name: clean_text(value)
        for f in dataclasses.fields(doc)
        if isinstance(value := getattr(doc, f.name), str) and clean_text(value) != value
    }
    clauses = tuple(
        dataclasses.replace(c, text=clean_text(c.text), label=clean_text(c.label), heading=clean_text(c.heading))
        for c in doc.clauses
    )
    if clauses != doc.clauses:
        changes["clauses"] = clauses
    return doc.replace(**changes) if changes else doc


def _same_path(path: str, earlier: str) -> bool:
    """True when an earlier name of a file (its last one or two parts, or all of it) names this path."""
    return path == earlier or path.endswith("/" + earlier)


def _row(doc: Document) -> dict[str, object]:
    return {
        "id": doc.id,
        "source": doc.source,
        "source_id": doc.source_id or doc.url,
        "url": doc.url,
        "canonical_url": doc.canonical_url,
        "language": doc.language,
        "title": doc.title,
        "date": doc.date.isoformat() if doc.date else None,
        "doc_type": doc.doc_type,
        "text": doc.text,
        "content_hash": doc.content_hash,
        "translation_key": doc.translation_key,
        "document_number": doc.document_number,
        "capture": doc.capture,
        "revision": doc.revision,
        "first_seen": (doc.first_seen or utcnow()).isoformat(),
        "last_seen": (doc.last_seen or utcnow()).isoformat(),
        "extra": _extra_json(doc.extra),
        "date_precision": doc.date_precision,
    }


def _document(
    row: sqlite3.Row, clauses: tuple[Clause, ...], parties: tuple[str, ...], mentions: tuple[tuple[str, int], ...] = ()
) -> Document:
    return Document(
        source=row["source"],
        url=row["url"],
        language=row["language"],
        title=row["title"],
        text=row["text"],
        source_id=row["source_id"],
        canonical_url=row["canonical_url"],
        date=dt.date.fromisoformat(row["date"]) if row["date"] else None,
        doc_type=row["doc_type"],
        parties=parties,
        clauses=clauses,
        translation_key=row["translation_key"],
        document_number=row["document_number"],
        capture=row["capture"],
        first_seen=dt.datetime.fromisoformat(row["first_seen"]),
        last_seen=dt.datetime.fromisoformat(row["last_seen"]),
        revision=row["revision"],
        extra=json.loads(row["extra"]),
        mentions=mentions,
        date_precision=row["date_precision"],
    )


def _frontier_item(row: sqlite3.Row) -> FrontierItem:
    return FrontierItem(
        row["url"],
        row["kind"],
        row["language"],
        row["depth"],
        row["title"],
        row["state"],
        row["tries"],
        row["error"],
        link=row["link"] or row["url"],
        hops=row["hops"],
        until=row["until"],
    )


def _extra_json(extra: dict[str, str]) -> str:
    return json.dumps(extra, ensure_ascii=False, sort_keys=True)


def _in_chunks(ids: list[str], size: int = 500) -> Iterator[tuple[str, list[str]]]:
    """The ids a few hundred at a time, each chunk with its placeholders for an IN (…) list."""
    for start in range(0, len(ids), size):
        chunk = ids[start : start + size]
        yield ", ".join("?" * len(chunk)), chunk


def _read_anew(old: Document, doc: Document) -> bool:
    """The same bytes read again (by a reader that repairs or cuts them better): a new reading of an unchanged
    source replaces the old one in place. Without a fingerprint on both sides the store cannot tell, and keeps
    the old text as a revision."""
    return bool(old.extra.get(SOURCE_HASH)) and old.extra.get(SOURCE_HASH) == doc.extra.get(SOURCE_HASH)


def _but_source(extra: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in extra.items() if k != SOURCE_HASH}


def _revision_clauses(data: str) -> tuple[Clause, ...]:
    """Clauses kept with a revision: [number, label, heading, text] and, since kinds exist, the kind."""
    return tuple(Clause(item[0], item[3], item[1], item[2], *item[4:]) for item in json.loads(data))


class SQLiteStore(SQLStore):
    """The embedded dialect: one SQLite file in WAL mode, so readers read while a writer writes."""

    database_url = ""  # a file, not a server

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._migrate()
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open the store at {path}: {exc}") from exc

    # connections and transactions

    @property
    def _con(self) -> sqlite3.Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            con = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            con.row_factory = sqlite3.Row
            con.execute("PRAGMA journal_mode=WAL")
            con.execute("PRAGMA synchronous=NORMAL")
            con.execute("PRAGMA foreign_keys=ON")
            self._local.con = con
        return con

    @contextmanager
    def _transaction(self, con: sqlite3.Connection) -> Iterator[None]:
        """BEGIN IMMEDIATE … COMMIT; SQLite's errors as one-line StoreErrors. SQLite has already rolled
        back after some errors (a full disk), so it is rolled back here only while a transaction is open."""
        try:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield
                con.execute("COMMIT")
            except BaseException:
                if con.in_transaction:
                    with suppress(sqlite3.Error):
                        con.execute("ROLLBACK")
                raise
        except sqlite3.DataError as exc:
            raise RejectedDocument(f"the store at {self.path} refused the data: {exc}") from exc
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write the store at {self.path}: {exc}") from exc

    def _migrate(self) -> None:
        with self._write() as con:
            version = con.execute("PRAGMA user_version").fetchone()[0]
            if version > len(MIGRATIONS):
                raise StoreError(f"the store at {self.path} has schema {version}, newer than this program knows")
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in script.split(";"):
                    if statement.strip():
                        con.execute(statement)
                con.execute(f"PRAGMA user_version = {number}")

    @property
    def schema_version(self) -> int:
        return int(self._con.execute("PRAGMA user_version").fetchone()[0])

    def _lock_crawl(self, con: sqlite3.Connection, crawl: str) -> None:
        """Serialise the start of a crawl's pass (SQLite's write transactions already are)."""

    def reserve_host(self, host: str, interval: float) -> float:
        """Book the next request slot of a host, `interval` seconds after the one booked before it by any
        worker; the seconds to wait for it."""
        now = time.time()
        with self._write() as con:
            con.execute("INSERT INTO hosts VALUES (?, 0) ON CONFLICT (host) DO NOTHING", (host,))
            row = con.execute(
                "UPDATE hosts SET next_at = max(next_at, ?) + ? WHERE host = ? RETURNING next_at",
                (now, interval, host),
            ).fetchone()
        return max(0.0, row[0] - interval - now)
