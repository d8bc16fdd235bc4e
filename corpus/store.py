"""The store interface: what the crawler, importers, indexer and web UI ask of a corpus store."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from corpus.model import Change, Document, Location, Revision, SaveResult


class StoreError(Exception):
    """A store could not be opened or written; the message says why."""


class RejectedDocument(StoreError):
    """The store refused the data of a batch (not the store as a whole): other documents can still be saved."""


@dataclass
class Run:
    """One recorded job: an import, a crawl or an index update."""

    id: int
    job: str
    started: dt.datetime
    ended: dt.datetime | None = None
    status: str = "running"  # running, ok, partial, incomplete (URLs wait for a retry), failed, interrupted
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    pid: int = 0  # the process that runs it, on host: a "running" run whose process is gone was interrupted
    host: str = ""


@dataclass(frozen=True)
class FrontierItem:
    """A URL a crawl has to fetch (or has fetched): a feed, a listing page or an article."""

    url: str
    kind: str  # "feed", "listing" or "article"
    language: str = ""
    depth: int = 0  # listing pages: how many "next" links from a start page
    title: str = ""  # the title a listing gave an article
    state: str = "pending"  # pending, done, failed; skipped (a title not taken) and deferred (left by --since)
    tries: int = 0
    error: str = ""
    link: str = ""  # the URL as found, fetched; `url` is its canonical key (corpus/urls.py)
    hops: int = 0  # articles: how many follow rules led here from a listed article
    until: str = ""  # listing pages: the last page (or first day) of the paging they are part of

    @property
    def fetch_url(self) -> str:
        return self.link or self.url


@dataclass(frozen=True)
class FetchRecord:
    """What a fetch of a URL left for the next conditional request of it."""

    url: str
    status: int
    etag: str = ""
    last_modified: str = ""
    capture: str = ""


@dataclass(frozen=True)
class Stats:
    documents: int
    clauses: int
    revisions: int
    by_source: dict[str, int]
    by_language: dict[str, int]
    by_year: dict[str, int]
    by_type: dict[str, int]
    by_party: dict[str, int]


class Store(Protocol):
    """A corpus store. SQLite is the embedded default; PostgreSQL implements the same."""

    database_url: str  # the server's URL for a store in PostgreSQL; "" for the embedded store

    def save(self, doc: Document, now: dt.datetime | None = None) -> SaveResult: ...

    def save_many(self, docs: Iterable[Document], now: dt.datetime | None = None) -> list[SaveResult]: ...

    def get(self, doc_id: str) -> Document | None: ...

    def text_of(self, doc_id: str) -> tuple[str, str] | None:
        """A document's text and content hash alone (what a search hit shows of it)."""
        ...

    def get_revision(self, doc_id: str, revision: int) -> Document | None: ...

    def revisions(self, doc_id: str) -> list[Revision]: ...

    def locations(self, doc_id: str) -> list[Location]: ...

    def translations(self, doc_id: str) -> list[Document]: ...

    def readings(self, translation_key: str, language: str, besides: str = "") -> list[tuple[str, str]]:
        """(id, text) of the documents filed as readings of one text in one language, but the one `besides`."""
        ...

    def find_by_url(self, url: str) -> Document | None: ...

    def existing(self, ids: Iterable[str]) -> set[str]: ...

    def adopt_fingerprints(self, marks: dict[str, tuple[str, dt.datetime]]) -> int: ...

    def iter_documents(self, ids: Iterable[str] | None = None) -> Iterator[Document]: ...

    def delete(self, doc_id: str) -> bool: ...

    def changes_since(self, seq: int) -> list[Change]: ...

    def last_change(self) -> int: ...

    def stats(self) -> Stats: ...

    def begin_crawl(self, crawl: str, seeds: Iterable[FrontierItem]) -> int: ...

    def enqueue(self, crawl: str, items: Iterable[FrontierItem], requeue: bool = False) -> int: ...

    def revive_deferred(self, crawl: str) -> int: ...

    def known_urls(self, crawl: str, urls: Iterable[str]) -> set[str]: ...

    def url_states(self, crawl: str, urls: Iterable[str]) -> dict[str, str]: ...

    def lease_next(
        self, crawl: str, now: float, lease: float, worker: str, run_started: float | None = None
    ) -> FrontierItem | None: ...

    def renew_lease(self, crawl: str, url: str, worker: str, until: float) -> bool: ...

    def lease_holders(self, crawl: str) -> set[str]: ...

    def release_leases(self, crawl: str, workers: Iterable[str]) -> int: ...

    def pending_count(self, crawl: str, run_started: float | None = None) -> tuple[int, float | None]: ...

    def frontier_counts(self, crawl: str) -> dict[str, int]: ...

    def reserve_host(self, host: str, interval: float) -> float: ...

    def finish_url(
        self, crawl: str, url: str, state: str, error: str = "", doc_id: str = "", retry_at: float | None = None
    ) -> None: ...

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
    ) -> int: ...

    def validators(self, url: str) -> tuple[str, str]: ...

    def remember_fetch(self, url: str, status: int, etag: str, last_modified: str, capture: str) -> None: ...

    def start_run(self, job: str) -> Run: ...

    def mark_interrupted(self) -> int: ...

    def finish_run(self, run: Run, status: str) -> None: ...

    def runs(self, limit: int = 20) -> list[Run]: ...

    def close(self) -> None: ...

    @property
    def schema_version(self) -> int: ...


def open_store(location: str | Path) -> Store:
    """Open the store a location names: a PostgreSQL URL, or a data directory for SQLite."""
    text = str(location)
    if text.startswith(("postgresql://", "postgres://")):
        try:
            from corpus.postgres_store import PostgresStore
        except ImportError:
            raise StoreError("a postgresql:// store needs psycopg: pip install 'treatysearch[postgres]'") from None
        return PostgresStore(text)
    from corpus.sqlite_store import SQLiteStore

    return SQLiteStore(Path(text) / "corpus.sqlite3")
