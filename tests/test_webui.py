"""Every route and twin of the web UI, through Flask's test client, with hand-made documents."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from corpus.clauses import segment
from corpus.model import Document
from indexer.backends import update_search
from tests.webui_fixtures import documents
from webui import create_app

ATOM = "{http://www.w3.org/2005/Atom}"
BASE_URL = "https://treaties.example"


@pytest.fixture
def app(store, tmp_path):
    """The app on each backend (the store fixture is SQLite + Whoosh, then PostgreSQL for both)."""
    docs = documents()
    store.save_many(docs)
    text = docs[1].text + "\n\nThe Sides welcome the Year of Russia."
    changed = docs[1].replace(text=text, clauses=segment(text))
    store.save(changed)
    copy = Document(
        source="aggregator",
        url="https://news.example/copy/",
        language="en",
        title=docs[1].title,
        text=docs[1].text,
        canonical_url=docs[1].url,
    )
    store.save(copy)
    update_search(store, tmp_path / "index")
    app = create_app(
        {
            "STORE": store,
            "INDEX_PATH": str(tmp_path / "index"),
            "DATA_DIR": str(tmp_path),
            "TESTING": True,
            "BASE_URL": BASE_URL,
        }
    )
    yield app
    app.extensions["treatysearch"]["index"].close()


@pytest.fixture
def client(app):
    return app.test_client()


def soup(response):
    assert response.status_code == 200, response.data[:500]
    return BeautifulSoup(response.data, "lxml")


def ids(app, **filters):
    return {
        d.id for d in app.extensions["treatysearch"]["store"].iter_documents() if all(f(d) for f in filters.values())
    }


def test_search_page_lists_hits_with_metadata_and_snippets(client):
    page = soup(client.get("/search?q=cooperation"))
    hits = page.select("#results li.hit")
    assert len(hits) == 5
    first = hits[0]
    assert first.select_one("a.hit-link")["href"].startswith("/documents/")
    assert first.select_one(".date").text and first.select_one(".type").text
    assert first.select("p.snippet mark")
    assert page.select_one("#q")["value"] == "cooperation"
    assert "5 documents" in page.select_one("#total").text


def test_facets_toggle_and_keep_the_state_in_the_url(client):
    page = soup(client.get("/search?q=cooperation"))
    rus = page.select_one('#facet-party a[data-value="RUS"]')
    assert rus.select_one(".count").text == "3"
    narrowed = soup(client.get(rus["href"]))
    assert len(narrowed.select("#results li.hit")) == 3
    selected = narrowed.select_one('#facet-party a.selected[data-value="RUS"]')
    assert selected is not None
    kgz = narrowed.select_one('#facet-party a[data-value="KGZ"]')
    between = soup(client.get(kgz["href"]))
    assert len(between.select("#results li.hit")) == 3  # between RUS and KGZ: 2017, 2022 and the hostile page
    assert between.select_one("#mode-any") is not None
    either = soup(client.get(between.select_one("#mode-any")["href"]))
    assert len(either.select("#results li.hit")) == 4  # RUS or KGZ: the Kazakhstan–Kyrgyzstan treaty joins
    off = soup(client.get(selected["href"]))  # the toggle removes the value again
    assert len(off.select("#results li.hit")) == 5


def test_languages_are_named_with_their_codes(client):
    page = soup(client.get("/search?q=cooperation"))
    labels = {a["data-value"]: a.select_one(".label").text for a in page.select("#facet-lang a.facet-value")}
    assert labels["en"] == "English (en)"
    assert page.select_one("#results .lang")["title"] in ("English", "Russian")
    doc = soup(client.get(page.select_one("#results a.hit-link")["href"]))
    assert any(dd.text in ("English (en)", "Russian (ru)") for dd in doc.select("dd"))


def test_type_facet_is_disjunctive(client):
    data = client.get("/search.json?q=cooperation&type=treaty").get_json()
    assert data["total"] == 1
    types = {v["value"]: v["count"] for v in data["facets"]["doc_type"]}
    assert types == {"joint_statement": 3, "joint_declaration": 1, "treaty": 1}


def test_year_histogram_is_chronological_and_filters(client):
    page = soup(client.get("/search"))
    years = [int(a["data-year"]) for a in page.select("svg.histogram a.bar")]
    assert years == sorted(years) and years[0] == 2005 and years[-1] == 2022 and 2006 not in years  # empty: no link
    assert [a["tabindex"] for a in page.select("svg.histogram a.bar")].count("0") == 1  # one Tab stop
    x = {int(a["data-year"]): float(a.select_one("rect")["x"]) for a in page.select("svg.histogram a.bar")}
    assert x[2017] - x[2005] == 120  # a year's place on the axis is kept, empty years included
    bar = page.select_one('svg.histogram a.bar[data-year="2017"]')
    narrowed = client.get(bar["href"]).get_data(as_text=True)
    assert "from=2017" in bar["href"] and "to=2017" in bar["href"]
    assert "1 document" in BeautifulSoup(narrowed, "lxml").select_one("#total").text
    ranged = client.get("/search.json?from=2018&to=2021").get_json()
    assert {h["year"] for h in ranged["hits"]} == {2019, 2020, 2021}


def test_sort_and_pagination(app, client):
    app.config["PAGE_SIZE"] = 2
    page = soup(client.get("/search?sort=newest"))
    dates = [d.text for d in page.select("#results .date")]
    assert dates == ["2022-03-05", "2021-03-05"]
    nxt = page.select_one('nav.pages a[rel="next"]')
    assert "page=2" in nxt["href"] and "sort=newest" in nxt["href"]
    assert [d.text for d in soup(client.get(nxt["href"])).select("#results .date")] == ["2020-01-01", "2019-03-05"]


def test_did_you_mean(client):
    page = soup(client.get("/search?q=cooperatoin"))
    assert page.select_one("#suggestion").text == "cooperation"


def test_words_no_document_holds_together_show_those_holding_most_and_say_so(app, client):
    page = soup(client.get("/search?q=terrorism+zanzibar"))
    assert "terrorism" in page.select_one("#partial").text
    found = {li["data-id"] for li in page.select("#results li.hit")}
    assert found == ids(app, p=lambda d: "terrorism" in d.text) != set()
    assert client.get("/search.json?q=terrorism+zanzibar").get_json()["partial"] is True
    assert soup(client.get("/search?q=terrorism")).select_one("#partial") is None


def test_empty_result_and_malformed_query(client):
    page = soup(client.get("/search?q=zanzibar"))
    assert "No documents match" in page.select_one("#total").text
    bad = client.get("/search?q=%22unclosed")
    assert bad.status_code == 400
    assert "quotation mark is not closed" in BeautifulSoup(bad.data, "lxml").select_one("#error-message").text
    assert client.get("/search.json?q=%22unclosed").get_json()["status"] == 400
    stop = client.get("/search?q=the+of+and")
    assert stop.status_code == 400
    assert "only stop words" in BeautifulSoup(stop.data, "lxml").select_one("#error-message").text
    assert client.get("/search?q=party%3ARUS").status_code == 200  # a field alone is a condition
    assert client.get("/search?page=abc").status_code == 400
    for page in ("0", "-1", "99"):  # page 0 was page 1, -1 "not a whole number", 99 of 1 an empty page
        response = client.get(f"/search?q=cooperation&page={page}")
        text = BeautifulSoup(response.data, "lxml").select_one("#error-message").text
        assert response.status_code == 400 and ("1 or more" in text or "this search has 1 page" in text), text
    assert client.get("/search?sort=random").status_code == 400
    assert client.get("/search?q=" + "a" * 5000).status_code == 400
    assert client.get("/search?" + "&".join(["party=RUS"] * 50)).status_code == 400


def test_search_json_twin(app, client):
    data = client.get("/search.json?q=cooperation&party=KGZ").get_json()
    assert {h["id"] for h in data["hits"]} == ids(app, p=lambda d: "KGZ" in d.parties and "cooperat" in d.text)
    assert data["hits"][0]["page"].startswith(BASE_URL + "/documents/")
    assert data["request"]["parties"] == ["KGZ"] and data["pages"] == 1


def test_search_csv_exports_every_result_not_one_page(app, client):
    app.config["PAGE_SIZE"] = 1
    response = client.get("/search.csv?q=cooperation")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert len(rows) == 5 and all(r["page"].startswith(BASE_URL + "/documents/") for r in rows)


def test_atom_feed(client):
    response = client.get("/search.atom?party=RUS")
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 4
    assert all(e.find(f"{ATOM}link").get("href").startswith(BASE_URL + "/documents/") for e in entries)
    assert feed.find(f"{ATOM}updated").text


def test_document_page(app, client):
    store = app.extensions["treatysearch"]["store"]
    doc = next(d for d in store.iter_documents() if d.revision == 2)
    page = soup(client.get(f"/documents/{doc.id}"))
    assert page.select_one("h1").text == doc.title
    clauses = page.select("ol.clauses li.clause")
    assert [c["id"] for c in clauses] == [f"c{n}" for n in range(1, len(doc.clauses) + 1)]
    assert clauses[0].select_one("a.permalink")["href"] == "#c1"
    assert page.select_one("#original")["href"] == doc.url
    assert [a["href"] for a in page.select("#locations a")] == ["https://news.example/copy/"]
    assert page.select_one("#revisions a")["href"] == f"/documents/{doc.id}?rev=1"
    old = soup(client.get(f"/documents/{doc.id}?rev=1"))
    assert old.select_one("#old-revision") is not None
    assert len(old.select("ol.clauses li.clause")) == len(doc.clauses) - 1


def test_document_json_twin(app, client):
    store = app.extensions["treatysearch"]["store"]
    doc = next(d for d in store.iter_documents() if d.revision == 2)
    data = client.get(f"/documents/{doc.id}.json").get_json()
    assert data["id"] == doc.id and data["revision"] == 2 and len(data["clauses"]) == len(doc.clauses)
    assert data["revisions"][0]["revision"] == 1
    assert data["locations"][0]["url"] == "https://news.example/copy/"


def test_citations(app, client):
    doc = next(iter(app.extensions["treatysearch"]["store"].iter_documents()))
    bib = client.get(f"/documents/{doc.id}.bib").get_data(as_text=True)
    assert bib.startswith(f"@misc{{ts_{doc.id},") and "urldate = {" in bib and "Retrieved" in bib
    ris = client.get(f"/documents/{doc.id}.ris").get_data(as_text=True)
    assert ris.startswith("TY  - GOVDOC") and "\r\nY2  - " in ris and ris.rstrip().endswith("ER  -")


def test_unknown_ids_and_revisions_give_404(app, client):
    assert client.get("/documents/nope").status_code == 404
    assert client.get("/documents/nope.json").status_code == 404
    doc = next(iter(app.extensions["treatysearch"]["store"].iter_documents()))
    assert client.get(f"/documents/{doc.id}?rev=99").status_code == 404
    assert client.get(f"/documents/{doc.id}?rev=x").status_code == 400
    missing = client.get(f"/documents/{doc.id}/capture")
    assert missing.status_code == 404 and b"no archived capture" in missing.data


def test_status_page_and_twin(client):
    data = client.get("/status.json").get_json()
    assert data["stats"]["documents"] == 6 and data["index"]["documents"] == 6 and data["index"]["fresh"]
    page = soup(client.get("/status"))
    assert "6 documents" in page.select_one("#corpus-count").text
    assert "up to date" in page.select_one("#index-freshness").text


def test_crawled_markup_is_shown_as_text(client):
    page = client.get("/search?q=Kyrgyz+cooperation").get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page
    parsed = BeautifulSoup(page, "lxml")
    assert not [s for s in parsed.find_all("script") if not s.get("src")]
    assert any("<script>" in h.text for h in parsed.select("a.hit-link"))  # visible as text
    doc_link = next(a["href"] for a in parsed.select("a.hit-link") if "<script>" in a.text)
    doc_page = client.get(doc_link).get_data(as_text=True)
    assert "<script>alert" not in doc_page and "&lt;script&gt;" in doc_page
    query = client.get("/search?q=%3Cscript%3Ealert(1)%3C/script%3E").get_data(as_text=True)
    assert "<script>alert(1)" not in query


def test_security_headers(client):
    response = client.get("/search")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_store_and_index_are_opened_once_and_shared(app):
    assert app.extensions["treatysearch"]["index"] is app.extensions["treatysearch"]["index"]
    assert json.loads(app.test_client().get("/status.json").data)["index"]["documents"] == 6


def pair_ids(app):
    store = app.extensions["treatysearch"]["store"]
    docs = sorted((d for d in store.iter_documents() if d.source == "mid" and d.language == "en"), key=lambda d: d.date)
    return docs[0], docs[1]


def test_compare_page_and_twins(app, client):
    old, new = pair_ids(app)
    page = soup(client.get(f"/compare?a={old.id}&b={new.id}"))
    rows = page.select("#aligned tr.row")
    assert [r["data-kind"] for r in rows] == ["reworded", "reworded", "added", "added"]
    assert page.select_one("#aligned tr.kind-reworded ins").text == "and alliance."
    assert "kept in B" in page.select_one("#summary").text
    changes = page.select("#change-list a")
    assert [a["href"] for a in changes] == ["#row-1", "#row-2", "#row-3", "#row-4"]
    data = client.get(f"/compare.json?a={old.id}&b={new.id}").get_json()
    assert data["summary"]["counts"]["added"] == 2 and data["pairs"][0]["a"] == [1]
    rows = list(csv.DictReader(io.StringIO(client.get(f"/compare.csv?a={old.id}&b={new.id}").data.decode("utf-8-sig"))))
    assert [r["kind"] for r in rows] == ["reworded", "reworded", "added", "added"] and rows[0]["score"]
    only = soup(client.get(f"/compare?a={old.id}&b={old.id}&changes=1"))
    assert only.select("#aligned tr.row") == []


def test_compare_errors(app, client):
    old, _ = pair_ids(app)
    assert client.get("/compare?a=" + old.id).status_code == 400
    assert client.get(f"/compare?a={old.id}&b=nope").status_code == 404
    russian = next(d for d in app.extensions["treatysearch"]["store"].iter_documents() if d.language == "ru")
    bad = client.get(f"/compare?a={old.id}&b={russian.id}")
    assert bad.status_code == 400 and b"different languages" in bad.data


def test_document_page_offers_comparisons_series_and_where_else(app, client):
    old, new = pair_ids(app)
    page = soup(client.get(f"/documents/{new.id}"))
    options = [o["value"] for o in page.select("form.compare select option")]
    assert old.id in options and new.id not in options
    assert page.select_one("#series-link")["href"].startswith("/series?party=KGZ&party=RUS")
    assert page.select_one("#c1 a.elsewhere")["href"] == f"/documents/{new.id}/clauses/1/elsewhere"


def test_series_view_and_twin(app, client):
    old, new = pair_ids(app)
    page = soup(client.get("/series?party=RUS&party=KGZ&lang=en"))
    assert [r["id"] for r in page.select("#series-table tbody tr")] == [f"clause-{n}" for n in range(1, 5)]
    assert page.select_one("#clause-1 td.status-reworded") is not None
    data = client.get("/series.json?party=RUS&party=KGZ&lang=en").get_json()
    assert [d["id"] for d in data["documents"]][-1] == new.id
    assert data["clauses"][0]["first_seen"]["doc_id"] in {old.id, data["documents"][0]["id"]}
    assert client.get("/series?party=RUS").status_code == 400


def test_where_else_page_and_twin(app, client):
    old, new = pair_ids(app)
    data = client.get(f"/documents/{new.id}/clauses/1/elsewhere.json").get_json()
    assert data["found"] and data["found"][0]["doc_id"] == old.id and data["found"][0]["clause"] == 1
    page = soup(client.get(f"/documents/{new.id}/clauses/1/elsewhere"))
    assert page.select_one("#elsewhere li a")["href"] == f"/documents/{old.id}#c1"
    assert client.get(f"/documents/{new.id}/clauses/99/elsewhere").status_code == 404


def test_document_page_names_parties_and_mentions_and_shows_the_date_to_its_precision(app, client):
    store = app.extensions["treatysearch"]["store"]
    doc = next(d for d in store.iter_documents() if "RUS" in d.parties)
    store.save(doc.replace(mentions=(("UKR", 2),), date_precision="year"))
    page = soup(client.get(f"/documents/{doc.id}"))
    rus = page.select_one("#parties a[data-code=RUS]")
    assert rus.text == "Russia / Россия (RUS)" and rus["href"].endswith("party=RUS")
    ukr = page.select_one("#mentions a[data-code=UKR]")
    assert ukr["data-count"] == "2" and ukr["href"].endswith("mention=UKR") and "Украина" in ukr.text
    assert page.select_one("#date").text == str(doc.date.year)
