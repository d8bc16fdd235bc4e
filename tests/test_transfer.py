import pytest

from corpus.export import as_dict
from corpus.sqlite_store import SQLiteStore
from corpus.transfer import CopyError, copy_store
from tests.conftest import empty_postgres_store
from tests.test_sqlite_store import make_doc


def fill(store):
    store.save(make_doc())
    store.save(make_doc(text="The Sides agree and note."))  # a revision
    store.save(make_doc(source="aggregator", url="https://copy.example/a", canonical_url=make_doc().url))  # a location
    store.save(make_doc(url="https://mid.ru/en/2/", language="en", title="Joint statement"))
    run = store.start_run("import x")
    run.counts = {"new": 2}
    store.finish_run(run, "ok")


def snapshot(store):
    docs = {d.id: as_dict(d) for d in store.iter_documents()}
    return (
        docs,
        {i: [(r.revision, r.text) for r in store.revisions(i)] for i in docs},
        {i: [loc.url for loc in store.locations(i)] for i in docs},
        [(r.job, r.counts) for r in store.runs()],
    )


def test_a_corpus_copies_to_postgresql_and_back_unchanged(tmp_path):
    source = SQLiteStore(tmp_path / "a.sqlite3")
    fill(source)
    middle = empty_postgres_store()
    copy_store(source, middle)
    back = SQLiteStore(tmp_path / "b.sqlite3")
    counts = copy_store(middle, back)
    assert counts["documents"] == 2 and counts["revisions"] == 1 and counts["locations"] == 1
    assert snapshot(back) == snapshot(middle) == snapshot(source)
    assert {c.doc_id for c in back.changes_since(0)} == set(back.ids())  # the index there rebuilds from these
    middle.close()


def test_copying_into_a_store_that_holds_documents_is_refused(tmp_path):
    source, target = SQLiteStore(tmp_path / "a.sqlite3"), SQLiteStore(tmp_path / "b.sqlite3")
    fill(source)
    fill(target)
    with pytest.raises(CopyError, match="already holds documents"):
        copy_store(source, target)
