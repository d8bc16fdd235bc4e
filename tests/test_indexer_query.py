"""The query language's tree (read by the PostgreSQL backend) and the PostgreSQL index's own failure paths."""

import threading

import pytest

from corpus.documents import build_document
from indexer.query import And, Field, Not, Or, Words, YearRange, parse
from indexer.results import IndexBusy, SearchRequest
from tests.conftest import empty_postgres_store


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("", None),
        ("trade", Words("trade")),
        ("trade energy", And((Words("trade"), Words("energy")))),
        ("trade AND energy", And((Words("trade"), Words("energy")))),
        ("trade OR energy gas", Or((Words("trade"), And((Words("energy"), Words("gas")))))),
        ('"strategic stability" -nuclear', And((Words("strategic stability", phrase=True), Not(Words("nuclear"))))),
        ("NOT (a OR b)", Not(Or((Words("a"), Words("b"))))),
        ("cooperat*", Words("cooperat", prefix=True)),
        ("title:treaty party:kaz", And((Words("treaty", field="title"), Field("parties", "kaz")))),
        ('title:"joint statement"', Words("joint statement", field="title", phrase=True)),
        ("lang:ru type:treaty", And((Field("language", "ru"), Field("doc_type", "treaty")))),
        ("year:[2015 TO 2022]", YearRange(2015, 2022)),
        ("year:[ TO 2022]", YearRange(None, 2022)),
        ("https://mid.ru/x", Words("https://mid.ru/x")),  # not a field: "https" is no field name
    ],
)
def test_query_tree(text, tree):
    assert parse(text) == tree


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
    from indexer import postgres

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
    index = postgres.PostgresIndex(pg_store.database_url, pg_store.get)
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
    from indexer import postgres

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
