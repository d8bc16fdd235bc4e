"""The search index in PostgreSQL, built: the indexer's own tables (search_*) beside the store's.

Each document gets a tsvector made with the text search configuration of its language (russian,
english, …) and a GIN index; its clauses get tsvectors of their own (clause-level hits); its words go
to a table with a trigram index ("did you mean", pg_trgm). Like the Whoosh index, the tables follow
the store's change log. indexer/postgres_search.py searches them.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from typing import Any, TypeVar

import psycopg

from corpus.model import Document
from corpus.store import Store
from indexer.analysis import join_prefixes, words
from indexer.results import (
    BuildReport,
    IndexBusy,
)

CONFIGS = {"en": "english", "ru": "russian", "es": "spanish", "fr": "french", "de": "german", "pt": "portuguese"}
BATCH = 500  # documents per transaction
LOCK = 727275  # advisory lock of index updates
T = TypeVar("T")
TABLES = ("search_documents", "search_clauses", "search_words", "search_lexemes")
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
    CREATE TABLE search_documents (
        id TEXT PRIMARY KEY, title TEXT NOT NULL, url TEXT NOT NULL, date TEXT NOT NULL, year INTEGER NOT NULL,
        parties TEXT[] NOT NULL, doc_type TEXT NOT NULL, language TEXT NOT NULL, source TEXT NOT NULL,
        config TEXT NOT NULL, title_tsv TSVECTOR NOT NULL, tsv TSVECTOR NOT NULL
    );
    CREATE INDEX search_documents_tsv ON search_documents USING GIN (tsv);
    CREATE INDEX search_documents_title_tsv ON search_documents USING GIN (title_tsv);
    CREATE INDEX search_documents_parties ON search_documents USING GIN (parties);
    CREATE INDEX search_documents_date ON search_documents (date);
    CREATE TABLE search_clauses (
        doc_id TEXT NOT NULL REFERENCES search_documents(id) ON DELETE CASCADE, number INTEGER NOT NULL,
        tsv TSVECTOR NOT NULL, PRIMARY KEY (doc_id, number)
    );
    CREATE TABLE search_words (word TEXT PRIMARY KEY, documents INTEGER NOT NULL);
    CREATE INDEX search_words_trigrams ON search_words USING GIN (word gin_trgm_ops);
    CREATE TABLE search_lexemes (lexeme TEXT PRIMARY KEY, documents INTEGER NOT NULL);
    CREATE TABLE search_state (
        id INTEGER PRIMARY KEY CHECK (id = 1), last_change BIGINT NOT NULL, generation BIGINT NOT NULL,
        updated_at TIMESTAMPTZ
    );
    INSERT INTO search_state VALUES (1, 0, 0, NULL)
    """,
    """
    ALTER TABLE search_documents ADD COLUMN mentions TEXT[] NOT NULL DEFAULT '{}';
    CREATE INDEX search_documents_mentions ON search_documents USING GIN (mentions)
    """,
    """
    ALTER TABLE search_documents ADD COLUMN reading TEXT NOT NULL DEFAULT '';
    CREATE INDEX search_documents_reading ON search_documents (reading) WHERE reading <> ''
    """,
)


def config_of(language: str) -> str:
    """The text search configuration for a language code; 'simple' (no stemming) for the others."""
    return CONFIGS.get(language, "simple")


DOTTED = re.compile(r"(?<=[^\W\d_])\.(?=[^\W\d_])")  # a dot between letters: "R.A.Kazakbayev", "mid.ru"


def searchable(text: str) -> str:
    """Text as the tsvector reads it: "co-operation" joined, ё as е (PostgreSQL's stemmers fold neither fully),
    a space after a dot between letters (PostgreSQL's parser reads "R.A.Kazakbayev" as one host name)."""
    return DOTTED.sub(". ", join_prefixes(text).replace("ё", "е").replace("Ё", "Е"))


def connect(url: str) -> psycopg.Connection:
    return psycopg.connect(url, autocommit=True, connect_timeout=10)


def search_connection(url: str) -> psycopg.Connection:
    """A connection for searching. The planner does not count the cost of unpacking each row's large
    tsvector, so for common words it scans the table (unpacking every document) where the GIN index
    alone answers in a twentieth of the time: scans are discouraged here (still taken when nothing else
    can answer). That inflates the estimated costs past the JIT threshold; JIT compiling costs more than
    these short queries take, so it is off."""
    options = "-c enable_seqscan=off -c jit=off"
    return psycopg.connect(url, autocommit=True, connect_timeout=10, options=options)


def migrate(con: psycopg.Connection) -> None:
    """Create or upgrade the search tables; one process at a time. Writes nothing when they are current,
    so that web workers can read from a replica."""
    exists = con.execute("SELECT to_regclass('search_schema_version')").fetchone()[0] is not None
    if exists and con.execute("SELECT max(version) FROM search_schema_version").fetchone()[0] == len(MIGRATIONS):
        return
    with con.transaction():
        con.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK - 1,))
        con.execute("CREATE TABLE IF NOT EXISTS search_schema_version (version INTEGER NOT NULL)")
        version = con.execute("SELECT coalesce(max(version), 0) FROM search_schema_version").fetchone()[0]
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            for statement in script.split(";"):
                if statement.strip():
                    con.execute(statement)
            con.execute("INSERT INTO search_schema_version VALUES (%s)", (number,))


# building


@contextmanager
def _update_lock(con: psycopg.Connection, timeout: float) -> Iterator[None]:
    deadline = time.monotonic() + timeout
    while not con.execute("SELECT pg_try_advisory_lock(%s)", (LOCK,)).fetchone()[0]:
        if time.monotonic() > deadline:
            raise IndexBusy(f"another index update holds the lock; gave up after {timeout:g} s")
        time.sleep(0.2)
    try:
        yield
    finally:
        con.execute("SELECT pg_advisory_unlock(%s)", (LOCK,))


def update_index(
    store: Store,
    url: str,
    rebuild: bool = False,
    lock_timeout: float = 10.0,
    progress: Callable[[int], None] | None = None,
) -> BuildReport:
    """Bring the search tables up to the store: changed and deleted documents, or everything with rebuild.

    Each batch commits with the change it has reached, so a killed update resumes where it stopped; a
    rebuild is one transaction, and searches see the old index until it commits."""
    with connect(url) as con:
        migrate(con)
        with _update_lock(con, lock_timeout):
            if not rebuild:
                return _apply_changes(store, con, progress)
            report = _rebuild(store, con, progress)
            for table in TABLES:  # the old rows' space for reuse, and statistics for the planner
                con.execute(f"VACUUM (ANALYZE) {table}")
            return report


def _apply_changes(store: Store, con: psycopg.Connection, progress: Callable[[int], None] | None) -> BuildReport:
    last = con.execute("SELECT last_change FROM search_state").fetchone()[0]
    report = BuildReport(last_change=last)
    for batch in _chunks(store.changes_since(last), BATCH):
        latest = {c.doc_id: c.op for c in batch}  # only the last change of a document counts
        deleted = [doc_id for doc_id, op in latest.items() if op == "delete"]
        upserts = [doc_id for doc_id, op in latest.items() if op == "upsert"]
        with con.transaction():
            docs = list(store.iter_documents(upserts))
            gone = set(upserts) - {d.id for d in docs}  # saved, then deleted or merged before this run
            con.execute("DELETE FROM search_documents WHERE id = ANY(%s)", ([*deleted, *gone],))
            _put(con, docs)
            _advance(con, batch[-1].seq)
        report.deleted += len(deleted)
        report.updated += len(docs)
        report.last_change = batch[-1].seq
        if progress:
            progress(len(docs))
    return report


def _rebuild(store: Store, con: psycopg.Connection, progress: Callable[[int], None] | None) -> BuildReport:
    report = BuildReport(last_change=store.last_change(), rebuilt=True)
    with con.transaction():
        for table in TABLES:
            con.execute(f"DELETE FROM {table}")  # not TRUNCATE: readers go on reading the old rows meanwhile
        for batch in _chunks(store.iter_documents(), BATCH):
            _put(con, batch)
            report.updated += len(batch)
            if progress:
                progress(len(batch))
        _advance(con, report.last_change)
    return report


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    rest = iter(items)
    while chunk := list(islice(rest, size)):
        yield chunk


def _advance(con: psycopg.Connection, last_change: int) -> None:
    con.execute(
        "UPDATE search_state SET last_change = %s, generation = generation + 1, updated_at = now()", (last_change,)
    )


def _put(con: psycopg.Connection, docs: Sequence[Document]) -> None:
    """Insert or replace documents with their tsvectors, their clauses', and their words for suggestions."""
    if not docs:
        return
    with con.cursor() as cur:
        cur.executemany(
            """
            INSERT INTO search_documents
            SELECT %(id)s, %(title)s, %(url)s, %(date)s, %(year)s, %(parties)s, %(doc_type)s, %(language)s,
                   %(source)s, %(config)s::text, to_tsvector(%(config)s::text::regconfig, %(title_s)s),
                   setweight(to_tsvector(%(config)s::text::regconfig, %(title_s)s), 'A')
                   || to_tsvector(%(config)s::text::regconfig, %(text_s)s), %(mentions)s, %(reading)s
            ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, url = EXCLUDED.url, date = EXCLUDED.date,
                year = EXCLUDED.year, parties = EXCLUDED.parties, doc_type = EXCLUDED.doc_type,
                language = EXCLUDED.language, source = EXCLUDED.source, config = EXCLUDED.config,
                title_tsv = EXCLUDED.title_tsv, tsv = EXCLUDED.tsv, mentions = EXCLUDED.mentions,
                reading = EXCLUDED.reading
            """,
            [_fields(doc) for doc in docs],
        )
        ids = [doc.id for doc in docs]
        cur.execute("DELETE FROM search_clauses WHERE doc_id = ANY(%s)", (ids,))
        cur.executemany(
            "INSERT INTO search_clauses VALUES (%s, %s, to_tsvector(%s::regconfig, %s))",
            [(d.id, c.number, config_of(d.language), searchable(c.text)) for d in docs for c in d.clauses],
        )
        vocabulary: Counter[str] = Counter()
        for doc in docs:
            vocabulary.update(words(f"{doc.title}\n{doc.text}"))
        cur.executemany(
            "INSERT INTO search_words VALUES (%s, %s) ON CONFLICT (word) DO UPDATE "
            "SET documents = search_words.documents + EXCLUDED.documents",
            sorted(vocabulary.items()),  # in order, so that concurrent updaters could not deadlock
        )
        cur.execute(
            "INSERT INTO search_lexemes SELECT lexeme, count(*) FROM search_documents, "
            "unnest(tsvector_to_array(tsv)) AS lexeme WHERE id = ANY(%s) GROUP BY lexeme ORDER BY lexeme "
            "ON CONFLICT (lexeme) DO UPDATE SET documents = search_lexemes.documents + EXCLUDED.documents",
            (ids,),
        )


def _fields(doc: Document) -> dict[str, Any]:
    return {
        "id": doc.id,
        "title": doc.title,
        "url": doc.link,
        "date": doc.date_shown,  # "2022" for a year-only date: shown as far as it is known
        "year": doc.year or 0,
        "parties": list(doc.parties),
        "mentions": [code for code, _ in doc.mentions],
        "doc_type": doc.doc_type,
        "language": doc.language,
        "source": doc.source,
        "config": config_of(doc.language),
        "title_s": searchable(doc.title),
        "text_s": searchable(doc.text),
        "reading": doc.reading_of,
    }
