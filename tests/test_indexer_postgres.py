"""The PostgreSQL index's own paths: killed and concurrent updates, reading from a read-only replica."""

import threading

import pytest

from corpus.documents import build_document
from corpus.store import open_store
from indexer import postgres
from indexer.postgres_search import PostgresIndex
from indexer.results import IndexBusy, SearchRequest
from tests.conftest import empty_postgres_store

DOCS = [
    ("Joint statement of Russia and Kyrgyzstan", "The Sides will deepen trade.\n\nThe Sides condemn terrorism."),
    ("Совместное заявление России и Ирана", "Стороны обсудили сотрудничество с Ираном.\n\nИран и Россия."),
]


@pytest.fixture
def pg_store():
    store = empty_postgres_store()
    store.save_many(
        [build_document(source="mid", url=f"https://mid.ru/{n}", title=t, text=x) for n, (t, x) in enumerate(DOCS)]
    )
    yield store
    store.close()


def test_an_update_killed_between_batches_resumes_where_it_stopped(pg_store, monkeypatch):
    monkeypatch.setattr(postgres, "BATCH", 1)
    real = pg_store.iter_documents
    calls = []

    def failing(ids=None):
        calls.append(ids)
        if len(calls) == 2:
            raise KeyboardInterrupt  # killed while reading the second batch
        return real(ids)

    monkeypatch.setattr(pg_store, "iter_documents", failing)
    with pytest.raises(KeyboardInterrupt):
        postgres.update_index(pg_store, pg_store.database_url)
    index = PostgresIndex(pg_store.database_url, pg_store.get)
    try:
        assert index.count() == 1 and index.indexed_change() == 1  # the first batch committed, nothing half done
        monkeypatch.setattr(pg_store, "iter_documents", real)
        assert postgres.update_index(pg_store, pg_store.database_url).updated == 1
        assert index.count() == 2
        hits = index.search(SearchRequest(q="Ирана")).hits  # «Иран», «Ирана», «Ираном»: Snowball splits them
        assert len(hits) == 1 and hits[0].clause == 1 and "<mark>" in hits[0].title_html
    finally:
        index.close()


def test_a_second_updater_waits_then_reports_the_index_busy(pg_store):
    holding, release = threading.Event(), threading.Event()

    def hold_lock():
        with postgres.connect(pg_store.database_url) as con, postgres._update_lock(con, 1):
            holding.set()
            release.wait(10)

    holder = threading.Thread(target=hold_lock)
    holder.start()
    try:
        assert holding.wait(10)
        with pytest.raises(IndexBusy, match="another index update holds the lock"):
            postgres.update_index(pg_store, pg_store.database_url, lock_timeout=0.3)
    finally:
        release.set()
        holder.join()
    assert postgres.update_index(pg_store, pg_store.database_url).updated == 2


def test_web_workers_read_from_a_read_only_replica(pg_store, tmp_path):
    from webui import create_app

    postgres.update_index(pg_store, pg_store.database_url)
    url = pg_store.database_url
    replica = url + ("&" if "?" in url else "?") + "options=-c%20default_transaction_read_only%3Don"
    store = open_store(replica)  # opening writes nothing when the schema is current
    app = create_app({"STORE": store, "INDEX_PATH": str(tmp_path / "index"), "DATA_DIR": str(tmp_path)})
    try:
        client = app.test_client()
        found = client.get("/search.json?q=Kyrgyzstan").get_json()
        assert found["total"] == 1
        assert client.get(f"/documents/{found['hits'][0]['id']}").status_code == 200
        assert client.get("/status.json").status_code == 200
        with pytest.raises(Exception, match="read-only transaction"):
            store.delete(found["hits"][0]["id"])  # it is read-only indeed
    finally:
        app.extensions["treatysearch"]["index"].close()
        store.close()


def test_a_change_committed_after_a_later_one_is_still_indexed(pg_store, monkeypatch):
    """The change log's numbers: a writer that took its number first but commits last must not be skipped by
    an index that has read past it meanwhile (34 of 10,957 documents were never searchable)."""
    slow_writer, quick_writer = open_store(pg_store.database_url), open_store(pg_store.database_url)
    numbered, go_on = threading.Event(), threading.Event()
    real = slow_writer._write_changes

    def number_then_wait(con, changes):
        real(con, changes)
        numbered.set()  # its change has a number; its transaction is not committed
        go_on.wait(10)

    monkeypatch.setattr(slow_writer, "_write_changes", number_then_wait)
    slow = build_document(source="mid", url="https://mid.ru/slow", title="Joint statement on wheat", text="Wheat.")
    quick = build_document(source="mid", url="https://mid.ru/quick", title="Joint statement on rice", text="Rice.")
    threads = [threading.Thread(target=_save_and_close, args=(slow_writer, slow))]
    threads[0].start()
    numbered.wait(10)
    threads.append(threading.Thread(target=_save_and_close, args=(quick_writer, quick)))
    threads[1].start()
    threads[1].join(1)  # committed at once without the change log's lock; waits for the slow writer with it
    postgres.update_index(pg_store, pg_store.database_url)
    go_on.set()
    for thread in threads:
        thread.join(10)
    postgres.update_index(pg_store, pg_store.database_url)
    index = PostgresIndex(pg_store.database_url, pg_store.get)
    try:
        assert index.search(SearchRequest(q="wheat")).total == index.search(SearchRequest(q="rice")).total == 1
        assert index.indexed_change() == pg_store.last_change()
    finally:
        index.close()
        slow_writer.close()  # the connections they migrated with, here
        quick_writer.close()


def _save_and_close(store, doc) -> None:
    store.save(doc)
    store.close()  # this thread's connection
