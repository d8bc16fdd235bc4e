"""The corpus: one data model for documents and clauses, and the store that keeps them."""

from corpus.model import DOC_TYPES, Change, Clause, Document, Location, Revision, SaveResult
from corpus.store import Run, Stats, Store, StoreError, open_store

__all__ = [
    "DOC_TYPES",
    "Change",
    "Clause",
    "Document",
    "Location",
    "Revision",
    "Run",
    "SaveResult",
    "Stats",
    "Store",
    "StoreError",
    "open_store",
]
