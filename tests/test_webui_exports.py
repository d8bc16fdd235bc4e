"""What leaves the web UI: CSV, Atom, citations and links are safe with hostile texts and carry one URL."""

import csv
import datetime as dt
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup

from corpus.documents import build_document
from corpus.export import write_csv
from corpus.spreadsheets import safe_cell
from indexer.backends import update_search
from webui import create_app
from webui.citations import authors, government
from webui.downloads import SEARCH_COLUMNS

ATOM = "{http://www.w3.org/2005/Atom}"
BASE_URL = "https://treaties.example/"
EVIL_HOST = {"Host": "evil.example"}
CSL_VARIABLES = {  # the item properties the CSL-JSON schema (csl-data.json) allows, of those we might write
    *("id", "type", "title", "author", "issued", "accessed", "URL", "language", "genre", "keyword", "note", "number"),
    *("publisher", "container-title", "abstract", "DOI", "categories", "source", "status", "version"),
}
CSL_TYPES = {"document", "treaty", "speech", "article", "legislation", "report", "webpage"}


def hostile_documents():
    """Hand-made texts that try to break what we write: formulas, markup, newlines, odd links."""
    made = [
        ('=HYPERLINK("http://x","click") Joint statement of Russia & Kyrgyzstan', "https://mid.ru/ru/1/", ""),
        ("Joint statement\nER  - \nTY  - JOUR of Russia and Kyrgyzstan", "https://mid.ru/ru/2/", ""),
        ("Совместное заявление России и Казахстана {о} 100% сотрудничестве", "javascript:alert(1)", ""),
        ("Joint declaration @SUM(A1) of Kazakhstan and Kyrgyzstan", "file:000_copy.txt", "https://mid.ru/en/3/"),
        ("Treaty between Kazakhstan and the Russian Federation", "data:text/html,<script>1</script>", ""),
    ]
    texts = [
        "-2+3 The Sides will deepen cooperation in trade.\n\n+The Sides condemn terrorism.",
        "The Sides reaffirmed cooperation.\n\nThe Sides will meet again.",
        "Стороны подтвердили приверженность сотрудничеству.\n\nСтороны развивают сотрудничество.",
        "The Sides welcomed cooperation.\n\n=1+1 cooperation in energy.",
        "Article 1\n\nThe Parties shall cooperate.",
    ]
    docs = []
    for (title, url, canonical), text, year in zip(made, texts, (2017, 2018, 2019, 2020, 2005), strict=True):
        source = "aggregator" if canonical else ("mid" if "mid.ru" in url else "tota")
        doc = build_document(title, text, url=url, source=source, canonical_url=canonical, home="RUS")
        docs.append(doc.replace(date=dt.date(year, 3, 5)))
    return docs


@pytest.fixture
def app(store, tmp_path):
    store.save_many(hostile_documents())
    run = store.start_run("import /home/secret/corpus")
    run.errors.append("/home/secret/corpus/bad.zip: not a zip file")
    store.finish_run(run, "failed")
    update_search(store, tmp_path / "index")
    app = create_app({"STORE": store, "INDEX_PATH": str(tmp_path / "index"), "TESTING": True, "BASE_URL": BASE_URL})
    yield app
    app.extensions["treatysearch"]["index"].close()


@pytest.fixture
def client(app):
    return app.test_client()


def docs(app):
    """The documents by the first two words of their title."""
    return {" ".join(d.title.split()[:2]): d for d in app.extensions["treatysearch"]["store"].iter_documents()}


def csv_rows(response, bom=True):
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff") == bom
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1"])
def test_cells_that_would_start_a_formula_are_neutralised(value):
    assert safe_cell(value) == "'" + value
    assert safe_cell("Joint statement") == "Joint statement" and safe_cell(-3) == -3


def test_search_csv_has_a_bom_the_columns_and_no_formula(client):
    rows = csv_rows(client.get("/search.csv?q=cooperation OR сотрудничество"))
    assert rows[0] == SEARCH_COLUMNS
    by_column = [dict(zip(SEARCH_COLUMNS, r, strict=True)) for r in rows[1:]]
    assert len(by_column) == 5
    cells = [cell for row in rows for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    formula = next(r for r in by_column if "HYPERLINK" in r["title"])
    assert formula["title"].startswith("'=HYPERLINK")
    assert all("cooperat" in r["snippet"].lower() or "сотрудничеств" in r["snippet"] for r in by_column)
    first = next(r for r in by_column if r["title"].startswith("'=HYPERLINK"))
    assert first["best_clause"] == "1" and first["best_clause_text"].startswith("'-2+3 The Sides")
    cyrillic = next(r for r in by_column if r["title"].startswith("Совместное"))
    assert cyrillic["url"] == ""  # a javascript: address is no link anywhere
    assert csv_rows(client.get("/search.csv?q=cooperation&bom=0"), bom=False)[0] == SEARCH_COLUMNS


def test_compare_csv_and_export_csv_neutralise_cells(app, client):
    by_title = docs(app)
    a, b = by_title['=HYPERLINK("http://x","click") Joint'], by_title["Joint statement"]
    rows = csv_rows(client.get(f"/compare.csv?a={a.id}&b={b.id}"))
    assert rows[0][0] == "row" and any(cell.startswith("'-2+3") for row in rows for cell in row)
    out = io.StringIO()
    write_csv(app.extensions["treatysearch"]["store"].iter_documents(), out)
    cells = [cell for row in csv.reader(io.StringIO(out.getvalue())) for cell in row]
    assert '\'=HYPERLINK("http://x","click") Joint statement of Russia & Kyrgyzstan' in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_atom_feed_is_well_formed_and_escapes_query_titles_and_links(client):
    hostile = '<script xmlns="http://www.w3.org/1999/xhtml">alert(1)</script> & cooperation'
    response = client.get("/search.atom", query_string={"q": hostile, "party": ["RUS", "KGZ"], "lang": "en"})
    reflected = ET.fromstring(response.data)
    assert reflected.findtext(f"{ATOM}title") == f"treatysearch: {hostile} (RUS, KGZ)"
    assert not list(reflected.iter("{http://www.w3.org/1999/xhtml}script"))
    feed = ET.fromstring(client.get("/search.atom?q=cooperation&party=RUS&party=KGZ&lang=en").data)
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert any("Russia & Kyrgyzstan" in t for t in titles)
    assert feed.find(f"{ATOM}link[@rel='self']").get("href").count("party=") == 2
    quoted = client.get("/search.atom", query_string={"q": 'cooperation "<b>&amp;</b>"'})
    feed = ET.fromstring(quoted.data)
    assert feed.findtext(f"{ATOM}title") == 'treatysearch: cooperation "<b>&amp;</b>"'
    assert not list(feed.iter("{http://www.w3.org/1999/xhtml}b")) and not list(feed.iter("b"))


def test_links_come_from_the_base_url_never_the_host_header(app, client):
    data = client.get("/search.json?q=cooperation", headers=EVIL_HOST).get_json()
    assert all(h["page"].startswith("https://treaties.example/documents/") for h in data["hits"])
    csv_text = client.get("/search.csv?q=cooperation", headers=EVIL_HOST).data.decode()
    atom = client.get("/search.atom?q=cooperation&party=RUS", headers=EVIL_HOST).data.decode()
    doc = next(iter(docs(app).values()))
    document = client.get(f"/documents/{doc.id}.json", headers=EVIL_HOST).data.decode()
    citations = [client.get(f"/documents/{doc.id}.{f}", headers=EVIL_HOST).data.decode() for f in ("bib", "ris")]
    for body in (csv_text, atom, document, *citations):
        assert "evil.example" not in body and "https://treaties.example/" in body
    for odd in ("/documents//capture", "/status/", "//search"):
        response = client.get(odd, headers=EVIL_HOST)
        assert "evil.example" not in response.headers.get("Location", "") + response.data.decode()


def test_only_web_links_are_clickable(app, client):
    by_title = docs(app)
    for doc in (by_title["Совместное заявление"], by_title["Treaty between"]):
        page = BeautifulSoup(client.get(f"/documents/{doc.id}").data, "lxml")
        hrefs = [a["href"] for a in page.select("a[href]")]
        assert not any(h.lower().startswith(("javascript:", "data:", "file:")) for h in hrefs)
        assert page.select_one("#original").name == "span" and page.select_one("#original").text == doc.url
    copy = BeautifulSoup(client.get(f"/documents/{by_title['Joint declaration'].id}").data, "lxml")
    assert copy.select_one("#original")["href"] == "https://mid.ru/en/3/"


def test_status_shows_no_paths_commands_or_error_texts_unless_asked(app, client):
    for body in (client.get("/status").data.decode(), client.get("/status.json").data.decode()):
        assert "/home/secret" not in body and "not a zip" not in body
    run = client.get("/status.json").get_json()["runs"][0]
    assert run["job"] == "import" and run["error_count"] == 1 and run["errors"] == []
    app.config["STATUS_DETAILS"] = True
    assert "/home/secret/corpus/bad.zip" in client.get("/status").data.decode()


def test_a_huge_revision_number_is_not_found(app, client):
    doc = next(iter(docs(app).values()))
    for rev in ("99999999999999999999999", "9" * 400, "2147483648"):
        assert client.get(f"/documents/{doc.id}?rev={rev}").status_code == 404


def test_citations_name_the_issuing_body_and_the_original(app, client):
    by_title = docs(app)
    copy = by_title["Joint declaration"]  # an aggregator's copy of a mid.ru text
    assert authors(copy) == ["Ministry of Foreign Affairs of the Russian Federation"]
    treaty = by_title["Treaty between"]
    assert authors(treaty) == [government(p) for p in treaty.parties] and "Government of Kazakhstan" in authors(treaty)
    bib = client.get(f"/documents/{copy.id}.bib").data.decode()
    assert "author = {{Ministry of Foreign Affairs of the Russian Federation}}" in bib
    assert "url = {https://mid.ru/en/3/}" in bib and bib.count("{") == bib.count("}")
    ris = client.get(f"/documents/{by_title['Joint statement'].id}.ris").data.decode()
    assert ris.count("ER  - ") == 1 and ris.count("TY  - ") == 1  # the title's newline started no record
    assert all(re.match(r"[A-Z][A-Z0-9]  - ", line) for line in ris.split("\r\n")[:-1])


def test_csl_json_is_valid_and_read_by_a_csl_processor(app, client):
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON

    for doc in docs(app).values():
        items = client.get(f"/documents/{doc.id}.csl.json").get_json()
        assert isinstance(items, list) and len(items) == 1
        item = items[0]
        assert set(item) <= CSL_VARIABLES and item["type"] in CSL_TYPES and item["id"] == doc.id
        assert all(set(a) == {"literal"} for a in item["author"])
        assert all(isinstance(part, int) for part in item["accessed"]["date-parts"][0])
        source = CiteProcJSON(json.loads(json.dumps(items)))
        style = CitationStylesStyle("harvard-cite-them-right", validate=False)
        bibliography = CitationStylesBibliography(style, source, formatter.plain)
        bibliography.register(Citation([CitationItem(doc.id)]))
        text = str(bibliography.bibliography()[0])
        assert item["author"][0]["literal"] in text


def test_every_twin_gives_the_same_url(app, client):
    copy = docs(app)["Joint declaration"]
    link = "https://mid.ru/en/3/"
    assert client.get(f"/documents/{copy.id}.json").get_json()["link"] == link
    hit = next(h for h in client.get("/search.json?q=cooperation").get_json()["hits"] if h["id"] == copy.id)
    assert hit["url"] == link
    row = next(r for r in csv_rows(client.get("/search.csv?q=cooperation")) if r[0] == copy.id)
    assert row[SEARCH_COLUMNS.index("url")] == link
    assert client.get(f"/documents/{copy.id}.csl.json").get_json()[0]["URL"] == link
    assert f"UR  - {link}\r\n" in client.get(f"/documents/{copy.id}.ris").data.decode()


def test_the_seed_copy_cites_the_ministry_and_mid_ru(corpus_dir, tmp_path):
    from corpus.importers import import_paths
    from corpus.sqlite_store import SQLiteStore
    from treatysearch.cli import readers

    store = SQLiteStore(tmp_path / "corpus.sqlite3")
    import_paths(store, [corpus_dir / "seed"], readers())
    update_search(store, tmp_path / "index")
    app = create_app({"STORE": store, "INDEX_PATH": str(tmp_path / "index"), "BASE_URL": BASE_URL})
    client = app.test_client()
    for doc in store.iter_documents():
        assert doc.url.startswith("file:") and "mid.ru" in doc.link
        data = client.get(f"/documents/{doc.id}.json").get_json()
        assert data["link"] == doc.link
        bib = client.get(f"/documents/{doc.id}.bib").data.decode()
        assert "aggregator" not in bib and "Ministry of Foreign Affairs of the Russian Federation" in bib
        assert f"url = {{{doc.link}}}" in bib
    app.extensions["treatysearch"]["index"].close()


def test_serve_takes_its_links_from_the_base_url_setting(tmp_path):
    from treatysearch.cli import Context, make_app
    from treatysearch.settings import load_settings

    configured = Context(load_settings({"data_dir": str(tmp_path), "base_url": "https://t.example"}, env={}))
    assert make_app(configured, "0.0.0.0", 9000).config["BASE_URL"] == "https://t.example"
    configured.close_store()
    default = Context(load_settings({"data_dir": str(tmp_path)}, env={"TREATYSEARCH_STATUS_DETAILS": "yes"}))
    app = make_app(default, "10.0.0.5", 9000)
    assert app.config["BASE_URL"] == "http://10.0.0.5:9000" and app.config["STATUS_DETAILS"] is True
    default.close_store()
