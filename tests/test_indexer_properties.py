"""Property tests of the query language (hypothesis): any text gets hits or one QueryError, never another
exception, and the grammar both backends read gives the same hits on Whoosh and on PostgreSQL."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from corpus.documents import build_document
from corpus.sqlite_store import SQLiteStore
from indexer.backends import open_search, update_search
from indexer.results import QueryError, SearchRequest
from tests.conftest import empty_postgres_store
from tests.webui_fixtures import documents

# More hand-made texts (written for these tests), so that words, phrases and filters split the documents.
MORE = [
    ("Communique on trade between India and Kazakhstan", 1995, "Trade and energy cooperation grew. Clean energy."),
    ("Treaty on strategic partnership", 1972, "The Parties cooperate in trade. The leaders met in Astana."),
    ("Statement of the leaders on terrorism", 2015, "The leaders condemn terrorism and will cooperate."),
    ("Memorandum on energy", 1890, "Energy trade between the parties, and clean water."),
]
WORDS = ["trade", "energy", "cooperation", "cooperate", "strategic", "partnership", "terrorism", "leaders"]
WORDS += ["sides", "treaty", "parties", "clean", "kyrgyz", "russia", "india", "kazakhstan", "the", "zzz", "water"]
# Phrases with no stop word inside them in these texts: around a stop word the backends differ on purpose
# (Whoosh closes the gap, PostgreSQL keeps its place; see the README's table of differences).
PHRASES = ["strategic partnership", "clean energy", "joint statement", "energy cooperation grew", "kyrgyz republic"]
PHRASES += ["leaders condemn terrorism", "partnership energy", "energy strategic", "the sides"]
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def corpus():
    extra = [
        build_document(title, text, url=f"https://example.org/{n}", source="other").replace(date=dt.date(year, 1, 2))
        for n, (title, year, text) in enumerate(MORE)
    ]
    return [*documents(), *extra]


@pytest.fixture(scope="module")
def indexes(tmp_path_factory):
    """The same documents indexed by Whoosh (beside SQLite) and by PostgreSQL."""
    folder = tmp_path_factory.mktemp("props")
    stores = [SQLiteStore(folder / "corpus.sqlite3"), empty_postgres_store()]
    opened = []
    for n, store in enumerate(stores):
        store.save_many(corpus())
        update_search(store, folder / f"index{n}", rebuild=True)
        opened.append(open_search(store, folder / f"index{n}"))
    yield opened
    for index in opened:
        index.close()
    for store in stores:
        store.close()


def hits(index, q: str) -> set[str] | str:
    try:
        return {h.id for h in index.search(SearchRequest(q=q, page_size=100, snippets=0)).hits}
    except QueryError as exc:
        return f"QueryError: {exc}"


word = st.sampled_from(WORDS)
leaf = st.one_of(
    word,
    word.map(lambda w: w[:4] + "*"),
    st.sampled_from(PHRASES).map(lambda p: f'"{p}"'),
    st.sampled_from(["party:RUS", "party:kgz", "party:IND", "type:treaty", "lang:ru", "title:energy"]),
    st.tuples(st.integers(1000, 2030), st.integers(1000, 2030)).map(lambda r: f"year:[{min(r)} TO {max(r)}]"),
    st.sampled_from(["year:[TO 2000]", "year:[1900 TO]", "year:2017", 'title:"joint statement"']),
)
query = st.recursive(
    leaf,
    lambda inner: st.one_of(
        inner.map(lambda q: f"({q})"),
        st.tuples(inner, inner).map(" ".join),
        st.tuples(inner, inner).map(" OR ".join),
        st.tuples(inner, inner).map(" AND ".join),
        inner.map(lambda q: f"NOT {q}"),
        leaf.map(lambda q: f"-{q}"),
    ),
    max_leaves=8,
)


@SETTINGS
@given(query)
def test_the_shared_grammar_gives_the_same_hits_on_both_backends(indexes, q):
    whoosh, postgres = indexes
    assert hits(whoosh, q) == hits(postgres, q)


QUERY_CHARS = st.sampled_from(list('ab "()*:-[]? OR AND NOT party year TO 19 20 ё é \\\x00\n'))


@SETTINGS
@given(st.one_of(st.text(QUERY_CHARS, max_size=80), st.text(max_size=40), query.map(lambda q: q * 3)))
@example("-*")  # found here: a NOT of a bare wildcard reached PostgreSQL as an empty prefix
def test_any_text_gets_hits_or_one_query_error(indexes, q):
    for index in indexes:
        result = hits(index, q)
        assert isinstance(result, set) or "\n" not in result  # a one-line message, never another exception
