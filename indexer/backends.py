"""Which search index serves a store: Whoosh files beside an embedded store, PostgreSQL tables beside a
PostgreSQL one. The web UI and the CLI open and update the index through these two functions only."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol

from corpus.store import Store
from indexer.results import BuildReport, Hit, SearchRequest, SearchResult


class SearchIndex(Protocol):
    """What every backend answers (indexer/search.py: Whoosh; indexer/postgres_search.py: PostgreSQL)."""

    def search(self, request: SearchRequest) -> SearchResult: ...

    def matching_ids(self, request: SearchRequest) -> list[str]: ...

    def similar(self, text: str, limit: int = 30, terms: int = 12) -> list[str]: ...

    def brief(self, ids: Iterable[str]) -> list[Hit]: ...

    def document_frequencies(self, words: Iterable[str]) -> tuple[int, dict[str, int]]: ...

    def suggest(self, text: str) -> str | None: ...

    def count(self) -> int: ...

    def indexed_change(self) -> int: ...

    def updated_at(self) -> str | None: ...

    def close(self) -> None: ...


def backend_of(store: Store) -> str:
    return "postgresql" if store.database_url else "whoosh"


def open_search(store: Store, path: Path, cache_size: int = 256) -> SearchIndex:
    """The index of a store: in PostgreSQL beside a PostgreSQL store, else the Whoosh index in `path`."""
    if store.database_url:
        from indexer.postgres_search import PostgresIndex

        return PostgresIndex(store.database_url, store.get, cache_size)
    from indexer.search import Index

    return Index(path, store.get, cache_size, texts=store.text_of)


def update_search(
    store: Store,
    path: Path,
    rebuild: bool = False,
    lock_timeout: float = 10.0,
    progress: Callable[[int], None] | None = None,
) -> BuildReport:
    """Bring the store's index up to date (only what changed, or everything with rebuild)."""
    if store.database_url:
        from indexer import postgres

        return postgres.update_index(store, store.database_url, rebuild, lock_timeout, progress)
    from indexer import build

    return build.update_index(store, path, rebuild, lock_timeout, progress)
