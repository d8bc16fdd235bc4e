"""The corpus: one data model for documents and clauses, and the store that keeps them."""

from corpus.model import DOC_TYPES, Change, Clause, Document, Location, Revision, SaveResult
from corpus.store import FrontierItem, Run, Stats, Store, StoreError, open_store

__all__ = [
    "DOC_TYPES",
    "Change",
    "Clause",
    "Document",
    "FrontierItem",
    "Location",
    "Revision",
    "Run",
    "SaveResult",
    "Stats",
    "Store",
    "StoreError",
    "open_store",
]
