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


def test_a_copy_killed_midway_leaves_the_target_empty_and_can_run_again(tmp_path, monkeypatch):
    """A killed copy left all documents and no clauses, which copy then refused to fill."""
    from corpus import transfer

    source, target = SQLiteStore(tmp_path / "a.sqlite3"), SQLiteStore(tmp_path / "b.sqlite3")
    fill(source)
    real = transfer._copy_table

    def killed_at_clauses(source, con, table, columns):
        if table == "clauses":
            raise KeyboardInterrupt
        return real(source, con, table, columns)

    monkeypatch.setattr(transfer, "_copy_table", killed_at_clauses)
    with pytest.raises(KeyboardInterrupt):
        copy_store(source, target)
    assert target.stats().documents == 0 and target.changes_since(0) == []
    monkeypatch.setattr(transfer, "_copy_table", real)
    copy_store(source, target)
    assert snapshot(target) == snapshot(source)


def test_a_nul_byte_an_older_store_holds_copies_to_postgresql(tmp_path):
    source = SQLiteStore(tmp_path / "a.sqlite3")
    fill(source)
    doc_id = make_doc().id
    with source._write() as con:  # as a store written before texts were cleaned may hold
        con.execute("UPDATE documents SET text = text || char(0) || ' more' WHERE id = ?", (doc_id,))
        con.execute("UPDATE clauses SET text = text || char(0) WHERE doc_id = ?", (doc_id,))
    target = empty_postgres_store()
    try:
        copy_store(source, target)
        copied = target.get(doc_id)
        assert copied.text.endswith(" more") and "\x00" not in copied.text
        row = target._con.execute("SELECT content_hash FROM documents WHERE id = ?", (doc_id,)).fetchone()
        assert row["content_hash"] == copied.content_hash  # the hash is that of the text it holds
    finally:
        target.close()
