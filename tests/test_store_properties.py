"""Properties of the store over random input (hypothesis): what a save reports is what it did, nothing
vanishes (and a document's text read alone is its text), and an export imports back exactly. Few
examples on PostgreSQL, where each needs a fresh schema."""

from __future__ import annotations

import datetime as dt
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus.export import as_dict, write_jsonl
from corpus.importers import read_jsonl
from corpus.model import Clause, Document
from corpus.sqlite_store import SQLiteStore
from tests.conftest import DATABASE_URL, empty_postgres_store

URLS = ["", "file:a.md", "https://a.org/1", "https://a.org/2", "https://b.org/x", "https://c.org/y"]
BACKENDS = [
    pytest.param("sqlite", 60, id="sqlite"),
    pytest.param(
        "postgresql",
        8,
        id="postgresql",
        marks=pytest.mark.skipif(not DATABASE_URL, reason="no PostgreSQL test database"),
    ),
]

documents = st.builds(
    lambda source, url, canonical, source_id, text: Document(
        source=source,
        url=url,
        language="en",
        title="Joint statement",
        text=text,
        source_id=source_id,
        canonical_url=canonical,
        clauses=(Clause(1, text),),
    ),
    source=st.sampled_from(["mid", "aggregator", "file"]),
    url=st.sampled_from(URLS),
    canonical=st.sampled_from(URLS),
    source_id=st.sampled_from(["", "1", "2", "3"]),
    text=st.sampled_from(["The Sides agree.", "The Sides disagree.", "Other words."]),
)


def fresh_store(backend: str, folder: Path):
    return SQLiteStore(folder / "corpus.sqlite3") if backend == "sqlite" else empty_postgres_store()


@pytest.mark.parametrize(("backend", "examples"), BACKENDS)
def test_a_save_reports_what_it_did_and_nothing_vanishes(backend, examples):
    @settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(batches=st.lists(st.lists(documents, min_size=1, max_size=6), min_size=1, max_size=4))
    def check(batches: list[list[Document]]) -> None:
        with tempfile.TemporaryDirectory() as folder:
            store = fresh_store(backend, Path(folder))
            saved: dict[str, Document] = {}  # the last version saved under each id
            try:
                for batch in batches:
                    before = set(store.ids())
                    results = store.save_many(batch)
                    after = set(store.ids())
                    merged = {i for r in results for i in r.merged}
                    new = sum(r.status == "new" for r in results)
                    assert len(after) == len(before) + new - len(merged)  # reported new = added
                    assert before - after <= merged  # only what a merge reported left
                    saved.update((doc.id, doc) for doc in batch)
                    for doc in saved.values():  # every document saved is there, or its address is a location
                        assert store.get(doc.id) or (doc.url and store.find_by_url(doc.url)), doc
                    for doc_id in after:  # a hit's text alone is the document's
                        stored = store.get(doc_id)
                        assert store.text_of(doc_id) == (stored.text, stored.content_hash)
                assert store.text_of("no such id") is None
            finally:
                store.close()

    check()


texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)  # NUL included: stores drop it
exportable = st.builds(
    lambda n, title, text, clauses, date, parties, extra: Document(
        source="mid",
        url=f"https://mid.ru/{n}",
        language="ru",
        title=title,
        text=text,
        date=date,
        parties=tuple(sorted(set(parties))),
        clauses=tuple(Clause(i + 1, c, str(i + 1)) for i, c in enumerate(clauses)),
        translation_key=f"mid:{n}",
        extra=extra,
    ),
    n=st.integers(0, 10**6),
    title=texts,
    text=texts,
    clauses=st.lists(texts, max_size=4),
    date=st.none() | st.dates(dt.date(1700, 1, 1), dt.date(2100, 1, 1)),
    parties=st.lists(st.sampled_from(["RUS", "KGZ", "EU", "USA"]), max_size=3),
    extra=st.dictionaries(st.sampled_from(["date_precision", "session"]), st.sampled_from(["year", "63"])),
)


@pytest.mark.parametrize(("backend", "examples"), BACKENDS)
def test_an_export_imports_back_equal(backend, examples):
    @settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(docs=st.lists(exportable, min_size=1, max_size=5, unique_by=lambda d: d.id))
    def check(docs: list[Document]) -> None:
        with tempfile.TemporaryDirectory() as folder:
            source, target = fresh_store(backend, Path(folder)), SQLiteStore(Path(folder) / "back.sqlite3")
            try:
                source.save_many(docs)
                out = io.StringIO()
                write_jsonl(source.iter_documents(), out)
                target.save_many(read_jsonl("export.jsonl", out.getvalue().encode()))
                assert [_exported(d) for d in target.iter_documents()] == [
                    _exported(d) for d in source.iter_documents()
                ]
            finally:
                source.close()
                target.close()

    check()


def _exported(doc: Document) -> dict:
    return as_dict(doc) | {"last_seen": None}  # the import's own time
