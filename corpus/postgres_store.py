"""The store on PostgreSQL: the same store, for teams whose corpus outgrows one machine's SQLite file.

The SQL of corpus/sqlite_store.py's SQLStore is written to run on both engines (upserts, RETURNING); what differs –
placeholders, the frontier's insertion order, transactions and the schema – is handled here."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg.rows import RowMaker

from corpus.sqlite_store import SQLStore
from corpus.store import RejectedDocument, StoreError

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE documents (
        id TEXT PRIMARY KEY, source TEXT NOT NULL, source_id TEXT NOT NULL, url TEXT NOT NULL,
        canonical_url TEXT NOT NULL DEFAULT '', language TEXT NOT NULL, title TEXT NOT NULL, date TEXT,
        doc_type TEXT NOT NULL, text TEXT NOT NULL, content_hash TEXT NOT NULL,
        translation_key TEXT NOT NULL DEFAULT '', document_number TEXT NOT NULL DEFAULT '',
        capture TEXT NOT NULL DEFAULT '', revision INTEGER NOT NULL, first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL, extra TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX documents_url ON documents(url);
    CREATE INDEX documents_canonical_url ON documents(canonical_url);
    CREATE INDEX documents_translation_key ON documents(translation_key);
    CREATE TABLE parties (
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE, code TEXT NOT NULL,
        PRIMARY KEY (doc_id, code)
    );
    CREATE INDEX parties_code ON parties(code);
    CREATE TABLE clauses (
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE, number INTEGER NOT NULL,
        label TEXT NOT NULL, heading TEXT NOT NULL, text TEXT NOT NULL, PRIMARY KEY (doc_id, number)
    );
    CREATE TABLE revisions (
        doc_id TEXT NOT NULL, revision INTEGER NOT NULL, title TEXT NOT NULL, text TEXT NOT NULL,
        content_hash TEXT NOT NULL, clauses TEXT NOT NULL, saved_at TEXT NOT NULL, capture TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (doc_id, revision)
    );
    CREATE TABLE locations (
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE, url TEXT NOT NULL, source TEXT NOT NULL,
        seen_at TEXT NOT NULL, PRIMARY KEY (doc_id, url)
    );
    CREATE TABLE changes (seq BIGSERIAL PRIMARY KEY, doc_id TEXT NOT NULL, op TEXT NOT NULL, at TEXT NOT NULL);
    CREATE TABLE runs (
        id BIGSERIAL PRIMARY KEY, job TEXT NOT NULL, started TEXT NOT NULL, ended TEXT, status TEXT NOT NULL,
        counts TEXT NOT NULL DEFAULT '{}', errors TEXT NOT NULL DEFAULT '[]'
    )
    """,
    """
    CREATE TABLE frontier (
        n BIGSERIAL UNIQUE, crawl TEXT NOT NULL, url TEXT NOT NULL, kind TEXT NOT NULL,
        language TEXT NOT NULL DEFAULT '', state TEXT NOT NULL DEFAULT 'pending', generation INTEGER NOT NULL,
        depth INTEGER NOT NULL DEFAULT 0, tries INTEGER NOT NULL DEFAULT 0, next_at DOUBLE PRECISION NOT NULL DEFAULT 0,
        title TEXT NOT NULL DEFAULT '', error TEXT NOT NULL DEFAULT '', doc_id TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL, PRIMARY KEY (crawl, url)
    );
    CREATE INDEX frontier_pending ON frontier(crawl, state, kind, depth);
    CREATE TABLE crawls (crawl TEXT PRIMARY KEY, generation INTEGER NOT NULL, started TEXT NOT NULL);
    CREATE TABLE fetch_cache (
        url TEXT PRIMARY KEY, etag TEXT NOT NULL DEFAULT '', last_modified TEXT NOT NULL DEFAULT '',
        status INTEGER NOT NULL, capture TEXT NOT NULL DEFAULT '', fetched_at TEXT NOT NULL
    )
    """,
    """
    ALTER TABLE frontier ADD COLUMN lease_until DOUBLE PRECISION NOT NULL DEFAULT 0;
    ALTER TABLE frontier ADD COLUMN leased_by TEXT NOT NULL DEFAULT '';
    CREATE TABLE hosts (host TEXT PRIMARY KEY, next_at DOUBLE PRECISION NOT NULL)
    """,
    """
    ALTER TABLE runs ADD COLUMN pid INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE runs ADD COLUMN host TEXT NOT NULL DEFAULT ''
    """,
    """
    ALTER TABLE frontier ADD COLUMN link TEXT NOT NULL DEFAULT '';
    ALTER TABLE frontier ADD COLUMN failed_at DOUBLE PRECISION NOT NULL DEFAULT 0;
    ALTER TABLE frontier ADD COLUMN hops INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE frontier ADD COLUMN until TEXT NOT NULL DEFAULT ''
    """,
    """
    ALTER TABLE documents ADD COLUMN date_precision TEXT NOT NULL DEFAULT 'day';
    UPDATE documents SET date_precision = 'year' WHERE extra LIKE '%"date_precision": "year"%';
    ALTER TABLE clauses ADD COLUMN kind TEXT NOT NULL DEFAULT 'content';
    CREATE TABLE mentions (
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE, code TEXT NOT NULL, count INTEGER NOT NULL,
        PRIMARY KEY (doc_id, code)
    );
    CREATE INDEX mentions_code ON mentions(code)
    """,
)
CHANGE_LOG_LOCK = 727276  # held from a transaction's change log insert to its commit: seq order is commit order
PLACEHOLDER = re.compile(r"\?")


class Row(dict):
    """A result row read by column name, as the shared SQL does, or by position."""

    def __getitem__(self, key: Any) -> Any:
        return list(self.values())[key] if isinstance(key, int) else super().__getitem__(key)


def _rows(cursor: psycopg.Cursor) -> RowMaker[Row]:
    names = [c.name for c in cursor.description or ()]
    return lambda values: Row(zip(names, values, strict=True))


class Connection:
    """A psycopg connection that takes the shared SQL: "?" placeholders, and the frontier's order column."""

    def __init__(self, con: psycopg.Connection) -> None:
        self.con = con

    @staticmethod
    def _sql(sql: str) -> str:
        return PLACEHOLDER.sub("%s", sql.replace("%", "%%")).replace("rowid", "n")

    def execute(self, sql: str, params: Sequence[Any] = ()) -> psycopg.Cursor:
        return self.con.execute(self._sql(sql), params)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with self.con.cursor() as cursor:
            cursor.executemany(self._sql(sql), rows)

    def close(self) -> None:
        self.con.close()


class PostgresStore(SQLStore):
    """Documents, clauses, revisions, locations, the change log, runs and crawl state in PostgreSQL.

    Crawler workers on any number of machines share the frontier: each takes a URL with
    FOR UPDATE SKIP LOCKED, and hosts are paced by the server's clock."""

    SKIP_LOCKED = " FOR UPDATE SKIP LOCKED"

    def __init__(self, url: str) -> None:
        self.url = self.database_url = url
        self.path = url  # type: ignore[assignment] - named in messages
        self._local = threading.local()
        try:
            self._migrate()
        except psycopg.Error as exc:
            raise StoreError(f"cannot open the store at {_safe(url)}: {str(exc).strip().splitlines()[0]}") from exc

    @property
    def _con(self) -> Connection:
        con = getattr(self._local, "con", None)
        if con is None:
            raw = psycopg.connect(self.url, autocommit=True, row_factory=_rows, connect_timeout=10)
            con = self._local.con = Connection(raw)
        return con

    @contextmanager
    def _transaction(self, con: Connection) -> Iterator[None]:
        """A transaction; PostgreSQL's errors as one-line StoreErrors (a refused value: RejectedDocument)."""
        try:
            with con.con.transaction():
                yield
        except psycopg.DataError as exc:
            raise RejectedDocument(f"the store at {_safe(self.url)} refused the data: {_first_line(exc)}") from exc
        except psycopg.Error as exc:
            raise StoreError(f"cannot write the store at {_safe(self.url)}: {_first_line(exc)}") from exc

    def _write_changes(self, con: Connection, changes: list[tuple[str, str, str]]) -> None:
        """The change log's numbers come from a sequence when the row is inserted, but become visible at
        commit: without this lock a transaction could commit number 9 after another committed 10, and an
        index that had read up to 10 would never see 9. Under it, numbers are taken in commit order."""
        con.execute("SELECT pg_advisory_xact_lock(?)", (CHANGE_LOG_LOCK,))
        super()._write_changes(con, changes)

    def _migrate(self) -> None:
        if self._current():
            return  # nothing to write: a read-only replica opens as well as the primary
        with self._write() as con:
            con.execute("SELECT pg_advisory_xact_lock(727274)")  # one migrating process at a time
            con.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            row = con.execute("SELECT max(version) AS v FROM schema_version").fetchone()
            version = int(row["v"] or 0)
            if version > len(MIGRATIONS):
                raise StoreError(f"the store at {_safe(self.url)} has schema {version}, newer than this program knows")
            for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
                for statement in script.split(";"):
                    if statement.strip():
                        con.con.execute(statement)
                con.execute("INSERT INTO schema_version VALUES (?)", (number,))

    def _lock_crawl(self, con: Connection, crawl: str) -> None:
        con.execute("SELECT pg_advisory_xact_lock(hashtext(?))", (crawl,))

    def reserve_host(self, host: str, interval: float) -> float:
        with self._write() as con:
            con.execute("INSERT INTO hosts VALUES (?, 0) ON CONFLICT (host) DO NOTHING", (host,))
            row = con.execute(
                "UPDATE hosts SET next_at = GREATEST(next_at, extract(epoch FROM clock_timestamp())) + ? "
                "WHERE host = ? RETURNING next_at - ? - extract(epoch FROM clock_timestamp()) AS wait",
                (interval, host, interval),
            ).fetchone()
        return max(0.0, float(row["wait"]))

    def _current(self) -> bool:
        con = self._con
        if con.execute("SELECT to_regclass('schema_version') AS t").fetchone()["t"] is None:
            return False
        return self.schema_version == len(MIGRATIONS)

    @property
    def schema_version(self) -> int:
        return int(self._con.execute("SELECT max(version) AS v FROM schema_version").fetchone()["v"] or 0)


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"://([^:/@]+):[^@]*@", r"://\1:…@", url)
