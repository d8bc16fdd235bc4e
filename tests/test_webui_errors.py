"""Error pages that help, and the web routes fuzzed with hostile URL parameters: never a 500."""

import time
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corpus.sqlite_store import SQLiteStore
from indexer.backends import update_search
from indexer.results import check_query
from tests.conftest import empty_postgres_store
from tests.webui_fixtures import documents
from webui import create_app
from webui.query_help import first_repair, nearest_valid

BROKEN = [
    ('"joint statement party:RUS', 0),
    ("cooperation (energy OR trade", 12),
    ("cooperation) energy", 11),
    ("colour:red cooperation", 0),
    ("party: RUS cooperation", 0),
    ("*operation", 0),
    ("cooperation OR", 12),
    ("AND cooperation", 0),
    ('(a "b" OR c', 0),
]


@pytest.mark.parametrize(("query", "position"), BROKEN)
def test_the_problem_is_located_and_the_nearest_query_runs(query, position):
    assert first_repair(query).position == position
    nearest = nearest_valid(query)
    assert nearest and nearest != query
    check_query(nearest)  # raises if it cannot run


def test_a_query_that_runs_needs_no_repair():
    assert first_repair('"joint statement" party:RUS year:2015-2022') is None
    assert nearest_valid("cooperation") == "cooperation"


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def app(request, tmp_path_factory):
    """The app on each backend: Whoosh beside SQLite, PostgreSQL for both store and index."""
    folder = tmp_path_factory.mktemp("errors")
    store = SQLiteStore(folder / "corpus.sqlite3") if request.param == "sqlite" else empty_postgres_store()
    store.save_many(documents())
    update_search(store, folder / "index")
    app = create_app({"STORE": store, "INDEX_PATH": str(folder / "index"), "TESTING": True})
    yield app
    app.extensions["treatysearch"]["index"].close()
    store.close()


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


def page(response):
    return BeautifulSoup(response.data, "lxml")


def test_error_page_keeps_the_query_says_where_and_offers_a_search(client):
    response = client.get("/search", query_string={"q": "cooperation (trade", "party": "RUS"})
    assert response.status_code == 400
    html = page(response)
    assert html.select_one("#q")["value"] == "cooperation (trade"
    assert html.select_one("h1").text == "This search cannot be run"
    assert "parenthesis" in html.select_one("#error-message").text
    assert "character 13" in html.select_one("#error-position").text
    assert html.select_one("#error-position mark").text == "("
    suggestion = html.select_one("#error-suggestion a")
    assert suggestion.text == "cooperation trade" and "party=RUS" in suggestion["href"]
    assert client.get(suggestion["href"]).status_code == 200


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/compare?a=nope&b=nope", "A document to compare is not there"),
        ("/compare", "These documents cannot be compared"),
        ("/series?party=RUS", "This series cannot be traced"),
        ("/documents/nope", "No such document"),
        ("/documents/nope/clauses/3/elsewhere", "This clause is not there"),
        ("/no/such/page", "No page at this address"),
    ],
)
def test_error_pages_say_the_right_thing_on_other_pages(client, url, heading):
    html = page(client.get(url))
    assert html.select_one("h1").text == heading
    assert html.select_one("#q")["value"] == "" and html.select_one("#error-suggestion") is None


def test_a_nul_character_in_an_address_is_refused_on_every_route(client):
    for url in ("/documents/%00", "/compare?a=x&b=%00", "/search?q=a%00b", "/series?party=RUS&party=%00"):
        assert client.get(url).status_code == 400


def test_a_query_only_the_backend_refuses_gets_a_suggestion_that_runs_there(client):
    response = client.get("/search?q=NOT+NOT+cooperation")
    if response.status_code == 200:
        pytest.skip("this backend runs NOT NOT")
    suggestion = page(response).select_one("#error-suggestion a")
    assert suggestion is not None and client.get(suggestion["href"]).status_code == 200


def test_a_filter_value_that_names_nothing_is_refused_and_a_party_may_be_named(client):
    for url, said in [
        ("/search?q=treaty&party=XXX", "no party 'XXX'"),
        ("/search?q=treaty&type=foo", "no document type 'foo'"),
        ("/search?q=treaty&lang=xx", "no language 'xx'"),
    ]:
        response = client.get(url)
        message = page(response).select_one("#error-message").text
        assert response.status_code == 400 and message.startswith(said[0].upper() + said[1:]), url
    by_name = client.get("/search.json?party=Russia").get_json()
    by_code = client.get("/search.json?party=RUS").get_json()
    assert by_name["total"] == by_code["total"] > 0


def test_twins_answer_errors_as_json(client):
    data = client.get("/search.json?q=%22open").get_json()
    assert data["status"] == 400 and "quotation mark" in data["error"]


# Fuzzing: every route with hostile parameters answers 200, 400 or 404, and within a bound (a hang guard).
hostile_text = st.one_of(
    st.text(max_size=60),
    st.text(alphabet='()[]":*?-+ORNOTAND \\/<>&%\x00\ud7ff\u202e', max_size=60),
    st.from_regex(r"[0-9]{1,40}", fullmatch=True),
    st.sampled_from(["-1", "0", "1e9", "NaN", "９", "²", "99999999999999999999", "RUS", "type:treaty"]),
)
ROUTES = ["/search", "/search.json", "/search.csv", "/search.atom", "/status", "/status.json"]
PARAMS = ["q", "party", "from", "to", "year", "type", "lang", "source", "sort", "page", "mode", "bom"]
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(route=st.sampled_from(ROUTES), args=st.dictionaries(st.sampled_from(PARAMS), hostile_text, max_size=5))
def test_search_routes_never_fail_on_hostile_parameters(client, route, args):
    started = time.monotonic()
    response = client.get(route, query_string=args)
    response.get_data()  # a streamed CSV fails while it is read
    assert response.status_code in (200, 400), (route, args, response.data[:300])
    assert time.monotonic() - started < 30


@FUZZ
@given(
    doc=st.one_of(hostile_text, st.just("")),
    rev=hostile_text,
    b=hostile_text,
    number=st.integers(min_value=0, max_value=10**30),
    suffix=st.sampled_from(["", ".json", ".bib", ".ris", ".csl.json", "/capture"]),
)
def test_document_and_compare_routes_never_fail(client, app, doc, rev, b, number, suffix):
    real = next(iter(app.extensions["treatysearch"]["store"].iter_documents())).id
    for url, args in (
        (f"/documents/{real}{suffix}", {"rev": rev}),
        ("/documents/" + quote(doc, safe="") + suffix, {"rev": rev}),
        ("/compare", {"a": real, "b": b}),
        ("/compare.csv", {"a": b, "b": real}),
        (f"/documents/{real}/clauses/{number}/elsewhere", {}),
        ("/series", {"party": [doc, b], "lang": rev}),
    ):
        response = client.get(url, query_string=args)
        assert response.status_code < 500, (url, args, response.data[:300])
